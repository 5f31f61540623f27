package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.CallExecutor;
import org.opensts.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of each provider, fetched through a {@link JwksSource}, fresh for {@code maxAge} and usable for a
 * known {@code kid} for {@code staleGrace} more.
 *
 * <p>Design: one entry per provider (its account and URL: two accounts may register one URL with different
 * thumbprints), holding the thumbprint list its keys were fetched under; when the provider's list changes, the entry is
 * replaced, so keys fetched under one list never serve another. Every answer that needs no request takes no
 * lock: fresh keys; fresh keys lacking the {@code kid} when the provider was asked within {@code minRefetchInterval} (a
 * flood of made-up key ids costs the provider at most one request pair per interval); the failure of a fetch tried
 * within the interval (a provider that is down is not asked again sooner). Otherwise a request is due: a thread that
 * finds a fetch under way for the entry waits for it, one that finds none fetches (one fetch per entry at a time), and
 * either first takes, without waiting, a permit of its kind for the provider's account and one for the node
 * ({@link ThreadsOnIdp}), held until it is done. So however many providers hang, a bounded number of request threads
 * is ever parked on IdP I/O, and the providers of one account — which its administrator may point at a server that
 * never answers — hold no more than that account's share: the other accounts' providers are still asked, and their
 * callers still wait for those fetches. A thread that finds no permit answers {@code IDPCommunicationError} at once,
 * which SDKs retry, and leaves no failure behind. Keys past {@code maxAge} but within {@code staleGrace} after it still
 * serve a {@code kid} they hold, instead of waiting, while another thread refreshes them or when no permit is free, and
 * after a refresh that failed: only a completed refresh replaces them.
 *
 * <p>What the entries hold is bounded whatever the providers' administrators do — change a provider's thumbprints over
 * and over, or create and delete providers: an entry unused for {@code maxAge + staleGrace} can serve nothing and
 * goes, and all entries together hold at most {@link #MAX_CACHED_KEYS} prepared keys (a JWKS may have 200), the least
 * recently used going first. An entry evicted under that pressure only costs its provider a fetch sooner.
 */
final class ProviderKeyCache {
    /** Why a request was refused without asking its provider. */
    static final String BUSY = "too many requests are already waiting on identity providers; try again";
    /** Why a fetch failed, as the caller is told; the node's log gives the reason. */
    static final String FETCH_FAILED = "its discovery document or key set could not be fetched (the node's log says"
            + " why)";
    private static final Logger LOG = LoggerFactory.getLogger(ProviderKeyCache.class);

    private final JwksSource source;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration maxServedAge;
    private final Duration minRefetchInterval;
    private final ThreadsOnIdp.Permits fetches;
    private final ThreadsOnIdp.Permits waits;
    /**
     * The prepared keys all entries may hold together (each a parsed JWK and a verifier, a kilobyte or two): some
     * thousand providers' usual few keys, or a hundred providers' full 200.
     */
    static final long MAX_CACHED_KEYS = 20_000;

    private final Cache<ProviderId, Entry> entries;

    private record ProviderId(String accountId, String url) {
    }

    /** What the last fetch left: keys (maybe none yet), when they were fetched, when a fetch was last tried. */
    private record State(List<JwsSignatures.VerificationKey> keys, Instant fetchedAt, Instant attemptedAt,
            ApiException failure) {
        boolean youngerThan(Instant now, Duration age) {
            return keys != null && now.isBefore(fetchedAt.plus(age));
        }

        /** Whether a key may verify the token: it names none (any key may), or one of these has its {@code kid}. */
        boolean fits(Optional<String> kid) {
            if (kid.isEmpty()) {
                return true;
            }
            for (JwsSignatures.VerificationKey key : keys) {
                if (kid.get().equals(key.jwk().getKeyID())) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Entry {
        /** The provider's thumbprints when the entry was made: its keys were fetched trusting these. */
        final List<String> thumbprints;
        /** Written only by the thread that holds {@link #fetch}, before it completes it. */
        volatile State state;
        /**
         * The fetch under way, completed once {@link #state} holds its outcome (or, failed {@link #BUSY}, when the
         * thread that claimed it found no permit to make it); null when none is.
         */
        final AtomicReference<CompletableFuture<Void>> fetch = new AtomicReference<>();

        Entry(List<String> thumbprints) {
            this.thumbprints = thumbprints;
        }

        /** What the entry weighs in the cache's bound: one, and one per key it holds. */
        int weight() {
            State current = state;
            return 1 + (current == null || current.keys() == null ? 0 : current.keys().size());
        }
    }

    ProviderKeyCache(JwksSource source, Clock clock, Duration maxAge, Duration staleGrace, Duration minRefetchInterval,
            ThreadsOnIdp threadsOnIdp) {
        this.source = requireNonNull(source, "source");
        this.clock = requireNonNull(clock, "clock");
        this.maxAge = requireNonNull(maxAge, "maxAge");
        this.maxServedAge = maxAge.plus(requireNonNull(staleGrace, "staleGrace"));
        this.minRefetchInterval = requireNonNull(minRefetchInterval, "minRefetchInterval");
        this.fetches = new ThreadsOnIdp.Permits(threadsOnIdp.fetchesPerAccount(), threadsOnIdp.fetches(),
                /* oneBeyondTheNodes= */ true);
        this.waits = new ThreadsOnIdp.Permits(threadsOnIdp.waitsPerAccount(), threadsOnIdp.waits(),
                /* oneBeyondTheNodes= */ false);
        this.entries = Caffeine.newBuilder()
                .expireAfterAccess(maxServedAge)
                .maximumWeight(MAX_CACHED_KEYS)
                .weigher((ProviderId id, Entry entry) -> entry.weight())
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    /**
     * The provider's keys, refetched first when they are stale or {@code kid} is not among them and the interval
     * allows. The result may still lack {@code kid}: the caller decides what that means.
     *
     * @throws ApiException what the source threw, now or (without a new request) within the interval after; or
     *     {@code IDPCommunicationError} ({@link #BUSY}) when a request is due and the account's permits or the
     *     node's are all held
     */
    List<JwsSignatures.VerificationKey> keys(OidcProvider provider, Optional<String> kid) {
        Entry entry = entry(provider);
        State seen = entry.state;
        Instant now = clock.instant();
        List<JwsSignatures.VerificationKey> remembered = remembered(seen, now, kid);
        if (remembered != null) {
            return remembered;
        }
        List<JwsSignatures.VerificationKey> stale =
                seen != null && seen.youngerThan(now, maxServedAge) && seen.fits(kid) ? seen.keys() : null;
        // One fetch per entry at a time: this thread makes it if none is under way, and waits for it otherwise.
        var mine = new CompletableFuture<Void>();
        CompletableFuture<Void> running = entry.fetch.compareAndExchange(null, mine);
        String account = provider.accountId();
        if (running != null) {
            if (stale != null) {
                return stale; // another thread is refreshing them: no need to wait for it
            }
            ThreadsOnIdp.Permit wait = waits.tryTake(account);
            if (wait == null) {
                throw IdpHttpsClient.communicationError(BUSY);
            }
            try {
                // The wait for another thread's fetch waits on the provider: the call lends its thread meanwhile.
                return CallExecutor.blocking(() -> join(running, entry, kid));
            } finally {
                wait.release();
            }
        }
        ThreadsOnIdp.Permit fetch = fetches.tryTake(account);
        if (fetch == null) {
            // Given up before it began: whoever joined it meanwhile is refused as this thread is.
            entry.fetch.set(null);
            mine.completeExceptionally(IdpHttpsClient.communicationError(BUSY));
            return staleOrBusy(stale);
        }
        try {
            return CallExecutor.blocking(() -> fetch(entry, mine, seen, provider, kid));
        } finally {
            fetch.release();
        }
    }

    /** The provider's entry, a new one if it has none or its thumbprints changed since its entry was made. */
    private Entry entry(OidcProvider provider) {
        var id = new ProviderId(provider.accountId(), provider.url());
        List<String> thumbprints = provider.thumbprints();
        Entry entry = entries.getIfPresent(id);
        if (entry != null && entry.thumbprints.equals(thumbprints)) {
            return entry;
        }
        return entries.asMap().compute(id, (key, current) ->
                current != null && current.thumbprints.equals(thumbprints) ? current : new Entry(thumbprints));
    }

    /** How many providers have an entry (for tests). */
    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /** The prepared keys the entries hold, as the cache's bound counts them (for tests). */
    long weight() {
        entries.cleanUp();
        return entries.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    /** The answer when no permit is free: stale keys that fit, or {@link #BUSY}. */
    private static List<JwsSignatures.VerificationKey> staleOrBusy(List<JwsSignatures.VerificationKey> stale) {
        if (stale != null) {
            return stale;
        }
        throw IdpHttpsClient.communicationError(BUSY);
    }

    /** Called with a wait's permit held: the keys the fetch under way leaves. */
    private List<JwsSignatures.VerificationKey> join(CompletableFuture<Void> running, Entry entry,
            Optional<String> kid) {
        try {
            running.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return afterAttempt(entry.state, clock.instant(), kid);
    }

    /** Called with a fetch's permit held, {@code mine} being the entry's fetch: fetches, and completes it. */
    private List<JwsSignatures.VerificationKey> fetch(Entry entry, CompletableFuture<Void> mine, State seen,
            OidcProvider provider, Optional<String> kid) {
        try {
            // When the state changed since this thread looked, a fetch ended in between: its outcome stands, so that
            // a provider is asked at most once per interval.
            if (entry.state == seen) {
                entry.state = attempt(seen, provider, clock.instant());
                // The entry now weighs what its keys do: putting it again makes the cache weigh it anew (and evict
                // for it); if it was replaced or evicted meanwhile, it stays out.
                entries.asMap().replace(new ProviderId(provider.accountId(), provider.url()), entry, entry);
            }
            mine.complete(null);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e); // not ApiException (attempt keeps those): a defect, not remembered
            throw e;
        } finally {
            entry.fetch.set(null);
        }
        return afterAttempt(entry.state, clock.instant(), kid);
    }

    /** The answer the state gives without a request, or null when one is due. */
    private List<JwsSignatures.VerificationKey> remembered(State state, Instant now, Optional<String> kid) {
        if (state == null) {
            return null;
        }
        if (state.youngerThan(now, maxAge) && state.fits(kid)) {
            return state.keys();
        }
        if (now.isBefore(state.attemptedAt().plus(minRefetchInterval))) {
            if (state.youngerThan(now, maxAge)) {
                return state.keys(); // kid unknown, but we asked the provider a moment ago
            }
            if (state.failure() != null) {
                return afterAttempt(state, now, kid);
            }
        }
        return null;
    }

    /** The answer once a fetch has just been tried: its keys, else the keys before it if they may serve, else why. */
    private List<JwsSignatures.VerificationKey> afterAttempt(State state, Instant now, Optional<String> kid) {
        if (state.failure() == null) {
            return state.keys();
        }
        if (state.youngerThan(now, maxServedAge) && state.fits(kid)) {
            return state.keys();
        }
        throw state.failure();
    }

    private State attempt(State before, OidcProvider provider, Instant now) {
        try {
            return new State(JwsSignatures.prepare(source.fetchJwks(provider).getKeys()), now, now, null);
        } catch (ApiException e) {
            ApiException told = forTheCaller(e, provider);
            return before == null
                    ? new State(null, null, now, told)
                    : new State(before.keys(), before.fetchedAt(), now, told);
        }
    }

    /**
     * Why a fetch failed, as the caller may learn it. The reason (refused, TLS, a timeout, an HTTP status, no JSON)
     * says what answers at an address: anyone who may register a provider could point it, or its discovery document's
     * {@code jwks_uri}, at any host and port the node reaches and map them with unsigned calls. So the caller gets
     * one fixed text and the operator the reason, in the log. A thumbprint mismatch stays AWS's own answer.
     */
    private static ApiException forTheCaller(ApiException failure, OidcProvider provider) {
        if (failure.errorCode() != ErrorCode.IDP_COMMUNICATION_ERROR) {
            return failure;
        }
        LOG.info("The signing keys of {} could not be fetched: {}", provider.arn(), failure.getMessage());
        return IdpHttpsClient.communicationError(FETCH_FAILED);
    }
}
