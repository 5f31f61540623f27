package org.opensts.protocol;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that run a node's calls: a set number of them for the calls' work, and spare ones, up to a bound, for
 * as long as some of the calls wait on something outside the node.
 *
 * <p>Why: most calls need nothing but the CPU (a role session's call is answered from its token and the caches), while
 * a few wait on the identity store's database. When the database goes silent (frozen, or cut off by the network), a
 * call that needs it waits for seconds, and with a fixed pool every thread soon did: the calls that need no database
 * queued behind them for as long. Here a call that waits through {@link #blocking} lends its place to a spare thread
 * while it waits, so the calls behind it keep being taken. The threads are a {@link ForkJoinPool}, whose managed
 * blocking does exactly this. The JDK's own waits on a {@code CompletableFuture} take part too: a call that waits for
 * another's load of the same entry lends its place, and so does one waiting on the JDK's HTTP client (the S3
 * gateway's upstream calls, a web identity provider's keys), so such waits draw on the same spares.
 *
 * <p>At most {@code maxSpares} spare threads are made; past that, a call that would wait does so without a spare
 * (the executor then behaves as a fixed pool would), and so it does if the system refuses another thread. At most
 * {@code maxQueued} calls wait for a thread: beyond that, {@link #execute} throws {@link RejectedExecutionException},
 * which the APIs answer {@code ServiceUnavailable}. Calls are taken roughly in the order they came, not strictly: those
 * handed over by different threads are queued apart. An idle spare stays for reuse and is retired after a minute in
 * which no thread of the pool had work, one such minute per spare; so may the set threads be, and they are made
 * again as calls come.
 */
public final class CallExecutor implements Executor {
    private final ForkJoinPool threads;
    private final int maxQueued;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicInteger waitingCalls = new AtomicInteger();

    /**
     * @param threadNamePrefix each thread is named this and a number
     * @param threadCount the threads that do the calls' work
     * @param maxSpares how many more threads may take the place of threads that wait
     * @param maxQueued how many calls may wait for a thread before more are refused
     * @param onFailure told of what a call throws out of its thread (the thread goes on with the next call)
     */
    public CallExecutor(String threadNamePrefix, int threadCount, int maxSpares, int maxQueued,
            Thread.UncaughtExceptionHandler onFailure) {
        if (threadCount < 1 || maxSpares < 0 || maxQueued < 0) {
            throw new IllegalArgumentException("threadCount must be positive, maxSpares and maxQueued not negative");
        }
        this.maxQueued = maxQueued;
        var counter = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory named = pool -> {
            var thread = new CallThread(pool, this);
            thread.setName(threadNamePrefix + counter.incrementAndGet());
            return thread;
        };
        // minimumRunnable = threadCount: every thread that waits is replaced while it waits (a lower figure lets the
        // pool run with fewer threads instead); saturate = true: past maxSpares, a wait goes on without a spare rather
        // than failing with RejectedExecutionException. asyncMode: a thread's own queue is first in, first out.
        this.threads = new ForkJoinPool(threadCount, named, onFailure, /* asyncMode= */ true, threadCount,
                threadCount + maxSpares, /* minimumRunnable= */ threadCount, pool -> true, 60, TimeUnit.SECONDS);
    }

    /**
     * Runs {@code call} on one of the threads.
     *
     * @throws RejectedExecutionException if {@code maxQueued} calls already wait for a thread, or after {@link
     *     #shutdown}
     */
    @Override
    public void execute(Runnable call) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            throw new RejectedExecutionException("More than " + maxQueued + " calls wait for a thread");
        }
        try {
            threads.execute(() -> {
                queued.decrementAndGet();
                call.run();
            });
        } catch (RuntimeException e) {
            queued.decrementAndGet();
            throw e;
        }
    }

    /**
     * Runs {@code work}, which waits on something outside the node (the identity store's database), and returns what
     * it returns. On a thread of a {@code CallExecutor}, a spare thread takes this one's place while it waits; on any
     * other thread, or within another {@code blocking} on the same thread (which already has its spare), it simply
     * runs.
     */
    public static <T> T blocking(Supplier<T> work) {
        if (!(Thread.currentThread() instanceof CallThread thread) || thread.inBlocking) {
            return work.get();
        }
        var waiting = new Waiting<>(work);
        thread.inBlocking = true;
        thread.executor.waitingCalls.incrementAndGet();
        try {
            ForkJoinPool.managedBlock(waiting);
        } catch (InterruptedException e) {
            // Waiting.block never throws it; managedBlock declares it for blockers that do.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting on the store", e);
        } catch (OutOfMemoryError e) {
            // The system refused the spare thread (a limit on processes or threads) before the work began: wait
            // without one, as past maxSpares, instead of failing the call.
            if (waiting.started) {
                throw e;
            }
            return work.get();
        } finally {
            thread.executor.waitingCalls.decrementAndGet();
            thread.inBlocking = false;
        }
        return waiting.result();
    }

    /** No new calls; those taken and queued still run. */
    public void shutdown() {
        threads.shutdown();
    }

    /** No new calls; those queued are dropped and the threads running calls are interrupted. */
    public void shutdownNow() {
        threads.shutdownNow();
    }

    /**
     * Waits until every call taken has run after {@link #shutdown}.
     *
     * @return whether they all did within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }

    /** How many threads the pool holds now, spares (lent or idle) included, for tests and metrics. */
    public int threadCount() {
        return threads.getPoolSize();
    }

    /** How many calls now wait through {@link #blocking} on one of this executor's threads, for metrics. */
    public int waitingCount() {
        return waitingCalls.get();
    }

    /** A thread of one executor, which knows whether its call already waits through {@link #blocking}. */
    private static final class CallThread extends ForkJoinWorkerThread {
        private final CallExecutor executor;
        private boolean inBlocking;

        CallThread(ForkJoinPool pool, CallExecutor executor) {
            super(pool);
            this.executor = executor;
            setDaemon(true);
        }
    }

    /**
     * The work of {@link #blocking}, run by {@link ForkJoinPool#managedBlock} once the pool has made room. What the
     * work throws goes through {@code managedBlock}, which gives the place back on its way out.
     */
    private static final class Waiting<T> implements ForkJoinPool.ManagedBlocker {
        private final Supplier<T> work;
        private T result;
        private boolean started;
        private boolean done;

        Waiting(Supplier<T> work) {
            this.work = work;
        }

        @Override
        public boolean block() {
            started = true;
            result = work.get();
            done = true;
            return true;
        }

        @Override
        public boolean isReleasable() {
            return done;
        }

        T result() {
            return result;
        }
    }
}
