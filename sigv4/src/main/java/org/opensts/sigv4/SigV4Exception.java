package org.opensts.sigv4;

import static java.util.Objects.requireNonNull;

/**
 * A request failed SigV4 authentication. The message is worded as AWS words it and never contains a secret access
 * key, a session token, a signing key or a signature, so it can be returned to the caller and logged.
 *
 * <p>Expected rejections are frequent and cheap: the exception captures no stack trace.
 */
public final class SigV4Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final SigV4Failure failure;

    /**
     * @param failure the kind of failure
     * @param message the AWS-style message, free of secrets
     */
    public SigV4Exception(SigV4Failure failure, String message) {
        super(requireNonNull(message, "message"), /* cause= */ null,
                /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.failure = requireNonNull(failure, "failure");
    }

    /** Returns the kind of failure, for mapping to a wire error code. */
    public SigV4Failure failure() {
        return failure;
    }
}
