package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensts.federation.oidc.OidcProvider;
import org.opensts.federation.oidc.VerifiedWebIdentity;
import org.opensts.federation.oidc.WebIdentityToken;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verifying a typical RS256 ID token (a Kubernetes service-account token's claims plus session tags, about 900
 * characters) as AssumeRoleWithWebIdentity does, with the provider's keys already cached: parse, issuer, header and
 * algorithm, key lookup by {@code kid}, RSA signature, claims. The keys come from a fixed source, so the measured path
 * makes no request (the setup checks that the source was asked once). The baseline is one bare
 * {@code SHA256withRSA} verify of the same signing input with a ready {@link Signature}: the floor of any verifier.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar JwtVerificationBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2
 * </pre>
 *
 * <p>Thread-scoped, because a {@link Signature} is not thread-safe. Not final: JMH generates a subclass of each
 * {@code @State} class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtVerificationBenchmark {

    private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private String token;
    private OidcProvider provider;
    private WebIdentityTokenVerifier verifier;
    private Signature rsa;
    private byte[] signingInput;
    private byte[] signature;

    @Setup
    public void setUp() throws JOSEException, GeneralSecurityException {
        RSAKey key = new RSAKeyGenerator(2048).keyID("6c4a2f1e0b9d").algorithm(JWSAlgorithm.RS256)
                .keyUse(KeyUse.SIGNATURE).generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("system:serviceaccount:payments:checkout")
                .audience("sts.amazonaws.com")
                .issueTime(Date.from(NOW.minusSeconds(60)))
                .notBeforeTime(Date.from(NOW.minusSeconds(60)))
                .expirationTime(Date.from(NOW.plusSeconds(86_340)))
                .claim("kubernetes.io", Map.of(
                        "namespace", "payments",
                        "pod", Map.of("name", "checkout-7d9f8b6c5-x2k4q", "uid", "0f4a2b8c-7d9e-4c1a-9b3f-2e6d8a0c5f71"),
                        "serviceaccount", Map.of("name", "checkout", "uid", "9b3f2e6d-8a0c-4f71-0f4a-2b8c7d9e4c1a")))
                .claim("https://aws.amazon.com/tags", Map.of(
                        "principal_tags", Map.of("Team", List.of("payments")),
                        "transitive_tag_keys", List.of("Team")))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();

        JWKSet published = new JWKSet(key.toPublicJWK());
        AtomicInteger fetches = new AtomicInteger();
        provider = new OidcProvider("arn:aws:iam::123456789012:oidc-provider/" + ISSUER.substring(8), ISSUER,
                List.of("sts.amazonaws.com"), List.of());
        verifier = new WebIdentityTokenVerifier(p -> {
            fetches.incrementAndGet();
            return published;
        }, Clock.fixed(NOW, ZoneOffset.UTC));
        verifyWarmJwksCache(); // fails fast if the fixture is wrong; fills the cache
        verifyWarmJwksCache();
        if (fetches.get() != 1) {
            throw new IllegalStateException("the key cache is not warm: " + fetches.get() + " fetches");
        }

        String[] parts = token.split("\\.");
        signingInput = (parts[0] + "." + parts[1]).getBytes(US_ASCII);
        signature = new Base64URL(parts[2]).decode();
        rsa = Signature.getInstance("SHA256withRSA");
        RSAPublicKey publicKey = key.toRSAPublicKey();
        rsa.initVerify(publicKey);
        if (!baselineRsaSha256Verify()) {
            throw new IllegalStateException("the baseline does not verify");
        }
    }

    @Benchmark
    public VerifiedWebIdentity verifyWarmJwksCache() {
        return verifier.verify(WebIdentityToken.parse(token), provider);
    }

    @Benchmark
    public boolean baselineRsaSha256Verify() throws GeneralSecurityException {
        rsa.update(signingInput);
        return rsa.verify(signature);
    }
}
