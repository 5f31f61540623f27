package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

/**
 * A received request that is not authentic, with the AWS error a service should return ({@link #failure()}) and the
 * message to return with it. The message never carries a secret, a signature the service computed, or which of a
 * token's checks failed.
 */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient VerificationFailure failure;

    public VerificationException(VerificationFailure failure, String message) {
        super(requireNonNull(message, "message"), null, false, false);
        this.failure = requireNonNull(failure, "failure");
    }

    /** Why the request was refused, and so which error code to return. */
    public VerificationFailure failure() {
        return failure;
    }
}
