package org.opensts.verifier;

/**
 * Why a received request was not authenticated, with the error a service returns for it. A Query-protocol service
 * (STS, IAM, EC2 …) answers with {@link #queryCode()} and {@link #queryStatus()}; S3 with {@link #s3Code()} and
 * {@link #s3Status()}.
 */
public enum VerificationFailure {
    /** No signature at all: no {@code Authorization} header and no presigned query parameters. */
    MISSING_AUTHENTICATION("MissingAuthenticationToken", 403, "AccessDenied", 403),
    /** A malformed signature: a missing part, an unknown algorithm, a malformed credential scope or date. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", 400, "AuthorizationHeaderMalformed", 400),
    /** An access key id that is unknown, or belongs to an inactive key or a deleted user. */
    UNKNOWN_ACCESS_KEY("InvalidClientTokenId", 403, "InvalidAccessKeyId", 403),
    /** A session token that does not open, does not belong to the key, or is missing for a temporary key. */
    INVALID_TOKEN("InvalidClientTokenId", 403, "InvalidToken", 400),
    /** A session whose credentials have expired. */
    EXPIRED_TOKEN("ExpiredToken", 403, "ExpiredToken", 400),
    /** A signature (of the request, of a chunk, or of a trailer) that does not verify. */
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403, "SignatureDoesNotMatch", 403),
    /** A signed request whose time is outside the allowed clock skew. */
    REQUEST_TIME_TOO_SKEWED("SignatureDoesNotMatch", 403, "RequestTimeTooSkewed", 403),
    /** A presigned request past its expiry, or not yet valid: S3 denies access rather than blaming the clock. */
    REQUEST_EXPIRED("SignatureDoesNotMatch", 403, "AccessDenied", 403),
    /** The body does not hash to the {@code x-amz-content-sha256} the request signed. */
    CONTENT_SHA256_MISMATCH("SignatureDoesNotMatch", 403, "XAmzContentSHA256Mismatch", 400),
    /** A checksum trailer or header that does not match the body. */
    BAD_DIGEST("SignatureDoesNotMatch", 403, "BadDigest", 400),
    /** An {@code aws-chunked} body that is not well formed (chunk sizes, framing, lengths). */
    MALFORMED_BODY("IncompleteSignature", 400, "IncompleteBody", 400);

    private final String queryCode;
    private final int queryStatus;
    private final String s3Code;
    private final int s3Status;

    VerificationFailure(String queryCode, int queryStatus, String s3Code, int s3Status) {
        this.queryCode = queryCode;
        this.queryStatus = queryStatus;
        this.s3Code = s3Code;
        this.s3Status = s3Status;
    }

    /** The error code a Query-protocol service returns. */
    public String queryCode() {
        return queryCode;
    }

    /** The HTTP status a Query-protocol service returns with {@link #queryCode()}. */
    public int queryStatus() {
        return queryStatus;
    }

    /** The error code S3 returns. */
    public String s3Code() {
        return s3Code;
    }

    /** The HTTP status S3 returns with {@link #s3Code()}. */
    public int s3Status() {
        return s3Status;
    }
}
