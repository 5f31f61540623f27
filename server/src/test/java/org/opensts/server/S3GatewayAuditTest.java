package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.sigv4.AwsChunkedEncoder;
import org.opensts.sigv4.ChecksumAlgorithm;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 gateway's audit events, as the node's audit log receives them: every bucket-level call (CloudTrail's
 * management events) and every refusal of the gateway's own once it knows the caller (authorization, a body that fails
 * its check, a request it will not take, a store it cannot reach), with event source {@code s3.amazonaws.com}, the
 * caller, the bucket and the refusal's code and message, each exactly once; allowed object reads and writes (data
 * events) leave none; a call whose event cannot be recorded is answered {@code ServiceUnavailable}. Refusals of a body
 * are sent over raw HTTP on loopback, so that the test decides what arrives when and sees every header of the answer.
 */
class S3GatewayAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GIVE_UP_MILLIS = 30_000;
    private static final SigV4Signer SIGNER = SigV4Signer.create(SigV4Signer.Options.defaults()
            .withNormalizePath(false).withDoubleEncodePath(false));
    /** A chunk signature that is no chunk's: 64 hex digits, all zero. */
    private static final String WRONG_CHUNK_SIGNATURE = "0".repeat(64);
    private static final String GRANT_BOB = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:GetObject",\
            "Resource":"arn:aws:s3:::audited/shared/*"}]}""";

    @TempDir
    static Path dataDir;

    private static UpstreamS3 upstream;
    private static OpenStsNode node;
    private static AwsBasicCredentials admin;
    private static AwsBasicCredentials bob;
    /** A store that takes each connection, reads the request's head and closes it without an answer. */
    private static ServerSocket droppingStore;
    /** A node whose gateway is in front of {@link #droppingStore}. */
    private static OpenStsNode lostStoreNode;
    private static S3Client adminS3;
    private static S3Client bobS3;
    private static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicBoolean AUDIT_DOWN = new AtomicBoolean();
    /** While set, the audit log takes each event only once this is counted down: a slow one. */
    private static final AtomicReference<CountDownLatch> AUDIT_HELD = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        AuditLog.sendTo(event -> {
            CountDownLatch held = AUDIT_HELD.get();
            if (held != null) {
                awaitRelease(held);
            }
            if (AUDIT_DOWN.get()) {
                throw new AuditUnavailableException("the audit disk is full");
            }
            EVENTS.add(event);
        });
        upstream = UpstreamS3.start();
        bob = TestNodes.knownKey("bob");
        Path bootstrap = Files.writeString(dataDir.resolve("bootstrap.yaml"), """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: bob
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(bob.accessKeyId(), bob.secretAccessKey()), UTF_8);
        var gateway = upstream.gatewayOptions();
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT).withBootstrapFile(bootstrap)
                .withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        admin = SdkClients.credentials(node.initialAdmin().orElseThrow());
        adminS3 = s3(admin);
        bobS3 = s3(bob);
        adminS3.createBucket(b -> b.bucket("audited"));
        adminS3.putObject(p -> p.bucket("audited").key("shared/hello.txt"), RequestBody.fromString("hello"));

        droppingStore = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var dropping = new Thread(S3GatewayAuditTest::dropEveryRequest, "dropping-store");
        dropping.setDaemon(true);
        dropping.start();
        var lostStore = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0),
                URI.create("http://127.0.0.1:" + droppingStore.getLocalPort()),
                SigningCredentials.of("DROPPINGSTOREKEY0001", "dropping-store-secret".getBytes(UTF_8)),
                Optional.empty());
        lostStoreNode = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("lost-store-node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED),
                Optional.empty(), Optional.of(lostStore));
    }

    @AfterAll
    static void stop() throws IOException {
        adminS3.close();
        bobS3.close();
        node.close();
        lostStoreNode.close();
        droppingStore.close();
        upstream.close();
        AuditLog.sendToLogger();
    }

    private static void awaitRelease(CountDownLatch held) {
        try {
            if (!held.await(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS)) {
                throw new AuditUnavailableException("the test never released the audit log");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while the audit log was held");
        }
    }

    private static void dropEveryRequest() {
        while (!droppingStore.isClosed()) {
            try (Socket connection = droppingStore.accept()) {
                InputStream in = connection.getInputStream();
                var head = new ByteArrayOutputStream();
                while (!head.toString(UTF_8).endsWith("\r\n\r\n") && head.size() < 64 * 1024) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    head.write(b);
                }
            } catch (IOException e) {
                // The gateway closed its connection first, or the store was closed.
            }
        }
    }

    @BeforeEach
    void forgetEarlierEvents() {
        EVENTS.clear();
    }

    @AfterEach
    void auditBackUp() {
        AUDIT_DOWN.set(false);
    }

    private static S3Client s3(AwsCredentials credentials) {
        return s3(node, credentials);
    }

    private static S3Client s3(OpenStsNode target, AwsCredentials credentials) {
        return S3Client.builder()
                .endpointOverride(target.s3GatewayEndpoint().orElseThrow())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    /** The gateway's events recorded so far, in order. */
    private static List<JsonNode> s3Events() throws Exception {
        var events = new ArrayList<JsonNode>();
        synchronized (EVENTS) {
            for (String line : EVENTS) {
                JsonNode event = JSON.readTree(line);
                if (event.path("eventSource").asText().equals("s3.amazonaws.com")) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    private static List<String> names(List<JsonNode> events) {
        return events.stream().map(event -> event.path("eventName").asText()).toList();
    }

    @Test
    void bucketPolicyCalls_eachWriteAnEventNamingTheCallerAndTheBucket() throws Exception {
        adminS3.putBucketPolicy(p -> p.bucket("audited").policy(GRANT_BOB));
        adminS3.getBucketPolicy(g -> g.bucket("audited"));
        adminS3.deleteBucketPolicy(d -> d.bucket("audited"));

        List<JsonNode> events = s3Events();
        assertThat(names(events)).containsExactly("PutBucketPolicy", "GetBucketPolicy", "DeleteBucketPolicy");
        for (JsonNode event : events) {
            assertThat(event.path("userIdentity").path("arn").asText())
                    .isEqualTo("arn:aws:iam::123456789012:user/admin");
            assertThat(event.path("userIdentity").path("type").asText()).isEqualTo("IAMUser");
            assertThat(event.path("requestParameters").path("bucketName").asText()).isEqualTo("audited");
            assertThat(event.has("errorCode")).isFalse();
            assertThat(event.path("eventType").asText()).isEqualTo("AwsApiCall");
        }
        assertThat(events.get(0).path("requestParameters").path("bucketPolicy").asText()).isEqualTo(GRANT_BOB);
        assertThat(events.get(1).path("requestParameters").has("bucketPolicy")).isFalse();
    }

    @Test
    void createAndDeleteBucket_writeEvents_andAStoreRefusalIsRecordedWithItsCode() throws Exception {
        adminS3.createBucket(b -> b.bucket("short-lived"));
        adminS3.putObject(p -> p.bucket("short-lived").key("x.txt"), RequestBody.fromString("x"));
        S3Exception notEmpty = catchThrowableOfType(S3Exception.class,
                () -> adminS3.deleteBucket(d -> d.bucket("short-lived")));
        adminS3.deleteObject(d -> d.bucket("short-lived").key("x.txt"));
        adminS3.deleteBucket(d -> d.bucket("short-lived"));

        List<JsonNode> events = s3Events();
        assertThat(notEmpty.statusCode()).isEqualTo(409);
        assertThat(names(events)).containsExactly("CreateBucket", "DeleteBucket", "DeleteBucket");
        assertThat(events.get(0).has("errorCode")).isFalse();
        assertThat(events.get(1).path("errorCode").asText()).isEqualTo("BucketNotEmpty");
        assertThat(events.get(2).has("errorCode")).isFalse();
        assertThat(events).allSatisfy(event -> assertThat(event.path("requestParameters").path("bucketName")
                .asText()).isEqualTo("short-lived"));
    }

    @Test
    void authorizationRefusal_ofAnObjectRead_writesAnAccessDeniedEvent() throws Exception {
        S3Exception denied = catchThrowableOfType(S3Exception.class,
                () -> bobS3.getObjectAsBytes(g -> g.bucket("audited").key("shared/hello.txt")));

        List<JsonNode> events = s3Events();
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(names(events)).containsExactly("GetObject");
        JsonNode event = events.get(0);
        assertThat(event.path("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(event.path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/bob");
        assertThat(event.path("userIdentity").path("accessKeyId").asText()).isEqualTo(bob.accessKeyId());
        assertThat(event.path("requestParameters").path("bucketName").asText()).isEqualTo("audited");
        assertThat(event.path("requestParameters").path("key").asText()).isEqualTo("shared/hello.txt");
        assertThat(event.toString()).doesNotContain(bob.secretAccessKey());
    }

    @Test
    void allowedObjectReadsAndWrites_writeNoEvent() throws Exception {
        adminS3.putObject(p -> p.bucket("audited").key("data.txt"), RequestBody.fromString("data"));
        adminS3.getObjectAsBytes(g -> g.bucket("audited").key("data.txt"));
        adminS3.deleteObject(d -> d.bucket("audited").key("data.txt"));

        assertThat(s3Events()).isEmpty();
    }

    @Test
    void putBucketPolicy_auditLogUnavailable_isServiceUnavailable() throws Exception {
        AUDIT_DOWN.set(true);

        S3Exception refused = catchThrowableOfType(S3Exception.class,
                () -> adminS3.putBucketPolicy(p -> p.bucket("audited").policy(GRANT_BOB)));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
        AUDIT_DOWN.set(false);
        adminS3.deleteBucketPolicy(d -> d.bucket("audited"));
    }

    /** The store deleted the bucket: the answer is 503, but the stored policy is dropped all the same. */
    @Test
    void deleteBucket_auditLogUnavailable_isServiceUnavailableAndThePolicyIsDroppedAnyway() throws Exception {
        adminS3.createBucket(b -> b.bucket("unrecorded"));
        adminS3.putBucketPolicy(p -> p.bucket("unrecorded").policy(GRANT_BOB.replace("audited", "unrecorded")));
        AUDIT_DOWN.set(true);

        S3Exception refused = catchThrowableOfType(S3Exception.class,
                () -> adminS3.deleteBucket(d -> d.bucket("unrecorded")));

        assertThat(refused.statusCode()).isEqualTo(503);
        AUDIT_DOWN.set(false);
        adminS3.createBucket(b -> b.bucket("unrecorded"));
        S3Exception none = catchThrowableOfType(S3Exception.class,
                () -> adminS3.getBucketPolicy(g -> g.bucket("unrecorded")));
        assertThat(none.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucketPolicy");
        adminS3.deleteBucket(d -> d.bucket("unrecorded"));
    }

    @Test
    void allowedObjectRead_auditLogUnavailable_isStillServed() {
        AUDIT_DOWN.set(true);

        assertThat(adminS3.getObjectAsBytes(g -> g.bucket("audited").key("shared/hello.txt")).asUtf8String())
                .isEqualTo("hello");
    }

    // ---- refusals of the gateway's own after the caller is known: each answered as before, and recorded once

    @Test
    void bodyNotWhatWasSigned_isAnsweredAsBeforeOnAConnectionKeptOpen_andRecordedOnce() throws Exception {
        byte[] body = "the body that was sent".getBytes(UTF_8);
        String head = signedHead("PUT", "/audited/tampered.txt", sha256Hex("the body that was signed"), Map.of(),
                "Content-Length: " + body.length + "\r\n");
        String refused;
        String next;
        try (Socket socket = connect(node)) {
            send(socket, head, body);
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            send(socket, signedHead("GET", "/audited/shared/hello.txt", "UNSIGNED-PAYLOAD", Map.of(), ""));
            next = RawHttpAnswers.readOne(socket.getInputStream());
        }

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>XAmzContentSHA256Mismatch</Code><Message>"
                + "The provided 'x-amz-content-sha256' header does not match what was computed.</Message>")
                .doesNotContainIgnoringCase("connection: close");
        assertThat(next).as("the connection carries the next request").startsWith("HTTP/1.1 200 ").endsWith("hello");
        JsonNode event = onlyRefusalEvent("PutObject", "XAmzContentSHA256Mismatch", refused);
        assertThat(event.path("requestParameters").path("bucketName").asText()).isEqualTo("audited");
        assertThat(event.path("requestParameters").path("key").asText()).isEqualTo("tampered.txt");
        assertThat(stored("tampered.txt")).isFalse();
    }

    @Test
    void chunkSignatureThatDoesNotVerify_whileTheBodyIsStillArriving_isAnsweredAndClosed_andRecordedOnce()
            throws Exception {
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedChunkedPutHead("/audited/forged-chunk.txt"));
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 100 ");
            // The first of two chunks, with a signature that is no chunk's; the second never comes.
            send(socket, "5;chunk-signature=" + WRONG_CHUNK_SIGNATURE + "\r\nhello\r\n");
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 403 ").contains("<Code>SignatureDoesNotMatch</Code>")
                .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).as("closed after the answer, the rest of the body unread").isEqualTo(-1);
        onlyRefusalEvent("PutObject", "SignatureDoesNotMatch", refused);
        assertThat(stored("forged-chunk.txt")).isFalse();
    }

    @Test
    void wrongChecksumTrailer_isBadDigestAsBefore_andRecordedOnce() throws Exception {
        byte[] data = "checked by its trailer".getBytes(UTF_8);
        String encoded = new String(AwsChunkedEncoder.encode(data, 8192, null, /* trailer= */ true,
                ChecksumAlgorithm.CRC32), UTF_8);
        int value = encoded.indexOf("x-amz-checksum-crc32:") + "x-amz-checksum-crc32:".length();
        String wrong = encoded.substring(0, value) + (encoded.charAt(value) == 'A' ? 'B' : 'A')
                + encoded.substring(value + 1);

        String refused = exchange(node, signedHead("PUT", "/audited/crc.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                Map.of("Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", Integer.toString(data.length),
                        "x-amz-trailer", "x-amz-checksum-crc32"),
                "Content-Length: " + wrong.length() + "\r\nConnection: close\r\n") + wrong);

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>BadDigest</Code><Message>The CRC32 you"
                + " specified did not match the calculated checksum.</Message>");
        onlyRefusalEvent("PutObject", "BadDigest", refused);
        assertThat(stored("crc.txt")).isFalse();
    }

    @Test
    void bodyShorterThanItsDecodedLength_isIncompleteBodyAsBefore_andRecordedOnce() throws Exception {
        byte[] data = "one byte short".getBytes(UTF_8);
        String encoded = new String(AwsChunkedEncoder.encode(data, 8192, null, /* trailer= */ false), UTF_8);

        String refused = exchange(node, signedHead("PUT", "/audited/short.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                Map.of("Content-Encoding", "aws-chunked",
                        "x-amz-decoded-content-length", Integer.toString(data.length + 1)),
                "Content-Length: " + encoded.length() + "\r\nConnection: close\r\n") + encoded);

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>IncompleteBody</Code>");
        onlyRefusalEvent("PutObject", "IncompleteBody", refused);
        assertThat(stored("short.txt")).isFalse();
    }

    @Test
    void bodyTheCodecCannotRead_afterTheCallerIsKnown_isBadRequestAndClosed_andRecordedOnce() throws Exception {
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedHead("PUT", "/audited/garbled.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                    Map.of("Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", "5"),
                    "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n"));
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 100 ");
            send(socket, "zz\r\n");
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>BadRequest</Code>")
                .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        onlyRefusalEvent("PutObject", "BadRequest", refused);
    }

    @Test
    void chunkedBodyWithoutAwsChunked_isNotImplementedAndClosed_andRecordedOnce() throws Exception {
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            // Only the head: the answer comes while the body has not.
            send(socket, signedHead("PUT", "/audited/chunked.txt", "UNSIGNED-PAYLOAD", Map.of(),
                    "Transfer-Encoding: chunked\r\n"));
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 501 ").contains("<Code>NotImplemented</Code><Message>A header you"
                + " provided implies functionality that is not implemented</Message><Header>Transfer-Encoding"
                + "</Header>").containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        onlyRefusalEvent("PutObject", "NotImplemented", refused);
    }

    @Test
    void bucketPolicyLongerThanItsBound_isMaxMessageLengthExceededAndClosed_andRecordedOnce() throws Exception {
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedHead("PUT", "/audited", "policy", "UNSIGNED-PAYLOAD", Map.of(),
                    "Content-Length: 100000\r\n"));
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>MaxMessageLengthExceeded</Code><Message>"
                + "Your request was too big.</Message>").containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        JsonNode event = onlyRefusalEvent("PutBucketPolicy", "MaxMessageLengthExceeded", refused);
        assertThat(event.path("requestParameters").path("bucketName").asText()).isEqualTo("audited");
    }

    @Test
    void storeThatDropsTheRequestOrCannotBeReached_isInternalError_recordedOnceEach() throws Exception {
        S3Exception dropped;
        S3Exception unreachable;
        try (S3Client s3 = s3(lostStoreNode, SdkClients.credentials(lostStoreNode.initialAdmin().orElseThrow()))) {
            dropped = catchThrowableOfType(S3Exception.class,
                    () -> s3.getObjectAsBytes(g -> g.bucket("anywhere").key("a.txt")));
            droppingStore.close();
            unreachable = catchThrowableOfType(S3Exception.class,
                    () -> s3.getObjectAsBytes(g -> g.bucket("anywhere").key("b.txt")));
        }

        List<JsonNode> events = s3Events();
        assertThat(List.of(dropped, unreachable)).allSatisfy(e -> {
            assertThat(e.statusCode()).isEqualTo(500);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
        });
        assertThat(names(events)).containsExactly("GetObject", "GetObject");
        assertThat(events).extracting(event -> event.path("errorCode").asText())
                .containsExactly("InternalError", "InternalError");
        assertThat(events).extracting(event -> event.path("requestID").asText())
                .containsExactly(dropped.requestId(), unreachable.requestId());
        assertThat(events).extracting(event -> event.path("requestParameters").path("key").asText())
                .containsExactly("a.txt", "b.txt");
    }

    /**
     * A refusal that waits for a slow audit log holds back its own answer only: meanwhile clients on every event loop
     * of the gateway are served, and the refused connection is not answered until its event is recorded.
     */
    @Test
    void refusalWaitingForASlowAuditLog_holdsBackOnlyItsOwnAnswer() throws Exception {
        var release = new CountDownLatch(1);
        AUDIT_HELD.set(release);
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedChunkedPutHead("/audited/slowly-refused.txt"));
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 100 ");
            send(socket, "5;chunk-signature=" + WRONG_CHUNK_SIGNATURE + "\r\nhello\r\n");

            // A new connection goes to each event loop in turn: more of them than there are loops reach them all.
            for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
                assertThat(exchange(node, signedHead("GET", "/audited/shared/hello.txt", "UNSIGNED-PAYLOAD",
                        Map.of(), "Connection: close\r\n"))).startsWith("HTTP/1.1 200 ").endsWith("hello");
            }
            assertThat(socket.getInputStream().available()).as("not answered before its event is recorded")
                    .isZero();
            release.countDown();
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        } finally {
            AUDIT_HELD.set(null);
            release.countDown();
        }

        assertThat(refused).startsWith("HTTP/1.1 403 ").contains("<Code>SignatureDoesNotMatch</Code>")
                .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        onlyRefusalEvent("PutObject", "SignatureDoesNotMatch", refused);
    }

    /**
     * A refusal's trigger and a second failure in the same read (the codec failing on what follows): one answer, the
     * first refusal's, and one event.
     */
    @Test
    void refusalFollowedByASecondFailureOfTheSameRequest_isAnsweredAndRecordedOnce() throws Exception {
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedHead("PUT", "/audited/twice.txt", "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                    Map.of("Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", "5"),
                    "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\n"));
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 100 ");
            // An HTTP chunk holding an aws-chunked chunk of 10 bytes where 5 were declared, then no chunk size.
            String awsChunk = "a\r\n0123456789\r\n";
            send(socket, Integer.toHexString(awsChunk.length()) + "\r\n" + awsChunk + "\r\nzz\r\n");
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 400 ").contains("<Code>IncompleteBody</Code>")
                .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        onlyRefusalEvent("PutObject", "IncompleteBody", refused);
        assertThat(stored("twice.txt")).isFalse();
    }

    @Test
    void bodyRefusedWhileArriving_auditLogUnavailable_isServiceUnavailableAndClosedAsTheRefusalWouldBe()
            throws Exception {
        AUDIT_DOWN.set(true);
        String refused;
        int afterAnswer;
        try (Socket socket = connect(node)) {
            send(socket, signedChunkedPutHead("/audited/unrecorded.txt"));
            assertThat(RawHttpAnswers.readOne(socket.getInputStream())).startsWith("HTTP/1.1 100 ");
            send(socket, "5;chunk-signature=" + WRONG_CHUNK_SIGNATURE + "\r\nhello\r\n");
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            afterAnswer = socket.getInputStream().read();
        }

        assertThat(refused).startsWith("HTTP/1.1 503 ").contains("<Code>ServiceUnavailable</Code>")
                .containsIgnoringCase("\r\nconnection: close\r\n");
        assertThat(afterAnswer).isEqualTo(-1);
        assertThat(s3Events()).isEmpty();
        assertThat(stored("unrecorded.txt")).isFalse();
    }

    @Test
    void wholeBodyRefused_auditLogUnavailable_isServiceUnavailableOnAConnectionKeptOpen() throws Exception {
        AUDIT_DOWN.set(true);
        byte[] body = "the body that was sent".getBytes(UTF_8);
        String refused;
        String next;
        try (Socket socket = connect(node)) {
            send(socket, signedHead("PUT", "/audited/unrecorded.txt", sha256Hex("the body that was signed"),
                    Map.of(), "Content-Length: " + body.length + "\r\n"), body);
            refused = RawHttpAnswers.readOne(socket.getInputStream());
            send(socket, signedHead("GET", "/audited/shared/hello.txt", "UNSIGNED-PAYLOAD", Map.of(), ""));
            next = RawHttpAnswers.readOne(socket.getInputStream());
        }

        assertThat(refused).startsWith("HTTP/1.1 503 ").contains("<Code>ServiceUnavailable</Code>")
                .doesNotContainIgnoringCase("connection: close");
        assertThat(next).startsWith("HTTP/1.1 200 ").endsWith("hello");
        assertThat(s3Events()).isEmpty();
    }

    /**
     * The test's one event: the admin's {@code eventName}, refused with {@code errorCode} and the message of
     * {@code answer}, under the answer's request id.
     */
    private static JsonNode onlyRefusalEvent(String eventName, String errorCode, String answer) throws Exception {
        List<JsonNode> events = s3Events();
        assertThat(names(events)).containsExactly(eventName);
        JsonNode event = events.get(0);
        assertThat(event.path("errorCode").asText()).isEqualTo(errorCode);
        assertThat(event.path("errorMessage").asText()).isEqualTo(element(answer, "Message"));
        assertThat(event.path("requestID").asText()).isEqualTo(requestId(answer));
        assertThat(event.path("userIdentity").path("arn").asText())
                .isEqualTo("arn:aws:iam::123456789012:user/admin");
        assertThat(event.path("userIdentity").path("accessKeyId").asText()).isEqualTo(admin.accessKeyId());
        assertThat(event.toString()).doesNotContain(admin.secretAccessKey());
        return event;
    }

    private static String element(String answer, String name) {
        int start = answer.indexOf("<" + name + ">") + name.length() + 2;
        return answer.substring(start, answer.indexOf("</" + name + ">", start));
    }

    private static String requestId(String answer) {
        for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
            if (line.regionMatches(true, 0, "x-amz-request-id:", 0, "x-amz-request-id:".length())) {
                return line.substring("x-amz-request-id:".length()).strip();
            }
        }
        throw new AssertionError("no request id in " + answer);
    }

    private static boolean stored(String key) {
        return catchThrowableOfType(S3Exception.class,
                () -> adminS3.headObject(h -> h.bucket("audited").key(key))) == null;
    }

    /**
     * The head of an admin's PUT of {@code path} whose body is signed chunk by chunk, two chunks of 5 bytes declared,
     * that waits for {@code 100 Continue} before sending it.
     */
    private static String signedChunkedPutHead(String path) {
        String chunk = "5;chunk-signature=" + WRONG_CHUNK_SIGNATURE + "\r\nhello\r\n";
        String last = "0;chunk-signature=" + WRONG_CHUNK_SIGNATURE + "\r\n\r\n";
        return signedHead("PUT", path, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                Map.of("Content-Encoding", "aws-chunked", "x-amz-decoded-content-length", "10"),
                "Content-Length: " + (2 * chunk.length() + last.length()) + "\r\nExpect: 100-continue\r\n");
    }

    private static String signedHead(String method, String path, String payload, Map<String, String> signed,
            String unsigned) {
        return signedHead(method, path, "", payload, signed, unsigned);
    }

    /**
     * The request line and headers of a request the admin signed now, {@code payload} its
     * {@code x-amz-content-sha256}, with the {@code signed} headers and then the {@code unsigned} ones (each line
     * CRLF-terminated), up to the blank line.
     */
    private static String signedHead(String method, String path, String query, String payload,
            Map<String, String> signed, String unsigned) {
        URI endpoint = node.s3GatewayEndpoint().orElseThrow();
        var builder = SignableRequest.builder().method(method).path(path).query(query)
                .addHeader("Host", endpoint.getHost() + ":" + endpoint.getPort())
                .addHeader("x-amz-content-sha256", payload);
        signed.forEach(builder::addHeader);
        SignableRequest request = SIGNER.sign(builder.build(), SigningCredentials.of(admin.accessKeyId(),
                admin.secretAccessKey().getBytes(UTF_8)), "us-east-1", "s3", Instant.now());
        var head = new StringBuilder(method).append(' ').append(path).append(query.isEmpty() ? "" : "?" + query)
                .append(" HTTP/1.1\r\n");
        for (int i = 0; i < request.headerCount(); i++) {
            head.append(request.headerName(i)).append(": ").append(request.headerValue(i)).append("\r\n");
        }
        return head.append(unsigned).append("\r\n").toString();
    }

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    }

    private static Socket connect(OpenStsNode target) throws IOException {
        URI endpoint = target.s3GatewayEndpoint().orElseThrow();
        var socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        send(socket, text, new byte[0]);
    }

    private static void send(Socket socket, String text, byte[] body) throws IOException {
        socket.getOutputStream().write(text.getBytes(UTF_8));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    /** Sends one request that asks for the connection to close, and reads everything the gateway answers. */
    private static String exchange(OpenStsNode target, String request) throws IOException {
        try (Socket socket = connect(target)) {
            send(socket, request);
            return new String(socket.getInputStream().readAllBytes(), UTF_8);
        }
    }
}
