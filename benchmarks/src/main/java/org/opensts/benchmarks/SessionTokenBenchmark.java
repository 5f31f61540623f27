package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.InvalidTokenException;
import org.opensts.token.KeyRing;
import org.opensts.token.OpenedSession;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.SessionType;

/**
 * Sealing and opening the session token of a typical role session (one short session policy, three tags), against a
 * baseline measured in the same run: a bare AES-256-GCM encryption and decryption of a buffer as long as that token's
 * plaintext, with the same associated data. The ratio to the baseline is the cost of the encoding, the base64 text
 * and the validation of the session around the cipher.
 *
 * <p>{@code open} opens the same token again and again, as the requests of one session do, so after the first call
 * the codec answers it from its cache of opened tokens; {@code openFirstTime} opens tokens in turn from a set over ten
 * times larger than that cache holds, the cost of a session's first request (decrypt, decode, validate, and the
 * cache's put).
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SessionTokenBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SessionTokenBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final String SCOPE = "aws";
    private static final int HEADER_NONCE_AND_TAG = 5 + 12 + 16;

    private SessionTokenCodec codec;
    private Session session;
    private Secret secretAccessKey;
    private String token;
    private String[] manyTokens;
    private int next;

    private Aead baseline;
    private byte[] plaintext;
    private byte[] associatedData;
    private byte[] ciphertext;

    @Setup
    public void setUp() throws GeneralSecurityException {
        var random = new SecureRandom();
        var now = Instant.parse("2026-03-01T12:00:00.123Z");
        codec = new SessionTokenCodec(KeyRing.generate(now, random), SCOPE);
        session = Session.builder()
                .accessKeyId(AccessKeyIds.newTemporary(ACCOUNT, random))
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy-role/ci-build-4711")
                .principalId("AROAY34FZKBOKMUTVV7AB:ci-build-4711")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")
                .sessionName("ci-build-4711")
                .issuedAt(now)
                .expiration(now.plus(Duration.ofHours(1)))
                .sessionPolicies(List.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::example-bucket/*\"}]}"))
                .tags(List.of(new SessionTag("Project", "Unicorn"), new SessionTag("Team", "Automation"),
                        new SessionTag("Cost-Center", "12345")))
                .build();
        secretAccessKey = SecretAccessKeys.generate(random);
        token = codec.seal(session, secretAccessKey);
        manyTokens = new String[1 << 16];
        for (int i = 0; i < manyTokens.length; i++) {
            manyTokens[i] = codec.seal(session, secretAccessKey); // a fresh nonce each: as many distinct texts
        }

        var key = new byte[32];
        random.nextBytes(key);
        baseline = new AesGcmJce(key);
        plaintext = new byte[Base64.getDecoder().decode(token).length - HEADER_NONCE_AND_TAG];
        random.nextBytes(plaintext);
        associatedData = ("12345" + SCOPE).getBytes(UTF_8);
        ciphertext = baseline.encrypt(plaintext, associatedData);
        System.out.println("typical role session token: " + token.length() + " characters, plaintext "
                + plaintext.length + " bytes");
    }

    @Benchmark
    public String seal() {
        return codec.seal(session, secretAccessKey);
    }

    @Benchmark
    public OpenedSession open() throws InvalidTokenException {
        return codec.open(token);
    }

    @Benchmark
    public OpenedSession openFirstTime() throws InvalidTokenException {
        String first = manyTokens[next];
        next = (next + 1) & (manyTokens.length - 1);
        return codec.open(first);
    }

    @Benchmark
    public byte[] baselineEncrypt() throws GeneralSecurityException {
        return baseline.encrypt(plaintext, associatedData);
    }

    @Benchmark
    public byte[] baselineDecrypt() throws GeneralSecurityException {
        return baseline.decrypt(ciphertext, associatedData);
    }
}
