package org.opensts.gateway;

import static java.util.Objects.requireNonNull;

/**
 * An S3 error the gateway answers with itself.
 *
 * @param status the HTTP status
 * @param code S3's error code, e.g. {@code AccessDenied}
 * @param message S3's message
 */
record S3Error(int status, String code, String message) {
    S3Error {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
    }

    static S3Error accessDenied() {
        return new S3Error(403, "AccessDenied", "Access Denied");
    }

    static S3Error internalError() {
        return new S3Error(500, "InternalError", "We encountered an internal error. Please try again.");
    }

    static S3Error slowDown() {
        return new S3Error(503, "SlowDown", "Please reduce your request rate.");
    }
}
