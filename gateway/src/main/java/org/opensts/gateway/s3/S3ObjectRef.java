package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One object (or one version of it) a request touches: the target of a GET, the source of a copy, one entry of a
 * DeleteObjects body.
 *
 * @param bucket the bucket name
 * @param key the object key, decoded
 * @param versionId the version, when the request names one
 */
public record S3ObjectRef(String bucket, String key, Optional<String> versionId) {
    public S3ObjectRef {
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        requireNonNull(versionId, "versionId");
    }

    /** The object's ARN, {@code arn:aws:s3:::bucket/key}; the key is written as is, not encoded. */
    public String arn() {
        return S3Arns.object(bucket, key);
    }
}
