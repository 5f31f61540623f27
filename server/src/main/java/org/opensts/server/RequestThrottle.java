package org.opensts.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The node's token buckets: one per account and one per calling principal (see {@link RateLimit}). A request is
 * admitted when its principal's bucket and then its account's bucket each give a token; a request its principal's
 * bucket refuses takes nothing from the account. Refusal is AWS's throttling answer, {@code Throttling} "Rate
 * exceeded" (HTTP 400), on which every AWS SDK backs off and retries.
 *
 * <p>Unsigned calls (web identity, SAML) name their account in {@code RoleArn}, which anyone may write: they draw on a
 * bucket of their own per account, so that a flood of forged unsigned calls naming an account can hold back that
 * account's unsigned calls but never its signed ones.
 *
 * <p>Buckets live in size-bounded caches and expire once idle for longer than it takes them to fill up again, when a
 * fresh bucket is the same as the old one; so memory stays bounded whatever principals call. Each node keeps its own
 * buckets: a deployment of {@code n} nodes behind a balancer admits up to {@code n} times the limit.
 */
final class RequestThrottle {
    static final String RATE_EXCEEDED = "Rate exceeded";
    private static final int MAX_BUCKETS = 100_000;

    private final RateLimit accountLimit;
    private final RateLimit principalLimit;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> accounts;
    private final Cache<String, TokenBucket> principals;
    private final Cache<String, TokenBucket> unsigned;

    /** @param nanoTime a monotonic nanosecond source ({@link System#nanoTime} outside tests) */
    RequestThrottle(RateLimit accountLimit, LongSupplier nanoTime) {
        this.accountLimit = accountLimit;
        this.principalLimit = accountLimit.perPrincipal();
        this.nanoTime = nanoTime;
        this.accounts = buckets(accountLimit, nanoTime);
        this.principals = buckets(principalLimit, nanoTime);
        this.unsigned = buckets(accountLimit, nanoTime);
    }

    static RequestThrottle disabled() {
        return new RequestThrottle(RateLimit.DISABLED, System::nanoTime);
    }

    private static Cache<String, TokenBucket> buckets(RateLimit limit, LongSupplier nanoTime) {
        long refill = limit.enabled() ? limit.intervalNanos() * limit.burst() : 0;
        return Caffeine.newBuilder()
                .ticker(nanoTime::getAsLong)
                .expireAfterAccess(Duration.ofNanos(refill).plusSeconds(1))
                .maximumSize(MAX_BUCKETS)
                .build();
    }

    /**
     * Takes a token for a signed request of {@code principalArn} in {@code accountId}.
     *
     * @throws ApiException {@code Throttling} if either bucket is empty
     */
    void admit(String accountId, String principalArn) {
        if (!accountLimit.enabled()) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!take(principals, principalLimit, principalArn, now) || !take(accounts, accountLimit, accountId, now)) {
            throw new ApiException(ErrorCode.THROTTLING, RATE_EXCEEDED);
        }
    }

    /**
     * Takes a token for an unsigned request (web identity, SAML) from the unsigned-call bucket of the account it names.
     *
     * @throws ApiException {@code Throttling} if that bucket is empty
     */
    void admitAccount(String accountId) {
        if (accountLimit.enabled() && !take(unsigned, accountLimit, accountId, nanoTime.getAsLong())) {
            throw new ApiException(ErrorCode.THROTTLING, RATE_EXCEEDED);
        }
    }

    private static boolean take(Cache<String, TokenBucket> buckets, RateLimit limit, String key, long now) {
        return buckets.get(key, unused -> new TokenBucket(limit, now)).tryTake(now);
    }
}
