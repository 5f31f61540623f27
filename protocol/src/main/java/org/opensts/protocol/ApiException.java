package org.opensts.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A request rejected with an AWS error: the one exception type that the server turns into the XML error envelope.
 *
 * <p>Expected rejections are frequent (an {@code AccessDenied} storm is an ordinary day), so this exception does not
 * capture a stack trace. The message is sent to the client verbatim: it must never contain a secret, a session token,
 * a signature, an assertion or a JWT.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What follows AWS's sentence of a refusal, before the encoded authorization message, as AWS writes it. */
    public static final String ENCODED_MESSAGE_LABEL = "Encoded authorization failure message: ";

    private final ErrorCode errorCode;

    public ApiException(ErrorCode errorCode, String message) {
        super(requireNonNull(message, "message"), null, /* enableSuppression= */ false, /* writableStackTrace= */ false);
        this.errorCode = requireNonNull(errorCode, "errorCode");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /**
     * {@code AccessDenied} in AWS's words for an action a policy decision refused, with the encoded authorization
     * message that explains the decision (DecodeAuthorizationMessage), appended as AWS services append it. The one
     * place this sentence is written; the message is what {@code sts.Authorizer} makes of the decision.
     */
    public static ApiException notAuthorized(String callerArn, String action, String resourceArn,
            String encodedMessage) {
        return new ApiException(ErrorCode.ACCESS_DENIED, "User: " + callerArn + " is not authorized to perform: "
                + action + " on resource: " + resourceArn + ". " + ENCODED_MESSAGE_LABEL + encodedMessage);
    }

    public static ApiException validationError(String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, message);
    }

    @Override
    public String toString() {
        return "ApiException[" + errorCode.code() + ": " + getMessage() + "]";
    }
}
