package org.opensts.server;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * How many calls of one costly kind (the policy simulator's) may run at once on a node. A call beyond the limit is
 * refused at once with AWS's throttling answer, {@code Throttling} "Rate exceeded", on which every AWS SDK backs off
 * and retries, rather than queued: the operations executor's threads stay free for every other caller however many
 * costly calls arrive together.
 */
final class ConcurrencyLimit {
    private final Semaphore running;

    ConcurrencyLimit(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive");
        }
        this.running = new Semaphore(permits);
    }

    /** Half the node's processors, at least one: costly calls never occupy every core. */
    static ConcurrencyLimit halfTheProcessors() {
        return new ConcurrencyLimit(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * Runs {@code call} if fewer than the limit are running.
     *
     * @throws ApiException {@code Throttling} if the limit is reached
     */
    <T> T run(Supplier<T> call) {
        if (!running.tryAcquire()) {
            throw new ApiException(ErrorCode.THROTTLING, RequestThrottle.RATE_EXCEEDED);
        }
        try {
            return call.get();
        } finally {
            running.release();
        }
    }
}
