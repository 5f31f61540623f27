package org.opensts.iam;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves bucket policies from memory: the gateway reads one for nearly every request. Absence is cached too, since
 * most buckets have no policy. As in {@link CachingIdentityStore}, a write here or a change reported by another node
 * ({@link #invalidateAll()}) drops every entry, entries expire after {@code maximumAge} should a report be lost, and a
 * load that raced an invalidation does not keep what it read.
 */
public final class CachingBucketPolicyStore implements BucketPolicyStore {
    private final BucketPolicyStore delegate;
    private final Cache<String, Optional<BucketPolicy>> policies;
    private final AtomicLong generation = new AtomicLong();

    public CachingBucketPolicyStore(BucketPolicyStore delegate, Duration maximumAge, long maximumEntries) {
        this.delegate = delegate;
        this.policies = Caffeine.newBuilder().expireAfterWrite(maximumAge).maximumSize(maximumEntries).build();
    }

    /** Drops every cached entry; called after a write here and when another node reports a change. */
    public void invalidateAll() {
        generation.incrementAndGet();
        policies.invalidateAll();
    }

    @Override
    public Optional<BucketPolicy> find(String bucket) {
        Optional<BucketPolicy> cached = policies.getIfPresent(bucket);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Optional<BucketPolicy> loaded = delegate.find(bucket);
        policies.put(bucket, loaded);
        if (generation.get() != before) {
            policies.invalidate(bucket);
        }
        return loaded;
    }

    @Override
    public void put(String bucket, String accountId, String document) {
        try {
            delegate.put(bucket, accountId, document);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public boolean delete(String bucket) {
        try {
            return delegate.delete(bucket);
        } finally {
            invalidateAll();
        }
    }

    @Override
    public List<BucketPolicy> list() {
        return delegate.list();
    }

    @Override
    public boolean replace(String bucket, String expected, String document) {
        try {
            return delegate.replace(bucket, expected, document);
        } finally {
            invalidateAll();
        }
    }
}
