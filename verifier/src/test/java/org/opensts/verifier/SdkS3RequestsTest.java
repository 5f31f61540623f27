package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import org.opensts.token.TemporaryCredentials;

/**
 * Requests signed by the real AWS SDK for Java v2 S3 client with temporary credentials minted by OpenSTS, recorded
 * byte for byte on loopback, verified; and the same requests tampered with, refused.
 */
class SdkS3RequestsTest {
    private final TestKeys keys = new TestKeys(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final RequestVerifier verifier = keys.verifier();
    private final TemporaryCredentials session = keys.roleSession();
    private LoopbackS3 loopback;
    private S3Client s3;

    @BeforeEach
    void start() throws Exception {
        loopback = new LoopbackS3();
        s3 = S3Client.builder()
                .endpointOverride(loopback.endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials()))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        s3.close();
        loopback.close();
    }

    private AwsSessionCredentials credentials() {
        return AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey().revealUtf8(),
                session.sessionToken().revealUtf8());
    }

    private static byte[] data(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    /** Verifies a recorded request and feeds its body one byte at a time; returns the decoded body. */
    private byte[] verifyOneByteAtATime(LoopbackS3.Captured captured) throws VerificationException {
        Verification verification = verifier.verify(captured.request(), "s3");
        assertThat(verification.caller().accessKeyId()).isEqualTo(session.accessKeyId());
        var out = new ByteArrayOutputStream();
        for (byte b : captured.body()) {
            verification.payload().update(ByteBuffer.wrap(new byte[] {b}), decoded -> {
                byte[] bytes = new byte[decoded.remaining()];
                decoded.get(bytes);
                out.writeBytes(bytes);
            });
        }
        verification.payload().finish();
        return out.toByteArray();
    }

    private VerificationFailure refusal(LoopbackS3.Captured captured, byte[] body) {
        try {
            Verification verification = verifier.verify(captured.request(), "s3");
            verification.payload().update(ByteBuffer.wrap(body), decoded -> { });
            verification.payload().finish();
        } catch (VerificationException e) {
            return e.failure();
        }
        throw new AssertionError("the request was accepted");
    }

    private static byte[] flipLast(byte[] body, byte[] data) {
        // Flip a byte of the data inside the encoded body: the last data byte sits before the final chunk's framing.
        byte[] tampered = body.clone();
        int index = indexOf(tampered, Arrays.copyOfRange(data, data.length - 16, data.length)) + 15;
        tampered[index] ^= 1;
        return tampered;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void putObject_defaultChecksums_isAwsChunkedWithATrailer_andVerifies() throws Exception {
        byte[] data = data(300_000);
        s3.putObject(b -> b.bucket("photos").key("2026/a b.jpg"), RequestBody.fromBytes(data));

        LoopbackS3.Captured put = loopback.requests.get(0);
        assertThat(put.request().firstHeader("x-amz-content-sha256"))
                .contains("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        assertThat(put.request().firstHeader("Content-Encoding")).contains("aws-chunked");
        assertThat(put.request().firstHeader("x-amz-trailer")).contains("x-amz-checksum-crc32");
        assertThat(verifyOneByteAtATime(put)).isEqualTo(data);
    }

    @Test
    void putObject_dataChangedInFlight_isRefused() throws Exception {
        byte[] data = data(20_000);
        s3.putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(data));
        LoopbackS3.Captured put = loopback.requests.get(0);

        VerificationFailure failure = refusal(put, flipLast(put.body(), data));

        assertThat(failure).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void putObject_checksumTrailerChanged_isRefusedByTheTrailerSignature() throws Exception {
        byte[] data = data(20_000);
        s3.putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(data));
        LoopbackS3.Captured put = loopback.requests.get(0);
        byte[] tampered = put.body().clone();
        int value = indexOf(tampered, "x-amz-checksum-crc32:".getBytes(UTF_8)) + "x-amz-checksum-crc32:".length();
        tampered[value] = (byte) (tampered[value] == 'A' ? 'B' : 'A');

        assertThat(refusal(put, tampered)).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void putObject_bodyCutShort_isMalformedBody() throws Exception {
        byte[] data = data(20_000);
        s3.putObject(b -> b.bucket("photos").key("a.jpg"), RequestBody.fromBytes(data));
        LoopbackS3.Captured put = loopback.requests.get(0);

        assertThat(refusal(put, Arrays.copyOf(put.body(), put.body().length - 40)))
                .isEqualTo(VerificationFailure.MALFORMED_BODY);
    }

    @Test
    void putObject_sha256Checksum_verifies() throws Exception {
        byte[] data = data(70_000);
        s3.putObject(b -> b.bucket("photos").key("a.jpg").checksumAlgorithm("SHA256"), RequestBody.fromBytes(data));

        LoopbackS3.Captured put = loopback.requests.get(0);
        assertThat(put.request().firstHeader("x-amz-trailer")).contains("x-amz-checksum-sha256");
        assertThat(verifyOneByteAtATime(put)).isEqualTo(data);
    }

    @Test
    void uploadPart_verifies() throws Exception {
        byte[] data = data(100_000);
        s3.uploadPart(b -> b.bucket("photos").key("big.bin").uploadId("VXBsb2FkSUQ").partNumber(2),
                RequestBody.fromBytes(data));

        LoopbackS3.Captured part = loopback.requests.get(0);
        assertThat(part.request().rawQuery()).contains("partNumber=2").contains("uploadId=VXBsb2FkSUQ");
        assertThat(verifyOneByteAtATime(part)).isEqualTo(data);
    }

    @Test
    void presignedGet_verifies_andAChangedKeyIsRefused() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .endpointOverride(loopback.endpoint())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(credentials())).build()) {
            PresignedGetObjectRequest get = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("photos").key("2026/a b.jpg")));

            ReceivedRequest request = received("GET", get.url(), get.signedHeaders());
            assertThat(verifier.verify(request, "s3").caller().arn()).endsWith(":assumed-role/reader/s1");

            ReceivedRequest other = received("GET", new URL(get.url().toString().replace("a%20b.jpg", "c.jpg")),
                    get.signedHeaders());
            assertThat(refusal(new LoopbackS3.Captured(other, new byte[0]), new byte[0]))
                    .isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    @Test
    void presignedPut_verifies_andCarriesAnyBody() throws Exception {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .endpointOverride(loopback.endpoint())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(credentials())).build()) {
            PresignedPutObjectRequest put = presigner.presignPutObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket("photos").key("upload.txt").contentType("text/plain")));

            ReceivedRequest request = received("PUT", put.url(), put.signedHeaders());
            Verification verification = verifier.verify(request, "s3");
            verification.payload().update(ByteBuffer.wrap("hello".getBytes(UTF_8)), decoded -> { });
            verification.payload().finish();

            ReceivedRequest otherType = received("PUT", put.url(), Map.of("host", put.signedHeaders().get("host"),
                    "content-type", List.of("text/html")));
            assertThat(refusal(new LoopbackS3.Captured(otherType, new byte[0]), new byte[0]))
                    .isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
        }
    }

    private static ReceivedRequest received(String method, URL url, Map<String, List<String>> headers) {
        ReceivedRequest.Builder builder = ReceivedRequest.builder().method(method).rawPath(url.getPath())
                .rawQuery(url.getQuery() == null ? "" : url.getQuery());
        headers.forEach((name, values) -> values.forEach(value -> builder.addHeader(name, value)));
        return builder.build();
    }
}
