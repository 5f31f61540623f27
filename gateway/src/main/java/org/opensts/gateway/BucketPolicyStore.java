package org.opensts.gateway;

import java.util.Optional;

/**
 * Where the gateway keeps bucket policies: in OpenSTS, not at the upstream store, because OpenSTS evaluates them. The
 * node adapts its (cached, shared) store to this.
 */
public interface BucketPolicyStore {

    /** The bucket's policy document, if it has one. */
    Optional<String> find(String bucket);

    /** Sets the bucket's policy, replacing any it had; the bucket belongs to {@code accountId}. */
    void put(String bucket, String accountId, String document);

    /** Removes the bucket's policy; returns whether it had one. */
    boolean delete(String bucket);
}
