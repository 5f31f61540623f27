package org.opensts.benchmarks;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.opensts.sigv4.AwsChunkedEncoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.ChunkSignatures;
import org.opensts.sigv4.CredentialScope;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.CredentialMinter;
import org.opensts.token.KeyRing;
import org.opensts.token.Session;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;
import org.opensts.verifier.LongTermKeys;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.RequestVerifier;
import org.opensts.verifier.SessionKeys;
import org.opensts.verifier.Verification;
import org.opensts.verifier.VerificationException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of checking an upload's body as it streams through a service: a 1 MiB S3 {@code PutObject} signed with a
 * role session's temporary credentials, authenticated by {@link RequestVerifier}, then its body fed to the returned
 * {@link org.opensts.verifier.PayloadCheck} in 16 KiB reads (as a network delivers it) and finished. One operation is
 * one whole upload, so MB/s is ops/s × 1.05 (1 MiB is 1.049 MB). Three forms, as the AWS SDKs and CLI send them:
 *
 * <ul>
 *   <li>{@code signedPayloadHash}: {@code x-amz-content-sha256} is the body's SHA-256, checked at the end;</li>
 *   <li>{@code signedChunks}: {@code aws-chunked} with {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}, 64 KiB chunks, each
 *       chunk's SHA-256 and chained signature checked;</li>
 *   <li>{@code unsignedChunksCrc32Trailer}: {@code aws-chunked} with {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER} and an
 *       {@code x-amz-checksum-crc32} trailer, what current AWS CLIs and SDKs send by default.</li>
 * </ul>
 *
 * <p>The baseline, measured in the same run, is a bare SHA-256 of the same 1 MiB with a ready {@link MessageDigest}:
 * the hash that both signed forms cannot avoid.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar UploadPayloadBenchmark -f 1 -wi 3 -i 5 -w 2 -r 3
 * </pre>
 *
 * <p>Thread-scoped, because a {@link MessageDigest} is not thread-safe. Not final: JMH generates a subclass of each
 * {@code @State} class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class UploadPayloadBenchmark {
    private static final int SIZE = 1 << 20;
    private static final int CHUNK = 64 * 1024;
    private static final int READ = 16 * 1024;
    private static final String ACCOUNT = "111122223333";
    private static final String REGION = "eu-west-1";
    private static final Instant SIGNED_AT = Instant.parse("2025-06-01T09:30:00Z");
    private static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    private static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    private RequestVerifier verifier;
    private Upload signedHash;
    private Upload signedChunks;
    private Upload unsignedTrailer;
    private byte[] data;
    private MessageDigest sha256;
    private final Consumer<ByteBuffer> sink = decoded -> decoded.position(decoded.limit());

    /** A signed request as received, and its body as it arrives. */
    private record Upload(ReceivedRequest request, byte[] body) {
    }

    @Setup
    public void setUp() throws NoSuchAlgorithmException, VerificationException {
        var random = new SecureRandom();
        var codec = new SessionTokenCodec(KeyRing.generate(SIGNED_AT.minus(Duration.ofDays(1)), random), "aws");
        TemporaryCredentials session = new CredentialMinter(codec, random).mint(Session.builder()
                .accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/DataEngineer/alice")
                .principalId("AROAY34FZKBOKMUTVV7AB:alice")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/DataEngineer")
                .sourceUniqueId("AROAY34FZKBOKMUTVV7AB")
                .sessionName("alice")
                .issuedAt(SIGNED_AT.minus(Duration.ofHours(1)))
                .expiration(SIGNED_AT.plus(Duration.ofHours(11))));
        byte[] secret = session.secretAccessKey().revealBytes();
        SigningCredentials credentials = SigningCredentials.of(session.accessKeyId(), secret,
                session.sessionToken().revealUtf8());
        verifier = RequestVerifier.builder().sessionKeys(new Keys(codec)).longTermKeys(new Keys(codec))
                .clock(Clock.fixed(SIGNED_AT.plusSeconds(1), ZoneOffset.UTC)).build();

        data = new byte[SIZE];
        random.nextBytes(data);
        sha256 = MessageDigest.getInstance("SHA-256");
        CredentialScope scope = new CredentialScope(LocalDate.ofInstant(SIGNED_AT, ZoneOffset.UTC), REGION, "s3");

        signedHash = upload(credentials, HexFormat.of().formatHex(sha256.digest(data)), data, List.of());

        // The encoded length is signed before the chunks are: every chunk signature has the same length, so a first
        // encoding with a placeholder seed gives it.
        String placeholder = "0".repeat(64);
        int chunkedLength = AwsChunkedEncoder.encode(data, CHUNK,
                ChunkSignatures.forSigning(secret, scope, SIGNED_AT, placeholder), false).length;
        Upload headers = upload(credentials, STREAMING_SIGNED, new byte[chunkedLength],
                List.of(Map.entry("Content-Encoding", "aws-chunked"),
                        Map.entry("x-amz-decoded-content-length", Integer.toString(SIZE))));
        String authorization = headers.request().firstHeader("Authorization").orElseThrow();
        String seed = authorization.substring(authorization.indexOf("Signature=") + "Signature=".length());
        signedChunks = new Upload(headers.request(), AwsChunkedEncoder.encode(data, CHUNK,
                ChunkSignatures.forSigning(secret, scope, SIGNED_AT, seed), false));

        byte[] trailed = AwsChunkedEncoder.encode(data, CHUNK, null, true, ChecksumAlgorithm.CRC32);
        unsignedTrailer = upload(credentials, STREAMING_UNSIGNED_TRAILER, trailed,
                List.of(Map.entry("Content-Encoding", "aws-chunked"),
                        Map.entry("x-amz-decoded-content-length", Integer.toString(SIZE)),
                        Map.entry("x-amz-trailer", "x-amz-checksum-crc32")));

        // Fails fast if a fixture is wrong.
        for (Upload upload : List.of(signedHash, signedChunks, unsignedTrailer)) {
            check(upload);
        }
    }

    private Upload upload(SigningCredentials credentials, String contentSha256, byte[] body,
            List<Map.Entry<String, String>> extra) {
        SignableRequest.Builder builder = SignableRequest.builder()
                .method("PUT")
                .path("/data-lake/home/alice/2025/06/part-00000.parquet")
                .addHeader("Host", "s3." + REGION + ".amazonaws.com")
                .addHeader("amz-sdk-invocation-id", "0f4a2b8c-7d9e-4c1a-9b3f-2e6d8a0c5f71")
                .addHeader("amz-sdk-request", "attempt=1; max=4")
                .addHeader("Content-Length", Integer.toString(body.length))
                .addHeader("Content-Type", "application/octet-stream")
                .addHeader("x-amz-content-sha256", contentSha256);
        extra.forEach(header -> builder.addHeader(header.getKey(), header.getValue()));
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false)).sign(builder.build(), credentials, REGION, "s3", SIGNED_AT);
        ReceivedRequest.Builder received = ReceivedRequest.builder()
                .method(signed.method())
                .rawPath(signed.path())
                .rawQuery(signed.query())
                .secureTransport(true);
        for (int i = 0; i < signed.headerCount(); i++) {
            received.addHeader(signed.headerName(i), signed.headerValue(i));
        }
        return new Upload(received.build(), body);
    }

    /** Authenticates the request, then feeds its body in network-sized reads and ends it. */
    private Map<String, String> check(Upload upload) throws VerificationException {
        Verification verification = verifier.verify(upload.request(), "s3");
        byte[] body = upload.body();
        for (int offset = 0; offset < body.length; offset += READ) {
            verification.payload().update(ByteBuffer.wrap(body, offset, Math.min(READ, body.length - offset)), sink);
        }
        return verification.payload().finish();
    }

    @Benchmark
    public byte[] baselineSha256() {
        return sha256.digest(data);
    }

    @Benchmark
    public Map<String, String> signedPayloadHash() throws VerificationException {
        return check(signedHash);
    }

    @Benchmark
    public Map<String, String> signedChunks() throws VerificationException {
        return check(signedChunks);
    }

    @Benchmark
    public Map<String, String> unsignedChunksCrc32Trailer() throws VerificationException {
        return check(unsignedTrailer);
    }

    /** The session key ring in memory; no long-term key signs here. */
    private record Keys(SessionTokenCodec codec) implements SessionKeys, LongTermKeys {
        @Override
        public boolean reloadFor(int keyId) {
            return false;
        }

        @Override
        public Optional<LongTermKey> find(String accessKeyId) {
            return Optional.empty();
        }
    }
}
