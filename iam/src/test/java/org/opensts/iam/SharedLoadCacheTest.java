package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.StoreException;

class SharedLoadCacheTest {
    private static final int READERS = 8;

    private final AtomicLong generation = new AtomicLong();
    private final SharedLoadCache<String, String> cache = new SharedLoadCache<>(generation, Duration.ofHours(1), 100);
    private final AtomicInteger loads = new AtomicInteger();

    /** A store that is down: every load fails, the first one only once {@code release} opens. */
    private final class FailingLoad {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Throwable failure;

        FailingLoad(Throwable failure) {
            this.failure = failure;
        }

        String load(String key) {
            loads.incrementAndGet();
            started.countDown();
            await(release);
            throw SharedLoadCacheTest.<RuntimeException>sneaky(failure);
        }
    }

    /** Throws {@code failure} unchecked whatever it is, as code compiled from another language may. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    /** Starts {@link #READERS} reads of one key: the first runs {@code store}'s load, the others wait on it. */
    private List<CompletableFuture<Throwable>> concurrentReads(FailingLoad store) throws InterruptedException {
        var threads = new ArrayList<Thread>();
        var outcomes = new ArrayList<CompletableFuture<Throwable>>();
        for (int i = 0; i < READERS; i++) {
            var outcome = new CompletableFuture<Throwable>();
            outcomes.add(outcome);
            var thread = new Thread(() -> outcome.complete(failureOf(() -> cache.get("AKIAEXAMPLE", store::load))));
            threads.add(thread);
            thread.start();
            if (i == 0) {
                await(store.started);
            }
        }
        waitUntilParked(threads.subList(1, READERS));
        return outcomes;
    }

    @Test
    void concurrentReadsOfOneKey_whoseLoadFails_allGetThatFailureFromOneLoad() throws Exception {
        var store = new FailingLoad(new IllegalStateException("the store cannot be reached"));
        var outcomes = concurrentReads(store);

        store.release.countDown();

        assertThat(outcomes.get(0).get(10, TimeUnit.SECONDS)).isSameAs(store.failure);
        for (var outcome : outcomes.subList(1, READERS)) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(CompletionException.class)
                    .hasCause(store.failure);
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void readersThatWaitedForAFailedLoad_eachGetAnExceptionOfTheirOwn_soWhatOneAddsDoesNotShowInAnother()
            throws Exception {
        var store = new FailingLoad(new StoreException("Identity store statement failed: no such table", null));
        var outcomes = concurrentReads(store);

        store.release.countDown();

        var waiting = new ArrayList<Throwable>();
        for (var outcome : outcomes.subList(1, READERS)) {
            waiting.add(outcome.get(10, TimeUnit.SECONDS));
        }
        waiting.get(0).addSuppressed(new IllegalStateException("while closing what the first caller held"));
        assertThat(waiting).doesNotHaveDuplicates().allSatisfy(e -> assertThat(e)
                .isExactlyInstanceOf(StoreException.class).hasMessage(store.failure.getMessage())
                .hasCause(store.failure));
        assertThat(waiting.get(1).getSuppressed()).isEmpty();
        assertThat(store.failure.getSuppressed()).isEmpty();
    }

    @Test
    void loadThatThrowsACheckedExceptionSneakily_failsItsWaitingReaders_andIsNotKept() throws Exception {
        var store = new FailingLoad(new IOException("thrown unchecked by a loader"));
        var outcomes = concurrentReads(store);

        store.release.countDown();

        assertThat(outcomes.get(0).get(10, TimeUnit.SECONDS)).isSameAs(store.failure);
        for (var outcome : outcomes.subList(1, READERS)) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).hasCause(store.failure);
        }
        var next = CompletableFuture.supplyAsync(() -> cache.get("AKIAEXAMPLE", key -> "loaded again"));
        assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("loaded again");
    }

    @Test
    void failedLoad_isNotKept_soTheNextReadTriesTheStoreAgain() {
        assertThatThrownBy(() -> cache.get("k", key -> {
            loads.incrementAndGet();
            throw new IllegalStateException("down");
        })).hasMessage("down");

        assertThat(cache.get("k", key -> "v" + loads.incrementAndGet())).isEqualTo("v2");
    }

    @Test
    void loadedValue_isServedWithoutLoadingAgain() {
        cache.get("k", key -> "v" + loads.incrementAndGet());

        assertThat(cache.get("k", key -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void readAfterInvalidateAll_whileALoadIsUnderWay_loadsAfreshInsteadOfJoiningIt() throws Exception {
        var started = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var stale = CompletableFuture.supplyAsync(() -> cache.get("k", key -> {
            started.countDown();
            await(release);
            return "before the change";
        }));
        await(started);

        generation.incrementAndGet();
        cache.invalidateAll();

        assertThat(cache.get("k", key -> "after the change")).isEqualTo("after the change");
        release.countDown();
        assertThat(stale.get(10, TimeUnit.SECONDS)).isEqualTo("before the change");
        assertThat(cache.get("k", key -> "loaded again")).isEqualTo("after the change");
    }

    @Test
    void loadThatOverlapsAnInvalidation_givesItsValueToItsCaller_butIsNotKept() {
        String value = cache.get("k", key -> {
            generation.incrementAndGet();
            cache.invalidateAll();
            return "read before the change";
        });

        assertThat(value).isEqualTo("read before the change");
        assertThat(cache.get("k", key -> "read after it")).isEqualTo("read after it");
    }

    private static Throwable failureOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** Waits until every thread is parked, as a reader waiting for another's load is. */
    private static void waitUntilParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Readers did not all wait: " + threads.stream().map(Thread::getState)
                        .toList());
            }
            Thread.sleep(5);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
