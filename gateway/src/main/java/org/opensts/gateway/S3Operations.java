package org.opensts.gateway;

/** The S3 operations the gateway treats specially, named as S3's API reference names them. */
final class S3Operations {
    /** Answered by the gateway from OpenSTS's store, never forwarded. */
    static final String PUT_BUCKET_POLICY = "PutBucketPolicy";
    static final String GET_BUCKET_POLICY = "GetBucketPolicy";
    static final String DELETE_BUCKET_POLICY = "DeleteBucketPolicy";
    /** Its body names the keys to authorize, so it is read whole (it is small) before it is forwarded. */
    static final String DELETE_OBJECTS = "DeleteObjects";

    private S3Operations() {
    }
}
