package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.opensts.sigv4.CanonicalRequest;
import org.opensts.sigv4.SigV4;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.sigv4.SigningCredentials;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Verifying the SigV4 signature of a realistic STS {@code AssumeRole} POST, as the AWS SDK for Java v2 sends it:
 * eight headers (six signed), a form body of 140 bytes, long-term credentials. Each verification parses the
 * {@code Authorization} header and then checks the time window, the payload hash, the canonical request, the string
 * to sign and the signature. {@code verifySessionToken} verifies the same call signed with temporary credentials,
 * whose session token of 1,200 characters is a signed header and so a long line of the canonical request (the token
 * is not opened: that is the verifier module's work). Two baselines run beside them:
 *
 * <ul>
 *   <li>{@code verifyDerivingSigningKey}: the same verification with the signing-key cache disabled, so the ratio
 *       shows what the cache saves (four HMACs per request);</li>
 *   <li>{@code hmacOfStringToSign}: one bare HMAC-SHA256 of the string to sign with a ready {@link Mac}, the floor
 *       that no verifier can go below.</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SigV4VerifyBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2
 * </pre>
 *
 * <p>Thread-scoped, because a {@link Mac} is not thread-safe. Not final: JMH generates a subclass of each
 * {@code @State} class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SigV4VerifyBenchmark {

    private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(UTF_8);
    private static final Instant SIGNED_AT = Instant.parse("2026-11-25T12:00:00Z");
    private static final String BODY = "Action=AssumeRole&Version=2011-06-15"
            + "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FDataEngineer"
            + "&RoleSessionName=alice-pipeline&DurationSeconds=3600";

    /** A session token's length as our tokens run: a sealed session with two tags and a session policy. */
    private static final int SESSION_TOKEN_LENGTH = 1_200;

    private SignableRequest request;
    private SignableRequest sessionRequest;
    private Instant now;
    private SigV4Verifier cachingVerifier;
    private SigV4Verifier derivingVerifier;
    private Mac mac;
    private byte[] stringToSign;

    @Setup
    public void setUp() throws SigV4Exception, GeneralSecurityException {
        SignableRequest unsigned = SignableRequest.builder()
                .method("POST")
                .path("/")
                .addHeader("Host", "sts.us-east-1.amazonaws.com")
                .addHeader("amz-sdk-invocation-id", "0f4a2b8c-7d9e-4c1a-9b3f-2e6d8a0c5f71")
                .addHeader("amz-sdk-request", "attempt=1; max=4")
                .addHeader("Content-Length", Integer.toString(BODY.length()))
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("User-Agent", "aws-sdk-java/2.56.0 Linux/6.1.0 OpenJDK_64-Bit_Server_VM/17.0.15+6"
                        + " Java/17.0.15 vendor/Debian md/io#sync md/http#Apache ua/2.1 api/STS#2.56.0")
                .body(BODY.getBytes(UTF_8))
                .build();
        request = SigV4Signer.create().sign(unsigned, SigningCredentials.of(ACCESS_KEY_ID, SECRET),
                "us-east-1", "sts", SIGNED_AT);
        now = SIGNED_AT.plusSeconds(30);
        // Temporary credentials: the token travels in X-Amz-Security-Token, signed, so it is in the canonical request.
        StringBuilder token = new StringBuilder(SESSION_TOKEN_LENGTH);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < SESSION_TOKEN_LENGTH; i++) {
            token.append(alphabet.charAt((i * 31 + 7) % alphabet.length()));
        }
        sessionRequest = SigV4Signer.create().sign(unsigned, SigningCredentials.of("ASIAIOSFODNN7EXAMPLE", SECRET,
                token.toString()), "us-east-1", "sts", SIGNED_AT);

        cachingVerifier = SigV4Verifier.create();
        derivingVerifier = SigV4Verifier.create(SigV4Verifier.Options.defaults().withSigningKeyCacheCapacity(0));

        SignedRequest signed = cachingVerifier.parse(request);
        cachingVerifier.verify(signed, request, SECRET, now); // fails fast if the fixture is wrong; warms the cache
        cachingVerifier.verify(cachingVerifier.parse(sessionRequest), sessionRequest, SECRET, now);
        CanonicalRequest canonicalRequest = cachingVerifier.canonicalRequest(signed, request);
        stringToSign = cachingVerifier.stringToSign(signed, canonicalRequest).getBytes(UTF_8);
        byte[] signingKey = SigV4.deriveSigningKey(SECRET, signed.credentialScope());
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
    }

    @Benchmark
    public SignedRequest verifyWarmSigningKeyCache() throws SigV4Exception {
        SignedRequest signed = cachingVerifier.parse(request);
        cachingVerifier.verify(signed, request, SECRET, now);
        return signed;
    }

    @Benchmark
    public SignedRequest verifySessionToken() throws SigV4Exception {
        SignedRequest signed = cachingVerifier.parse(sessionRequest);
        cachingVerifier.verify(signed, sessionRequest, SECRET, now);
        return signed;
    }

    @Benchmark
    public SignedRequest verifyDerivingSigningKey() throws SigV4Exception {
        SignedRequest signed = derivingVerifier.parse(request);
        derivingVerifier.verify(signed, request, SECRET, now);
        return signed;
    }

    @Benchmark
    public byte[] hmacOfStringToSign() {
        return mac.doFinal(stringToSign);
    }
}
