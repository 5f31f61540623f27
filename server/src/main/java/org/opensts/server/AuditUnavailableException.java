package org.opensts.server;

/**
 * The audit log cannot record an event now (its disk is full or failing, or it is closed). The call whose event it
 * is gets {@code 503 ServiceUnavailable}, which the AWS SDKs and CLI retry.
 */
public final class AuditUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditUnavailableException(String message) {
        super(message);
    }
}
