package org.opensts.sigv4;

/**
 * Why a request failed SigV4 authentication, in the terms AWS uses. The comment on each constant names the AWS Query
 * error code a service returns for it (STS API Reference, "Common Errors"); mapping to wire codes is the caller's job.
 */
public enum SigV4Failure {

    /** No {@code Authorization} header and no presigned query parameters: {@code MissingAuthenticationToken}, 403. */
    MISSING_AUTHENTICATION_TOKEN,

    /**
     * The signature is malformed: a missing part, an unsupported algorithm, a malformed credential or date, an
     * {@code X-Amz-Expires} out of range: {@code IncompleteSignature}, 400.
     */
    INCOMPLETE_SIGNATURE,

    /**
     * The signature does not verify, or the signed request is inconsistent (scope date, {@code host} not signed,
     * a signed header absent, a payload hash that lies): {@code SignatureDoesNotMatch}, 403.
     */
    SIGNATURE_DOES_NOT_MATCH,

    /**
     * The request time is older than the clock-skew window, or a presigned URL is past its {@code X-Amz-Expires}:
     * {@code SignatureDoesNotMatch}, 403, with a "Signature expired" message.
     */
    SIGNATURE_EXPIRED,

    /**
     * The request time is later than the clock-skew window allows: {@code SignatureDoesNotMatch}, 403, with a
     * "Signature not yet current" message.
     */
    SIGNATURE_NOT_YET_CURRENT
}
