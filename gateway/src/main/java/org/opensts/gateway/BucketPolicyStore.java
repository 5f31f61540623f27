package org.opensts.gateway;

import java.util.Optional;
import org.opensts.gateway.s3.S3Exception;

/**
 * Where the gateway keeps bucket policies: in OpenSTS, not at the upstream store, because OpenSTS evaluates them. The
 * node adapts its (cached, shared) store to this.
 */
public interface BucketPolicyStore {

    /** The bucket's policy document as it is evaluated, if it has one. */
    Optional<String> find(String bucket);

    /** The bucket's policy document as GetBucketPolicy shows it; by default as {@link #find} gives it. */
    default Optional<String> show(String bucket) {
        return find(bucket);
    }

    /**
     * Sets the bucket's policy, replacing any it had; the bucket belongs to {@code accountId}. The store may keep it in
     * the form it is evaluated in, such as with each IAM user and role it names bound to that entity's unique id.
     *
     * @throws S3Exception S3's {@code MalformedPolicy} if the store refuses the document, such as for a principal that
     *     names no existing user or role
     */
    void put(String bucket, String accountId, String document) throws S3Exception;

    /** Removes the bucket's policy; returns whether it had one. */
    boolean delete(String bucket);
}
