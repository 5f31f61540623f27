package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A bucket's policy as the S3 gateway stores it in OpenSTS.
 *
 * @param bucket the bucket's name
 * @param accountId the account that owns the bucket
 * @param document the policy document as it was put
 * @param updatedAt when it was last put
 */
public record BucketPolicy(String bucket, String accountId, String document, Instant updatedAt) {
    public BucketPolicy {
        requireNonNull(bucket, "bucket");
        requireNonNull(accountId, "accountId");
        requireNonNull(document, "document");
        requireNonNull(updatedAt, "updatedAt");
    }
}
