package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * management events) and every authorization refusal, with event source {@code s3.amazonaws.com}, the caller and the
 * bucket; allowed object reads and writes (data events) leave none; a call whose event cannot be recorded is answered
 * {@code ServiceUnavailable}.
 */
class S3GatewayAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GRANT_BOB = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"s3:GetObject",\
            "Resource":"arn:aws:s3:::audited/shared/*"}]}""";

    @TempDir
    static Path dataDir;

    private static UpstreamS3 upstream;
    private static OpenStsNode node;
    private static AwsBasicCredentials bob;
    private static S3Client adminS3;
    private static S3Client bobS3;
    private static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicBoolean AUDIT_DOWN = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        AuditLog.sendTo(event -> {
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
        var gateway = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0), upstream.endpoint(),
                SigningCredentials.of(UpstreamS3.ACCESS_KEY_ID, UpstreamS3.SECRET_ACCESS_KEY.getBytes(UTF_8)),
                Optional.empty());
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT).withBootstrapFile(bootstrap)
                .withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        adminS3 = s3(SdkClients.credentials(node.initialAdmin().orElseThrow()));
        bobS3 = s3(bob);
        adminS3.createBucket(b -> b.bucket("audited"));
        adminS3.putObject(p -> p.bucket("audited").key("shared/hello.txt"), RequestBody.fromString("hello"));
    }

    @AfterAll
    static void stop() {
        adminS3.close();
        bobS3.close();
        node.close();
        upstream.close();
        AuditLog.sendToLogger();
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
        return S3Client.builder()
                .endpointOverride(node.s3GatewayEndpoint().orElseThrow())
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
}
