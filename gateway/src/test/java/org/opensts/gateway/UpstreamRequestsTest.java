package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.verifier.ReceivedRequest;

class UpstreamRequestsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T07:00:00Z");
    private static final String SECRET = "upstream-secret-0123456789";
    private static final S3GatewayConfig CONFIG = new S3GatewayConfig(new InetSocketAddress("127.0.0.1", 0),
            URI.create("http://127.0.0.1:9000"), SigningCredentials.of("UPSTREAMKEY", SECRET.getBytes(UTF_8)),
            "eu-west-1", "123456789012", Clock.fixed(NOW, ZoneOffset.UTC));

    private final UpstreamRequests requests = new UpstreamRequests(CONFIG);

    /** A streaming upload as the AWS CLI sends it: aws-chunked with a CRC32 trailer, signed with a session's key. */
    private static ReceivedRequest chunkedUpload() {
        return ReceivedRequest.builder().method("PUT").rawPath("/photos/a%20b.jpg").rawQuery("x-id=PutObject")
                .addHeader("Host", "gateway.example:8443")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=ASIA.../s3/aws4_request, ...")
                .addHeader("X-Amz-Security-Token", "session-token")
                .addHeader("X-Amz-Date", "20261206T065900Z")
                .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .addHeader("Content-Encoding", "aws-chunked")
                .addHeader("x-amz-decoded-content-length", "11")
                .addHeader("x-amz-trailer", "x-amz-checksum-crc32")
                .addHeader("x-amz-sdk-checksum-algorithm", "CRC32")
                .addHeader("Content-Length", "120")
                .addHeader("Content-Type", "image/jpeg")
                .addHeader("x-amz-meta-owner", "alice")
                .addHeader("Expect", "100-continue")
                .addHeader("Connection", "keep-alive")
                .build();
    }

    record CopyCase(String name, String header, String query, String bucket, String key, String version,
            String forwarded) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<CopyCase> copySources() {
        return List.of(
                new CopyCase("a plus stays a plus, never a space", "photos/secret+file", "", "photos", "secret+file",
                        null, "/photos/secret%2Bfile"),
                new CopyCase("an encoded question mark stays in the key", "photos/k%3FversionId%3D1", "", "photos",
                        "k?versionId=1", null, "/photos/k%3FversionId%3D1"),
                new CopyCase("the version is written out again", "/photos/a%20b?versionId=v+1", "", "photos", "a b",
                        "v 1", "/photos/a%20b?versionId=v%201"),
                new CopyCase("a copy source in the query is replaced, not forwarded", null,
                        "x-amz-copy-source=other%2Fx", "photos", "x", null, "/photos/x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("copySources")
    void build_copy_sendsTheCopySourceAsAuthorized_notAsTheClientSpelledIt(CopyCase c) {
        ReceivedRequest.Builder received = ReceivedRequest.builder().method("PUT").rawPath("/photos/copy")
                .rawQuery(c.query()).addHeader("Host", "gateway.example");
        if (c.header() != null) {
            received.addHeader("X-Amz-Copy-Source", c.header());
        }
        var source = new S3ObjectRef(c.bucket(), c.key(),
                Optional.ofNullable(c.version()));

        HttpRequest request = requests.build(received.build(), "/photos/copy", c.query(),
                Optional.of(source), 0, NOW);

        assertThat(request.headers().getAll("x-amz-copy-source")).containsExactly(c.forwarded());
        assertThat(request.uri()).doesNotContainIgnoringCase("copy-source");
    }

    @Test
    void build_chunkedUpload_dropsTheClientsCredentialsAndFramingAndKeepsS3Headers() {
        HttpRequest request = requests.build(chunkedUpload(), "/photos/a%20b.jpg", "x-id=PutObject", 11, NOW);

        assertThat(request.uri()).isEqualTo("/photos/a%20b.jpg?x-id=PutObject");
        assertThat(request.headers().get("Host")).isEqualTo("127.0.0.1:9000");
        assertThat(request.headers().get("Content-Length")).isEqualTo("11");
        assertThat(request.headers().get("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(request.headers().get("Content-Type")).isEqualTo("image/jpeg");
        assertThat(request.headers().get("x-amz-meta-owner")).isEqualTo("alice");
        assertThat(request.headers().get("Authorization")).contains("Credential=UPSTREAMKEY/20261206/eu-west-1/s3/");
        assertThat(request.headers().names()).map(String::toLowerCase).doesNotContain("x-amz-security-token",
                "content-encoding", "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-sdk-checksum-algorithm",
                "expect", "connection");
    }

    /**
     * The gateway signs what it forwards with its own key: only headers with S3 semantics go on, never one the client
     * could add unsigned to steer the store (a method override, an original URL, a forwarded-for), nor one its
     * {@code Connection} header names as this hop's.
     */
    @Test
    void build_forwardsOnlyS3Headers_andNoneTheClientsConnectionNames() {
        ReceivedRequest received = ReceivedRequest.builder().method("GET").rawPath("/photos/a").rawQuery("")
                .addHeader("Host", "gateway.example")
                .addHeader("Range", "bytes=0-9")
                .addHeader("If-None-Match", "\"etag\"")
                .addHeader("Cache-Control", "no-cache")
                .addHeader("x-amz-request-payer", "requester")
                .addHeader("Content-Type", "text/plain")
                .addHeader("X-HTTP-Method-Override", "DELETE")
                .addHeader("X-Original-URL", "/private/secret")
                .addHeader("X-Forwarded-For", "10.0.0.1")
                .addHeader("User-Agent", "aws-cli/2")
                .addHeader("Connection", "keep-alive, x-amz-request-payer")
                .build();

        HttpRequest request = requests.build(received, "/photos/a", "", 0, NOW);

        assertThat(request.headers().get("Range")).isEqualTo("bytes=0-9");
        assertThat(request.headers().get("If-None-Match")).isEqualTo("\"etag\"");
        assertThat(request.headers().get("Cache-Control")).isEqualTo("no-cache");
        assertThat(request.headers().get("Content-Type")).isEqualTo("text/plain");
        assertThat(request.headers().names()).map(String::toLowerCase).doesNotContain("x-http-method-override",
                "x-original-url", "x-forwarded-for", "user-agent", "x-amz-request-payer", "connection");
    }

    @Test
    void build_signatureVerifiesWithTheGatewaysKeyAsS3Checks() throws Exception {
        HttpRequest request = requests.build(chunkedUpload(), "/photos/a%20b.jpg", "x-id=PutObject", 11, NOW);

        var builder = SignableRequest.builder().method(request.method().name()).target(request.uri());
        for (Map.Entry<String, String> header : request.headers()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        SignableRequest received = builder.build();
        SigV4Verifier s3Verifier = SigV4Verifier.create(SigV4Verifier.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false).withAllowUnsignedPayload(true));
        SignedRequest signed = s3Verifier.parse(received);

        s3Verifier.verify(signed, received, SECRET.getBytes(UTF_8), NOW);
        assertThat(signed.accessKeyId()).isEqualTo("UPSTREAMKEY");
    }

    @Test
    void build_checksumTrailer_sendsTheBodyAwsChunkedWithAnUnsignedTrailerOfTheChecksum() throws Exception {
        ReceivedRequest upload = chunkedUpload();
        UpstreamBody body = requests.bodyFor(upload, 11);

        HttpRequest request = requests.build(upload, "/photos/a%20b.jpg", "x-id=PutObject", Optional.empty(), body,
                11, NOW);

        assertThat(request.headers().get("x-amz-content-sha256")).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        assertThat(request.headers().get("Content-Encoding")).isEqualTo("aws-chunked");
        assertThat(request.headers().get("x-amz-decoded-content-length")).isEqualTo("11");
        assertThat(request.headers().get("x-amz-trailer")).isEqualTo("x-amz-checksum-crc32");
        assertThat(request.headers().get("x-amz-sdk-checksum-algorithm")).isEqualTo("CRC32");
        // "b" CRLF 11 bytes CRLF, "0" CRLF, "x-amz-checksum-crc32:" and 8 base64 characters CRLF, CRLF
        assertThat(request.headers().get("Content-Length")).isEqualTo(Long.toString(3 + 11 + 2 + 3 + 21 + 8 + 2 + 2));
        assertThat(request.headers().getAll("Content-Length")).hasSize(1);
        var builder = SignableRequest.builder().method(request.method().name()).target(request.uri());
        for (Map.Entry<String, String> header : request.headers()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        SignableRequest received = builder.build();
        SigV4Verifier s3Verifier = SigV4Verifier.create(SigV4Verifier.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false));
        s3Verifier.verify(s3Verifier.parse(received), received, SECRET.getBytes(UTF_8), NOW,
                /* payloadHash= */ "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    }

    @Test
    void build_wholeBodyWithACheckedTrailer_sendsItsChecksumAsAHeader() {
        UpstreamBody body = UpstreamBody.whole(Map.of("x-amz-checksum-crc32", "DUoRhQ=="));

        HttpRequest request = requests.build(chunkedUpload(), "/photos/a%20b.jpg", "x-id=PutObject", Optional.empty(),
                body, 11, NOW);

        assertThat(request.headers().get("x-amz-checksum-crc32")).isEqualTo("DUoRhQ==");
        assertThat(request.headers().get("x-amz-sdk-checksum-algorithm")).isEqualTo("CRC32");
        assertThat(request.headers().get("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(request.headers().get("Content-Length")).isEqualTo("11");
        assertThat(request.headers().names()).map(String::toLowerCase).doesNotContain("content-encoding",
                "x-amz-trailer", "x-amz-decoded-content-length");
    }

    @Test
    void build_checksumTrailersOff_dropsTheAlgorithmTheStoreWouldGetNoChecksumFor() {
        var config = new S3GatewayConfig(CONFIG.listen(), CONFIG.upstream(), CONFIG.upstreamCredentials(),
                CONFIG.region(), CONFIG.accountId(), CONFIG.clock(), CONFIG.headerTimeout(), CONFIG.idleTimeout(),
                CONFIG.maxConnections(), /* upstreamChecksumTrailers= */ false);
        var withoutTrailers = new UpstreamRequests(config);
        ReceivedRequest upload = chunkedUpload();

        HttpRequest request = withoutTrailers.build(upload, "/photos/a%20b.jpg", "x-id=PutObject", Optional.empty(),
                withoutTrailers.bodyFor(upload, 11), 11, NOW);

        assertThat(request.headers().get("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(request.headers().get("Content-Length")).isEqualTo("11");
        assertThat(request.headers().names()).map(String::toLowerCase).doesNotContain("content-encoding",
                "x-amz-trailer", "x-amz-sdk-checksum-algorithm", "x-amz-decoded-content-length");
    }

    record Case(String name, String query, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case[] queries() {
        return new Case[] {
            new Case("presigned SigV4 parameters go", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb"
                    + "&X-Amz-Date=20261206T070000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host"
                    + "&X-Amz-Security-Token=t&X-Amz-Signature=abc&versionId=3", "versionId=3"),
            new Case("S3 SigV2 parameters go", "AWSAccessKeyId=ASIA&Expires=1&Signature=s%3D&x-amz-security-token=t",
                    ""),
            new Case("sub-resources stay as sent", "uploads&prefix=a%2Fb&list-type=2",
                    "uploads&prefix=a%2Fb&list-type=2"),
            new Case("empty query", "", ""),
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void withoutSignatureParameters_keepsOnlyTheRequestsOwnParameters(Case c) {
        assertThat(UpstreamRequests.withoutSignatureParameters(c.query())).isEqualTo(c.expected());
    }

    @Test
    void withoutAwsChunked_keepsOtherCodings() {
        assertThat(UpstreamRequests.withoutAwsChunked("aws-chunked,gzip")).isEqualTo("gzip");
        assertThat(UpstreamRequests.withoutAwsChunked("aws-chunked")).isEmpty();
    }
}
