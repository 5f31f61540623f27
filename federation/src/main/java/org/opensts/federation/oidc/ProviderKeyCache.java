package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.opensts.protocol.ApiException;

/**
 * The signing keys of each provider, fetched through a {@link JwksSource} and kept for {@code maxAge}.
 *
 * <p>Design: one entry per provider URL and thumbprint list (two accounts may register one URL with different
 * thumbprints, and keys fetched under one list must not serve the other). Reading a fresh entry that has the wanted
 * {@code kid} takes no lock. Anything else (first use, stale keys, an unknown {@code kid}) takes the entry's lock, so
 * concurrent requests cause one fetch and then read its result. A fetch is attempted at most once per
 * {@code minRefetchInterval} per entry, whether it succeeded or failed: a flood of tokens naming made-up key ids, or a
 * provider that is down, costs the provider at most one request pair per interval. A failed fetch is remembered for
 * that interval and answered again without a request. The map grows with the registered providers only, since the
 * caller looks a provider up in the store before asking for its keys.
 */
final class ProviderKeyCache {
    private final JwksSource source;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration minRefetchInterval;
    private final ConcurrentMap<CacheKey, Entry> entries = new ConcurrentHashMap<>();

    private record CacheKey(String url, List<String> thumbprints) {
    }

    /** What the last fetch left: keys (maybe none yet), when they were fetched, when a fetch was last tried. */
    private record State(List<JwsSignatures.VerificationKey> keys, Instant fetchedAt, Instant attemptedAt, ApiException failure) {
        boolean fresh(Instant now, Duration maxAge) {
            return keys != null && now.isBefore(fetchedAt.plus(maxAge));
        }

        boolean has(String kid) {
            for (JwsSignatures.VerificationKey key : keys) {
                if (kid.equals(key.jwk().getKeyID())) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Entry {
        volatile State state;
    }

    ProviderKeyCache(JwksSource source, Clock clock, Duration maxAge, Duration minRefetchInterval) {
        this.source = requireNonNull(source, "source");
        this.clock = requireNonNull(clock, "clock");
        this.maxAge = requireNonNull(maxAge, "maxAge");
        this.minRefetchInterval = requireNonNull(minRefetchInterval, "minRefetchInterval");
    }

    /**
     * The provider's keys, fresh, refetched first when {@code kid} is not among them and the interval allows. The
     * result may still lack {@code kid}: the caller decides what that means.
     *
     * @throws ApiException what the source threw, now or (without a new request) within the interval after
     */
    List<JwsSignatures.VerificationKey> keys(OidcProvider provider, Optional<String> kid) {
        Entry entry = entries.computeIfAbsent(new CacheKey(provider.url(), provider.thumbprints()), k -> new Entry());
        State seen = entry.state;
        Instant now = clock.instant();
        if (seen != null && seen.fresh(now, maxAge) && (kid.isEmpty() || seen.has(kid.get()))) {
            return seen.keys();
        }
        synchronized (entry) {
            State state = entry.state;
            now = clock.instant();
            if (state != null && state.fresh(now, maxAge) && (kid.isEmpty() || state.has(kid.get()))) {
                return state.keys(); // another request fetched them while this one waited
            }
            boolean mayFetch = state == null || !now.isBefore(state.attemptedAt().plus(minRefetchInterval));
            if (!mayFetch) {
                if (state.fresh(now, maxAge)) {
                    return state.keys(); // kid unknown, but we asked the provider a moment ago
                }
                if (state.failure() != null) {
                    throw state.failure();
                }
            }
            try {
                var keys = JwsSignatures.prepare(source.fetchJwks(provider).getKeys());
                entry.state = new State(keys, now, now, null);
                return entry.state.keys();
            } catch (ApiException e) {
                entry.state = state == null
                        ? new State(null, null, now, e)
                        : new State(state.keys(), state.fetchedAt(), now, e);
                throw e;
            }
        }
    }
}
