package org.opensts.protocol;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads that run a node's calls: a set number of them for the calls' work, and spare ones, up to a bound, for
 * as long as some of the calls wait on something outside the node.
 *
 * <p>Why: most calls need nothing but the CPU (a role session's call is answered from its token and the caches), while
 * a few wait on the identity store's database. When the database goes silent (frozen, or cut off by the network), a
 * call that needs it waits for seconds, and with a fixed pool every thread soon did: the calls that need no database
 * queued behind them for as long. Here a call that waits through {@link #blocking} counts as waiting, and once the
 * threads not waiting have been fewer than {@code minimumRunning} (the node passes its number of CPUs: more threads
 * than CPUs run no faster) for {@code spareDelay} without a break (the node passes 20 ms), the executor's keeper
 * thread starts spare threads to take calls meanwhile; while spares are in use, a further shortage gets one at once.
 * A spare leaves once it is no longer needed (the threads not waiting are back to {@code minimumRunning} and the set
 * number) and has not been for a second: after a call, or after a second without one. So overlapping waits that end
 * within the delay (queries answered from the embedded store's memory, readers sharing one load) start no thread, a
 * node under steady load keeps its thread count, and a run of long waits keeps its spares instead of starting one per
 * wait; spares pile up only while many waits are long, as when the database goes silent, and the calls that need no
 * database then wait about the delay at most.
 *
 * <p>Not a {@code ForkJoinPool}, whose managed blocking does much the same: its spares leave only after a minute in
 * which no thread of the pool had work, which under load never comes, so a loaded node kept every spare a burst of
 * overlapping waits had made and its thread count rose through a soak (docs/PERFORMANCE.md). The price is that a wait
 * lends its thread only through {@link #blocking}: a {@code CompletableFuture} joined or the JDK's HTTP client waited
 * for must be wrapped in it too.
 *
 * <p>At most {@code maxSpares} spare threads run at once; past that, a call that waits does so without a spare, and so
 * it does if the system refuses another thread. At most {@code maxQueued} calls wait for a thread, taken first in,
 * first out: beyond that, {@link #execute} throws {@link RejectedExecutionException}, which the APIs answer {@code
 * ServiceUnavailable}.
 */
public final class CallExecutor implements Executor {
    /** How long a thread without a call waits for one before it looks again whether it is still needed. */
    private static final long IDLE_CHECK_MILLIS = 1_000;
    /** How long spares stay after the threads not waiting were last this few, so that a run of waits keeps them. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long the keeper waits before it tries again to start a spare the system refused. */
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ONE_THREAD = 1L << 32;
    /**
     * A node's spares at most: it bounds the threads a silent database can hold, each for the store's waits (5 s for
     * a connection, the statement's timeout); with the store's breaker open, the calls that need it do not wait.
     */
    private static final int NODE_MAX_SPARES = 256;
    /**
     * How long a node's calls may wait with too few threads left before spares take their place: far below what a
     * silent database costs (seconds), above what a working one's reads take, so those start no thread.
     */
    private static final Duration NODE_SPARE_DELAY = Duration.ofMillis(20);
    /** Queued by {@link #shutdown} behind every call, one per thread: a thread that takes it leaves. */
    private static final Runnable WAKE = () -> { };

    private final String threadNamePrefix;
    private final int threadCount;
    private final int minimumRunning;
    private final int maxThreads;
    private final int maxQueued;
    private final long spareDelayNanos;
    private final Thread.UncaughtExceptionHandler onFailure;
    private final LinkedBlockingQueue<Runnable> calls;
    /**
     * The threads started and not yet left, spares included (high 32 bits), and the calls waiting through {@link
     * #blocking} (low 32 bits): one word, so that a wait that begins and a spare that leaves each see the other.
     */
    private final AtomicLong state = new AtomicLong();
    /** {@link System#nanoTime} since when the threads not waiting have been too few; 0 while they are not. */
    private volatile long shortSinceNanos;
    /** {@link System#nanoTime} when a wait last began with no more threads not waiting than the minimum. */
    private volatile long lastShortNanos;
    private final AtomicInteger threadNumbers = new AtomicInteger();
    private final Set<CallThread> running = ConcurrentHashMap.newKeySet();
    private final Object terminated = new Object();
    private volatile boolean shutdown;
    private volatile boolean stopped;
    /** Starts the spares, once the threads not waiting have been too few for the delay. */
    private final Thread keeper;
    /** Guards {@link #spareDueNanos}. */
    private final Object keeperLock = new Object();
    /** When the keeper is to look whether spares are needed ({@link System#nanoTime}); 0 when not asked to. */
    private long spareDueNanos;

    /**
     * Starts the set threads and the keeper.
     *
     * @param threadNamePrefix each thread is named this and a number; the keeper, this and "keeper"
     * @param threadCount the threads that do the calls' work
     * @param minimumRunning how many threads keep taking calls while others wait (at most {@code threadCount}):
     *     spares are started only while fewer do
     * @param spareDelay how long the threads not waiting must have been too few, without a break, before the first
     *     spare is started
     * @param maxSpares how many more threads may run while calls wait
     * @param maxQueued how many calls may wait for a thread before more are refused
     * @param onFailure told of what a call throws out of its thread (the thread goes on with the next call), and of
     *     what the keeper meets
     */
    public CallExecutor(String threadNamePrefix, int threadCount, int minimumRunning, Duration spareDelay,
            int maxSpares, int maxQueued, Thread.UncaughtExceptionHandler onFailure) {
        if (threadCount < 1 || maxSpares < 0 || maxQueued < 1) {
            throw new IllegalArgumentException("threadCount and maxQueued must be positive, maxSpares not negative");
        }
        if (minimumRunning < 1 || minimumRunning > threadCount) {
            throw new IllegalArgumentException("minimumRunning must be between 1 and threadCount");
        }
        if (spareDelay.isNegative()) {
            throw new IllegalArgumentException("spareDelay must not be negative");
        }
        this.threadNamePrefix = threadNamePrefix;
        this.threadCount = threadCount;
        this.minimumRunning = minimumRunning;
        this.maxThreads = threadCount + maxSpares;
        this.maxQueued = maxQueued;
        this.spareDelayNanos = spareDelay.toNanos();
        this.onFailure = onFailure;
        this.calls = new LinkedBlockingQueue<>(maxQueued);
        this.keeper = new Thread(this::keepSpares, threadNamePrefix + "keeper");
        keeper.setDaemon(true);
        keeper.start();
        for (int i = 0; i < threadCount; i++) {
            state.addAndGet(ONE_THREAD);
            if (!startThread()) {
                shutdownNow();
                throw new IllegalStateException("Could not start the threads of " + threadNamePrefix);
            }
        }
    }

    /**
     * An executor for a node's calls (the STS and IAM calls, the S3 gateway's decisions): {@code threadCount} threads,
     * of which as many as the machine has CPUs keep taking calls while others wait, spares after 20 ms of too few, at
     * most 256 of them.
     */
    public static CallExecutor forNode(String threadNamePrefix, int threadCount, int maxQueued,
            Thread.UncaughtExceptionHandler onFailure) {
        int minimumRunning = Math.min(Runtime.getRuntime().availableProcessors(), threadCount);
        return new CallExecutor(threadNamePrefix, threadCount, minimumRunning, NODE_SPARE_DELAY, NODE_MAX_SPARES,
                maxQueued, onFailure);
    }

    /** The number of threads of a node's executor unless configured: twice the CPUs, at least 4. */
    public static int nodeThreadCount() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }

    /**
     * Runs {@code call} on one of the threads.
     *
     * @throws RejectedExecutionException if {@code maxQueued} calls already wait for a thread, or after {@link
     *     #shutdown}
     */
    @Override
    public void execute(Runnable call) {
        if (shutdown) {
            throw new RejectedExecutionException("The executor is shut down");
        }
        if (!calls.offer(call)) {
            throw new RejectedExecutionException("More than " + maxQueued + " calls wait for a thread");
        }
        // Shut down meanwhile: the call may be behind the wake-ups the threads leave on. Taken back and refused,
        // unless a thread has taken it already.
        if (shutdown && calls.remove(call)) {
            throw new RejectedExecutionException("The executor is shut down");
        }
    }

    /** Work that waits on something outside the node, and what it may throw. */
    @FunctionalInterface
    public interface Wait<T, E extends Exception> {
        T get() throws E;
    }

    /**
     * Runs {@code work}, which waits on something outside the node (the identity store's database, another call's
     * load, a remote server), and returns what it returns. On a thread of a {@code CallExecutor}, the call counts as
     * waiting meanwhile, and spare threads take calls in its place if the threads not waiting stay too few; on any
     * other thread, or within another {@code blocking} on the same thread (which already counts as waiting), it simply
     * runs.
     *
     * @throws E what {@code work} throws
     */
    public static <T, E extends Exception> T blocking(Wait<T, E> work) throws E {
        if (!(Thread.currentThread() instanceof CallThread thread) || thread.inBlocking) {
            return work.get();
        }
        CallExecutor executor = thread.executor;
        thread.inBlocking = true;
        try {
            executor.beginWait();
            return work.get();
        } finally {
            executor.endWait();
            thread.inBlocking = false;
        }
    }

    /** No new calls; those queued still run, then the threads and the keeper leave. */
    public void shutdown() {
        shutdown = true;
        // A thread leaves on its wake-up, queued behind every call, rather than at its next look a second later; if the
        // queue is full, the threads are busy and find it empty in time.
        for (int i = threadsOf(state.get()); i > 0 && calls.offer(WAKE); i--) {
            // one per thread
        }
    }

    /** No new calls; those queued are dropped and the threads running calls are interrupted. */
    public void shutdownNow() {
        shutdown = true;
        stopped = true;
        calls.clear();
        running.forEach(Thread::interrupt);
        keeper.interrupt();
    }

    /**
     * Waits until every thread has left after {@link #shutdown}, the calls queued before it run.
     *
     * @return whether they did within {@code timeout}
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (terminated) {
            while (threadsOf(state.get()) > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(terminated, left);
            }
            return true;
        }
    }

    /** How many threads take calls now, spares included (not the keeper), for tests and metrics. */
    public int threadCount() {
        return threadsOf(state.get());
    }

    /** How many calls now wait through {@link #blocking} on one of this executor's threads, for metrics. */
    public int waitingCount() {
        return waitingOf(state.get());
    }

    private static int threadsOf(long state) {
        return (int) (state >>> 32);
    }

    private static int waitingOf(long state) {
        return (int) state;
    }

    /**
     * Counts a wait that begins on one of the threads, and if the threads not waiting are now too few, asks the
     * keeper to look once they have been for the delay (at once if spares are in use already).
     */
    private void beginWait() {
        long current = state.incrementAndGet();
        int threads = threadsOf(current);
        int notWaiting = threads - waitingOf(current);
        if (notWaiting <= minimumRunning && threads > threadCount) {
            lastShortNanos = System.nanoTime(); // the spares there are still serve
        }
        if (notWaiting < minimumRunning && threads < maxThreads) {
            long now = System.nanoTime();
            long since = shortSinceNanos;
            if (since == 0) {
                since = now;
                shortSinceNanos = now;
            }
            askKeeperAt(threads > threadCount ? now : since + spareDelayNanos);
        }
    }

    /** Uncounts a wait that ended; the threads not waiting may be enough again. */
    private void endWait() {
        long current = state.decrementAndGet();
        if (threadsOf(current) - waitingOf(current) >= minimumRunning && shortSinceNanos != 0) {
            shortSinceNanos = 0;
        }
    }

    private void askKeeperAt(long dueNanos) {
        synchronized (keeperLock) {
            if (spareDueNanos == 0 || dueNanos - spareDueNanos < 0) {
                spareDueNanos = dueNanos;
                keeperLock.notifyAll();
            }
        }
    }

    /** The keeper's loop: waits until asked and the time comes, then starts the spares needed. */
    private void keepSpares() {
        while (!keeperDone()) {
            try {
                synchronized (keeperLock) {
                    while (!keeperDone() && (spareDueNanos == 0 || spareDueNanos - System.nanoTime() > 0)) {
                        if (spareDueNanos == 0) {
                            keeperLock.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(keeperLock, spareDueNanos - System.nanoTime());
                        }
                    }
                    spareDueNanos = 0;
                }
                if (!keeperDone()) {
                    startSparesNeeded();
                }
            } catch (InterruptedException e) {
                // shutdownNow, or the executor's end; any other interrupt is a stray one, and the loop goes on
            } catch (RuntimeException | Error failure) {
                report(keeper, failure);
            }
        }
    }

    private boolean keeperDone() {
        return stopped || (shutdown && threadsOf(state.get()) == 0);
    }

    /**
     * Starts spares while the threads not waiting are too few and have been for the delay (or spares are in use
     * already); asks to look again when the delay will have passed, or after a refused thread.
     */
    private void startSparesNeeded() {
        for (;;) {
            long current = state.get();
            int threads = threadsOf(current);
            int notWaiting = threads - waitingOf(current);
            if (notWaiting >= minimumRunning) {
                shortSinceNanos = 0; // spares made up for it: a later shortage waits its own delay
                return;
            }
            if (threads >= maxThreads) {
                return;
            }
            long now = System.nanoTime();
            long since = shortSinceNanos;
            if (threads == threadCount && (since == 0 || now - since < spareDelayNanos)) {
                // A shortage that began after the one that asked: its own delay first.
                askKeeperAt((since == 0 ? now : since) + spareDelayNanos);
                return;
            }
            if (state.compareAndSet(current, current + ONE_THREAD)) {
                lastShortNanos = now;
                if (!startThread()) {
                    askKeeperAt(now + RETRY_NANOS);
                    return;
                }
            }
        }
    }

    /**
     * Uncounts the calling thread if it is a spare no longer needed: the threads left would still be the set number,
     * at least {@code minimumRunning} of them not waiting, and no wait has needed the spares for a second.
     */
    private boolean leaveIfSpare() {
        for (;;) {
            long current = state.get();
            int threads = threadsOf(current) - 1;
            if (threads < threadCount || threads - waitingOf(current) < minimumRunning
                    || System.nanoTime() - lastShortNanos < LINGER_NANOS) {
                return false;
            }
            if (state.compareAndSet(current, current - ONE_THREAD)) {
                shortSinceNanos = 0; // enough threads not waiting, this one gone
                return true;
            }
        }
    }

    /** Starts a thread already counted; uncounts it and returns false if the system refuses it. */
    private boolean startThread() {
        CallThread thread = null;
        try {
            thread = new CallThread(this);
            thread.setName(threadNamePrefix + threadNumbers.incrementAndGet());
            running.add(thread);
            thread.start();
            return true;
        } catch (OutOfMemoryError | RuntimeException e) {
            // A limit on processes or threads; the caller goes on without the thread.
            if (thread != null) {
                running.remove(thread);
            }
            leave();
            return false;
        }
    }

    /** A thread's loop: takes calls until it is a spare no longer needed, or the executor is shut down. */
    private void takeCalls(CallThread self) {
        boolean leftAsSpare = false;
        try {
            while (!stopped) {
                Runnable call;
                try {
                    call = calls.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue; // shutdownNow sets stopped before it interrupts; any other interrupt is a stray one
                }
                if (call == WAKE || (call == null && shutdown && calls.isEmpty())) {
                    return; // shut down, and every call queued before taken
                }
                if (call != null) {
                    run(self, call);
                }
                if (leaveIfSpare()) {
                    leftAsSpare = true;
                    return;
                }
            }
        } finally {
            running.remove(self);
            if (leftAsSpare) {
                signalIfTerminated();
            } else {
                leave();
            }
        }
    }

    private void run(CallThread self, Runnable call) {
        try {
            call.run();
        } catch (Throwable failure) {
            report(self, failure);
        }
        if (!stopped) {
            Thread.interrupted(); // a call's interrupt is not the next call's
        }
    }

    private void report(Thread thread, Throwable failure) {
        try {
            onFailure.uncaughtException(thread, failure);
        } catch (Throwable reportFailed) {
            // Nowhere left to report it; the thread must go on all the same.
        }
    }

    private void leave() {
        state.addAndGet(-ONE_THREAD);
        signalIfTerminated();
    }

    private void signalIfTerminated() {
        if (threadsOf(state.get()) == 0) {
            synchronized (terminated) {
                terminated.notifyAll();
            }
            synchronized (keeperLock) {
                keeperLock.notifyAll(); // the keeper leaves too
            }
        }
    }

    /** A thread of one executor, which knows whether its call already waits through {@link #blocking}. */
    private static final class CallThread extends Thread {
        private final CallExecutor executor;
        private boolean inBlocking;

        CallThread(CallExecutor executor) {
            this.executor = executor;
            setDaemon(true);
        }

        @Override
        public void run() {
            executor.takeCalls(this);
        }
    }
}
