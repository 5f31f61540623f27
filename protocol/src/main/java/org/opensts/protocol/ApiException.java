package org.opensts.protocol;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

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
     * {@code AccessDenied} in AWS's words for an action a policy decision refused — "User: ARN is not authorized to
     * perform: ACTION on resource: RESOURCE REASON" (IAM User Guide, "Troubleshoot access denied error messages") —
     * with the encoded authorization message that explains the decision (DecodeAuthorizationMessage) appended, as
     * AWS services append it. The one place this sentence is written; its parts are what {@code sts.Authorizer}
     * makes of the decision. Every part is bounded (ARNs and actions by the request's own limits, the reason by the
     * action, the encoded message by its codec), and none holds a secret.
     *
     * @param resource the resource as the service prints it ({@code role NAME}, an ARN, {@code *}); empty where the
     *     service names none
     * @param reason the reason clause, such as {@code because no identity-based policy allows the iam:GetRole action};
     *     empty where the service gives none
     */
    public static ApiException notAuthorized(String callerArn, String action, Optional<String> resource,
            Optional<String> reason, String encodedMessage) {
        var message = new StringBuilder(160 + encodedMessage.length());
        message.append("User: ").append(callerArn).append(" is not authorized to perform: ").append(action);
        resource.ifPresent(r -> message.append(" on resource: ").append(r));
        reason.ifPresent(r -> message.append(' ').append(r));
        message.append(". ").append(ENCODED_MESSAGE_LABEL).append(encodedMessage);
        return new ApiException(ErrorCode.ACCESS_DENIED, message.toString());
    }

    public static ApiException validationError(String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, message);
    }

    @Override
    public String toString() {
        return "ApiException[" + errorCode.code() + ": " + getMessage() + "]";
    }
}
