package org.opensts.server;

/**
 * Where a node's audit events go: one CloudTrail-shaped JSON object per call, on one line. A node answers a call only
 * once {@link #append} has returned for its event, so a sink that returns after its write makes "answered" imply
 * "recorded"; a sink that cannot record an event throws {@link AuditUnavailableException}, and the call is answered
 * {@code 503 ServiceUnavailable} instead (fail closed: no call is answered that the audit log does not hold).
 *
 * <p>Implementations are called from many request threads at once.
 */
@FunctionalInterface
public interface AuditSink {
    /**
     * Records one event.
     *
     * @param event a JSON object without line breaks (JSON escapes them inside strings)
     * @throws AuditUnavailableException if the event cannot be recorded now
     */
    void append(String event);
}
