package org.opensts.gateway.s3;

/**
 * The S3 error codes the gateway returns, each with S3's HTTP status and the message S3 sends when it has one fixed
 * sentence (Amazon S3 API Reference, "Error responses", "List of error codes"; checked against recorded responses of
 * the real service). Codes whose message depends on the request carry a generic sentence that callers replace with
 * {@link S3Error#withMessage}.
 */
public enum S3ErrorCode {
    ACCESS_DENIED("AccessDenied", "Access Denied", 403),
    AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", "The authorization header is malformed.", 400),
    AUTHORIZATION_QUERY_PARAMETERS_ERROR("AuthorizationQueryParametersError",
            "Error parsing the X-Amz-Credential parameter.", 400),
    BAD_DIGEST("BadDigest", "The Content-MD5 you specified did not match what we received.", 400),
    EXPIRED_TOKEN("ExpiredToken", "The provided token has expired.", 400),
    INCOMPLETE_BODY("IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header", 400),
    INTERNAL_ERROR("InternalError", "We encountered an internal error. Please try again.", 500),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.",
            403),
    INVALID_ARGUMENT("InvalidArgument", "Invalid Argument", 400),
    INVALID_BUCKET_NAME("InvalidBucketName", "The specified bucket is not valid.", 400),
    INVALID_REQUEST("InvalidRequest", "Invalid Request", 400),
    INVALID_TAG("InvalidTag", "The tag provided was not a valid tag.", 400),
    INVALID_TOKEN("InvalidToken", "The provided token is malformed or otherwise invalid.", 400),
    INVALID_URI("InvalidURI", "Couldn't parse the specified URI.", 400),
    KEY_TOO_LONG("KeyTooLongError", "Your key is too long", 400),
    MALFORMED_POLICY("MalformedPolicy", "This policy contains invalid Json", 400),
    MALFORMED_XML("MalformedXML",
            "The XML you provided was not well-formed or did not validate against our published schema", 400),
    METHOD_NOT_ALLOWED("MethodNotAllowed", "The specified method is not allowed against this resource.", 405),
    MISSING_REQUEST_BODY("MissingRequestBodyError", "Request Body is empty", 400),
    NO_SUCH_BUCKET("NoSuchBucket", "The specified bucket does not exist", 404),
    NO_SUCH_BUCKET_POLICY("NoSuchBucketPolicy", "The bucket policy does not exist", 404),
    NOT_IMPLEMENTED("NotImplemented", "A header you provided implies functionality that is not implemented", 501),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.", 403),
    /** An audited call whose event cannot be recorded: as the node answers its own calls then, and SDKs retry it. */
    SERVICE_UNAVAILABLE("ServiceUnavailable", "The request has failed due to a temporary failure of the server.", 503),
    /** Too many costly authorizations at once (see SessionAuthorizer): S3's answer to a rate it cannot take now. */
    SLOW_DOWN("SlowDown", "Please reduce your request rate.", 503),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
                    + "Check your key and signing method.", 403),
    X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch",
            "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);

    private final String code;
    private final String defaultMessage;
    private final int httpStatus;

    S3ErrorCode(String code, String defaultMessage, int httpStatus) {
        this.code = code;
        this.defaultMessage = defaultMessage;
        this.httpStatus = httpStatus;
    }

    /** The code as S3 writes it in {@code <Code>}, e.g. {@code AccessDenied}. */
    public String code() {
        return code;
    }

    /** The message S3 sends with this code when nothing more specific applies. */
    public String defaultMessage() {
        return defaultMessage;
    }

    /** The HTTP status S3 answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
