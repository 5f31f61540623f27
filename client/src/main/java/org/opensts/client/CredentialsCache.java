package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The refreshing heart of the credentials providers: holds the current STS credentials and decides when to fetch new
 * ones.
 *
 * <p>Design: three instants per credentials. Before the <em>prefetch</em> instant (five minutes and a random jitter of
 * up to a minute before expiry, so a fleet started together does not refresh together) callers get the cached
 * credentials and nothing else happens. From it until the <em>stale</em> instant (a minute before expiry) callers
 * still get the cached credentials at once, and the first of them hands one refresh to the executor. From the stale
 * instant on, callers refresh themselves, one at a time under a lock: the first calls STS, the others wait and then
 * find the new credentials. So many threads make one STS call per expiry window, and a caller blocks only when the
 * credentials are nearly expired.
 *
 * <p>A failed refresh keeps the credentials it was meant to replace and sets a retry instant with exponential backoff
 * (one second doubling to a minute, with jitter); until then no caller calls STS. While the cached credentials are
 * unexpired they are served, so a server that is down for a while goes unnoticed. Credentials are never handed out at
 * or after their expiration: then a caller gets an {@link SdkClientException} that names the last failure.
 *
 * <p>Credentials shorter than the margins (a 15-minute session, say) scale them down: the prefetch comes at most half
 * way through the lifetime and the stale instant at most a quarter of it before expiry.
 */
final class CredentialsCache implements AutoCloseable {

    /** The margins and backoff; {@link #defaults()} is what the providers use unless a test says otherwise. */
    record Timing(Duration prefetch, Duration maxJitter, Duration stale, Duration minBackoff, Duration maxBackoff) {
        Timing {
            requireNonNull(prefetch, "prefetch");
            requireNonNull(maxJitter, "maxJitter");
            requireNonNull(stale, "stale");
            requireNonNull(minBackoff, "minBackoff");
            requireNonNull(maxBackoff, "maxBackoff");
        }

        static Timing defaults() {
            return new Timing(Duration.ofMinutes(5), Duration.ofMinutes(1), Duration.ofMinutes(1),
                    Duration.ofSeconds(1), Duration.ofMinutes(1));
        }
    }

    /** What is cached; replaced whole, so a reader sees one consistent state without locking. */
    private record State(StsCredentials credentials, Instant prefetchAt, Instant staleAt, Instant retryNotBefore,
            int failures, RuntimeException lastFailure) {

        static final State EMPTY = new State(null, Instant.MIN, Instant.MIN, Instant.MIN, 0, null);

        boolean isFreshAt(Instant now) {
            return credentials != null && now.isBefore(staleAt);
        }
    }

    private final String name;
    private final Supplier<StsCredentials> fetch;
    private final Clock clock;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final Timing timing;
    private final ReentrantLock refreshLock = new ReentrantLock();
    private final AtomicBoolean backgroundPending = new AtomicBoolean();
    private volatile State state = State.EMPTY;

    /**
     * @param name     what the provider is called in error messages
     * @param fetch    one STS call; throws {@link StsException} or {@link StsTransportException} (or any unchecked
     *                 exception) when it fails
     * @param executor runs background refreshes; {@code null} for a daemon thread of this cache's own
     */
    CredentialsCache(String name, Supplier<StsCredentials> fetch, Clock clock, Executor executor, Timing timing) {
        this.name = requireNonNull(name, "name");
        this.fetch = requireNonNull(fetch, "fetch");
        this.clock = requireNonNull(clock, "clock");
        this.timing = requireNonNull(timing, "timing");
        if (executor == null) {
            this.ownedExecutor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "opensts-credentials-refresh");
                thread.setDaemon(true);
                return thread;
            });
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
    }

    /**
     * Returns unexpired credentials: the cached ones while they are fresh (starting a background refresh when due),
     * else new ones from STS.
     *
     * @throws SdkClientException if no unexpired credentials can be had; its cause is the last failure
     */
    StsCredentials get() {
        Instant now = clock.instant();
        State current = state;
        if (current.isFreshAt(now)) {
            if (!now.isBefore(current.prefetchAt()) && !now.isBefore(current.retryNotBefore())) {
                startBackgroundRefresh();
            }
            return current.credentials();
        }
        return refreshBlocking();
    }

    /** Returns the cached credentials without refreshing, if any are unexpired now. */
    StsCredentials peek() {
        State current = state;
        return current.credentials() != null && !current.credentials().isExpiredAt(clock.instant())
                ? current.credentials() : null;
    }

    private StsCredentials refreshBlocking() {
        refreshLock.lock();
        try {
            Instant now = clock.instant();
            State current = state;
            if (current.isFreshAt(now)) {
                return current.credentials(); // another caller refreshed while this one waited
            }
            boolean usable = current.credentials() != null && !current.credentials().isExpiredAt(now);
            if (now.isBefore(current.retryNotBefore())) {
                if (usable) {
                    return current.credentials();
                }
                throw unavailable(current, now);
            }
            try {
                return refresh().credentials();
            } catch (RuntimeException e) {
                State failed = recordFailure(e);
                Instant after = clock.instant();
                if (current.credentials() != null && !current.credentials().isExpiredAt(after)) {
                    return current.credentials();
                }
                throw unavailable(failed, after);
            }
        } finally {
            refreshLock.unlock();
        }
    }

    private void startBackgroundRefresh() {
        if (backgroundPending.compareAndSet(false, true)) {
            try {
                executor.execute(this::refreshInBackground);
            } catch (RejectedExecutionException e) {
                backgroundPending.set(false); // closed: callers fall back to blocking refreshes when stale
            }
        }
    }

    private void refreshInBackground() {
        try {
            refreshLock.lock();
            try {
                Instant now = clock.instant();
                State current = state;
                boolean stillDue = current.credentials() == null || !now.isBefore(current.prefetchAt());
                if (stillDue && !now.isBefore(current.retryNotBefore())) {
                    try {
                        refresh();
                    } catch (RuntimeException e) {
                        recordFailure(e);
                    }
                }
            } finally {
                refreshLock.unlock();
            }
        } finally {
            backgroundPending.set(false);
        }
    }

    /** Calls STS once and caches the answer. Runs under the lock. */
    private State refresh() {
        StsCredentials fetched = requireNonNull(fetch.get(), "fetched credentials");
        Instant now = clock.instant();
        if (fetched.isExpiredAt(now)) {
            throw new StsTransportException("STS returned credentials that expired at " + fetched.expiration()
                    + ", not after now (" + now + "): is this host's clock right?");
        }
        Duration lifetime = Duration.between(now, fetched.expiration());
        Duration staleMargin = min(timing.stale(), lifetime.dividedBy(4));
        Duration jitter = timing.maxJitter().isZero() ? Duration.ZERO
                : Duration.ofMillis(ThreadLocalRandom.current().nextLong(timing.maxJitter().toMillis() + 1));
        Duration prefetchMargin = min(timing.prefetch().plus(jitter), lifetime.dividedBy(2));
        Instant staleAt = fetched.expiration().minus(staleMargin);
        Instant prefetchAt = min(fetched.expiration().minus(prefetchMargin), staleAt);
        State refreshed = new State(fetched, prefetchAt, staleAt, Instant.MIN, 0, null);
        state = refreshed;
        return refreshed;
    }

    /** Keeps the cached credentials and schedules the next attempt. Runs under the lock. */
    private State recordFailure(RuntimeException failure) {
        State current = state;
        int failures = current.failures() + 1;
        long base = timing.minBackoff().toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, timing.maxBackoff().toMillis());
        // Equal jitter: half the delay fixed, half random, so failing clients spread out.
        long delay = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        State failed = new State(current.credentials(), current.prefetchAt(), current.staleAt(),
                clock.instant().plusMillis(delay), failures, failure);
        state = failed;
        return failed;
    }

    private SdkClientException unavailable(State current, Instant now) {
        StringBuilder message = new StringBuilder("Unable to load credentials from ").append(name).append(": ");
        if (current.credentials() == null) {
            message.append("no credentials were obtained yet");
        } else {
            message.append("the cached credentials expired at ").append(current.credentials().expiration());
        }
        if (current.lastFailure() != null) {
            message.append("; the last of ").append(current.failures()).append(" failed attempts: ")
                    .append(current.lastFailure().getMessage());
        }
        if (now.isBefore(current.retryNotBefore())) {
            message.append("; next attempt at ").append(current.retryNotBefore().truncatedTo(ChronoUnit.SECONDS));
        }
        return SdkClientException.builder().message(message.toString()).cause(current.lastFailure()).build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public void close() {
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }
}
