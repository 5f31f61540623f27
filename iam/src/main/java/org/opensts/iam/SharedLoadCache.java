package org.opensts.iam;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.protocol.CallExecutor;

/**
 * One cache of {@link CachingIdentityStore}: entries that expire and a bounded size, as a Caffeine cache has, where
 * concurrent reads of an entry that is not cached share one load, and a load that fails fails all of them at once.
 *
 * <p>Why: with a synchronous cache, readers of one key that arrive during a load wait on the cache's lock and, when the
 * load fails, retry it one after another. While the database was down each retry waited for the connection pool in
 * turn, so the tenth concurrent caller of a hot access key waited ten times as long as the first. Here the first reader
 * installs a pending future and loads on its own thread, outside the cache's lock; the others wait on the future. A
 * failed load, whatever it threw, is removed before those waiting are told, so the next read tries the store again;
 * each waiting read gets an exception of its own.
 *
 * <p>A read that arrives while the store is known to be down waits on a load no longer than that load waits: the
 * store's breaker refuses it at once, or it is the breaker's probe, which gives up within about a second (see
 * {@code FailFastDataSource}). Only the first loads to find the database gone wait up to the pool's timeout.
 *
 * <p>The futures hold either a value or a {@link Failure}: Caffeine logs every future that completes exceptionally as a
 * warning with its stack trace, and a store outage would fill the log with one per read. A cached entry costs a
 * future's read and a type check more than a synchronous cache's: CachedLookupBenchmark saw no difference beyond its
 * noise (best runs 34-38 ns a read, against 36-40 ns with the synchronous cache, on a shared 2-core machine).
 *
 * <p>A load that overlaps {@link #invalidateAll} (the caller's {@code generation} moved while it ran) gives its value
 * to its callers, as a read without a cache would, but is not kept.
 */
final class SharedLoadCache<K, V> {
    private final AsyncCache<K, Object> cache;
    private final AtomicLong generation;

    /** What a failed load threw, as the value of the future those waiting for it share. */
    private record Failure(Throwable thrown) {
        /**
         * A new exception for a read that waited for the load: one instance thrown on several threads would collect
         * each caller's suppressed exceptions and show them in the others' logs. A store failure keeps its type, so
         * that it is answered as the loader's own would be ({@code ServiceUnavailable} for an outage).
         */
        RuntimeException forWaitingReader() {
            if (thrown instanceof StoreException storeFailure) {
                return storeFailure.forAnotherCaller();
            }
            return new CompletionException("A load of this entry failed on another thread: " + thrown, thrown);
        }
    }

    /**
     * @param generation bumped by the owner on every invalidation, before it calls {@link #invalidateAll}
     */
    SharedLoadCache(AtomicLong generation, Duration maximumAge, long maximumSize) {
        this.generation = generation;
        // A pending future does not expire: an entry's age counts from when its load ended.
        this.cache = Caffeine.newBuilder().expireAfterWrite(maximumAge).maximumSize(maximumSize).buildAsync();
    }

    /**
     * The cached value of {@code key}, the value of a load of it under way on another thread, or the value
     * {@code loader} reads on this one.
     *
     * @throws RuntimeException what the load this read ran threw, the very exception; a read that waited for another
     *     thread's load gets a new exception with what that load threw as its cause: for a {@link StoreException} one
     *     of the same type and message, for anything else a {@link CompletionException}
     */
    @SuppressWarnings("unchecked") // the futures hold V or Failure, and only this class completes them
    V get(K key, Function<? super K, ? extends V> loader) {
        CompletableFuture<Object> present = cache.getIfPresent(key);
        if (present == null) {
            long before = generation.get();
            var mine = new CompletableFuture<Object>();
            // The mapping function only installs the future; the load runs below, outside the cache's lock.
            present = cache.get(key, (k, executor) -> mine);
            if (present == mine) {
                return load(key, loader, mine, before);
            }
        }
        // Waiting for another call's load of the same entry waits on the store too.
        Object value = CallExecutor.blocking(present::join);
        if (value instanceof Failure failure) {
            throw failure.forWaitingReader();
        }
        return (V) value;
    }

    private V load(K key, Function<? super K, ? extends V> loader, CompletableFuture<Object> mine, long before) {
        V value;
        try {
            value = loader.apply(key);
        } catch (Throwable e) {
            // Whatever it is, even a checked exception thrown sneakily: a future left pending would block every later
            // read of this key for good.
            try {
                cache.asMap().remove(key, mine);
            } finally {
                mine.complete(new Failure(e));
            }
            throw e;
        }
        mine.complete(value);
        if (generation.get() != before) {
            cache.asMap().remove(key, mine);
        }
        return value;
    }

    /** Drops every entry, loads under way included: a read that starts once this returns loads afresh. */
    void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
