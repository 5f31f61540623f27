package org.opensts.gateway;

import java.util.List;
import org.opensts.verifier.ReceivedRequest;

/** What the gateway needs to know about S3's requests: which operation, what to authorize, what a policy may say. */
interface RequestMapping {

    /** The operation a request asks for and what it must be allowed. */
    MappedRequest map(ReceivedRequest request) throws S3ErrorException;

    /** What a DeleteObjects call with this (decoded) XML body must be allowed: a delete of every key it names. */
    List<RequiredAccess> deleteObjects(MappedRequest request, byte[] body) throws S3ErrorException;

    /** Checks a bucket policy as PutBucketPolicy does before storing it. */
    void checkBucketPolicy(String bucket, String document) throws S3ErrorException;

    /** S3's XML error document. */
    byte[] errorDocument(S3Error error, String resource, String requestId);
}
