package org.opensts.iam;

import java.util.List;
import java.util.Optional;

/** Where bucket policies live: one policy per bucket name, put, read and deleted whole. */
public interface BucketPolicyStore {

    /** The bucket's policy, if it has one. */
    Optional<BucketPolicy> find(String bucket);

    /** Sets the bucket's policy, replacing any it had. */
    void put(String bucket, String accountId, String document);

    /** Removes the bucket's policy; returns whether it had one. */
    boolean delete(String bucket);

    /** Every bucket's policy, in bucket order. */
    List<BucketPolicy> list();

    /**
     * Replaces the bucket's policy with {@code document} if it is still {@code expected}, keeping its owner and time;
     * returns whether it did. A put that came meanwhile wins.
     */
    boolean replace(String bucket, String expected, String document);
}
