package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.MutableClock;
import org.slf4j.LoggerFactory;

/** The verifier against a real issuer on loopback HTTPS: what it accepts, what it refuses and what it fetches. */
class WebIdentityTokenVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final IdpHttpsClient.Limits FAST =
            new IdpHttpsClient.Limits(Duration.ofSeconds(2), Duration.ofSeconds(2), 1 << 20);

    private static TestOidcIssuer issuer;
    private static TestOidcIssuer other;
    private static IdpHttpsClient https;

    private MutableClock clock;
    private WebIdentityTokenVerifier verifier;

    @BeforeAll
    static void startIssuers() {
        issuer = TestOidcIssuer.start();
        issuer.addRsaKey("rsa-384", JWSAlgorithm.RS384);
        issuer.addRsaKey("rsa-512", JWSAlgorithm.RS512);
        issuer.addEcKey("ec-256", JWSAlgorithm.ES256);
        issuer.addEcKey("ec-384", JWSAlgorithm.ES384);
        issuer.addEcKey("ec-512", JWSAlgorithm.ES512);
        other = TestOidcIssuer.start();
        https = IdpHttpsClient.create(Optional.of(issuer.caPemFile()), FAST);
    }

    @AfterAll
    static void stopIssuers() {
        issuer.close();
        other.close();
    }

    @BeforeEach
    void newVerifier() {
        clock = new MutableClock(NOW);
        verifier = new WebIdentityTokenVerifier(https, clock);
    }

    @AfterEach
    void restoreIssuer() {
        issuer.reset();
    }

    private static OidcProvider provider(TestOidcIssuer idp, String... thumbprints) {
        return new OidcProvider("arn:aws:iam::123456789012:oidc-provider/" + idp.hostPortPath(), idp.url(),
                List.of(TestOidcIssuer.DEFAULT_AUDIENCE, "second-client"), List.of(thumbprints));
    }

    private VerifiedWebIdentity verify(String token) {
        return verifier.verify(WebIdentityToken.parse(token), provider(issuer));
    }

    private static JWTClaimsSet.Builder claims() {
        return issuer.claims(NOW);
    }

    private static String claimsJson() {
        return claims().build().toString();
    }

    // ---- what it accepts ----

    record Accepted(String name, Function<TestOidcIssuer, String> token, String expectedAudience) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Accepted> acceptedTokens() {
        return Stream.of(
                new Accepted("RS256 with the default key", i -> i.mint(i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("RS384", i -> i.mint("rsa-384", i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("RS512", i -> i.mint("rsa-512", i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("ES256", i -> i.mint("ec-256", i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("ES384", i -> i.mint("ec-384", i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("ES512", i -> i.mint("ec-512", i.claims(NOW).build()), "sts.amazonaws.com"),
                new Accepted("expired four minutes ago, within AWS's five minutes of skew",
                        i -> i.mint(i.claims(NOW.minusSeconds(3600 + 240)).build()), "sts.amazonaws.com"),
                new Accepted("issued four minutes in the future, within the skew",
                        i -> i.mint(i.claims(NOW.plusSeconds(240)).notBeforeTime(Date.from(NOW.plusSeconds(240)))
                                .build()), "sts.amazonaws.com"),
                new Accepted("several audiences, the second one a client id",
                        i -> i.mint(i.claims(NOW).audience(List.of("someone-else", "second-client")).build()),
                        "second-client"),
                new Accepted("no kid: the one key that fits RS256 verifies it",
                        i -> TestOidcIssuer.mint(new JWSHeader.Builder(JWSAlgorithm.RS256).build(),
                                i.claims(NOW).build(), i.key(TestOidcIssuer.DEFAULT_KID)), "sts.amazonaws.com"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedTokens")
    void verify_wellFormedToken_isAccepted(Accepted accepted) {
        VerifiedWebIdentity identity = verify(accepted.token().apply(issuer));

        assertThat(identity.issuer()).isEqualTo(issuer.url());
        assertThat(identity.subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        assertThat(identity.audience()).isEqualTo(accepted.expectedAudience());
    }

    @Test
    void verify_fullClaimSet_readsEveryValueAwsUses() {
        String token = issuer.mint(claims()
                .audience(List.of("sts.amazonaws.com", "other"))
                .claim("azp", "my-app")
                .claim("amr", List.of("pwd", "mfa"))
                .claim("https://aws.amazon.com/tags", Map.of(
                        "principal_tags", Map.of("Project", List.of("blue")),
                        "transitive_tag_keys", List.of("Project")))
                .claim("https://aws.amazon.com/source_identity", "alice")
                .build());

        VerifiedWebIdentity identity = verify(token);

        assertThat(identity.audiences()).containsExactly("sts.amazonaws.com", "other");
        assertThat(identity.authorizedParty()).contains("my-app");
        assertThat(identity.authenticationMethods()).containsExactly("pwd", "mfa");
        assertThat(identity.issuedAt()).isEqualTo(NOW);
        assertThat(identity.expiration()).isEqualTo(NOW.plusSeconds(3600));
        assertThat(identity.tags()).containsExactly(Map.entry("Project", "blue"));
        assertThat(identity.transitiveTagKeys()).containsExactly("Project");
        assertThat(identity.sourceIdentity()).contains("alice");
    }

    // ---- what it refuses ----

    record Refused(String name, Function<TestOidcIssuer, String> token, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refused> refusedTokens() {
        RSAKey attacker = other.generateRsaKey("attacker", JWSAlgorithm.RS256, 2048);
        return Stream.of(
                new Refused("alg none", i -> TestOidcIssuer.unsigned("{\"alg\":\"none\",\"kid\":\"rsa-1\"}",
                        claimsJson()), ErrorCode.INVALID_IDENTITY_TOKEN, WebIdentityToken.NOT_A_JWT),
                new Refused("alg none, with a signature", i -> TestOidcIssuer.unsigned("{\"alg\":\"none\"}",
                        claimsJson()) + "c2ln", ErrorCode.INVALID_IDENTITY_TOKEN, WebIdentityToken.NOT_A_JWT),
                new Refused("HS256 keyed with the RSA public key's bytes", i -> TestOidcIssuer.signRaw(
                        "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", claimsJson(), new OctetSequenceKey.Builder(
                                publicKeyBytes(i)).build()), ErrorCode.INVALID_IDENTITY_TOKEN, Claims.NOT_VALIDATED),
                new Refused("PS256 with the published RSA key", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), i.claims(NOW).build(),
                        i.key("rsa-1")), ErrorCode.INVALID_IDENTITY_TOKEN, Claims.NOT_VALIDATED),
                new Refused("a crit header", i -> TestOidcIssuer.signRaw(
                        "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", claimsJson(),
                        i.key("rsa-1")), ErrorCode.INVALID_IDENTITY_TOKEN, Claims.NOT_VALIDATED),
                new Refused("an attacker key embedded as jwk, under the attacker's kid", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attacker.toPublicJWK())
                                .build(), i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN,
                        WebIdentityTokenVerifier.NO_VERIFICATION_KEY),
                new Refused("an attacker key embedded as jwk, under the real kid", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").jwk(attacker.toPublicJWK())
                                .build(), i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("a jku naming the attacker's key set", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwkURL(i.uri("/attacker/jwks"))
                                .build(), i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN,
                        WebIdentityTokenVerifier.NO_VERIFICATION_KEY),
                new Refused("an x5u naming the attacker's certificate", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").x509CertURL(i.uri("/attacker/x5u"))
                                .build(), i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("an x5c chain, without kid", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertChain(List.of(caCertificate(i))).build(),
                        i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN, Claims.NOT_VALIDATED),
                new Refused("an unknown kid", i -> TestOidcIssuer.mint(
                        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("never-published").build(),
                        i.claims(NOW).build(), attacker), ErrorCode.INVALID_IDENTITY_TOKEN,
                        WebIdentityTokenVerifier.NO_VERIFICATION_KEY),
                new Refused("another provider's key under the same kid, claiming this issuer",
                        i -> other.mint(i.claims(NOW).build()), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("the signature of another token", i -> splice(i.mint(i.claims(NOW).subject("eve")
                        .build()), i.mint(i.claims(NOW).build())), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("expired six minutes ago", i -> i.mint(i.claims(NOW.minusSeconds(3600 + 360)).build()),
                        ErrorCode.IDP_TOKEN_EXPIRED, "Token expired: current date/time " + NOW.getEpochSecond()
                                + " must be before the expiration date/time " + NOW.minusSeconds(360).getEpochSecond()),
                new Refused("nbf six minutes ahead", i -> i.mint(i.claims(NOW).notBeforeTime(
                        Date.from(NOW.plusSeconds(360))).build()), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("iat six minutes ahead", i -> i.mint(i.claims(NOW.plusSeconds(360)).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, Claims.NOT_VALIDATED),
                new Refused("no sub", i -> i.mint(i.claims(NOW).subject(null).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Missing a required claim: sub"),
                new Refused("no exp", i -> i.mint(i.claims(NOW).expirationTime(null).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Missing a required claim: exp"),
                new Refused("no iat", i -> i.mint(i.claims(NOW).issueTime(null).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Missing a required claim: iat"),
                new Refused("no aud", i -> i.mint(i.claims(NOW).audience((String) null).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Missing a required claim: aud"),
                new Refused("an audience that is no client id", i -> i.mint(i.claims(NOW).audience("sts.amazon.com")
                        .build()), ErrorCode.INVALID_IDENTITY_TOKEN, Claims.INCORRECT_AUDIENCE),
                new Refused("exp with a fraction", i -> i.mint(i.claims(NOW).claim("exp",
                        NOW.getEpochSecond() + 3600.5).build()), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("exp as a string", i -> i.mint(i.claims(NOW).claim("exp",
                        Long.toString(NOW.getEpochSecond() + 3600)).build()), ErrorCode.INVALID_IDENTITY_TOKEN,
                        Claims.NOT_VALIDATED),
                new Refused("a tag value that is not a one-element array", i -> i.mint(i.claims(NOW)
                        .claim("https://aws.amazon.com/tags", Map.of("principal_tags", Map.of("K", "v"))).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "https://aws.amazon.com/tags"),
                new Refused("a source identity that is not a string", i -> i.mint(i.claims(NOW)
                        .claim("https://aws.amazon.com/source_identity", List.of("a")).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "source_identity"),
                new Refused("a token for another issuer", i -> other.mint(other.claims(NOW).build()),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "No OpenIDConnect provider found in your account for "
                                + other.url()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void verify_hostileOrInvalidToken_isRefusedWithAwsError(Refused refused) {
        int attackerRequests = issuer.requests("/attacker/jwks") + issuer.requests("/attacker/x5u");

        ApiException error = catchThrowableOfType(ApiException.class, () -> verify(refused.token().apply(issuer)));

        assertThat(error).as("refused").isNotNull();
        assertThat(error.errorCode()).isEqualTo(refused.code());
        assertThat(error.getMessage()).contains(refused.message());
        assertThat(issuer.requests("/attacker/jwks") + issuer.requests("/attacker/x5u"))
                .as("no request to a URL named by the token").isEqualTo(attackerRequests);
    }

    record Unparsable(String name, String token, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Unparsable> unparsableTokens() {
        String valid = issuer.mint(claims().build());
        String[] parts = valid.split("\\.");
        return Stream.of(
                new Unparsable("garbage", "not a token", WebIdentityToken.NOT_A_JWT),
                new Unparsable("an opaque access token", "ya29.a0AfH6SMBx3kq", WebIdentityToken.NOT_A_JWT),
                new Unparsable("a JWE (five segments)", parts[0] + ".." + parts[1] + "." + parts[2] + ".tag",
                        WebIdentityToken.NOT_A_JWT),
                new Unparsable("two segments", parts[0] + "." + parts[1], WebIdentityToken.NOT_A_JWT),
                new Unparsable("padding in a segment", parts[0] + "=." + parts[1] + "." + parts[2],
                        WebIdentityToken.NOT_A_JWT),
                new Unparsable("a payload that is not JSON", parts[0] + "." + Base64URLs.of("not json") + "."
                        + parts[2], WebIdentityToken.NOT_A_JWT),
                new Unparsable("a payload that is a JSON array", parts[0] + "." + Base64URLs.of("[1]") + "."
                        + parts[2], WebIdentityToken.NOT_A_JWT),
                new Unparsable("a payload with two iss members", parts[0] + "." + Base64URLs.of(
                        "{\"iss\":\"https://a\",\"iss\":\"https://b\"}") + "." + parts[2], WebIdentityToken.NOT_A_JWT),
                new Unparsable("no iss", parts[0] + "." + Base64URLs.of("{\"sub\":\"x\"}") + "." + parts[2],
                        "Missing a required claim: iss"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unparsableTokens")
    void parse_notASignedJwtWithIssuer_isInvalidIdentityToken(Unparsable unparsable) {
        assertThatThrownBy(() -> WebIdentityToken.parse(unparsable.token()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
                    assertThat(e.getMessage()).isEqualTo(unparsable.message());
                });
    }

    @Test
    void parse_toStringNamesTheIssuerButNeverTheToken() {
        String token = issuer.mint(claims().build());
        assertThat(WebIdentityToken.parse(token).toString()).contains(issuer.url()).doesNotContain(token)
                .doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void verify_googleToken_acceptsAzpAsTheAudience() {
        // Only the issuer's host matters to this rule, so the claims are checked directly.
        Map<String, Object> claims = new java.util.HashMap<>(Map.of("iss", "https://accounts.google.com",
                "sub", "1234", "aud", "backend-id", "azp", "android-client", "iat", NOW.getEpochSecond(),
                "exp", NOW.getEpochSecond() + 600));
        OidcProvider google = new OidcProvider("arn:aws:iam::123456789012:oidc-provider/accounts.google.com",
                "https://accounts.google.com", List.of("android-client"), List.of());

        VerifiedWebIdentity identity = Claims.check(claims, google, NOW);

        assertThat(identity.audience()).isEqualTo("android-client");
        assertThat(identity.audiences()).containsExactly("backend-id");
        OidcProvider backendOnly = new OidcProvider(google.arn(), google.url(), List.of("backend-id"), List.of());
        assertThatThrownBy(() -> Claims.check(claims, backendOnly, NOW)).hasMessage(Claims.INCORRECT_AUDIENCE);
    }

    // ---- where the keys come from ----

    @Test
    void verify_providerUrlWithPortAndPath_discoversUnderThePath() {
        try (TestOidcIssuer realm = TestOidcIssuer.builder().host("localhost").pathPrefix("/realms/x").start()) {
            String token = realm.mint(realm.claims(NOW).build());

            VerifiedWebIdentity identity = verifier.verify(WebIdentityToken.parse(token), provider(realm));

            assertThat(identity.issuer()).isEqualTo("https://localhost:" + realm.port() + "/realms/x");
            assertThat(realm.requests("/realms/x/.well-known/openid-configuration")).isEqualTo(1);
            assertThat(realm.requests("/realms/x/jwks")).isEqualTo(1);
        }
    }

    @Test
    void verify_manyTokens_fetchTheKeysOnce() {
        int before = issuer.jwksRequests();
        for (int n = 0; n < 5; n++) {
            verify(issuer.mint(claims().build()));
            verify(issuer.mint("ec-256", claims().build()));
        }
        assertThat(issuer.jwksRequests() - before).isEqualTo(1);
    }

    @Test
    void verify_rotatedInKey_isFetchedOnce_andUnknownKidsWithinTheIntervalCauseNoRequest() {
        verify(issuer.mint(claims().build()));
        int before = issuer.jwksRequests();
        issuer.addRsaKey("rotated-in", JWSAlgorithm.RS256);
        try {
            clock.advance(Duration.ofSeconds(31));
            verify(issuer.mint("rotated-in", claims(clock.instant()).build()));
            assertThat(issuer.jwksRequests() - before).as("one refetch for the new kid").isEqualTo(1);

            RSAKey unknown = other.generateRsaKey("unknown-kid", JWSAlgorithm.RS256, 2048);
            for (int n = 0; n < 3; n++) {
                String token = other.mint("unknown-kid", claims(clock.instant()).build());
                assertThatThrownBy(() -> verify(token)).hasMessage(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
            }
            assertThat(issuer.jwksRequests() - before).as("no refetch within 30 s").isEqualTo(1);

            clock.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> verify(other.mint("unknown-kid", claims(clock.instant()).build())))
                    .hasMessage(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
            assertThat(issuer.jwksRequests() - before).as("one more after the interval").isEqualTo(2);
            assertThat(unknown.getKeyID()).isEqualTo("unknown-kid");
        } finally {
            issuer.retire("rotated-in");
        }
    }

    @Test
    void verify_retiredKey_stopsVerifyingOnceTheCachedKeysAreStale() {
        issuer.addRsaKey("to-retire", JWSAlgorithm.RS256);
        verify(issuer.mint("to-retire", claims().build()));
        issuer.retire("to-retire");

        clock.advance(WebIdentityTokenVerifier.KEYS_MAX_AGE);
        String token = issuer.mint("to-retire", claims(clock.instant()).build());

        assertThatThrownBy(() -> verify(token)).hasMessage(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
    }

    @Test
    void verify_concurrentTokensWithANewKid_causeOneFetch() throws Exception {
        // The default room for callers to wait for the one fetch (KeyFetchBoundTest covers running out of it).
        var roomy = new WebIdentityTokenVerifier(https, clock);
        roomy.verify(WebIdentityToken.parse(issuer.mint(claims().build())), provider(issuer));
        issuer.addEcKey("concurrent", JWSAlgorithm.ES256);
        try {
            clock.advance(Duration.ofSeconds(31));
            String token = issuer.mint("concurrent", claims(clock.instant()).build());
            int before = issuer.jwksRequests();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<VerifiedWebIdentity>> calls = new ArrayList<>();
                for (int n = 0; n < 16; n++) {
                    calls.add(() -> roomy.verify(WebIdentityToken.parse(token), provider(issuer)));
                }
                for (Future<VerifiedWebIdentity> result : pool.invokeAll(calls)) {
                    assertThat(result.get().subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(issuer.jwksRequests() - before).isEqualTo(1);
        } finally {
            issuer.retire("concurrent");
        }
    }

    record KeyCase(String name, Function<TestOidcIssuer, JWK> publish) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KeyCase> unusableKeys() {
        return Stream.of(
                new KeyCase("an RSA key of 1024 bits", i -> i.publish(i.generateRsaKey("weak", JWSAlgorithm.RS256,
                        1024))),
                new KeyCase("a key for encryption", i -> i.publish(new RSAKey.Builder(
                        i.generateRsaKey("weak", JWSAlgorithm.RS256, 2048)).keyUse(KeyUse.ENCRYPTION)
                        .build())),
                new KeyCase("a key for another alg", i -> i.publish(new RSAKey.Builder(
                        i.generateRsaKey("weak", JWSAlgorithm.RS256, 2048)).algorithm(JWSAlgorithm.RS512)
                        .build())),
                new KeyCase("an RSA key whose public exponent has 257 bits (FIPS 186-5 caps it below 2^256)", i -> {
                    try {
                        var generator = java.security.KeyPairGenerator.getInstance("RSA");
                        generator.initialize(new java.security.spec.RSAKeyGenParameterSpec(2048,
                                java.math.BigInteger.ONE.shiftLeft(256).add(java.math.BigInteger.valueOf(297))));
                        var pair = generator.generateKeyPair();
                        return i.publish(new RSAKey.Builder((java.security.interfaces.RSAPublicKey) pair.getPublic())
                                .privateKey(pair.getPrivate()).keyID("weak").keyUse(KeyUse.SIGNATURE).build());
                    } catch (java.security.GeneralSecurityException e) {
                        throw new IllegalStateException(e);
                    }
                }),
                new KeyCase("a key published with its private part", i -> {
                    RSAKey key = i.generateRsaKey("weak", JWSAlgorithm.RS256, 2048);
                    i.override(i.jwksPath(), new TestOidcIssuer.Response(200, "application/json",
                            ("{\"keys\":[" + key.toJSONString() + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    return key;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableKeys")
    void verify_tokenSignedWithAnUnusablePublishedKey_findsNoVerificationKey(KeyCase keyCase) {
        keyCase.publish().apply(issuer);
        try {
            String token = TestOidcIssuer.mint(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak")
                    .type(JOSEObjectType.JWT).build(), claims().build(), issuer.key("weak"));

            assertThatThrownBy(() -> verify(token)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
                assertThat(e.getMessage()).isEqualTo(WebIdentityTokenVerifier.NO_VERIFICATION_KEY);
            });
        } finally {
            issuer.retire("weak");
        }
    }

    /**
     * AWS reads at most 100 keys of each type from a JWKS: a key published after the hundredth RSA key is not found.
     * Without the cap a 1 MiB key set holds some 2,500 RSA keys under one {@code kid}, each tried against every
     * forged token (about 200 ms of CPU per unsigned request, measured).
     */
    @ParameterizedTest(name = "{0} other RSA keys published first")
    @org.junit.jupiter.params.provider.ValueSource(ints = {99, 100})
    void verify_keyAfterTheHundredthOfItsType_isNotRead(int before) {
        RSAKey decoy = other.generateRsaKey(TestOidcIssuer.DEFAULT_KID, JWSAlgorithm.RS256, 2048);
        var keys = new ArrayList<JWK>();
        for (int n = 0; n < before; n++) {
            keys.add(decoy.toPublicJWK());
        }
        keys.add(issuer.key("ec-256").toPublicJWK()); // another type counts apart
        keys.add(issuer.key(TestOidcIssuer.DEFAULT_KID).toPublicJWK());
        var fixed = new WebIdentityTokenVerifier(p -> new com.nimbusds.jose.jwk.JWKSet(keys), clock);
        var token = WebIdentityToken.parse(issuer.mint(claims().build()));

        if (before < 100) {
            assertThat(fixed.verify(token, provider(issuer)).subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        } else {
            assertThatThrownBy(() -> fixed.verify(token, provider(issuer))).isInstanceOfSatisfying(
                    ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(Claims.NOT_VALIDATED));
        }
    }

    // ---- HTTPS: trust, thumbprints, limits ----

    @Test
    void verify_caTrustedIssuerWithStaleThumbprints_isAccepted() {
        // AWS consults thumbprints only for a certificate no trusted CA signed; this issuer's CA is in the bundle.
        String token = issuer.mint(claims().build());

        assertThat(verifier.verify(WebIdentityToken.parse(token), provider(issuer, "0".repeat(40)))
                .subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
    }

    @Test
    void verify_issuerNoCaVouchesFor_withThumbprintOfItsCaOrServerCertificate_isAccepted() {
        IdpHttpsClient jdkTrustOnly = IdpHttpsClient.create(Optional.empty(), FAST);
        String token = issuer.mint(claims().build());
        for (String thumbprint : List.of(issuer.caThumbprint(), issuer.serverCertificateThumbprint(),
                issuer.caThumbprint().toUpperCase(java.util.Locale.ROOT))) {
            WebIdentityTokenVerifier fresh = new WebIdentityTokenVerifier(jdkTrustOnly, clock);
            assertThat(fresh.verify(WebIdentityToken.parse(token), provider(issuer, "0".repeat(40), thumbprint))
                    .subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        }
    }

    @Test
    void verify_issuerNoCaVouchesFor_withNoThumbprintOfItsChain_isAwsThumbprintError() {
        WebIdentityTokenVerifier jdkTrustOnly =
                new WebIdentityTokenVerifier(IdpHttpsClient.create(Optional.empty(), FAST), clock);
        String token = issuer.mint(claims().build());
        int requestsBefore = issuer.totalRequests();

        assertThatThrownBy(() -> jdkTrustOnly.verify(WebIdentityToken.parse(token),
                provider(issuer, "da39a3ee5e6b4b0d3255bfef95601890afd80709")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
                    assertThat(e.getMessage()).isEqualTo(
                            "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint");
                });
        assertThat(issuer.totalRequests()).as("nothing is sent to a server that fails the handshake")
                .isEqualTo(requestsBefore);
    }

    @Test
    void verify_serverCaNotInTheBundle_andNoThumbprints_isCommunicationError() {
        WebIdentityTokenVerifier jdkTrustOnly =
                new WebIdentityTokenVerifier(IdpHttpsClient.create(Optional.empty(), FAST), clock);
        String token = issuer.mint(claims().build());

        assertCommunicationError(() -> jdkTrustOnly.verify(WebIdentityToken.parse(token), provider(issuer)), "TLS");
    }

    @Test
    void verify_httpIssuer_isRefusedWithoutARequest() {
        String url = "http://127.0.0.1:" + issuer.port();
        String token = issuer.mint(claims().issuer(url).build());
        OidcProvider plain = new OidcProvider("arn:aws:iam::123456789012:oidc-provider/127.0.0.1", url,
                List.of(TestOidcIssuer.DEFAULT_AUDIENCE), List.of());
        int before = issuer.totalRequests();

        assertCommunicationError(() -> verifier.verify(WebIdentityToken.parse(token), plain), "https");
        assertThat(issuer.totalRequests()).isEqualTo(before);
    }

    @Test
    void verify_httpJwksUri_isRefusedWithoutFetchingIt() {
        issuer.jwksUri("http://127.0.0.1:" + issuer.port() + "/plain-jwks");

        assertCommunicationError(() -> verify(issuer.mint(claims().build())), "https");
        assertThat(issuer.requests("/plain-jwks")).isZero();
    }

    /**
     * The {@code jwks_uri} is text from the IdP's answer: an unsigned caller must not get it back (credentials in it,
     * a 1 MiB string, the reachability of an internal address it names). The provider URL, which the account
     * registered, still identifies the fetch.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "http://user:s3cret@127.0.0.1/PLACEHOLDER", "https://user:s3cret@127.0.0.1:1/PLACEHOLDER",
        "https://user:s3cret@[::1/PLACEHOLDER"})
    void verify_failingJwksUri_isNotEchoedToTheCaller(String jwksUri) {
        issuer.jwksUri(jwksUri.replace("PLACEHOLDER", "x".repeat(5_000)));

        ApiException error = assertCommunicationError(() -> verify(issuer.mint(claims().build())), issuer.url());
        assertThat(error.getMessage()).doesNotContain("s3cret").doesNotContain("xxxx").hasSizeLessThan(400);
    }

    @Test
    void verify_discoveryNamingAnotherIssuer_isCommunicationError() {
        issuer.discoveryIssuer("https://evil.example");

        assertCommunicationError(() -> verify(issuer.mint(claims().build())), "another issuer");
    }

    record Broken(String name, String path, TestOidcIssuer.Response response, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Broken> brokenAnswers() {
        byte[] notJson = "<html>oops</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Stream.of(
                new Broken("discovery that is not JSON", "discovery", json(200, "<html>oops</html>"),
                        "not a JSON object"),
                new Broken("discovery without jwks_uri", "discovery", json(200, "{\"issuer\":\"x\"}"),
                        "another issuer"),
                new Broken("discovery answering 404", "discovery", new TestOidcIssuer.Response(404, "text/plain",
                        notJson), "HTTP status 404"),
                new Broken("discovery redirecting", "discovery", new TestOidcIssuer.Response(302, "text/plain",
                        new byte[0]), "HTTP status 302"),
                new Broken("JWKS that is not JSON", "jwks", json(200, "<html>oops</html>"), "not a JSON object"),
                new Broken("JWKS without keys", "jwks", json(200, "{\"kys\":[]}"), "no keys array"),
                new Broken("JWKS answering 500", "jwks", new TestOidcIssuer.Response(500, "text/plain", notJson),
                        "HTTP status 500"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenAnswers")
    void verify_brokenProviderAnswer_isCommunicationErrorWithoutTheBody(Broken broken) {
        issuer.override(broken.path().equals("jwks") ? issuer.jwksPath() : issuer.discoveryPath(),
                broken.response());

        ApiException error = assertCommunicationError(() -> verify(issuer.mint(claims().build())), broken.reason());
        assertThat(error.getMessage()).doesNotContain("oops");
    }

    @ParameterizedTest(name = "chunked: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void verify_jwksLargerThanTheCap_isCommunicationError(boolean chunked) {
        issuer.serveOversized(issuer.jwksPath(), (1 << 20) + 1, chunked);

        assertCommunicationError(() -> verify(issuer.mint(claims().build())), "larger than 1048576 bytes");
    }

    @Test
    void verify_jwksOfExactlyTheCap_isRead() {
        IdpHttpsClient small = IdpHttpsClient.create(Optional.of(issuer.caPemFile()),
                new IdpHttpsClient.Limits(Duration.ofSeconds(2), Duration.ofSeconds(2), 4096));
        byte[] jwks = issuer.jwks().toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] padded = java.util.Arrays.copyOf(jwks, 4096);
        java.util.Arrays.fill(padded, jwks.length, padded.length, (byte) ' ');
        issuer.override(issuer.jwksPath(), new TestOidcIssuer.Response(200, "application/json", padded, true));

        WebIdentityTokenVerifier capped = new WebIdentityTokenVerifier(small, clock);
        assertThat(capped.verify(WebIdentityToken.parse(issuer.mint(claims().build())), provider(issuer)).subject())
                .isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
    }

    @Test
    void verify_serverThatNeverAnswers_isCommunicationErrorAfterTheTimeout() {
        IdpHttpsClient impatient = IdpHttpsClient.create(Optional.of(issuer.caPemFile()),
                new IdpHttpsClient.Limits(Duration.ofSeconds(2), Duration.ofMillis(300), 1 << 20));
        WebIdentityTokenVerifier verifierWithShortTimeout = new WebIdentityTokenVerifier(impatient, clock);
        issuer.hang();

        assertCommunicationError(() -> verifierWithShortTimeout.verify(WebIdentityToken.parse(
                issuer.mint(claims().build())), provider(issuer)), "within 300 ms");
    }

    @Test
    void verify_afterAFailedFetch_answersFromTheFailureUntilTheIntervalPasses() {
        issuer.override(issuer.discoveryPath(), json(503, "{}"));
        String token = issuer.mint(claims().build());
        assertCommunicationError(() -> verify(token), "HTTP status 503");
        int before = issuer.discoveryRequests();

        assertCommunicationError(() -> verify(token), /* reason= */ null);
        assertThat(issuer.discoveryRequests()).isEqualTo(before);

        issuer.reset();
        clock.advance(WebIdentityTokenVerifier.MIN_REFETCH_INTERVAL);
        assertThat(verify(issuer.mint(claims(clock.instant()).build())).subject())
                .isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        assertThat(issuer.discoveryRequests()).isEqualTo(before + 1);
    }

    @Test
    void discoveryUri_keepsPortAndPath_andDropsATrailingSlash() {
        assertThat(IdpHttpsClient.discoveryUri("https://host:8443/realms/x"))
                .isEqualTo(URI.create("https://host:8443/realms/x/.well-known/openid-configuration"));
        assertThat(IdpHttpsClient.discoveryUri("https://auth.example.com/"))
                .isEqualTo(URI.create("https://auth.example.com/.well-known/openid-configuration"));
    }

    record BadBundle(String name, String content) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadBundle> badBundles() {
        return Stream.of(new BadBundle("an empty file", ""), new BadBundle("a file that is not PEM", "hello\n"),
                new BadBundle("a missing file", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBundles")
    void create_unusableTrustedCaFile_isIllegalArgumentNamingTheFile(BadBundle bundle) throws Exception {
        java.nio.file.Path file = Files.createTempFile("bundle", ".pem");
        if (bundle.content() == null) {
            Files.delete(file);
        } else {
            Files.writeString(file, bundle.content());
        }
        try {
            assertThatThrownBy(() -> IdpHttpsClient.create(Optional.of(file)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(file.toString());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---- helpers ----

    private static JWTClaimsSet.Builder claims(Instant now) {
        return issuer.claims(now);
    }

    /**
     * The call fails {@code IDPCommunicationError} with the fixed text (what answers where is not the caller's to
     * learn), and the node's log gives the operator the reason.
     *
     * @param reason what the log must say; null when the failure is remembered, not fetched anew (nothing logged)
     */
    private static ApiException assertCommunicationError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            String reason) {
        Logger log = (Logger) LoggerFactory.getLogger(ProviderKeyCache.class);
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        log.addAppender(events);
        ApiException error;
        try {
            error = catchThrowableOfType(ApiException.class, call);
        } finally {
            log.detachAppender(events);
        }
        assertThat(error).as("refused").isNotNull();
        assertThat(error.errorCode()).isEqualTo(ErrorCode.IDP_COMMUNICATION_ERROR);
        assertThat(error.getMessage()).endsWith(ProviderKeyCache.FETCH_FAILED);
        if (reason == null) {
            assertThat(events.list).as("a failure remembered from an earlier fetch is not logged again").isEmpty();
        } else {
            assertThat(events.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.INFO);
                assertThat(event.getFormattedMessage()).contains(reason);
            });
        }
        return error;
    }

    private static TestOidcIssuer.Response json(int status, String body) {
        return new TestOidcIssuer.Response(status, "application/json",
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static byte[] publicKeyBytes(TestOidcIssuer idp) {
        try {
            return ((RSAKey) idp.key("rsa-1")).toPublicKey().getEncoded();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Base64 caCertificate(TestOidcIssuer idp) {
        try (InputStream in = Files.newInputStream(idp.caPemFile())) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return Base64.encode(ca.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header and payload of {@code first} with the signature of {@code second}. */
    private static String splice(String first, String second) {
        return first.substring(0, first.lastIndexOf('.')) + second.substring(second.lastIndexOf('.'));
    }

    /** Base64url without padding, for hand-made segments. */
    static final class Base64URLs {
        static String of(String text) {
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
