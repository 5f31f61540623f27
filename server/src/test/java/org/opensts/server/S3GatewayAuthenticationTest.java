package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.sigv4.AwsChunkedEncoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * How the S3 gateway of a real node, in front of a real S3 server, refuses requests that are not authentic, in S3's
 * codes and with the elements S3 adds, over raw HTTP on loopback so that every header is exactly as sent: above all,
 * an {@code x-amz-*} header that the signature does not cover is refused before anything reaches the store.
 */
class S3GatewayAuthenticationTest {
    private static final SigV4Signer PRESIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withUnsignedPayload(true));
    private static final SigV4Signer UNSIGNED_PAYLOAD_SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false).withAddContentSha256(true)
            .withUnsignedPayload(true));

    @TempDir
    static Path dataDir;

    private static UpstreamS3 upstream;
    private static OpenStsNode node;
    private static AwsBasicCredentials admin;
    private static S3Client adminS3;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        upstream = UpstreamS3.start();
        var gateway = upstream.gatewayOptions();
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        admin = SdkClients.credentials(node.initialAdmin().orElseThrow());
        endpoint = node.s3GatewayEndpoint().orElseThrow();
        adminS3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(admin))
                .httpClient(UrlConnectionHttpClient.create()).build();
        adminS3.createBucket(b -> b.bucket("photos"));
        adminS3.createBucket(b -> b.bucket("private"));
        adminS3.putObject(p -> p.bucket("private").key("home/x.txt"), RequestBody.fromString("secret"));
    }

    @AfterAll
    static void stop() throws Exception {
        adminS3.close();
        node.close();
        upstream.close();
    }

    private static String host() {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    private static SigningCredentials adminKey() {
        return SigningCredentials.of(admin.accessKeyId(), admin.secretAccessKey().getBytes(UTF_8));
    }

    /** A presigned PUT URL for {@code key} in photos, signing only {@code host}, as SDK presigners make them. */
    private static SignableRequest presignedPut(String key) {
        return PRESIGNER.presign(SignableRequest.builder().method("PUT").path("/photos/" + key)
                .addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3", Instant.now(),
                Duration.ofMinutes(5));
    }

    private static boolean stored(String bucket, String key) {
        S3Exception missing = catchThrowableOfType(S3Exception.class,
                () -> adminS3.headObject(h -> h.bucket(bucket).key(key)));
        return missing == null;
    }

    /** Sends {@code request}'s line and headers, {@code extraHeaders} (already CRLF-terminated) and the body. */
    private static String exchange(SignableRequest request, String extraHeaders, byte[] body) throws IOException {
        var head = new StringBuilder(request.method()).append(' ').append(request.path())
                .append(request.query().isEmpty() ? "" : "?" + request.query()).append(" HTTP/1.1\r\n");
        for (int i = 0; i < request.headerCount(); i++) {
            head.append(request.headerName(i)).append(": ").append(request.headerValue(i)).append("\r\n");
        }
        head.append(extraHeaders).append("Connection: close\r\n\r\n");
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(UTF_8));
        bytes.writeBytes(body);
        return exchangeRaw(bytes.toByteArray());
    }

    private static String exchangeRaw(byte[] request) throws IOException {
        try (var socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), UTF_8);
        }
    }

    // ---- x-amz-* headers the signature does not cover

    @Test
    void presignedPut_withUnsignedCopySource_isRefused_andNothingIsCopied() throws Exception {
        byte[] body = "upload".getBytes(UTF_8);
        String answer = exchange(presignedPut("uploads/user1.txt"), "x-amz-copy-source: /private/home/x.txt\r\n"
                + "Content-Length: " + body.length + "\r\n", body);

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("<Code>AccessDenied</Code>"
                + "<Message>There were headers present in the request which were not signed</Message>"
                + "<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>").doesNotContain("CopyObjectResult");
        assertThat(stored("photos", "uploads/user1.txt")).isFalse();
    }

    @Test
    void presignedPut_withUnsignedMetadataAndAcl_isRefused_andNothingIsStored() throws Exception {
        byte[] body = "upload".getBytes(UTF_8);
        String answer = exchange(presignedPut("uploads/user2.txt"), "x-amz-meta-owner: attacker\r\n"
                + "X-Amz-Acl: public-read\r\nContent-Length: " + body.length + "\r\n", body);

        assertThat(answer).startsWith("HTTP/1.1 403 ")
                .contains("<HeadersNotSigned>x-amz-meta-owner,x-amz-acl</HeadersNotSigned>");
        assertThat(stored("photos", "uploads/user2.txt")).isFalse();
    }

    @Test
    void presignedPut_asSigned_isStored() throws Exception {
        byte[] body = "upload".getBytes(UTF_8);
        String answer = exchange(presignedPut("uploads/user3.txt"), "Content-Length: " + body.length + "\r\n", body);

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(stored("photos", "uploads/user3.txt")).isTrue();
    }

    @Test
    void headerSignedEmptyPut_withUnsignedCopySource_isRefused_andNothingIsCopied() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("PUT")
                .path("/photos/uploads/copied.txt").addHeader("Host", host()).addHeader("Content-Length", "0")
                .build(), adminKey(), "us-east-1", "s3", Instant.now());

        String answer = exchange(signed, "x-amz-copy-source: /private/home/x.txt\r\n", new byte[0]);

        assertThat(answer).startsWith("HTTP/1.1 403 ")
                .contains("<HeadersNotSigned>x-amz-copy-source</HeadersNotSigned>");
        assertThat(stored("photos", "uploads/copied.txt")).isFalse();
    }

    // ---- the elements and codes S3 answers with

    @Test
    void wrongSecret_isSignatureDoesNotMatch_withTheStringToSignAndCanonicalRequest_butNoSecret() throws Exception {
        String secret = "not-the-admins-secret-0123456789abcdef";
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(),
                SigningCredentials.of(admin.accessKeyId(), secret.getBytes(UTF_8)), "us-east-1", "s3", Instant.now());

        String answer = exchange(signed, "", new byte[0]);

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("<Code>SignatureDoesNotMatch</Code>")
                .contains("<AWSAccessKeyId>" + admin.accessKeyId()
                        + "</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\n")
                .contains("<CanonicalRequest>GET\n/photos/a.txt\n\nhost:" + host() + "\n")
                .contains("<StringToSignBytes>41 57 53 34 ").contains("<CanonicalRequestBytes>47 45 54 0a ")
                .doesNotContain(secret).doesNotContain(admin.secretAccessKey());
    }

    @Test
    void unknownKey_isInvalidAccessKeyId_namingIt() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(),
                SigningCredentials.of("AKIAY34FZKBOKMUTVV7Z", "secret".getBytes(UTF_8)), "us-east-1", "s3",
                Instant.now());

        assertThat(exchange(signed, "", new byte[0])).startsWith("HTTP/1.1 403 ")
                .contains("<Code>InvalidAccessKeyId</Code>")
                .contains("<AWSAccessKeyId>AKIAY34FZKBOKMUTVV7Z</AWSAccessKeyId>");
    }

    @Test
    void temporaryKeyWithoutItsToken_isInvalidAccessKeyId() throws Exception {
        Credentials session;
        try (var sts = SdkClients.sts(node, admin)) {
            session = sts.getSessionToken().credentials();
        }
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(),
                SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().getBytes(UTF_8)),
                "us-east-1", "s3", Instant.now());

        assertThat(exchange(signed, "", new byte[0])).startsWith("HTTP/1.1 403 ")
                .contains("<Code>InvalidAccessKeyId</Code>");
    }

    @Test
    void requestSignedTwentyMinutesAgo_isRequestTimeTooSkewed_withBothTimes() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3",
                Instant.now().minus(Duration.ofMinutes(20)));
        String amzDate = signed.firstHeader("X-Amz-Date").orElseThrow();

        assertThat(exchange(signed, "", new byte[0])).startsWith("HTTP/1.1 403 ")
                .contains("<Code>RequestTimeTooSkewed</Code>")
                .contains("<RequestTime>" + amzDate + "</RequestTime><ServerTime>")
                .contains("</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>");
    }

    @Test
    void withoutAnyDate_isAccessDenied() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3",
                Instant.now());
        SignableRequest undated = signed.toBuilder().removeHeaders("X-Amz-Date").build();

        assertThat(exchange(undated, "", new byte[0])).startsWith("HTTP/1.1 403 ")
                .contains("<Code>AccessDenied</Code><Message>AWS authentication requires a valid Date or"
                        + " x-amz-date header</Message>");
    }

    @Test
    void payloadHashMissingOrGarbage_isInvalidRequestOrInvalidArgument() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("GET")
                .path("/photos/a.txt").addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3",
                Instant.now());

        String missing = exchange(signed.toBuilder().removeHeaders("x-amz-content-sha256").build(), "",
                new byte[0]);
        String garbage = exchange(signed.toBuilder().removeHeaders("x-amz-content-sha256")
                .addHeader("x-amz-content-sha256", "garbage").build(), "", new byte[0]);

        assertThat(missing).startsWith("HTTP/1.1 400 ").contains("<Code>InvalidRequest</Code><Message>Missing"
                + " required header for this request: x-amz-content-sha256</Message>");
        assertThat(garbage).startsWith("HTTP/1.1 400 ").contains("<Code>InvalidArgument</Code>")
                .contains("<ArgumentName>x-amz-content-sha256</ArgumentName><ArgumentValue>garbage</ArgumentValue>");
    }

    @Test
    void presignedUrlWithMalformedParameters_isAuthorizationQueryParametersError() throws Exception {
        SignableRequest presigned = PRESIGNER.presign(SignableRequest.builder().method("GET").path("/photos/a.txt")
                .addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3", Instant.now(),
                Duration.ofMinutes(5));

        for (String query : List.of(presigned.query().replace("X-Amz-Expires=300", "X-Amz-Expires=604801"),
                presigned.query() + "&X-Amz-Signature=00")) {
            assertThat(exchange(presigned.toBuilder().query(query).build(), "", new byte[0])).as(query)
                    .startsWith("HTTP/1.1 400 ").contains("<Code>AuthorizationQueryParametersError</Code>");
        }
    }

    /** S3's recorded answer to an expired presigned URL: AccessDenied, naming its lifetime, its end and the time. */
    @Test
    void expiredPresignedUrl_isAccessDenied_withItsLifetimeItsEndAndTheServersTime() throws Exception {
        Instant signedAt = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        SignableRequest presigned = PRESIGNER.presign(SignableRequest.builder().method("GET").path("/photos/a.txt")
                .addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3", signedAt, Duration.ofMinutes(5));

        String answer = exchange(presigned, "", new byte[0]);

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("<Code>AccessDenied</Code>",
                "<Message>Request has expired</Message><X-Amz-Expires>300</X-Amz-Expires><Expires>"
                        + signedAt.plus(Duration.ofMinutes(5)) + "</Expires><ServerTime>");
    }

    /** S3's recorded answer to a presigned URL dated ahead of its clock, X-Amz-Date given in milliseconds. */
    @Test
    void presignedUrlDatedAhead_isAccessDenied_notYetValid() throws Exception {
        Instant signedAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        SignableRequest presigned = PRESIGNER.presign(SignableRequest.builder().method("GET").path("/photos/a.txt")
                .addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3", signedAt, Duration.ofMinutes(5));

        String answer = exchange(presigned, "", new byte[0]);

        assertThat(answer).startsWith("HTTP/1.1 403 ").contains("<Code>AccessDenied</Code>",
                "<Message>Request is not yet valid</Message><X-Amz-Date>" + signedAt.toEpochMilli()
                        + "</X-Amz-Date><Expires>" + signedAt.plus(Duration.ofMinutes(5)) + "</Expires><ServerTime>");
    }

    // ---- bodies: chunked without aws-chunked, checksum trailers

    @Test
    void chunkedPutWithoutAwsChunked_isNotImplementedNamingTheHeader_andNothingIsStored() throws Exception {
        SignableRequest signed = UNSIGNED_PAYLOAD_SIGNER.sign(SignableRequest.builder().method("PUT")
                .path("/photos/chunked.txt").addHeader("Host", host()).build(), adminKey(), "us-east-1", "s3",
                Instant.now());

        String answer = exchange(signed, "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"
                .getBytes(UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 501 ").contains("<Code>NotImplemented</Code><Message>A header you"
                + " provided implies functionality that is not implemented</Message><Header>Transfer-Encoding"
                + "</Header>");
        assertThat(stored("photos", "chunked.txt")).isFalse();
    }

    @Test
    void chunkedPutWithAwsChunkedAndNoContentLength_asCliV1SendsOverHttps_isStored() throws Exception {
        byte[] data = "sent the way CLI v1 sends it".getBytes(UTF_8);
        byte[] encoded = AwsChunkedEncoder.encode(data, 8192, null, /* trailer= */ true,
                ChecksumAlgorithm.CRC32);
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false)).sign(SignableRequest.builder().method("PUT").path("/photos/v1.txt")
                .addHeader("Host", host()).addHeader("Content-Encoding", "aws-chunked")
                .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .addHeader("x-amz-decoded-content-length", Integer.toString(data.length))
                .addHeader("x-amz-trailer", "x-amz-checksum-crc32").build(), adminKey(), "us-east-1", "s3",
                Instant.now());
        var chunked = new ByteArrayOutputStream();
        chunked.writeBytes((Integer.toHexString(encoded.length) + "\r\n").getBytes(UTF_8));
        chunked.writeBytes(encoded);
        chunked.writeBytes("\r\n0\r\n\r\n".getBytes(UTF_8));

        String answer = exchange(signed, "Transfer-Encoding: chunked\r\n", chunked.toByteArray());

        assertThat(answer).startsWith("HTTP/1.1 200 ");
        assertThat(adminS3.getObjectAsBytes(g -> g.bucket("photos").key("v1.txt")).asUtf8String())
                .isEqualTo("sent the way CLI v1 sends it");
    }

    @Test
    void wrongChecksumTrailer_isBadDigestNamingTheAlgorithm_andNothingIsStored() throws Exception {
        byte[] data = "checked by its trailer".getBytes(UTF_8);
        String encoded = new String(AwsChunkedEncoder.encode(data, 8192, null, /* trailer= */ true,
                ChecksumAlgorithm.CRC32), UTF_8);
        int value = encoded.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
        String wrong = encoded.substring(0, value) + (encoded.charAt(value) == 'A' ? 'B' : 'A')
                + encoded.substring(value + 1);
        SignableRequest signed = SigV4Signer.create(SigV4Signer.Options.defaults().withNormalizePath(false)
                .withDoubleEncodePath(false)).sign(SignableRequest.builder().method("PUT").path("/photos/crc.txt")
                .addHeader("Host", host()).addHeader("Content-Encoding", "aws-chunked")
                .addHeader("Content-Length", Integer.toString(wrong.getBytes(UTF_8).length))
                .addHeader("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
                .addHeader("x-amz-decoded-content-length", Integer.toString(data.length))
                .addHeader("x-amz-trailer", "x-amz-checksum-crc32").build(), adminKey(), "us-east-1", "s3",
                Instant.now());

        String answer = exchange(signed, "", wrong.getBytes(UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("<Code>BadDigest</Code><Message>The CRC32 you"
                + " specified did not match the calculated checksum.</Message>");
        assertThat(stored("photos", "crc.txt")).isFalse();
    }

    @Test
    void headerSectionOver8KiB_isRequestHeaderSectionTooLarge() throws Exception {
        String answer = exchangeRaw(("GET /photos/a.txt HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(9000)
                + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("<Code>RequestHeaderSectionTooLarge</Code><Message>"
                + "Your request header section exceeds the maximum allowed size.</Message><MaxSizeAllowed>8192"
                + "</MaxSizeAllowed>");
    }

    // ---- framing and the HTTP/1.1 rules for a request's head

    /**
     * A PUT with neither Content-Length nor Transfer-Encoding has, by RFC 9112, no body; its client sent one anyway.
     * S3 refuses it rather than store an empty object, and the bytes after the head are never read as a request.
     */
    @Test
    void putWithoutContentLengthOrTransferEncoding_isMissingContentLength_closed_andNothingIsStored()
            throws Exception {
        SignableRequest signed = presignedPut("nolength.txt");
        var request = new StringBuilder("PUT ").append(signed.path()).append('?').append(signed.query())
                .append(" HTTP/1.1\r\nHost: ").append(host()).append("\r\n\r\n");
        // The body, itself shaped as a request: were it read as one, a second answer would follow.
        request.append("GET /photos/a.txt HTTP/1.1\r\nHost: ").append(host()).append("\r\n\r\n");

        String answer = exchangeRaw(request.toString().getBytes(UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 411 ").containsIgnoringCase("\r\nconnection: close\r\n")
                .contains("<Code>MissingContentLength</Code><Message>You must provide the Content-Length HTTP header."
                        + "</Message>");
        assertThat(answer.indexOf("HTTP/1.1", 1)).isEqualTo(-1);
        assertThat(stored("photos", "nolength.txt")).isFalse();
    }

    /** RFC 9110 §15.6.6: another major version is 505, as the node's own listener answers; nothing after it runs. */
    @Test
    void requestLineOfAnotherMajorVersion_isHttpVersionNotSupported_andCloses() throws Exception {
        String answer = exchangeRaw(("GET /photos/a.txt HTTP/2.0\r\nHost: localhost\r\n\r\n"
                + "GET /photos/a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(UTF_8));

        assertThat(answer).startsWith("HTTP/1.1 505 ").containsIgnoringCase("\r\nconnection: close\r\n")
                .contains("<Code>HttpVersionNotSupported</Code>");
        assertThat(answer.indexOf("HTTP/1.1", 1)).isEqualTo(-1);
    }

    /** RFC 9112 §3.2: no Host on an HTTP/1.1 request, or two on any request, is 400, and the connection closes. */
    @Test
    void missingOrRepeatedHost_isBadRequest_andCloses() throws Exception {
        String next = "GET /photos/a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String none = exchangeRaw(("GET /photos/a.txt HTTP/1.1\r\n\r\n" + next).getBytes(UTF_8));
        String two = exchangeRaw(("GET /photos/a.txt HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n"
                + next).getBytes(UTF_8));
        String noneOnHttp10 = exchangeRaw("GET /photos/a.txt HTTP/1.0\r\n\r\n".getBytes(UTF_8));

        for (String refused : new String[] {none, two}) {
            assertThat(refused).startsWith("HTTP/1.1 400 ").containsIgnoringCase("\r\nconnection: close\r\n")
                    .contains("<Code>BadRequest</Code>");
            assertThat(refused.indexOf("HTTP/1.1", 1)).isEqualTo(-1);
        }
        // HTTP/1.0 has no Host requirement: the request is read, and refused for want of a signature.
        assertThat(noneOnHttp10).startsWith("HTTP/1.1 403 ");
    }
}
