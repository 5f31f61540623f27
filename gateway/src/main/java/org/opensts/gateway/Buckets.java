package org.opensts.gateway;

import org.opensts.gateway.s3.S3Exception;

/** Whether the upstream store has a bucket: the bucket policy calls answer {@code NoSuchBucket} for one it has not. */
interface Buckets {

    /**
     * Whether the store has {@code bucket} now.
     *
     * @throws S3Exception {@code InternalError} if the store cannot be asked or gives no clear answer
     */
    boolean exists(String bucket) throws S3Exception;
}
