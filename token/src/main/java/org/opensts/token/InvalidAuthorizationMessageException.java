package org.opensts.token;

import static java.util.Objects.requireNonNull;

/**
 * An encoded authorization message that this deployment cannot vouch for. As with {@link InvalidTokenException}, the
 * message is the same whatever went wrong; {@link #reason()} is for an operator's debug line only.
 */
public final class InvalidAuthorizationMessageException extends Exception {
    /** The one message of every rejection. */
    public static final String MESSAGE = "invalid authorization message";

    /** Which check a message failed. Never show it to the message's sender. */
    public enum Reason {
        /** Longer than any message can be; rejected before decoding. */
        TOO_LONG,
        /** Not canonical unpadded base64url, or shorter than a header, nonce and tag. */
        MALFORMED,
        /** Another format (a session token, say) or a version this codec does not read. */
        UNSUPPORTED_VERSION,
        /** A key id the ring does not hold: another deployment's message, or one older than the ring's retention. */
        UNKNOWN_KEY,
        /** The AEAD tag did not check out: a changed message, another scope or purpose, or another key. */
        DECRYPTION_FAILED,
        /** Authentic, but its contents do not decode; only a bug or a leaked key can cause it. */
        INVALID_CONTENTS,
        /** Authentic, but issued more than {@link AuthorizationMessageCodec#LIFETIME} ago (or in the future). */
        EXPIRED
    }

    private final Reason reason;

    InvalidAuthorizationMessageException(Reason reason) {
        super(MESSAGE, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.reason = requireNonNull(reason, "reason");
    }

    /** Which check failed: for a debug log line, never for the response. */
    public Reason reason() {
        return reason;
    }
}
