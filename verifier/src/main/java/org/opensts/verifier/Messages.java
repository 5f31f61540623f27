package org.opensts.verifier;

import org.opensts.protocol.shape.ViolationWording;

/**
 * The messages of {@link VerificationException}, in the two dialects a service speaks: S3's, and that of the Query
 * services (STS, IAM …), each worded as the service words it. None carries a secret, a token or a computed
 * signature.
 */
final class Messages {
    static final String QUERY_INVALID_TOKEN = "The security token included in the request is invalid.";
    static final String QUERY_EXPIRED_TOKEN = "The security token included in the request is expired";
    static final String QUERY_SIGNATURE_DOES_NOT_MATCH = "The request signature we calculated does not match the"
            + " signature you provided. Check your AWS Secret Access Key and signing method."
            + " Consult the service documentation for details.";

    static final String S3_UNKNOWN_ACCESS_KEY = "The AWS Access Key Id you provided does not exist in our records.";
    static final String S3_INVALID_TOKEN = "The provided token is malformed or otherwise invalid.";
    static final String S3_EXPIRED_TOKEN = "The provided token has expired.";
    static final String S3_SIGNATURE_DOES_NOT_MATCH = "The request signature we calculated does not match the"
            + " signature you provided. Check your key and signing method.";
    static final String S3_ACCESS_DENIED = "Access Denied";
    /** S3's answer to a Signature Version 2 request in a region that accepts only Signature Version 4. */
    static final String S3_USE_SIGV4 = "The authorization mechanism you have provided is not supported."
            + " Please use AWS4-HMAC-SHA256.";
    static final String S3_REQUEST_EXPIRED = "Request has expired";
    static final String S3_NOT_YET_VALID = "Request is not yet valid";
    static final String S3_TIME_TOO_SKEWED = "The difference between the request time and the current time is too"
            + " large.";
    static final String S3_CONTENT_SHA256_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what"
            + " was computed.";
    static final String S3_MISSING_CONTENT_SHA256 = "Missing required header for this request: x-amz-content-sha256";
    static final String S3_INVALID_CONTENT_SHA256 = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD,"
            + " STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD,"
            + " STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD,"
            + " STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.";
    static final String S3_INCOMPLETE_BODY = "You did not provide the number of bytes specified by the Content-Length"
            + " HTTP header";

    static final String S3_MISSING_DECODED_LENGTH = "You must provide the Content-Length HTTP header.";

    static final String S3_V2_MALFORMED_HEADER = "AWS authorization header is invalid.  Expected"
            + " AwsAccessKeyId:signature";
    static final String S3_NO_DATE = "AWS authentication requires a valid Date or x-amz-date header";
    static final String S3_HEADERS_NOT_SIGNED = "There were headers present in the request which were not signed";
    /** S3's recorded answer to a SigV4 presigned URL missing one of its parameters. */
    static final String S3_V4_QUERY_PARTS = "Query-string authentication version 4 requires the X-Amz-Algorithm,"
            + " X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.";
    static final String S3_V2_QUERY_PARTS = "Query-string authentication requires the Signature, Expires and"
            + " AWSAccessKeyId parameters";
    static final String QUERY_V2_PARTS = "Signature Version 2 requires AWSAccessKeyId, Signature, SignatureVersion=2,"
            + " SignatureMethod HmacSHA256 or HmacSHA1, and exactly one of Timestamp and Expires.";
    static final String QUERY_V2_EXPIRED = "Request has expired.";
    static final String QUERY_V2_REPEATED = "A Signature Version 2 request may give each parameter only once.";

    static final String S3_ONE_AUTH_MECHANISM = "Only one auth mechanism allowed; only the X-Amz-Algorithm query"
            + " parameter, Signature query string parameter or the Authorization header should be specified";

    static final String S3_BAD_MD5 = "The Content-MD5 you specified did not match what we received.";

    private Messages() {
    }

    static String wrongService(boolean s3, String signedFor, String service) {
        return s3
                ? "The authorization header is malformed; incorrect service \"" + ViolationWording.quoted(signedFor)
                        + "\". This endpoint belongs to \"" + service + "\"."
                : "Credential should be scoped to correct service: '" + service + "'. ";
    }

    /** S3's refusal of a presigned URL whose credential is scoped to another service. */
    static String wrongServicePresigned(String signedFor, String service) {
        return "Error parsing the X-Amz-Credential parameter; incorrect service \"" + ViolationWording.quoted(signedFor)
                + "\". This endpoint belongs to \"" + service + "\".";
    }

    /** S3's BadDigest sentence for a checksum algorithm, named as S3 names it ({@code CRC32}, {@code SHA256} …). */
    static String badDigest(String algorithm) {
        return "The " + algorithm + " you specified did not match the calculated checksum.";
    }
}
