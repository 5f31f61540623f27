package org.opensts.verifier;

import org.opensts.protocol.ErrorCode;

/**
 * Why a received request was not authenticated, with the error a service returns for it. A Query-protocol service
 * (STS, IAM, EC2 …) answers with {@link #queryCode()} and {@link #queryStatus()}; S3 with {@link #s3Code()} and
 * {@link #s3Status()}. The failures marked "S3 only" arise only when a request is verified for {@code s3}; their
 * Query-protocol error is the one the same request had before S3's own code was told apart.
 */
public enum VerificationFailure {
    /** No signature at all: no {@code Authorization} header and no presigned query parameters. */
    MISSING_AUTHENTICATION(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "AccessDenied", 403),
    /** A malformed signature: a missing part, an unknown algorithm, a malformed credential scope or date. */
    INCOMPLETE_SIGNATURE(ErrorCode.INCOMPLETE_SIGNATURE, "AuthorizationHeaderMalformed", 400),
    /**
     * S3 only: a presigned URL's authentication parameters are malformed (a missing or repeated part, an unknown
     * algorithm, a bad credential or date, {@code X-Amz-Expires} out of range).
     */
    MALFORMED_QUERY_AUTHENTICATION(ErrorCode.INCOMPLETE_SIGNATURE, "AuthorizationQueryParametersError", 400),
    /**
     * S3 only: a Signature Version 2 presigned URL without its {@code Signature}, {@code Expires} or
     * {@code AWSAccessKeyId}, with one of them given twice, or with an {@code Expires} that is no number: S3 denies
     * access (its recorded answer to a missing one).
     */
    MALFORMED_QUERY_AUTHENTICATION_V2(ErrorCode.INCOMPLETE_SIGNATURE, "AccessDenied", 403),
    /** S3 only: a header-signed request without a valid {@code X-Amz-Date} or {@code Date}. */
    MISSING_DATE(ErrorCode.INCOMPLETE_SIGNATURE, "AccessDenied", 403),
    /** S3 only: a header-signed SigV4 request without {@code x-amz-content-sha256}. */
    MISSING_CONTENT_SHA256(ErrorCode.INCOMPLETE_SIGNATURE, "InvalidRequest", 400),
    /** S3 only: an {@code x-amz-content-sha256} that is neither a SHA-256 nor one of S3's payload names. */
    INVALID_CONTENT_SHA256(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "InvalidArgument", 400),
    /** S3 only: a SigV4 request carrying an {@code x-amz-*} header its signature does not cover. */
    HEADERS_NOT_SIGNED(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "AccessDenied", 403),
    /**
     * S3 only: more than one of an {@code Authorization} header, SigV4's {@code X-Amz-Algorithm} query parameters and
     * Signature Version 2's {@code Signature} query parameter; S3 serves a request by one mechanism only.
     */
    MORE_THAN_ONE_AUTH_MECHANISM(ErrorCode.INCOMPLETE_SIGNATURE, "InvalidArgument", 400),
    /**
     * S3 only: a Signature Version 2 request in a region that accepts only Signature Version 4 (every AWS region
     * launched after January 30, 2014).
     */
    SIGNATURE_VERSION_NOT_SUPPORTED(ErrorCode.INCOMPLETE_SIGNATURE, "InvalidRequest", 400),
    /** An access key id that is unknown, or belongs to an inactive key or a deleted user. */
    UNKNOWN_ACCESS_KEY(ErrorCode.INVALID_CLIENT_TOKEN_ID, "InvalidAccessKeyId", 403),
    /** A session token that does not open, does not belong to the key, or is missing for a temporary key. */
    INVALID_TOKEN(ErrorCode.INVALID_CLIENT_TOKEN_ID, "InvalidToken", 400),
    /** A session whose credentials have expired. */
    EXPIRED_TOKEN(ErrorCode.EXPIRED_TOKEN, "ExpiredToken", 400),
    /** A signature (of the request, of a chunk, or of a trailer) that does not verify. */
    SIGNATURE_DOES_NOT_MATCH(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "SignatureDoesNotMatch", 403),
    /** A signed request whose time is outside the allowed clock skew. */
    REQUEST_TIME_TOO_SKEWED(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "RequestTimeTooSkewed", 403),
    /** A presigned request past its expiry, or not yet valid: S3 denies access rather than blaming the clock. */
    REQUEST_EXPIRED(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "AccessDenied", 403),
    /** The body does not hash to the {@code x-amz-content-sha256} the request signed. */
    CONTENT_SHA256_MISMATCH(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "XAmzContentSHA256Mismatch", 400),
    /** A checksum trailer or header that does not match the body. */
    BAD_DIGEST(ErrorCode.SIGNATURE_DOES_NOT_MATCH, "BadDigest", 400),
    /** An {@code aws-chunked} body that is not well formed (chunk sizes, framing, lengths). */
    MALFORMED_BODY(ErrorCode.INCOMPLETE_SIGNATURE, "IncompleteBody", 400);

    private final ErrorCode queryError;
    private final String s3Code;
    private final int s3Status;

    VerificationFailure(ErrorCode queryError, String s3Code, int s3Status) {
        this.queryError = queryError;
        this.s3Code = s3Code;
        this.s3Status = s3Status;
    }

    /** The error a Query-protocol service returns. */
    public ErrorCode queryError() {
        return queryError;
    }

    /** The error code a Query-protocol service returns: {@link #queryError()}'s. */
    public String queryCode() {
        return queryError.code();
    }

    /** The HTTP status a Query-protocol service returns with {@link #queryCode()}: {@link #queryError()}'s. */
    public int queryStatus() {
        return queryError.httpStatus();
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
