package org.opensts.server;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that an attacker can trigger at will, written at most once per interval: the first occurrence, then one
 * line per interval that says how many more there were. Never a stack trace, so a flood cannot fill the log.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long nextReport;
    private boolean reported;
    private long suppressed;

    RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanoTime) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanoTime = nanoTime;
    }

    static RateLimitedLog perMinute(Logger log) {
        return new RateLimitedLog(log, TimeUnit.MINUTES.toNanos(1), System::nanoTime);
    }

    /** Logs {@code format} with {@code argument} now, or counts it for the next line if one was written lately. */
    synchronized void warn(String format, Object argument) {
        long now = nanoTime.getAsLong();
        if (reported && now - nextReport < 0) {
            suppressed++;
            return;
        }
        if (suppressed > 0) {
            log.warn(format + " ({} more since the last such line)", argument, suppressed);
        } else {
            log.warn(format, argument);
        }
        reported = true;
        suppressed = 0;
        nextReport = now + intervalNanos;
    }
}
