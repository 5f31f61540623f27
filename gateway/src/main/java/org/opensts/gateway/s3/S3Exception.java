package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

/**
 * A request S3 would refuse, with the error to answer it with. An expected rejection: it captures no stack trace.
 */
public final class S3Exception extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient S3Error error;

    public S3Exception(S3Error error) {
        super(requireNonNull(error, "error").code().code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    /** The error to answer with. */
    public S3Error error() {
        return error;
    }
}
