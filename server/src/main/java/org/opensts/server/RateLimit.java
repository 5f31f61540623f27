package org.opensts.server;

/**
 * How many requests a node admits per second for one account ({@code --rate-limit}), and how many at once from a
 * full bucket ({@code --burst}). A rate of 0 turns throttling off.
 */
public record RateLimit(int requestsPerSecond, int burst) {
    /** 2,000 requests per second per account, as {@code opensts serve} does unless told otherwise. */
    public static final int DEFAULT_REQUESTS_PER_SECOND = 2_000;
    public static final RateLimit DISABLED = new RateLimit(0, 0);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public RateLimit {
        if (requestsPerSecond < 0 || burst < 0) {
            throw new IllegalArgumentException("the rate limit and burst must not be negative");
        }
        if (requestsPerSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a burst of at least 1");
        }
    }

    /** {@code requestsPerSecond}, with the default burst of twice as many. */
    public static RateLimit perSecond(int requestsPerSecond) {
        return requestsPerSecond == 0 ? DISABLED
                : new RateLimit(requestsPerSecond, (int) Math.min(Integer.MAX_VALUE, 2L * requestsPerSecond));
    }

    public static RateLimit defaults() {
        return perSecond(DEFAULT_REQUESTS_PER_SECOND);
    }

    public boolean enabled() {
        return requestsPerSecond > 0;
    }

    /**
     * The limit for one calling principal: half the account's rate and burst (at least 1 each), so that no single user
     * or role session can use up what its account's other principals are given.
     */
    RateLimit perPrincipal() {
        return enabled() ? new RateLimit(Math.max(1, requestsPerSecond / 2), Math.max(1, burst / 2)) : DISABLED;
    }

    /** Nanoseconds between two requests at this rate, rounded up so the rate is never exceeded. */
    long intervalNanos() {
        return (NANOS_PER_SECOND + requestsPerSecond - 1) / requestsPerSecond;
    }
}
