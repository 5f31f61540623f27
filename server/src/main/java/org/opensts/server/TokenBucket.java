package org.opensts.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One token bucket, kept as the generic cell rate algorithm keeps it: a single "theoretical arrival time" rather than a
 * token count and a refill time, so that taking a token is one compare-and-set on one {@code long} and never a lock.
 *
 * <p>Each admitted request moves the arrival time one emission interval ({@code 1/rate}) further; a request is
 * admitted while the arrival time it would set is at most {@code burst} intervals ahead of now. A bucket left alone
 * fills up again: the arrival time falls behind the clock, and {@code max(arrival, now)} starts from now. Over any
 * window of {@code t} seconds this admits at most {@code burst + rate × t} requests (the interval is rounded up, never
 * down, to keep that bound in whole nanoseconds).
 */
final class TokenBucket {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final AtomicLong arrival;

    /** A full bucket at {@code nowNanos}. */
    TokenBucket(RateLimit limit, long nowNanos) {
        this.intervalNanos = limit.intervalNanos();
        this.toleranceNanos = Math.multiplyExact(intervalNanos, (long) limit.burst());
        this.arrival = new AtomicLong(nowNanos - toleranceNanos);
    }

    /** Takes one token if the bucket has one at {@code nowNanos}; {@code false} leaves the bucket as it was. */
    boolean tryTake(long nowNanos) {
        while (true) {
            long current = arrival.get();
            long next = Math.max(current, nowNanos) + intervalNanos;
            if (next - nowNanos > toleranceNanos) {
                return false;
            }
            if (arrival.compareAndSet(current, next)) {
                return true;
            }
        }
    }
}
