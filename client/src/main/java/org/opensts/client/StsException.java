package org.opensts.client;

import java.util.Optional;

/**
 * STS answered with an error: the AWS error code (e.g. {@code AccessDenied}), its message, the HTTP status and the
 * request id. The message is the server's; it carries no secret of ours.
 */
public final class StsException extends RuntimeException {

    private final String errorCode;
    private final String errorMessage;
    private final int statusCode;
    private final String requestId;

    public StsException(String errorCode, String errorMessage, int statusCode, String requestId) {
        super(errorCode + " (HTTP " + statusCode + (requestId == null ? "" : ", request id " + requestId) + "): "
                + errorMessage);
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.statusCode = statusCode;
        this.requestId = requestId;
    }

    /** Returns the AWS error code, e.g. {@code AccessDenied}, {@code ExpiredToken}, {@code Throttling}. */
    public String errorCode() {
        return errorCode;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public int statusCode() {
        return statusCode;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** Returns whether retrying later may succeed: throttling or a server-side failure. */
    public boolean isRetryable() {
        return statusCode >= 500 || statusCode == 429 || "Throttling".equals(errorCode)
                || "ThrottlingException".equals(errorCode) || "RequestLimitExceeded".equals(errorCode);
    }
}
