package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.testing.MutableClock;

/**
 * What the cache of providers' signing keys may hold, whatever a provider's administrator does: the heap it takes is
 * bounded by the providers in use, not by how often their thumbprints change or how many were ever registered.
 */
class ProviderKeyCacheBoundTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMinutes(15);
    private static final Duration STALE_GRACE = Duration.ofMinutes(15);
    /** A JWKS with AWS's most keys of one type. */
    private static final JWKSet FULL_SET = keys(JwsSignatures.MAX_KEYS_PER_TYPE);

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger fetches = new AtomicInteger();
    private final ProviderKeyCache cache = new ProviderKeyCache(provider -> {
        fetches.incrementAndGet();
        return FULL_SET;
    }, clock, MAX_AGE, STALE_GRACE, Duration.ofSeconds(30), ThreadsOnIdp.DEFAULTS);

    @Test
    void thumbprintsChangedOverAndOver_leaveOneEntryForTheProvider_andEachNewListFetchesAnew() {
        for (int i = 0; i < 50; i++) {
            assertThat(cache.keys(provider("idp.example.test", "123456789012", "%040x".formatted(i)),
                    Optional.empty())).hasSize(JwsSignatures.MAX_KEYS_PER_TYPE);
        }

        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.weight()).isEqualTo(1 + JwsSignatures.MAX_KEYS_PER_TYPE);
        // Keys fetched trusting one thumbprint list never serve another.
        assertThat(fetches).hasValue(50);
    }

    @Test
    void theSameUrlInTwoAccounts_hasAnEntryEach() {
        cache.keys(provider("idp.example.test", "123456789012", "a".repeat(40)), Optional.empty());
        cache.keys(provider("idp.example.test", "210987654321", "b".repeat(40)), Optional.empty());
        cache.keys(provider("idp.example.test", "123456789012", "a".repeat(40)), Optional.empty());

        assertThat(cache.size()).isEqualTo(2);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void manyProvidersWithFullKeySets_holdNoMoreThanTheBound() {
        long providers = 2 * ProviderKeyCache.MAX_CACHED_KEYS / JwsSignatures.MAX_KEYS_PER_TYPE;
        for (int i = 0; i < providers; i++) {
            cache.keys(provider("idp" + i + ".example.test", "123456789012", "c".repeat(40)), Optional.empty());
        }

        assertThat(cache.weight()).isLessThanOrEqualTo(ProviderKeyCache.MAX_CACHED_KEYS);
        assertThat(cache.size()).isLessThan(providers);
    }

    @Test
    void anEntryUnusedPastWhatItCouldServe_isDropped() {
        cache.keys(provider("gone.example.test", "123456789012", "d".repeat(40)), Optional.empty());

        clock.advance(MAX_AGE.plus(STALE_GRACE).plusSeconds(1));
        cache.keys(provider("live.example.test", "123456789012", "d".repeat(40)), Optional.empty());

        assertThat(cache.size()).isEqualTo(1);
    }

    private static OidcProvider provider(String host, String account, String thumbprint) {
        return new OidcProvider("arn:aws:iam::" + account + ":oidc-provider/" + host, "https://" + host,
                List.of("client"), List.of(thumbprint));
    }

    private static JWKSet keys(int count) {
        List<JWK> keys = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                keys.add(new ECKeyGenerator(Curve.P_256).keyID("k" + i).generate().toPublicJWK());
            }
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return new JWKSet(keys);
    }
}
