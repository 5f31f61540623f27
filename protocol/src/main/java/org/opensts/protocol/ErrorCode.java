package org.opensts.protocol;

/**
 * Every error OpenSTS sends, with its wire code, HTTP status and fault.
 *
 * <p>The code string is the service model's {@code error.code}, not the shape name: the SDKs map an error to a typed
 * exception by {@code <Code>} alone (AWS query protocol, "Operation error serialization"; the Errors of each action in
 * the STS and IAM API References). Codes common to all Query services are not in the models and follow AWS's
 * documentation of common errors.
 */
public enum ErrorCode {
    // Common to the Query services (STS API Reference, "Common Errors").
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationToken", 403, Fault.SENDER),
    /** 400, as "Common Errors" lists it and as AWS STS answers a malformed {@code Authorization} header. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, Fault.SENDER),
    INVALID_CLIENT_TOKEN_ID("InvalidClientTokenId", 403, Fault.SENDER),
    /** Our own session credentials have expired; not the modelled {@link #IDP_TOKEN_EXPIRED}. */
    EXPIRED_TOKEN("ExpiredToken", 403, Fault.SENDER),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403, Fault.SENDER),
    REQUEST_EXPIRED("RequestExpired", 400, Fault.SENDER),
    ACCESS_DENIED("AccessDenied", 403, Fault.SENDER),
    VALIDATION_ERROR("ValidationError", 400, Fault.SENDER),
    MISSING_ACTION("MissingAction", 400, Fault.SENDER),
    INVALID_ACTION("InvalidAction", 400, Fault.SENDER),
    MISSING_PARAMETER("MissingParameter", 400, Fault.SENDER),
    INVALID_PARAMETER_VALUE("InvalidParameterValue", 400, Fault.SENDER),
    INVALID_PARAMETER_COMBINATION("InvalidParameterCombination", 400, Fault.SENDER),
    MALFORMED_QUERY_STRING("MalformedQueryString", 404, Fault.SENDER),
    /** A Query parameter name that cannot be read, such as a list element numbered 0. */
    MALFORMED_INPUT("MalformedInput", 400, Fault.SENDER),
    REQUEST_ENTITY_TOO_LARGE("RequestEntityTooLarge", 413, Fault.SENDER),
    THROTTLING("Throttling", 400, Fault.SENDER),
    INTERNAL_FAILURE("InternalFailure", 500, Fault.RECEIVER),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503, Fault.RECEIVER),

    // STS (service-2.json, 2011-06-15).
    MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocument", 400, Fault.SENDER),
    PACKED_POLICY_TOO_LARGE("PackedPolicyTooLarge", 400, Fault.SENDER),
    REGION_DISABLED("RegionDisabledException", 403, Fault.SENDER),
    /** The caller's web identity token or SAML assertion has expired. */
    IDP_TOKEN_EXPIRED("ExpiredTokenException", 400, Fault.SENDER),
    IDP_REJECTED_CLAIM("IDPRejectedClaim", 403, Fault.SENDER),
    IDP_COMMUNICATION_ERROR("IDPCommunicationError", 400, Fault.SENDER),
    INVALID_IDENTITY_TOKEN("InvalidIdentityToken", 400, Fault.SENDER),
    INVALID_AUTHORIZATION_MESSAGE("InvalidAuthorizationMessageException", 400, Fault.SENDER),
    EXPIRED_TRADE_IN_TOKEN("ExpiredTradeInTokenException", 400, Fault.SENDER),
    JWT_PAYLOAD_SIZE_EXCEEDED("JWTPayloadSizeExceededException", 400, Fault.SENDER),
    OUTBOUND_WEB_IDENTITY_FEDERATION_DISABLED("OutboundWebIdentityFederationDisabledException", 403, Fault.SENDER),
    SESSION_DURATION_ESCALATION("SessionDurationEscalationException", 403, Fault.SENDER),

    // IAM (service-2.json, 2010-05-08).
    NO_SUCH_ENTITY("NoSuchEntity", 404, Fault.SENDER),
    ENTITY_ALREADY_EXISTS("EntityAlreadyExists", 409, Fault.SENDER),
    DELETE_CONFLICT("DeleteConflict", 409, Fault.SENDER),
    LIMIT_EXCEEDED("LimitExceeded", 409, Fault.SENDER),
    INVALID_INPUT("InvalidInput", 400, Fault.SENDER),
    CONCURRENT_MODIFICATION("ConcurrentModification", 409, Fault.SENDER),
    ENTITY_TEMPORARILY_UNMODIFIABLE("EntityTemporarilyUnmodifiable", 409, Fault.SENDER),
    INVALID_AUTHENTICATION_CODE("InvalidAuthenticationCode", 403, Fault.SENDER),
    POLICY_NOT_ATTACHABLE("PolicyNotAttachable", 400, Fault.SENDER),
    UNMODIFIABLE_ENTITY("UnmodifiableEntity", 400, Fault.SENDER),
    FEATURE_ENABLED("FeatureEnabled", 409, Fault.SENDER),
    FEATURE_DISABLED("FeatureDisabled", 404, Fault.SENDER),
    OPEN_ID_IDP_COMMUNICATION_ERROR("OpenIdIdpCommunicationError", 400, Fault.SENDER),
    /** GetCredentialReport before any report was generated; AWS sends it without a message. */
    REPORT_NOT_PRESENT("ReportNotPresent", 410, Fault.SENDER),
    /** GetCredentialReport while the account's report is being made (IAM API Reference, "GetCredentialReport"). */
    REPORT_IN_PROGRESS("ReportInProgress", 404, Fault.SENDER),
    POLICY_EVALUATION("PolicyEvaluation", 500, Fault.RECEIVER),
    SERVICE_FAILURE("ServiceFailure", 500, Fault.RECEIVER);

    private final String code;
    private final int httpStatus;
    private final Fault fault;

    ErrorCode(String code, int httpStatus, Fault fault) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.fault = fault;
    }

    /** The text of {@code <Code>}, byte for byte. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public Fault fault() {
        return fault;
    }
}
