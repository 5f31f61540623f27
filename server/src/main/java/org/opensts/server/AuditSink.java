package org.opensts.server;

import java.util.function.Consumer;

/**
 * Where a node's audit events go: one CloudTrail-shaped JSON object per call, on one line. A node answers a call only
 * once its event is recorded, so "answered" implies "recorded"; a sink that cannot record an event says so with
 * {@link AuditUnavailableException}, and the call is answered {@code 503 ServiceUnavailable} instead (fail closed: no
 * call is answered that the audit log does not hold).
 *
 * <p>Implementations are called from many request threads at once.
 */
@FunctionalInterface
public interface AuditSink {
    /**
     * Records one event, returning once it is recorded.
     *
     * @param event a JSON object without line breaks (JSON escapes them inside strings)
     * @throws AuditUnavailableException if the event cannot be recorded now
     */
    void append(String event);

    /**
     * Records one event and then calls {@code whenDone} exactly once: with {@code null} once the event is recorded, or
     * with the exception that kept it from being recorded. A sink that writes in batches calls it from the thread that
     * writes the event's batch, later, so that the request thread is free while the event waits for its batch, or on
     * the request thread itself before this returns, when that thread writes the batch; the call that answers the
     * client belongs in {@code whenDone}. This default records at once, with {@link #append(String)}.
     *
     * @param whenDone quick, must not throw, and must not record an event itself: it may run on the thread that
     *     writes batches, which would then wait for a batch only it can write
     */
    default void append(String event, Consumer<AuditUnavailableException> whenDone) {
        try {
            append(event);
        } catch (AuditUnavailableException e) {
            whenDone.accept(e);
            return;
        }
        whenDone.accept(null);
    }

    /**
     * Records the event of a call answered already (a refusal the pipeline answers at once, its event recorded after):
     * as {@link #append(String, Consumer)}, but a sink that records it only after a failure does not take its caller
     * for one whose answer the failure turned into {@code ServiceUnavailable}. This default is
     * {@link #append(String, Consumer)}.
     */
    default void appendAnswered(String event, Consumer<AuditUnavailableException> whenDone) {
        append(event, whenDone);
    }

    /**
     * Whether events are being recorded: false from a failure to record one until one is recorded again, while calls
     * are answered {@code 503 ServiceUnavailable}. Quick and non-blocking: a metrics scrape reads it. This default (a
     * sink that records at once and says so with each call) is always true.
     */
    default boolean isWritable() {
        return true;
    }
}
