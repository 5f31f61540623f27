package org.opensts.gateway;

import java.util.function.Consumer;

/**
 * Where the gateway records its audit events: the node's audit log. As for the node's own calls, a call the gateway
 * audits is answered only once its event is recorded, and {@code ServiceUnavailable} if it cannot be.
 *
 * <p>Implementations are called from many threads at once.
 */
@FunctionalInterface
public interface S3AuditTrail {
    /** Records nothing: a gateway that keeps no audit log. */
    S3AuditTrail NONE = (event, whenDone) -> whenDone.accept(null);

    /**
     * Records {@code event} and then calls {@code whenDone} exactly once: with {@code null} once it is recorded, or
     * with the exception that kept it from being recorded. It may run later, on another thread.
     *
     * @param whenDone quick and must not throw
     */
    void record(S3AuditEvent event, Consumer<RuntimeException> whenDone);
}
