package org.opensts.verifier;

/**
 * Authenticates a received request in any of the signing forms AWS services accept: Signature Version 4 in the
 * {@code Authorization} header or presigned in the query (with a signed, unsigned or {@code aws-chunked} payload),
 * SigV4a, S3's Signature Version 2 (header and query) and the Query API's Signature Version 2. Temporary credentials
 * are checked by opening their session token, with no I/O; long-term keys are looked up through the embedding
 * service's directory, which should be cached.
 */
public interface RequestAuthenticator {

    /**
     * Checks a request's signature and credentials.
     *
     * @param service the service the request must be signed for ({@code s3}, {@code sts} …); Signature Version 2
     *     carries no service and is accepted for any
     * @return the caller, and the checks its body still owes
     * @throws VerificationException with the AWS error to return if the request is not authentic
     */
    Verification verify(ReceivedRequest request, String service) throws VerificationException;
}
