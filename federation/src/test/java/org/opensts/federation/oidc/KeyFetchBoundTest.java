package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.MutableClock;

/**
 * How many request threads a provider that hangs can hold, and which keys serve while a refresh is under way. The key
 * source is driven by the test: a held fetch blocks on a latch until the test releases it, so nothing here sleeps or
 * depends on timing.
 */
class KeyFetchBoundTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final OidcProvider P1 = provider("p1.example.test");
    private static final OidcProvider P2 = provider("p2.example.test");
    private static final OidcProvider OTHER_ACCOUNTS = provider("other.example.test", "210987654321");
    private static final ECKey K1 = generate("k1");
    private static final ECKey K2 = generate("k2");

    private MutableClock clock;
    private ControlledSource source;
    private ExecutorService threads;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        source = new ControlledSource();
        source.publish(P1, K1);
        source.publish(P2, K1);
        source.publish(OTHER_ACCOUNTS, K1);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void tearDown() {
        source.release();
        threads.shutdownNow();
    }

    @Test
    void verify_boundHeldByAFetchForOneProvider_anotherProviderIsCommunicationErrorWithoutARequest() throws Exception {
        var verifier = verifier(new ThreadsOnIdp(1, 1, 0, 0));
        source.hold();
        Future<VerifiedWebIdentity> held = threads.submit(() -> verify(verifier, P1, K1));
        source.awaitHeldFetch();

        assertBusy(() -> verify(verifier, P2, K1));
        assertThat(source.calls(P2)).as("P2 never asked").isZero();

        source.release();
        assertThat(held.get().issuer()).isEqualTo(P1.url());
        assertThat(verify(verifier, P2, K1).issuer()).as("the refusal left no failure behind").isEqualTo(P2.url());
        assertThat(source.calls(P2)).isEqualTo(1);
    }

    @Test
    void verify_manyConcurrentCallsForAHangingProvider_parkAtMostTheBound_theRestFailFast() throws Exception {
        int bound = 3; // one fetching, two waiting for it
        int calls = 10;
        var verifier = verifier(new ThreadsOnIdp(1, 1, bound - 1, bound - 1));
        source.hold();
        var finished = new CountDownLatch(calls - bound);
        var refused = new AtomicInteger();
        var results = new ArrayList<Future<Boolean>>();
        for (int n = 0; n < calls; n++) {
            results.add(threads.submit(() -> {
                try {
                    verify(verifier, P1, K1);
                    return true;
                } catch (ApiException e) {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.IDP_COMMUNICATION_ERROR);
                    assertThat(e.getMessage()).endsWith(ProviderKeyCache.BUSY);
                    refused.incrementAndGet();
                    return false;
                } finally {
                    finished.countDown();
                }
            }));
        }

        finished.await(); // while the fetch is held, only the calls that did not park can finish
        assertThat(refused.get()).as("refused while the fetch hangs").isEqualTo(calls - bound);
        assertThat(source.calls(P1)).as("one fetch").isEqualTo(1);

        source.release();
        int verified = 0;
        for (Future<Boolean> result : results) {
            verified += result.get() ? 1 : 0;
        }
        assertThat(verified).as("the parked calls read the fetch's keys").isEqualTo(bound);
        assertThat(refused.get()).isEqualTo(calls - bound);
        assertThat(source.calls(P1)).isEqualTo(1);
        assertThat(verify(verifier, P2, K1).issuer()).as("every permit came back").isEqualTo(P2.url());
    }

    record Staleness(String name, Duration age, boolean served) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Staleness> staleness() {
        Duration graceEnds = WebIdentityTokenVerifier.KEYS_MAX_AGE.plus(WebIdentityTokenVerifier.STALE_KEYS_GRACE);
        return Stream.of(
                new Staleness("just stale", WebIdentityTokenVerifier.KEYS_MAX_AGE, true),
                new Staleness("a second before the grace ends", graceEnds.minusSeconds(1), true),
                new Staleness("as the grace ends", graceEnds, false),
                new Staleness("a day old", Duration.ofDays(1), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staleness")
    void verify_staleKeysWhileARefreshIsUnderWay_serveAKnownKidOnlyWithinTheGrace(Staleness stale) throws Exception {
        // Within the grace a wait's permit is left free, so only the refresh under way can spare the call its
        // wait; past it the call needs the provider's answer, and with no room to wait for the refresh it is
        // refused.
        int waits = stale.served() ? 1 : 0;
        var verifier = verifier(new ThreadsOnIdp(1, 1, waits, waits));
        verify(verifier, P1, K1);
        clock.advance(stale.age());
        source.publish(P1, K2); // the provider rotated K1 out
        source.hold();
        Future<VerifiedWebIdentity> refreshing = threads.submit(() -> verify(verifier, P1, K1));
        source.awaitHeldFetch();

        if (stale.served()) {
            assertThat(verify(verifier, P1, K1).issuer()).isEqualTo(P1.url());
        } else {
            assertBusy(() -> verify(verifier, P1, K1));
        }
        assertThat(source.calls(P1)).as("the first fetch and the refresh").isEqualTo(2);

        source.release();
        assertThatThrownBy(refreshing::get).hasCauseInstanceOf(ApiException.class)
                .cause().hasMessage(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
        assertThatThrownBy(() -> verify(verifier, P1, K1)).as("the completed refresh replaced the keys")
                .hasMessage(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
        assertThat(verify(verifier, P1, K2).issuer()).isEqualTo(P1.url());
        assertThat(source.calls(P1)).isEqualTo(2);
    }

    @Test
    void verify_staleKeysAndEveryPermitHeld_serveAKnownKidWithoutARequest() throws Exception {
        var verifier = verifier(new ThreadsOnIdp(1, 1, 0, 0));
        verify(verifier, P1, K1);
        clock.advance(WebIdentityTokenVerifier.KEYS_MAX_AGE);
        source.hold();
        Future<VerifiedWebIdentity> hanging = threads.submit(() -> verify(verifier, P2, K1));
        source.awaitHeldFetch();

        assertThat(verify(verifier, P1, K1).issuer()).isEqualTo(P1.url());
        assertThat(source.calls(P1)).as("no refresh without a permit").isEqualTo(1);
        assertBusy(() -> verify(verifier, P1, K2)); // a kid the stale keys lack needs the provider

        source.release();
        hanging.get();
        verify(verifier, P1, K1);
        assertThat(source.calls(P1)).as("refreshed once a permit is free").isEqualTo(2);
    }

    @Test
    void verify_refreshFails_staleKeysServeAKnownKidUntilTheGraceEnds() {
        var verifier = verifier(new ThreadsOnIdp(1, 1, 0, 0));
        verify(verifier, P1, K1);
        clock.advance(WebIdentityTokenVerifier.KEYS_MAX_AGE);
        var down = IdpHttpsClient.communicationError("couldn't fetch the test provider: HTTP status 503");
        source.fail(down);

        assertThat(verify(verifier, P1, K1).issuer()).as("the failed refresh keeps the keys").isEqualTo(P1.url());
        assertThat(source.calls(P1)).isEqualTo(2);
        ApiException remembered = catchThrowableOfType(ApiException.class, () -> verify(verifier, P1, K2));
        assertThat(remembered).as("a kid they lack is the remembered failure, without the reason").isNotNull();
        assertThat(remembered.errorCode()).isEqualTo(ErrorCode.IDP_COMMUNICATION_ERROR);
        assertThat(remembered.getMessage()).endsWith(ProviderKeyCache.FETCH_FAILED).doesNotContain("503");
        assertThat(source.calls(P1)).as("remembered for the interval").isEqualTo(2);

        clock.advance(WebIdentityTokenVerifier.STALE_KEYS_GRACE);
        assertThatThrownBy(() -> verify(verifier, P1, K1)).as("past the grace")
                .hasMessage(remembered.getMessage());
        assertThat(source.calls(P1)).isEqualTo(3);
    }

    /**
     * An account's administrator may register providers whose servers never answer; the calls naming them hold that
     * account's permits only, and another account's provider is still asked.
     */
    @Test
    void verify_oneAccountsProvidersHoldingItsPermits_anotherAccountsProviderIsStillAsked() throws Exception {
        var verifier = verifier(new ThreadsOnIdp(1, 2, 0, 0));
        source.hold(P1);
        Future<VerifiedWebIdentity> held = threads.submit(() -> verify(verifier, P1, K1));
        source.awaitHeldFetch();

        assertBusy(() -> verify(verifier, P2, K1)); // the same account: its one permit is held
        assertThat(verify(verifier, OTHER_ACCOUNTS, K1).issuer()).isEqualTo(OTHER_ACCOUNTS.url());

        source.release();
        assertThat(held.get().issuer()).isEqualTo(P1.url());
    }

    /**
     * Accounts whose providers never answer may hold every fetch the node allows; an account that holds none may still
     * make one, so that they cannot stop its provider from being asked at all. The account that holds them gets no
     * more.
     */
    @Test
    void verify_accountsHoldingTheNodesFetches_leaveAnAccountWithNoneItsOneFetch() throws Exception {
        var verifier = verifier(new ThreadsOnIdp(2, 2, 0, 0));
        OidcProvider third = provider("p3.example.test");
        source.publish(third, K1);
        source.hold(P1, P2);
        Future<VerifiedWebIdentity> first = threads.submit(() -> verify(verifier, P1, K1));
        Future<VerifiedWebIdentity> second = threads.submit(() -> verify(verifier, P2, K1));
        source.awaitHeldFetches(2);

        assertThat(verify(verifier, OTHER_ACCOUNTS, K1).issuer()).isEqualTo(OTHER_ACCOUNTS.url());
        assertBusy(() -> verify(verifier, third, K1)); // the holding account's own third provider
        assertThat(source.calls(third)).isZero();

        source.release();
        assertThat(first.get().issuer()).isEqualTo(P1.url());
        assertThat(second.get().issuer()).isEqualTo(P2.url());
    }

    /**
     * Many callers of a healthy provider seen for the first time, all at once (pods starting together): one fetch,
     * the others wait for it, and every one gets in.
     */
    @Test
    void verify_manyFirstCallersOfAHealthyProvider_waitForItsOneFetch_andAllGetIn() throws Exception {
        var verifier = verifier(new ThreadsOnIdp(1, 1, 16, 16));
        source.hold();
        var results = new ArrayList<Future<VerifiedWebIdentity>>();
        for (int n = 0; n < 12; n++) {
            results.add(threads.submit(() -> verify(verifier, P1, K1)));
        }
        source.awaitHeldFetch();

        source.release();
        for (Future<VerifiedWebIdentity> result : results) {
            assertThat(result.get().issuer()).isEqualTo(P1.url());
        }
        assertThat(source.calls(P1)).isEqualTo(1);
    }

    @Test
    void defaultBounds_twoFetchesAndThirtyTwoWaitsAnAccount_thirtyTwoAndAHundredAndTwentyEightInAll() {
        assertThat(ThreadsOnIdp.DEFAULTS).isEqualTo(new ThreadsOnIdp(2, 32, 32, 128));
    }

    // ---- helpers ----

    private WebIdentityTokenVerifier verifier(ThreadsOnIdp threadsOnIdp) {
        return new WebIdentityTokenVerifier(source, clock, threadsOnIdp);
    }

    private VerifiedWebIdentity verify(WebIdentityTokenVerifier verifier, OidcProvider provider, ECKey key) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(provider.url()).subject("app")
                .audience(TestOidcIssuer.DEFAULT_AUDIENCE).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600))).build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT)
                .build();
        return verifier.verify(WebIdentityToken.parse(TestOidcIssuer.mint(header, claims, key)), provider);
    }

    private static void assertBusy(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        ApiException error = catchThrowableOfType(ApiException.class, call);
        assertThat(error).as("refused").isNotNull();
        assertThat(error.errorCode()).isEqualTo(ErrorCode.IDP_COMMUNICATION_ERROR);
        assertThat(error.getMessage()).endsWith(ProviderKeyCache.BUSY);
    }

    private static OidcProvider provider(String host) {
        return provider(host, "123456789012");
    }

    private static OidcProvider provider(String host, String account) {
        return new OidcProvider("arn:aws:iam::" + account + ":oidc-provider/" + host, "https://" + host,
                List.of(TestOidcIssuer.DEFAULT_AUDIENCE), List.of());
    }

    private static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A key source the test drives: what each provider publishes, how often it was asked, a failure to answer with,
     * and a gate that holds every fetch until released.
     */
    private static final class ControlledSource implements JwksSource {
        private final Map<String, List<JWK>> published = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private volatile CountDownLatch gate = new CountDownLatch(0);
        /** A permit for each held fetch that has begun. */
        private volatile Semaphore entered = new Semaphore(0);
        /** The providers whose fetches are held; empty when every provider's are. */
        private volatile Set<String> heldUrls = Set.of();
        private volatile ApiException failure;

        void publish(OidcProvider provider, ECKey... keys) {
            List<JWK> publicKeys = new ArrayList<>();
            for (ECKey key : keys) {
                publicKeys.add(key.toPublicJWK());
            }
            published.put(provider.url(), publicKeys);
        }

        void fail(ApiException error) {
            failure = error;
        }

        /** Holds the fetches of {@code providers} (every provider's when none is named) until {@link #release}. */
        void hold(OidcProvider... providers) {
            heldUrls = java.util.Arrays.stream(providers).map(OidcProvider::url).collect(Collectors.toSet());
            entered = new Semaphore(0);
            gate = new CountDownLatch(1);
        }

        void awaitHeldFetch() throws InterruptedException {
            awaitHeldFetches(1);
        }

        void awaitHeldFetches(int count) throws InterruptedException {
            entered.acquire(count);
        }

        void release() {
            gate.countDown();
        }

        int calls(OidcProvider provider) {
            AtomicInteger count = calls.get(provider.url());
            return count == null ? 0 : count.get();
        }

        @Override
        public JWKSet fetchJwks(OidcProvider provider) {
            calls.computeIfAbsent(provider.url(), url -> new AtomicInteger()).incrementAndGet();
            if (!heldUrls.isEmpty() && !heldUrls.contains(provider.url())) {
                return new JWKSet(published.get(provider.url()));
            }
            entered.release();
            try {
                // Bounded only so that a cache that wrongly waits ends in a failed assertion rather than a hung build.
                if (!gate.await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never released the fetch");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (failure != null) {
                throw failure;
            }
            return new JWKSet(published.get(provider.url()));
        }
    }
}
