package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.server.AuditUnavailableException;
import org.slf4j.LoggerFactory;

/**
 * The audit writer against an output that records (and can hold back) its writes: batches are one write each, a full
 * queue makes the next caller wait instead of dropping its event, close writes what is queued, a failed batch fails its
 * callers and is written once the output recovers; and against the real file, many producers at once.
 */
class AuditWriterTest {
    @TempDir
    Path dir;

    private final ExecutorService producers = Executors.newCachedThreadPool();
    private final RecordingOutput output = new RecordingOutput();

    @AfterEach
    void stopProducers() {
        producers.shutdownNow();
    }

    @Test
    void eventsQueuedWhileABatchIsWritten_areTheNextBatch_oneWriteAndOneForce() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH);
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        List<Future<?>> next = IntStream.range(1, 11).<Future<?>>mapToObj(i ->
                producers.submit(() -> writer.append("e" + i))).toList();
        awaitTrue(() -> writer.queued() == 10);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> event : next) {
            event.get(10, TimeUnit.SECONDS);
        }

        assertThat(output.writes()).hasSize(2);
        assertThat(output.writes().get(0)).containsExactly("e0");
        assertThat(output.writes().get(1)).containsExactlyInAnyOrder(
                IntStream.range(1, 11).mapToObj(i -> "e" + i).toArray(String[]::new));
        assertThat(output.forcesAfterWrite()).containsExactly(1, 2);
        writer.close();
    }

    @Test
    void fsyncNone_writesEachBatchWithoutForcingIt_untilClose() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);

        writer.append("e0");
        writer.append("e1");

        assertThat(output.writes()).containsExactly(List.of("e0"), List.of("e1"));
        assertThat(output.forcesAfterWrite()).isEmpty();
        writer.close();
        assertThat(output.forcesAfterWrite()).containsExactly(2);
    }

    @Test
    void fullQueue_makesTheNextCallerWait_untilTheWriterTakesTheQueue_andDropsNothing() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 4, Long.MAX_VALUE, Duration.ofSeconds(1));
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        var queued = new ArrayList<Future<?>>();
        for (int i = 1; i <= 4; i++) {
            String event = "e" + i;
            queued.add(producers.submit(() -> writer.append(event)));
        }
        awaitTrue(() -> writer.queued() == 4);

        Future<?> waiting = producers.submit(() -> writer.append("e5"));
        awaitTrue(writer::hasWaitersForRoom);

        assertThat(writer.queued()).isEqualTo(4);
        assertThat(waiting).isNotDone();
        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);
        for (Future<?> event : queued) {
            event.get(10, TimeUnit.SECONDS);
        }
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(output.lines()).containsExactlyInAnyOrder("e0", "e1", "e2", "e3", "e4", "e5");
        assertThat(output.lines().get(5)).isEqualTo("e5");
        writer.close();
    }

    @Test
    void queueFullByBytes_makesTheNextCallerWait_butALoneLargeEventIsTaken() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE, 100, 10, Duration.ofSeconds(1));
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("x".repeat(50)));
        output.awaitHeldWrite();
        Future<?> queued = producers.submit(() -> writer.append("y".repeat(50)));
        awaitTrue(() -> writer.queued() == 1);

        Future<?> waiting = producers.submit(() -> writer.append("z"));
        awaitTrue(writer::hasWaitersForRoom);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(output.lines()).containsExactly("x".repeat(50), "y".repeat(50), "z");
        writer.close();
    }

    @Test
    void close_writesEverythingQueued_forcesIt_andRefusesLaterEvents() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        List<Future<?>> queued = IntStream.range(1, 6).<Future<?>>mapToObj(i ->
                producers.submit(() -> writer.append("e" + i))).toList();
        awaitTrue(() -> writer.queued() == 5);
        Future<?> closed = producers.submit(writer::close);

        output.releaseHeldWrite();
        closed.get(10, TimeUnit.SECONDS);

        first.get(10, TimeUnit.SECONDS);
        for (Future<?> event : queued) {
            event.get(10, TimeUnit.SECONDS);
        }
        assertThat(output.lines()).hasSize(6);
        assertThat(output.forcesAfterWrite()).containsExactly(2);
        assertThat(output.closed()).isTrue();
        assertThatThrownBy(() -> writer.append("late")).isInstanceOf(AuditUnavailableException.class);
    }

    @Test
    void failedWrite_failsItsCallers_thenTheEventIsWrittenOnce_whenTheOutputRecovers() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failWrites(true);

        assertThatThrownBy(() -> writer.append("refused"))
                .isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(IOException.class);
        output.failWrites(false);
        writer.append("after");

        assertThat(output.lines()).containsExactly("refused", "after");
        writer.close();
    }

    /**
     * The event of a call answered ServiceUnavailable because its batch failed says so once it is written; a call
     * answered before its event was queued (a refusal in the pipeline) is written as it is.
     */
    @Test
    void failedWrite_theEventWrittenLater_carriesTheAnswerTheCallerGot_unlessItWasAnsweredAlready() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failWrites(true);
        var answeredFirst = new CompletableFuture<AuditUnavailableException>();
        writer.appendAnswered("{\"errorCode\":\"RequestEntityTooLarge\"}", answeredFirst::complete);
        assertThat(answeredFirst.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class);

        assertThatThrownBy(() -> writer.append("{\"eventName\":\"CreateUser\"}"))
                .isInstanceOf(AuditUnavailableException.class);
        output.failWrites(false);
        writer.append("{\"eventName\":\"GetUser\"}");

        assertThat(output.lines()).containsExactly("{\"errorCode\":\"RequestEntityTooLarge\"}",
                "{\"eventName\":\"CreateUser\",\"additionalEventData\":{\"withheldAnswer\":{\"errorCode\":"
                        + "\"ServiceUnavailable\",\"errorMessage\":\"" + WithheldAnswers.ERROR_MESSAGE + "\"}}}",
                "{\"eventName\":\"GetUser\"}");
        writer.close();
    }

    /** Closing while the file refuses every write: the events go to the operational log rather than nowhere. */
    @Test
    void closeWhileWritesFail_logsEveryUnwrittenEvent_markedWithTheAnswerItsCallerGot() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(AuditWriter.class);
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        log.addAppender(events);
        try {
            AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofHours(1));
            output.failWrites(true);
            var outcome = new CompletableFuture<AuditUnavailableException>();
            writer.append("{\"eventName\":\"CreateUser\"}", outcome::complete);
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class);

            writer.close();
        } finally {
            log.detachAppender(events);
        }

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .contains("Unwritten audit event: {\"eventName\":\"CreateUser\",\"additionalEventData\":{"
                        + "\"withheldAnswer\":{\"errorCode\":\"ServiceUnavailable\",\"errorMessage\":\""
                        + WithheldAnswers.ERROR_MESSAGE + "\"}}}");
    }

    @Test
    void isWritable_isFalseFromAFailedBatch_untilABatchIsWrittenAgain() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        writer.append("before");
        assertThat(writer.isWritable()).isTrue();

        output.failWrites(true);
        assertThatThrownBy(() -> writer.append("refused")).isInstanceOf(AuditUnavailableException.class);
        assertThat(writer.isWritable()).isFalse();

        output.failWrites(false);
        writer.append("after");
        assertThat(writer.isWritable()).isTrue();
        writer.close();
    }

    @Test
    void fsyncNone_isWritable_isFalseFromACallersFailedWrite_untilTheWritersThreadWritesItAgain() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failWrites(true);

        assertThatThrownBy(() -> writer.append("refused")).isInstanceOf(AuditUnavailableException.class);
        assertThat(writer.isWritable()).isFalse();

        output.failWrites(false);
        awaitTrue(writer::isWritable);
        assertThat(output.lines()).containsExactly("refused");
        writer.close();
    }

    @Test
    void failedForce_isRetried_withoutWritingTheBatchAgain() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failForces(true);

        assertThatThrownBy(() -> writer.append("e0")).isInstanceOf(AuditUnavailableException.class);
        output.failForces(false);
        writer.append("e1");

        assertThat(output.lines()).containsExactly("e0", "e1");
        writer.close();
    }

    @Test
    void callbackForm_returnsAtOnce_andRunsTheCallbackOnTheWriter_onlyOnceTheBatchIsWrittenAndForced()
            throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH);
        output.holdNextWrite();
        var outcomes = new CompletableFuture<AuditUnavailableException>();
        var thread = new CompletableFuture<String>();
        var forcesBefore = new CompletableFuture<List<Integer>>();

        writer.append("e0", outcome -> {
            thread.complete(Thread.currentThread().getName());
            forcesBefore.complete(output.forcesAfterWrite());
            outcomes.complete(outcome);
        });
        output.awaitHeldWrite();

        assertThat(outcomes).as("not done while the batch is being written").isNotDone();
        output.releaseHeldWrite();
        assertThat(outcomes.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(thread.get()).isEqualTo("opensts-audit-writer");
        assertThat(forcesBefore.get()).as("the batch was forced before the callback ran").containsExactly(1);
        writer.close();
    }

    @Test
    void callbackForm_andWaitingForm_shareOneQueue_inTheOrderTheEventsCame() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        var done = new ArrayList<CompletableFuture<AuditUnavailableException>>();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        for (int i = 1; i <= 5; i++) {
            var outcome = new CompletableFuture<AuditUnavailableException>();
            writer.append("e" + i, outcome::complete);
            done.add(outcome);
        }
        Future<?> last = producers.submit(() -> writer.append("e6"));
        awaitTrue(() -> writer.queued() == 6);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);
        last.get(10, TimeUnit.SECONDS);
        for (var outcome : done) {
            assertThat(outcome.get(10, TimeUnit.SECONDS)).isNull();
        }
        assertThat(output.lines()).containsExactly("e0", "e1", "e2", "e3", "e4", "e5", "e6");
        writer.close();
    }

    @Test
    void callbackForm_failedWrite_givesEachCallbackTheFailureOnce_andTheEventIsWrittenWhenTheOutputRecovers()
            throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failWrites(true);
        var calls = new AtomicInteger();
        var outcome = new CompletableFuture<AuditUnavailableException>();

        writer.append("refused", failure -> {
            calls.incrementAndGet();
            outcome.complete(failure);
        });

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(IOException.class);
        output.failWrites(false);
        writer.append("after");
        assertThat(output.lines()).containsExactly("refused", "after");
        assertThat(calls).hasValue(1);
        writer.close();
    }

    @Test
    void callbackForm_afterClose_isToldTheLogIsClosed_andACallbackThatThrows_stopsNothing() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        var after = new CompletableFuture<AuditUnavailableException>();
        writer.append("throws", outcome -> {
            throw new IllegalStateException("a broken callback");
        });
        writer.append("e1");
        writer.close();

        writer.append("late", after::complete);

        assertThat(after.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("closed");
        assertThat(output.lines()).containsExactly("throws", "e1");
    }

    /**
     * The thread that writes a batch answers its calls: a callback that throws an Error (a bug's AssertionError, a
     * deep stack) must neither keep the other callbacks of its batch from running nor stop the writing, which would
     * leave those calls unanswered and refuse every later one.
     */
    @Test
    void callbackForm_aCallbackThatThrowsAnError_stopsNeitherTheOthersOfItsBatch_norTheWriter() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        writer.append("throws", outcome -> {
            throw new AssertionError("a broken callback");
        });
        var sameBatch = new CompletableFuture<AuditUnavailableException>();
        writer.append("e2", sameBatch::complete);
        awaitTrue(() -> writer.queued() == 2);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);

        assertThat(sameBatch.get(10, TimeUnit.SECONDS)).isNull();
        var later = new CompletableFuture<AuditUnavailableException>();
        writer.append("e3", later::complete);
        assertThat(later.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(output.lines()).containsExactly("e0", "throws", "e2", "e3");
        writer.close();
    }

    /**
     * A close while the force keeps failing leaves the event queued behind the failing batch unwritten: its callback
     * is told so from the writer's last steps, which must not hold the writer's lock while it runs (a callback that
     * waits for another thread that uses the writer would otherwise hang both).
     */
    @Test
    void callbackForm_closeWhileTheForceFails_tellsTheEventQueuedBehindTheBatch_withoutHoldingTheWritersLock()
            throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofHours(1));
        output.failForces(true);
        var first = new CompletableFuture<AuditUnavailableException>();
        writer.append("e0", first::complete);
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class);
        var outcome = new CompletableFuture<AuditUnavailableException>();
        var anotherThreadUsedTheWriter = new CompletableFuture<Boolean>();
        writer.append("e1", failure -> {
            Future<Integer> other = producers.submit(writer::queued);
            try {
                other.get(10, TimeUnit.SECONDS);
                anotherThreadUsedTheWriter.complete(true);
            } catch (Exception e) {
                anotherThreadUsedTheWriter.complete(false);
            }
            outcome.complete(failure);
        });

        writer.close();

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class);
        assertThat(anotherThreadUsedTheWriter.get(10, TimeUnit.SECONDS))
                .as("the callback ran without the writer's lock").isTrue();
        assertThat(output.lines()).containsExactly("e0");
    }

    @Test
    void fsyncNone_theCallerThatFindsNoBatchBeingWritten_writesIt_andWhatIsQueuedMeanwhile_withoutWakingTheWriter()
            throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        var firstThread = new CompletableFuture<String>();
        var firstOutcome = new CompletableFuture<AuditUnavailableException>();
        Future<?> first = producers.submit(() -> {
            firstThread.complete(Thread.currentThread().getName());
            writer.append("e0", firstOutcome::complete);
        });
        output.awaitHeldWrite();
        var outcomes = new ArrayList<CompletableFuture<String>>();
        for (int i = 1; i <= 5; i++) {
            var ranOn = new CompletableFuture<String>();
            writer.append("e" + i, failure -> ranOn.complete(failure == null ? Thread.currentThread().getName()
                    : "failed"));
            outcomes.add(ranOn);
        }
        assertThat(writer.queued()).as("queued behind the batch being written, not written by their callers")
                .isEqualTo(5);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);

        assertThat(firstOutcome.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(output.writes()).containsExactly(List.of("e0"), List.of("e1", "e2", "e3", "e4", "e5"));
        assertThat(output.writingThreads()).containsOnly(firstThread.get());
        for (var ranOn : outcomes) {
            assertThat(ranOn.get(10, TimeUnit.SECONDS)).as("answered by the thread that wrote the batch")
                    .isEqualTo(firstThread.get());
        }
        writer.close();
        assertThat(output.forcesAfterWrite()).containsExactly(2);
    }

    /**
     * An Error out of a request thread's write (running out of direct memory for a large batch) must not leave the log
     * held by a thread that has stopped writing: the batch fails as on an I/O error, and the writer's thread writes it;
     * later calls are written and close returns.
     */
    @Test
    void fsyncNone_anErrorInACallersWrite_failsTheBatch_andTheWritersThreadWritesIt() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.throwErrorOnNextWrite();
        var outcome = new CompletableFuture<AuditUnavailableException>();

        writer.append("e0", outcome::complete);

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(OutOfMemoryError.class);
        writer.append("e1");
        assertThat(output.lines()).containsExactly("e0", "e1");
        writer.close();
        assertThat(output.closed()).isTrue();
    }

    /** An Error out of the writer's own write fails the batch as an I/O error would, and the batch is retried. */
    @Test
    void fsyncBatch_anErrorInTheWritersWrite_failsTheBatch_andItIsWrittenOnRetry() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.BATCH, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.throwErrorOnNextWrite();

        assertThatThrownBy(() -> writer.append("e0")).isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(OutOfMemoryError.class);
        writer.append("e1");

        assertThat(output.lines()).containsExactly("e0", "e1");
        writer.close();
        assertThat(output.closed()).isTrue();
    }

    /** A caller that waits for its own event writes only the batch that holds it, not the events queued behind. */
    @Test
    void fsyncNone_aWaitingCaller_writesOnlyItsOwnBatch_andLeavesTheRestToTheWritersThread() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        var firstThread = new CompletableFuture<String>();
        Future<?> first = producers.submit(() -> {
            firstThread.complete(Thread.currentThread().getName());
            writer.append("e0");
        });
        output.awaitHeldWrite();
        var later = new CompletableFuture<AuditUnavailableException>();
        writer.append("e1", later::complete);

        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);

        assertThat(later.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(output.writes()).containsExactly(List.of("e0"), List.of("e1"));
        assertThat(output.writingThreads()).containsExactly(firstThread.get(), "opensts-audit-writer");
        writer.close();
    }

    /** An interrupted thread would close the file's channel by writing: its event is left to the writer's thread. */
    @Test
    void fsyncNone_anInterruptedCaller_leavesItsBatchToTheWritersThread() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        var ranOn = new CompletableFuture<String>();

        Thread.currentThread().interrupt();
        try {
            writer.append("e0", failure -> ranOn.complete(Thread.currentThread().getName()));
        } finally {
            assertThat(Thread.interrupted()).as("the caller's interrupt is left as it was").isTrue();
        }

        assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo("opensts-audit-writer");
        assertThat(output.lines()).containsExactly("e0");
        writer.close();
    }

    @Test
    void fsyncNone_failedWrite_failsItsCallers_thenTheWritersThreadWritesItOnce_whenTheOutputRecovers()
            throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE, 16, Long.MAX_VALUE, Duration.ofMillis(1));
        output.failWrites(true);
        var outcome = new CompletableFuture<AuditUnavailableException>();
        var calls = new AtomicInteger();

        writer.append("refused", failure -> {
            calls.incrementAndGet();
            outcome.complete(failure);
        });
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.append("refused too")).isInstanceOf(AuditUnavailableException.class)
                .hasRootCauseInstanceOf(IOException.class);
        output.failWrites(false);
        writer.append("after");

        assertThat(output.lines()).containsExactly("refused", "refused too", "after");
        assertThat(output.writingThreads()).as("the failed batch is retried by the writer's thread")
                .contains("opensts-audit-writer");
        assertThat(calls).hasValue(1);
        var later = new CompletableFuture<String>();
        writer.append("later", failure -> later.complete(Thread.currentThread().getName()));
        assertThat(later.get(10, TimeUnit.SECONDS)).as("once recovered, callers write again")
                .isNotEqualTo("opensts-audit-writer");
        writer.close();
    }

    @Test
    void fsyncNone_closeWhileACallerWritesABatch_waitsForIt_thenWritesWhatIsLeft_andForces() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE);
        output.holdNextWrite();
        Future<?> first = producers.submit(() -> writer.append("e0"));
        output.awaitHeldWrite();
        var queuedOutcome = new CompletableFuture<AuditUnavailableException>();
        writer.append("e1", queuedOutcome::complete);
        Future<?> closing = producers.submit(writer::close);
        awaitTrue(writer::isClosing);

        assertThat(closing).as("close waits for the batch being written").isNotDone();
        assertThat(output.closed()).isFalse();
        assertThatThrownBy(() -> writer.append("late")).isInstanceOf(AuditUnavailableException.class);
        output.releaseHeldWrite();
        first.get(10, TimeUnit.SECONDS);
        closing.get(10, TimeUnit.SECONDS);

        assertThat(queuedOutcome.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(output.lines()).containsExactly("e0", "e1");
        assertThat(output.forcesAfterWrite()).containsExactly(2);
        assertThat(output.closed()).isTrue();
    }

    /**
     * Many threads queue events in both forms while batches are written by whichever of them finds none being
     * written: every event is written once, every callback runs once, and no waiting caller is left behind.
     */
    @Test
    void fsyncNone_concurrentCallersInBothForms_eachEventWrittenOnce_eachCallbackOnce() throws Exception {
        AuditWriter writer = AuditWriter.start(output, AuditFsync.NONE, 64, Long.MAX_VALUE, Duration.ofMillis(1));
        int threads = 8;
        int perThread = 2_000;
        var callbacks = new AtomicInteger();
        var failures = new AtomicInteger();
        var ready = new CountDownLatch(threads);
        var futures = new ArrayList<Future<?>>();
        for (int t = 0; t < threads; t++) {
            int producer = t;
            futures.add(producers.submit(() -> {
                ready.countDown();
                ready.await();
                for (int i = 0; i < perThread; i++) {
                    String event = producer + ":" + i;
                    if (i % 3 == 0) {
                        writer.append(event);
                    } else {
                        writer.append(event, failure -> {
                            callbacks.incrementAndGet();
                            if (failure != null) {
                                failures.incrementAndGet();
                            }
                        });
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        writer.close();

        int callbackEvents = threads * (perThread - (perThread + 2) / 3);
        assertThat(callbacks).hasValue(callbackEvents);
        assertThat(failures).hasValue(0);
        List<String> lines = output.lines();
        assertThat(lines).hasSize(threads * perThread).doesNotHaveDuplicates();
        for (int t = 0; t < threads; t++) {
            String prefix = t + ":";
            assertThat(lines.stream().filter(line -> line.startsWith(prefix)).toList()).as("producer %d's order", t)
                    .containsExactlyElementsOf(IntStream.range(0, perThread).mapToObj(i -> prefix + i).toList());
        }
    }

    @Test
    void concurrentProducers_onTheRealFile_loseNothing_neverInterleaveLines_andKeepEachOnesOrder() throws Exception {
        RollingAuditFile file = RollingAuditFile.open(dir, 1L << 30, 90, Clock.systemUTC());
        AuditWriter writer = AuditWriter.start(file, AuditFsync.NONE);
        int threads = 8;
        int perThread = 1_000;
        var ready = new CountDownLatch(threads);
        var futures = new ArrayList<Future<?>>();
        for (int t = 0; t < threads; t++) {
            int producer = t;
            futures.add(producers.submit(() -> {
                ready.countDown();
                ready.await();
                for (int i = 0; i < perThread; i++) {
                    // Lengths from a few bytes to several kilobytes, so that a torn line would show.
                    writer.append("{\"producer\":" + producer + ",\"n\":" + i + ",\"pad\":\""
                            + "p".repeat((i * 37 + producer * 101) % 5_000) + "\"}");
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        writer.close();

        List<String> lines = Files.readAllLines(dir.resolve(AuditLogFile.ACTIVE_FILE_NAME), UTF_8);
        assertThat(lines).hasSize(threads * perThread);
        Map<Integer, Integer> nextOf = new HashMap<>();
        for (String line : lines) {
            var matcher = java.util.regex.Pattern.compile("\\{\"producer\":(\\d+),\"n\":(\\d+),\"pad\":\"(p*)\"}")
                    .matcher(line);
            assertThat(matcher.matches()).as("a whole line: %s", line.length() > 80 ? line.substring(0, 80) : line)
                    .isTrue();
            int producer = Integer.parseInt(matcher.group(1));
            int n = Integer.parseInt(matcher.group(2));
            assertThat(matcher.group(3)).hasSize((n * 37 + producer * 101) % 5_000);
            assertThat(n).as("producer %d's next event", producer).isEqualTo(nextOf.getOrDefault(producer, 0));
            nextOf.put(producer, n + 1);
        }
    }

    /** Spins (no sleep) until the condition holds, failing after ten seconds. */
    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition reached in time").isNegative();
            Thread.yield();
        }
    }

    /** Records each batch it is given, and can hold a write back, fail writes or fail forces. */
    private static final class RecordingOutput implements AuditOutput {
        private final List<List<String>> writes = new ArrayList<>();
        private final List<String> writingThreads = new ArrayList<>();
        private final List<Integer> forcesAfterWrite = new ArrayList<>();
        private volatile boolean holdNext;
        private volatile CountDownLatch reached;
        private volatile CountDownLatch release;
        private volatile boolean failWrites;
        private volatile boolean errorOnNextWrite;
        private volatile boolean failForces;
        private volatile boolean closed;

        void holdNextWrite() {
            reached = new CountDownLatch(1);
            release = new CountDownLatch(1);
            holdNext = true;
        }

        void awaitHeldWrite() throws InterruptedException {
            assertThat(reached.await(10, TimeUnit.SECONDS)).as("the writer reached its write").isTrue();
        }

        void releaseHeldWrite() {
            release.countDown();
        }

        void failWrites(boolean fail) {
            failWrites = fail;
        }

        void throwErrorOnNextWrite() {
            errorOnNextWrite = true;
        }

        void failForces(boolean fail) {
            failForces = fail;
        }

        @Override
        public void write(List<byte[]> lines) throws IOException {
            if (holdNext) {
                holdNext = false;
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failWrites) {
                throw new IOException("No space left on device");
            }
            if (errorOnNextWrite) {
                errorOnNextWrite = false;
                throw new OutOfMemoryError("Direct buffer memory");
            }
            synchronized (this) {
                writingThreads.add(Thread.currentThread().getName());
                writes.add(lines.stream().map(line -> new String(line, UTF_8)).map(text -> {
                    assertThat(text).endsWith("\n");
                    return text.substring(0, text.length() - 1);
                }).toList());
            }
        }

        @Override
        public void force() throws IOException {
            if (failForces) {
                throw new IOException("Input/output error");
            }
            synchronized (this) {
                forcesAfterWrite.add(writes.size());
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized List<List<String>> writes() {
            return List.copyOf(writes);
        }

        /** The name of the thread that made each write. */
        synchronized List<String> writingThreads() {
            return List.copyOf(writingThreads);
        }

        synchronized List<String> lines() {
            return writes.stream().flatMap(List::stream).toList();
        }

        /** For each force, how many writes had been made before it. */
        synchronized List<Integer> forcesAfterWrite() {
            return List.copyOf(forcesAfterWrite);
        }

        boolean closed() {
            return closed;
        }
    }
}
