package org.opensts.iam.jdbc;

import java.time.Duration;
import java.util.function.Supplier;

/** Waiting, in tests, for a store to serve calls again after an outage. */
final class PostgresOutages {
    private PostgresOutages() {
    }

    /**
     * The first value {@code call} returns without {@link StoreException.UnavailableException}, tried every 100 ms;
     * fails the test if none came within {@code limit}.
     */
    static <T> T firstSuccess(Supplier<T> call, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StoreException.UnavailableException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("The store did not come back within " + limit, e);
                }
                Thread.sleep(100);
            }
        }
    }
}
