package org.opensts.iam.bootstrap;

import static java.util.Objects.requireNonNull;

import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * IAM refused an entity of a bootstrap file. The message names the entity and gives IAM's error code and message, as
 * the IAM API would have answered it: {@code role demo of account 123456789012: MalformedPolicyDocument: Invalid
 * principal in policy: …}. Like IAM's own messages, it never holds a secret.
 */
public final class BootstrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String entity;
    private final ErrorCode errorCode;

    BootstrapException(String entity, ApiException cause) {
        super(requireNonNull(entity, "entity") + ": " + cause.errorCode().code() + ": " + cause.getMessage(), cause,
                /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.entity = entity;
        this.errorCode = cause.errorCode();
    }

    /** The entity IAM refused, e.g. {@code role demo of account 123456789012}. */
    public String entity() {
        return entity;
    }

    /** IAM's error for it. */
    public ErrorCode errorCode() {
        return errorCode;
    }
}
