package org.opensts.token;

import static java.util.Objects.requireNonNull;

/**
 * A session token that did not open. The message is the same whatever went wrong, so that nothing about the key
 * ring or the token's contents leaks to whoever sent it; {@link #reason()} says which check failed, for an operator's
 * debug line only.
 *
 * <p>Rejected tokens are an ordinary event (a client with an old token, a scanner), so no stack trace is captured.
 */
public final class InvalidTokenException extends Exception {
    /** The one message of every rejection. */
    public static final String MESSAGE = "invalid session token";

    /** Which check a token failed. Never show it to the token's sender. */
    public enum Reason {
        /** Longer than any token can be; rejected before decoding. */
        TOO_LONG,
        /** Not canonical base64, or shorter than a header, nonce and tag. */
        MALFORMED,
        /** A format version this codec does not read. */
        UNSUPPORTED_VERSION,
        /** A key id the key ring does not hold: another deployment's token, or one older than the retention. */
        UNKNOWN_KEY,
        /** The AEAD tag did not check out: a changed token, another scope, or another key with the same id. */
        DECRYPTION_FAILED,
        /** Authentic, but its contents do not form a valid session; only a bug or a leaked key can cause it. */
        INVALID_CONTENTS
    }

    private final Reason reason;

    InvalidTokenException(Reason reason) {
        super(MESSAGE, null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.reason = requireNonNull(reason, "reason");
    }

    /** Which check failed: for a debug log line with the request id, never for the response. */
    public Reason reason() {
        return reason;
    }
}
