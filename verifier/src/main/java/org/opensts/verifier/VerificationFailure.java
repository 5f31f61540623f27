package org.opensts.verifier;

/**
 * Why a received request was not authenticated, with the error a service returns for it. A Query-protocol service
 * (STS, IAM, EC2 …) answers with {@link #queryCode()}; S3 answers with {@link #s3Code()}. Both use
 * {@link #httpStatus()}.
 */
public enum VerificationFailure {
    /** No signature at all: no {@code Authorization} header and no presigned query parameters. */
    MISSING_AUTHENTICATION("MissingAuthenticationToken", "AccessDenied", 403),
    /** A malformed signature: a missing part, an unknown algorithm, a malformed credential scope or date. */
    INCOMPLETE_SIGNATURE("IncompleteSignature", "AuthorizationHeaderMalformed", 400),
    /** An access key id that is unknown, or belongs to an inactive key or a deleted user. */
    UNKNOWN_ACCESS_KEY("InvalidClientTokenId", "InvalidAccessKeyId", 403),
    /** A session token that does not open, does not belong to the key, or is missing for a temporary key. */
    INVALID_TOKEN("InvalidClientTokenId", "InvalidToken", 400),
    /** A session whose credentials have expired. */
    EXPIRED_TOKEN("ExpiredToken", "ExpiredToken", 400),
    /** A signature (of the request, of a chunk, or of a trailer) that does not verify. */
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", "SignatureDoesNotMatch", 403),
    /** A request time outside the allowed clock skew, or a presigned request past its expiry. */
    REQUEST_EXPIRED("SignatureDoesNotMatch", "AccessDenied", 403),
    /** The body does not hash to the {@code x-amz-content-sha256} the request signed. */
    CONTENT_SHA256_MISMATCH("SignatureDoesNotMatch", "XAmzContentSHA256Mismatch", 400),
    /** A checksum trailer or header that does not match the body. */
    BAD_DIGEST("SignatureDoesNotMatch", "BadDigest", 400),
    /** An {@code aws-chunked} body that is not well formed (chunk sizes, framing, lengths). */
    MALFORMED_BODY("IncompleteSignature", "IncompleteBody", 400);

    private final String queryCode;
    private final String s3Code;
    private final int httpStatus;

    VerificationFailure(String queryCode, String s3Code, int httpStatus) {
        this.queryCode = queryCode;
        this.s3Code = s3Code;
        this.httpStatus = httpStatus;
    }

    /** The error code a Query-protocol service returns. */
    public String queryCode() {
        return queryCode;
    }

    /** The error code S3 returns. */
    public String s3Code() {
        return s3Code;
    }

    /** The HTTP status both return. */
    public int httpStatus() {
        return httpStatus;
    }
}
