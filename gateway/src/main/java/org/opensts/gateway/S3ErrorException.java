package org.opensts.gateway;

/** A request the gateway refuses with an S3 error of its own. */
final class S3ErrorException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient S3Error error;

    S3ErrorException(S3Error error) {
        super(error.code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    S3Error error() {
        return error;
    }
}
