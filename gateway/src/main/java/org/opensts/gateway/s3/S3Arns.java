package org.opensts.gateway.s3;

/**
 * The ARNs of S3 resources, written in one place (Service Authorization Reference, "Resource types defined by Amazon
 * S3": {@code arn:${Partition}:s3:::${BucketName}} and {@code arn:${Partition}:s3:::${BucketName}/${ObjectName}}).
 */
public final class S3Arns {
    /** The prefix every bucket and object ARN starts with. */
    public static final String PREFIX = "arn:aws:s3:::";
    /** The resource of actions that act on no resource, such as {@code s3:ListAllMyBuckets}. */
    public static final String ALL_RESOURCES = "*";

    private S3Arns() {
    }

    /** {@code arn:aws:s3:::bucket}. */
    public static String bucket(String bucket) {
        return PREFIX + bucket;
    }

    /** {@code arn:aws:s3:::bucket/key}, the key as is. */
    public static String object(String bucket, String key) {
        return PREFIX + bucket + '/' + key;
    }
}
