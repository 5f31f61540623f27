package org.opensts.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call that waits on something outside the node through {@link CallExecutor#blocking} lends its thread to the calls
 * behind it, up to the bound of spare threads; the queue of calls waiting for a thread is bounded. Every wait here ends
 * by a latch the test opens, and the waits for an outcome are liveness bounds (30 s), not timings.
 */
class CallExecutorTest {
    private static final long LIVENESS_SECONDS = 30;

    private final CountDownLatch storeAnswers = new CountDownLatch(1);
    private final List<CallExecutor> executors = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        storeAnswers.countDown();
        executors.forEach(CallExecutor::shutdownNow);
    }

    @Test
    void callsThatNeedNoStore_runWhileEveryThreadWaitsOnTheStore() throws Exception {
        CallExecutor calls = executor(2, 16, 100);
        startWaitingOnTheStore(calls, 2, 2);

        var answered = new CountDownLatch(1);
        calls.execute(answered::countDown);

        // Answered while the two calls still wait on the store.
        assertThat(answered.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(storeAnswers.getCount()).isOne();
    }

    @Test
    void waitsTakeNoSpare_whileTheMinimumOfThreadsStillRunCalls() throws Exception {
        CallExecutor calls = executor(4, 2, 16, 100);
        startWaitingOnTheStore(calls, 2, 2);

        // Two calls that can only finish together: two threads still run calls beside the two that wait.
        assertThat(runTogether(calls, 2)).isTrue();
        assertThat(calls.threadCount()).isLessThanOrEqualTo(4);
    }

    @Test
    void waitsTakeSpares_onceOnlyTheMinimumOfThreadsIsLeftRunningCalls() throws Exception {
        CallExecutor calls = executor(4, 2, 16, 100);
        startWaitingOnTheStore(calls, 4, 4);

        assertThat(runTogether(calls, 2)).isTrue();
        assertThat(calls.threadCount()).isGreaterThanOrEqualTo(6);
        assertThat(calls.waitingCount()).isEqualTo(4);
    }

    @Test
    void minimumRunning_isBetweenOneAndTheThreadCount() {
        assertThatThrownBy(() -> executor(4, 0, 16, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> executor(4, 5, 16, 100)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void waitsShorterThanTheSpareDelay_startNoSpare() throws Exception {
        // Every thread waits, then the waits end, all within the delay (an hour here): no spare was started.
        CallExecutor calls = executor(4, 2, Duration.ofHours(1), 16, 100);
        startWaitingOnTheStore(calls, 4, 4);
        storeAnswers.countDown();

        assertThat(runTogether(calls, 4)).isTrue();
        assertThat(calls.threadCount()).isEqualTo(4);
        var highestThreadNumber = new CompletableFuture<Integer>();
        calls.execute(() -> highestThreadNumber.complete(threadNumber()));
        assertThat(highestThreadNumber.get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isLessThanOrEqualTo(4);
    }

    @Test
    void aStrayInterruptOfTheKeeper_leavesItStartingSpares() throws Exception {
        CallExecutor calls = executor(2, 16, 100);
        Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("test-call-keeper"))
                .forEach(Thread::interrupt);
        startWaitingOnTheStore(calls, 2, 2);

        assertThat(runTogether(calls, 2)).isTrue();
        assertThat(calls.threadCount()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void sparesLeave_onceTheWaitsEnd() throws Exception {
        CallExecutor calls = executor(4, 2, 16, 100);
        startWaitingOnTheStore(calls, 6, 6);
        assertThat(runTogether(calls, 2)).isTrue();
        assertThat(calls.threadCount()).isGreaterThanOrEqualTo(8);

        storeAnswers.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_SECONDS);
        while (calls.threadCount() > 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(calls.threadCount()).isEqualTo(4);
        assertThat(runTogether(calls, 4)).isTrue();
    }

    @Test
    void manyShortWaits_leaveTheThreadsAsTheyWere() throws Exception {
        CallExecutor calls = executor(4, 2, 16, 100_000);
        var done = new CountDownLatch(20_000);
        for (int i = 0; i < 20_000; i++) {
            calls.execute(() -> {
                CallExecutor.blocking(() -> Thread.currentThread().getName());
                done.countDown();
            });
        }
        assertThat(done.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_SECONDS);
        while (calls.threadCount() > 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(calls.threadCount()).isEqualTo(4);
    }

    @Test
    void aRunOfWaits_keepsItsSpares_insteadOfStartingOnePerWait() throws Exception {
        // Eight calls at a time, each waiting a millisecond: spares are needed all along, and those started stay.
        CallExecutor calls = executor(4, 2, 16, 100);
        var highestThreadNumber = new AtomicInteger();
        var inFlight = new Semaphore(8);
        var done = new CountDownLatch(2_000);
        for (int i = 0; i < 2_000; i++) {
            inFlight.acquire();
            calls.execute(() -> {
                CallExecutor.blocking(() -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                    return null;
                });
                highestThreadNumber.accumulateAndGet(threadNumber(), Math::max);
                inFlight.release();
                done.countDown();
            });
        }
        assertThat(done.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();

        // Thread names are numbered in the order the threads started: the set four and at most the sixteen spares.
        assertThat(highestThreadNumber.get()).isLessThanOrEqualTo(4 + 16);
    }

    @Test
    void aFailureReportThatThrows_leavesTheThreadTakingCalls() throws Exception {
        var executor = new CallExecutor("test-call-", 1, 1, Duration.ZERO, 0, 10, (thread, failure) -> {
            throw new IllegalStateException("the report failed too");
        });
        executors.add(executor);
        executor.execute(() -> {
            throw new IllegalStateException("a bug in a call");
        });
        var later = new CountDownLatch(1);
        executor.execute(later::countDown);

        assertThat(later.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.threadCount()).isOne();
    }

    @Test
    void anInterruptOfAnIdleThread_leavesItTakingCalls() throws Exception {
        CallExecutor calls = executor(1, 0, 10);
        var thread = new CompletableFuture<Thread>();
        calls.execute(() -> thread.complete(Thread.currentThread()));
        thread.get(LIVENESS_SECONDS, TimeUnit.SECONDS).interrupt();

        var later = new CountDownLatch(1);
        calls.execute(later::countDown);
        assertThat(later.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.threadCount()).isOne();
    }

    @Test
    void aCallWaitingForAnotherCallsLoad_lendsItsThreadToo() throws Exception {
        // One thread: the loader waits on the store, a second call waits for the loader's future (as readers of one
        // cache entry share its load, through blocking), and a third call, which needs neither, still runs.
        CallExecutor calls = executor(1, 16, 100);
        var load = new CompletableFuture<String>();
        var loading = new CountDownLatch(1);
        calls.execute(() -> load.complete(CallExecutor.blocking(() -> {
            loading.countDown();
            return awaitStore();
        })));
        assertThat(loading.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        var joined = new CompletableFuture<String>();
        calls.execute(() -> joined.complete(CallExecutor.blocking(load::join)));

        var answered = new CountDownLatch(1);
        calls.execute(answered::countDown);

        assertThat(answered.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(joined).isNotDone();
        storeAnswers.countDown();
        assertThat(joined.get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isEqualTo("row");
    }

    @Test
    void spareThreadsAreBounded_pastTheBoundAWaitHoldsItsThread() throws Exception {
        CallExecutor calls = executor(1, 1, 100);
        startWaitingOnTheStore(calls, 3, 2);
        var answered = new CountDownLatch(1);
        calls.execute(answered::countDown);

        // The thread and its one spare both wait: the third waiting call and the fourth call are not taken.
        assertThat(answered.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(calls.threadCount()).isLessThanOrEqualTo(2);

        storeAnswers.countDown();
        assertThat(answered.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aWaitOutsideBlocking_holdsItsThread() throws Exception {
        CallExecutor calls = executor(1, 16, 100);
        startWaitingOutsideBlocking(calls);
        var answered = new CountDownLatch(1);
        calls.execute(answered::countDown);

        assertThat(answered.await(200, TimeUnit.MILLISECONDS)).isFalse();
        storeAnswers.countDown();
        assertThat(answered.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callsBeyondTheQueueBound_areRefused_andTheQueueFreesAsCallsAreTaken() throws Exception {
        CallExecutor calls = executor(1, 0, 2);
        startWaitingOutsideBlocking(calls);
        var ran = new CountDownLatch(2);
        calls.execute(ran::countDown);
        calls.execute(ran::countDown);

        assertThatThrownBy(() -> calls.execute(ran::countDown)).isInstanceOf(RejectedExecutionException.class)
                .hasMessage("More than 2 calls wait for a thread");

        storeAnswers.countDown();
        assertThat(ran.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        var later = new CountDownLatch(1);
        calls.execute(later::countDown);
        assertThat(later.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void blocking_givesBackWhatTheWorkReturnsOrThrows_onACallsThreadAndElsewhere() throws Exception {
        assertThat(CallExecutor.blocking(() -> "row")).isEqualTo("row");
        assertThatThrownBy(() -> CallExecutor.blocking(() -> {
            throw new IllegalStateException("database gone");
        })).hasMessage("database gone");

        CallExecutor calls = executor(1, 1, 10);
        var returned = new CompletableFuture<String>();
        var thrown = new AtomicReference<Throwable>();
        var done = new CountDownLatch(1);
        calls.execute(() -> {
            returned.complete(CallExecutor.blocking(() -> "row"));
            try {
                CallExecutor.blocking(() -> {
                    throw new IllegalStateException("database gone");
                });
            } catch (IllegalStateException e) {
                thrown.set(e);
            }
            done.countDown();
        });
        assertThat(done.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(returned).isCompletedWithValue("row");
        assertThat(thrown.get()).hasMessage("database gone");
        // The pool counts the thread as running again: a later call is taken.
        var later = new CountDownLatch(1);
        calls.execute(later::countDown);
        assertThat(later.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aNestedWait_takesNoSecondSpare_andTheWaitingCallsAreCounted() throws Exception {
        CallExecutor calls = executor(1, 16, 100);
        var inner = new CountDownLatch(1);
        var threadsDuringWait = new CompletableFuture<Integer>();
        calls.execute(() -> CallExecutor.blocking(() -> CallExecutor.blocking(() -> {
            inner.countDown();
            return awaitStore();
        })));
        assertThat(inner.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        calls.execute(() -> threadsDuringWait.complete(calls.threadCount()));

        // The waiting call's thread and the one spare that took its place.
        assertThat(threadsDuringWait.get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(calls.waitingCount()).isOne();
        storeAnswers.countDown();
        // The count drops as the wait returns, which a call taken by the spare meanwhile may come before.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_SECONDS);
        while (calls.waitingCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(calls.waitingCount()).isZero();
    }

    @Test
    void aCallThatThrows_isReportedWithItsThread_andTheThreadsGoOnTakingCalls() throws Exception {
        CallExecutor calls = executor(1, 0, 10);
        calls.execute(() -> {
            throw new IllegalStateException("a bug in a call");
        });
        var later = new CountDownLatch(1);
        calls.execute(later::countDown);

        assertThat(later.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        // Reported by the thread the call failed on, which may be replaced by another before it reports.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_SECONDS);
        while (failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(failures).singleElement().asString().matches("test-call-\\d+: a bug in a call");
    }

    @Test
    void shutdown_runsTheCallsTaken_andRefusesNewOnes() throws Exception {
        CallExecutor calls = executor(1, 0, 10);
        var ran = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            calls.execute(ran::countDown);
        }
        calls.shutdown();

        assertThat(calls.awaitTermination(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.getCount()).isZero();
        assertThatThrownBy(() -> calls.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void threadsAreNamedForTheirExecutor() throws Exception {
        CallExecutor calls = executor(1, 0, 10);
        var name = new CompletableFuture<String>();
        calls.execute(() -> name.complete(Thread.currentThread().getName()));
        assertThat(name.get(LIVENESS_SECONDS, TimeUnit.SECONDS)).isEqualTo("test-call-1");
    }

    private static int threadNumber() {
        String name = Thread.currentThread().getName();
        return Integer.parseInt(name.substring("test-call-".length()));
    }

    private CallExecutor executor(int threads, int spares, int queued) {
        return executor(threads, threads, spares, queued);
    }

    private CallExecutor executor(int threads, int minimumRunning, int spares, int queued) {
        return executor(threads, minimumRunning, Duration.ZERO, spares, queued);
    }

    private CallExecutor executor(int threads, int minimumRunning, Duration spareDelay, int spares, int queued) {
        var executor = new CallExecutor("test-call-", threads, minimumRunning, spareDelay, spares, queued,
                (thread, failure) -> failures.add(thread.getName() + ": " + failure.getMessage()));
        executors.add(executor);
        return executor;
    }

    /**
     * Starts {@code count} calls that wait on the store through {@link CallExecutor#blocking}, and returns once
     * {@code started} of them wait.
     */
    private void startWaitingOnTheStore(CallExecutor calls, int count, int started) throws InterruptedException {
        var waiting = new CountDownLatch(started);
        for (int i = 0; i < count; i++) {
            calls.execute(() -> CallExecutor.blocking(() -> {
                waiting.countDown();
                return awaitStore();
            }));
        }
        assertThat(waiting.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * Starts {@code count} calls that each wait for all of them to be running (none waits on the store), and returns
     * whether they all ran at once.
     */
    private boolean runTogether(CallExecutor calls, int count) throws InterruptedException {
        var together = new CyclicBarrier(count);
        var finished = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            calls.execute(() -> {
                try {
                    together.await(LIVENESS_SECONDS, TimeUnit.SECONDS);
                    finished.countDown();
                } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                    failures.add("not run together: " + e);
                }
            });
        }
        return finished.await(LIVENESS_SECONDS, TimeUnit.SECONDS);
    }

    /** Starts a call that holds its thread until the store answers, without telling the executor, once it runs. */
    private void startWaitingOutsideBlocking(CallExecutor calls) throws InterruptedException {
        var waiting = new CountDownLatch(1);
        calls.execute(() -> {
            waiting.countDown();
            awaitStore();
        });
        assertThat(waiting.await(LIVENESS_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private String awaitStore() {
        try {
            if (!storeAnswers.await(LIVENESS_SECONDS * 2, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the store answer");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return "row";
    }
}
