package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.opensts.protocol.CallExecutor;
import org.opensts.server.AuditSink;
import org.opensts.server.AuditUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's writer: request threads serialize their event and queue it; one thread at a time takes everything
 * queued as a batch and writes it with one write (and, with {@link AuditFsync#BATCH}, one force), then wakes the
 * request threads whose events the batch held, or runs the callbacks they left. Group commit: however many calls
 * arrive while a batch is written, they cost one write (and one force) together.
 *
 * <p>Which thread writes depends on the mode. With {@code BATCH}, the writer's own thread, so that no request thread
 * waits for a force. With {@link AuditFsync#NONE}, a write only hands the batch to the kernel, and the request thread
 * that queues an event while no batch is being written takes the queue and writes it itself: a thread woken for each
 * batch cost more than the write (two context switches, and the request thread's wake-up call, about a tenth of a
 * signed call's CPU under load; docs/PERFORMANCE.md). A caller of the callback form then also writes what was queued
 * meanwhile, up to {@link #MAX_LEAD_ROUNDS} batches, and leaves the rest to the writer's thread; a waiting caller
 * writes its own batch only. The writer's thread retries failed batches, takes what request threads leave, and
 * writes what is left at {@link #close}. The output is handed from thread to thread under the lock.
 *
 * <p>{@link #append(String)} returns, and {@link #append(String, Consumer)}'s callback runs, only once the event is
 * written (and forced, with {@code BATCH}), so a node answers a call only after its event is in the file; with the
 * callback, the request thread does not wait for a batch that another thread writes. When the queue holds
 * {@link #DEFAULT_CAPACITY} events (or {@link #DEFAULT_CAPACITY_BYTES} bytes), request threads wait for room:
 * back-pressure, never a dropped event.
 *
 * <p>When a batch cannot be written (disk full, I/O error, or an Error such as running out of direct memory for it),
 * its callers get {@link AuditUnavailableException} (their calls are answered {@code ServiceUnavailable}), the error
 * is logged once on the operational log, and the writer's thread keeps the batch and retries it every
 * {@link #DEFAULT_RETRY_DELAY}: the events of those calls, which may have changed something before their answer was
 * refused, are written as soon as the file can take them. The recovery is logged too. While the file cannot be
 * written, the failing batch (which may grow to twice the queue's capacity) and a full queue are held; once both are
 * full, further callers wait for the file, as on a full queue, rather than being answered at once.
 *
 * <p>{@link #close} writes everything queued, forces it to the disk and closes the output.
 */
final class AuditWriter implements AuditSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    /** Events queued at most: about 8 MB of ordinary events, and half a second of the fastest node's calls. */
    static final int DEFAULT_CAPACITY = 8_192;
    /** Bytes queued at most, so that large events (up to about 1 MB each, see AuditLog's limits) are bounded too. */
    static final long DEFAULT_CAPACITY_BYTES = 32L * 1024 * 1024;
    /**
     * The batches a request thread that does not wait for its event writes at most in a row (see the class comment):
     * under load, events queue while a batch is written, and the thread that writes takes them too rather than
     * waking the writer's thread, but it does not stay away from its own calls for long.
     */
    static final int MAX_LEAD_ROUNDS = 8;
    /** How long the writer waits before it tries a failed batch again. */
    static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

    private final AuditOutput output;
    private final AuditFsync fsync;
    private final int capacity;
    private final long capacityBytes;
    private final long retryDelayNanos;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    /** The writer's thread waits on it for a batch to write (or for {@link #close}). */
    private final Condition queued = lock.newCondition();
    /** Request threads wait on it for room in the queue. */
    private final Condition room = lock.newCondition();
    /** Request threads wait on it for their batch to be written or to fail. */
    private final Condition progress = lock.newCondition();
    /** The writer waits on it between two attempts at a failed batch; {@link #close} cuts the wait short. */
    private final Condition retry = lock.newCondition();
    // Guarded by lock. Events are numbered from 1 in the order they are queued, which is the order they are written.
    private ArrayList<byte[]> queue = new ArrayList<>();
    /** The events whose callers are still to be told how their batch went, in the order of their numbers. */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private long queuedBytes;
    private long lastQueued;
    private long lastRecorded;
    /**
     * The numbers, ascending, of queued events whose calls were answered before they were queued
     * ({@link #appendAnswered}): a failed batch does not mark them as answered {@code ServiceUnavailable}. Guarded by
     * the lock; dropped once written.
     */
    private final ArrayDeque<Long> answeredAlready = new ArrayDeque<>();
    /** Events numbered up to this one have been marked, or passed over, after their batch failed. Under the lock. */
    private long markedThrough;
    /** The last batch's failure: the cause given to the callers of events still unwritten when the writer stops. */
    private Exception failure;
    /** Whether some thread holds a batch it is writing: no other takes one meanwhile, so batches keep their order. */
    private boolean writing;
    /** Whether the last batch written failed; until one is written again, only the writer's thread writes. */
    private boolean failing;
    private boolean closing;

    private AuditWriter(AuditOutput output, AuditFsync fsync, int capacity, long capacityBytes, Duration retryDelay) {
        if (capacity < 1 || capacityBytes < 1) {
            throw new IllegalArgumentException("the audit queue's capacity must be positive");
        }
        this.output = output;
        this.fsync = fsync;
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
        this.retryDelayNanos = retryDelay.toNanos();
        this.thread = new Thread(this::run, "opensts-audit-writer");
        // close() is what waits for the queue; a daemon thread only keeps a forgotten writer from holding the JVM.
        thread.setDaemon(true);
    }

    /** Starts a writer with the default queue and retry delay. */
    static AuditWriter start(AuditOutput output, AuditFsync fsync) {
        return start(output, fsync, DEFAULT_CAPACITY, DEFAULT_CAPACITY_BYTES, DEFAULT_RETRY_DELAY);
    }

    /** Starts a writer that queues at most {@code capacity} events and {@code capacityBytes} bytes. */
    static AuditWriter start(AuditOutput output, AuditFsync fsync, int capacity, long capacityBytes,
            Duration retryDelay) {
        var writer = new AuditWriter(output, fsync, capacity, capacityBytes, retryDelay);
        writer.thread.start();
        return writer;
    }

    /**
     * Queues the event, waiting for room if the queue is full, and returns once the batch holding it is written (and
     * forced, with {@link AuditFsync#BATCH}). Not interruptible: an event once queued is written whatever its caller
     * does, and a caller that could give up waiting would be answered before its event is in the file.
     *
     * @throws AuditUnavailableException if the batch could not be written, or the writer is closed
     */
    @Override
    public void append(String event) {
        byte[] line = (event + "\n").getBytes(UTF_8);
        Pending own;
        Batch lead;
        lock.lock();
        try {
            awaitRoomFor(line.length);
            if (closing) {
                throw new AuditUnavailableException("The audit log is closed");
            }
            own = new Pending(enqueue(line), null);
            pending.add(own);
            lead = takeLeadOrWakeWriter();
        } finally {
            lock.unlock();
        }
        if (lead != null) {
            // Only its own batch: this caller waits for its event, not for others'.
            writeAsLead(lead, 1);
        }
        // The wait for the writer (and its fsync) counts as a wait on the disk: calls behind this one are taken.
        CallExecutor.blocking(() -> awaitOutcome(own));
    }

    /**
     * Waits until the batch holding {@code event} is written or has failed. A failed batch fails its caller even if
     * the writer's retry has written it by the time the caller wakes, as it fails a callback's caller.
     *
     * @return the event
     * @throws AuditUnavailableException if its batch failed
     */
    private Pending awaitOutcome(Pending event) {
        lock.lock();
        try {
            while (!event.settled) {
                progress.awaitUninterruptibly();
            }
            if (event.failure != null) {
                throw new AuditUnavailableException("The audit log cannot be written", event.failure);
            }
            return event;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues the event, waiting for room if the queue is full, and returns: {@code whenDone} runs once the batch
     * holding the event is written (and forced, with {@link AuditFsync#BATCH}), with {@code null}, or with the
     * {@link AuditUnavailableException} of a batch that could not be written. It runs on the thread that wrote the
     * batch: the writer's, or with {@link AuditFsync#NONE} maybe this one, before this method returns. Events are
     * written in the order they are queued, whichever form queued them.
     */
    @Override
    public void append(String event, Consumer<AuditUnavailableException> whenDone) {
        append(event, whenDone, /* answered= */ false);
    }

    /** {@inheritDoc} Its event is written as it is, even after its batch failed. */
    @Override
    public void appendAnswered(String event, Consumer<AuditUnavailableException> whenDone) {
        append(event, whenDone, /* answered= */ true);
    }

    private void append(String event, Consumer<AuditUnavailableException> whenDone, boolean answered) {
        requireNonNull(whenDone, "whenDone");
        byte[] line = (event + "\n").getBytes(UTF_8);
        Batch lead;
        lock.lock();
        try {
            awaitRoomFor(line.length);
            if (closing) {
                lead = null;
            } else {
                long number = enqueue(line);
                if (answered) {
                    answeredAlready.add(number);
                }
                pending.add(new Pending(number, whenDone));
                lead = takeLeadOrWakeWriter();
                if (lead == null) {
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
        if (lead == null) {
            whenDone.accept(new AuditUnavailableException("The audit log is closed"));
            return;
        }
        writeAsLead(lead, MAX_LEAD_ROUNDS);
    }

    /** Waits, under the lock, until the queue has room for an event of {@code bytes} bytes or the writer closes. */
    private void awaitRoomFor(int bytes) {
        while (!closing && !hasRoomFor(bytes)) {
            room.awaitUninterruptibly();
        }
    }

    /**
     * Queues a line, under the lock.
     *
     * @return the event's number
     */
    private long enqueue(byte[] line) {
        queue.add(line);
        queuedBytes += line.length;
        return ++lastQueued;
    }

    /**
     * Decides, under the lock, who writes what was just queued. A thread writing a batch takes it once it is done.
     * Otherwise, with {@link AuditFsync#NONE}, this thread takes the queue as the batch it is to write (see the class
     * comment), unless the last batch failed; in every other case the writer's thread is woken to write it.
     *
     * @return the batch this thread is to write, or null when another thread writes it
     */
    private Batch takeLeadOrWakeWriter() {
        if (writing) {
            return null;
        }
        // An interrupted thread would close the file's channel with its write (ClosedByInterruptException): its batch
        // is left to the writer's thread, which nothing interrupts.
        if (fsync != AuditFsync.NONE || failing || closing || Thread.currentThread().isInterrupted()) {
            queued.signal();
            return null;
        }
        Batch batch = takeQueue();
        writing = true;
        return batch;
    }

    /** Takes everything queued as a batch; under the lock. */
    private Batch takeQueue() {
        var batch = new Batch(queue, lastQueued);
        queue = new ArrayList<>();
        queuedBytes = 0;
        room.signalAll();
        return batch;
    }

    /**
     * Writes {@code batch} on this request thread and answers its callers; then, for a caller that does not wait for
     * its own event ({@code rounds} above 1), what was queued meanwhile, up to {@code rounds} batches in all. What is
     * still queued after that goes to the writer's thread, so that no request thread writes for others without end.
     * A batch that cannot be written fails its callers and goes back to the head of the queue, for the writer's thread
     * to retry as it retries every failed batch; so does a batch whose write throws an Error (running out of direct
     * memory for a large batch), which reaches this thread's caller only as its event's failure.
     */
    private void writeAsLead(Batch batch, int rounds) {
        for (int round = 1; ; round++) {
            try {
                output.write(batch.lines());
            } catch (Exception | Error e) {
                failBatch(batch, asException(e), /* handOver= */ true);
                return;
            }
            List<Pending> done;
            Batch next = null;
            lock.lock();
            try {
                done = recordedUnderLock(batch.end());
                if (!queue.isEmpty() && round < rounds && !closing && !Thread.currentThread().isInterrupted()) {
                    next = takeQueue();
                } else {
                    writing = false;
                    if (!queue.isEmpty() || closing) {
                        queued.signal();
                    }
                }
            } finally {
                lock.unlock();
            }
            tell(done, null);
            if (next == null) {
                return;
            }
            batch = next;
        }
    }

    /**
     * A batch could not be written: fails its callers and logs the first failure of a run of them. With
     * {@code handOver}, a request thread's batch goes back to the head of the queue and the writing role to the
     * writer's thread, which retries it as it retries its own.
     */
    private void failBatch(Batch batch, Exception failure, boolean handOver) {
        List<Pending> done;
        boolean first;
        lock.lock();
        try {
            markWithheld(batch.lines(), batch.end());
            first = !failing;
            failing = true;
            done = failedUnderLock(batch.end(), failure);
            if (handOver) {
                long bytes = 0;
                for (byte[] line : batch.lines()) {
                    bytes += line.length;
                }
                queue.addAll(0, batch.lines());
                queuedBytes += bytes;
            }
        } finally {
            if (handOver) {
                // Whatever failed above, the log is not left held by a thread that has stopped writing.
                writing = false;
                queued.signal();
            }
            lock.unlock();
        }
        if (first) {
            logFailure(failure);
        }
        tell(done, new AuditUnavailableException("The audit log cannot be written", failure));
    }

    /**
     * Under the lock, before the callers of a failed batch are answered {@code ServiceUnavailable}: marks the events of
     * those callers (not those answered already) so that each, written later, says what its caller got; each event
     * once, however often its batch fails again.
     *
     * @param lines events numbered consecutively up to {@code end}
     */
    private void markWithheld(List<byte[]> lines, long end) {
        long first = end - lines.size() + 1;
        for (int i = (int) Math.max(0, markedThrough + 1 - first); i < lines.size(); i++) {
            if (!answeredAlready.contains(first + i)) {
                lines.set(i, WithheldAnswers.mark(lines.get(i)));
            }
        }
        markedThrough = Math.max(markedThrough, end);
    }

    /** A lone event is always taken, however large, so that no event waits forever for room it cannot have. */
    private boolean hasRoomFor(int bytes) {
        return queue.isEmpty() || (queue.size() < capacity && queuedBytes + bytes <= capacityBytes);
    }

    /**
     * The writer's thread: with {@link AuditFsync#BATCH} it writes every batch; with {@link AuditFsync#NONE}, batches
     * that request threads leave to it (a failed batch, and what is queued at close). It holds a failed batch and
     * tries it again after each retry delay.
     */
    private void run() {
        Batch batch = null;
        // A batch written but not yet forced is not written again: a retry forces it only.
        boolean written = false;
        try {
            while (true) {
                boolean closingNow;
                lock.lock();
                try {
                    if (batch == null) {
                        while ((writing || queue.isEmpty()) && !(closing && !writing)) {
                            queued.awaitUninterruptibly();
                        }
                        if (queue.isEmpty()) {
                            break;
                        }
                        writing = true;
                        batch = takeQueue();
                    } else if (!written && !queue.isEmpty() && batch.lines().size() < capacity) {
                        // While a batch fails it takes in at most one more queue's worth, then back-pressure holds.
                        Batch more = takeQueue();
                        batch.lines().addAll(more.lines());
                        batch = new Batch(batch.lines(), more.end());
                    }
                    closingNow = closing;
                } finally {
                    lock.unlock();
                }
                try {
                    if (!written) {
                        output.write(batch.lines());
                        written = true;
                    }
                    if (fsync == AuditFsync.BATCH) {
                        output.force();
                    }
                    List<Pending> done;
                    boolean recovered;
                    lock.lock();
                    try {
                        done = recordedUnderLock(batch.end());
                        recovered = failing;
                        failing = false;
                        writing = false;
                    } finally {
                        lock.unlock();
                    }
                    batch = null;
                    written = false;
                    tell(done, null);
                    if (recovered) {
                        LOG.warn("The audit log is written again; calls are answered again");
                    }
                } catch (Exception | Error e) {
                    failBatch(batch, asException(e), /* handOver= */ false);
                    if (closingNow) {
                        logUnwritten(batch);
                        break;
                    }
                    pauseBeforeRetry();
                }
            }
        } finally {
            long unrecorded;
            Exception cause;
            lock.lock();
            try {
                closing = true;
                unrecorded = lastRecorded < lastQueued ? lastQueued : 0;
                cause = failure;
                room.signalAll();
            } finally {
                lock.unlock();
            }
            // Outside the lock, as every callback runs: no event is queued once closing is set.
            if (unrecorded > 0) {
                failed(unrecorded, cause);
            }
            closeOutput();
        }
    }

    /**
     * Shutting down with events the file would not take: they go to the operational log, one line each, so that the
     * record of what those calls did (an IAM user created, then the answer refused) survives somewhere. Events hold
     * no secret.
     */
    private void logUnwritten(Batch batch) {
        List<byte[]> unwritten = new ArrayList<>(batch.lines());
        lock.lock();
        try {
            // Their callers are answered ServiceUnavailable as the writer closes.
            markWithheld(queue, lastQueued);
            unwritten.addAll(queue);
        } finally {
            lock.unlock();
        }
        LOG.error("Shutting down with {} audit events that could not be written; each follows as an"
                + " 'Unwritten audit event' line", unwritten.size());
        for (byte[] line : unwritten) {
            LOG.error("Unwritten audit event: {}", new String(line, UTF_8).strip());
        }
    }

    /** An Error from a write (out of direct memory) fails a batch as an I/O error would, and is retried alike. */
    private static Exception asException(Throwable cause) {
        return cause instanceof Exception e ? e : new IOException("The audit log's write failed", cause);
    }

    private void logFailure(Exception e) {
        LOG.error("Cannot write the audit log; calls are answered ServiceUnavailable until it can be written again "
                + "(retrying every {} ms)", TimeUnit.NANOSECONDS.toMillis(retryDelayNanos), e);
    }

    /** Events up to {@code through} are written: wakes their waiting callers and takes their callbacks. */
    private List<Pending> recordedUnderLock(long through) {
        lastRecorded = through;
        while (!answeredAlready.isEmpty() && answeredAlready.peekFirst() <= through) {
            answeredAlready.pollFirst();
        }
        return settleUnderLock(through, null);
    }

    /** Events up to {@code through} could not be written: wakes their waiting callers and takes their callbacks. */
    private List<Pending> failedUnderLock(long through, Exception cause) {
        failure = cause;
        return settleUnderLock(through, cause);
    }

    private void failed(long through, Exception cause) {
        List<Pending> done;
        lock.lock();
        try {
            done = failedUnderLock(through, cause);
        } finally {
            lock.unlock();
        }
        if (!done.isEmpty()) {
            tell(done, new AuditUnavailableException("The audit log cannot be written", cause));
        }
    }

    /**
     * Takes the events numbered up to {@code through} from {@link #pending}, under the lock: settles and wakes the
     * waiting callers among them (with {@code failure}, or null once written), and returns those with a callback.
     */
    private List<Pending> settleUnderLock(long through, Exception failure) {
        List<Pending> done = List.of();
        boolean settledAWaitingCaller = false;
        while (!pending.isEmpty() && pending.peekFirst().number <= through) {
            Pending event = pending.pollFirst();
            if (event.whenDone == null) {
                event.settled = true;
                event.failure = failure;
                settledAWaitingCaller = true;
            } else {
                if (done.isEmpty()) {
                    done = new ArrayList<>();
                }
                done.add(event);
            }
        }
        if (settledAWaitingCaller) {
            progress.signalAll();
        }
        return done;
    }

    /**
     * Runs callbacks outside the lock; one that throws is logged and does not keep the others from running. An Error
     * too: thrown out of here it would end the writer, leaving the rest of the batch unanswered and every later call
     * refused.
     */
    private static void tell(List<Pending> done, AuditUnavailableException outcome) {
        for (Pending each : done) {
            try {
                each.whenDone.accept(outcome);
            } catch (RuntimeException | Error e) {
                LOG.error("An audit callback failed", e);
            }
        }
    }

    /**
     * An event whose caller is to be told how its batch went: by running {@code whenDone}
     * ({@link #append(String, Consumer)}), or, when that is null, by settling it and waking its caller, who waits in
     * {@link #append(String)}.
     */
    private static final class Pending {
        final long number;
        final Consumer<AuditUnavailableException> whenDone;
        // Guarded by the writer's lock; for a waiting caller only.
        boolean settled;
        Exception failure;

        Pending(long number, Consumer<AuditUnavailableException> whenDone) {
            this.number = number;
            this.whenDone = whenDone;
        }
    }

    /** Lines taken from the queue to be written together; {@code end} is the number of the last. */
    private record Batch(ArrayList<byte[]> lines, long end) {
    }

    private void pauseBeforeRetry() {
        lock.lock();
        try {
            long remaining = retryDelayNanos;
            while (remaining > 0 && !closing) {
                remaining = retry.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            // This thread is its own; nothing here interrupts it (close signals `retry` instead). Keeping the flag
            // set would make every later wait return at once and every FileChannel call throw
            // ClosedByInterruptException, failing the audit log for good, so it is cleared and the retry comes now.
        } finally {
            lock.unlock();
        }
    }

    private void closeOutput() {
        try {
            // Whatever the mode, a clean shutdown leaves every event on the disk.
            output.force();
        } catch (Exception e) {
            LOG.error("Cannot force the audit log to the disk at shutdown", e);
        }
        try {
            output.close();
        } catch (Exception e) {
            LOG.error("Cannot close the audit log", e);
        }
    }

    /** Writes every queued event, forces the file to the disk, closes the output; later appends are refused. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            queued.signalAll();
            room.signalAll();
            retry.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * False from a batch that could not be written ("Cannot write the audit log" on the operational log) until a batch
     * is written again ("The audit log is written again"): the time calls are answered {@code ServiceUnavailable}.
     */
    @Override
    public boolean isWritable() {
        lock.lock();
        try {
            return !failing;
        } finally {
            lock.unlock();
        }
    }

    /** Events queued and not yet taken by the writer, for tests. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close} has begun, for tests. */
    boolean isClosing() {
        lock.lock();
        try {
            return closing;
        } finally {
            lock.unlock();
        }
    }

    /** Request threads waiting for room, for tests. */
    boolean hasWaitersForRoom() {
        lock.lock();
        try {
            return lock.hasWaiters(room);
        } finally {
            lock.unlock();
        }
    }
}
