package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.testing.MutableClock;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * A node with a few regions enabled and a small rate limit, driven by the AWS SDK for Java v2: a call signed for a
 * region that is not enabled is refused as AWS refuses it, a burst beyond the limit is throttled as AWS throttles it,
 * and the SDK's own retries back off until the bucket has refilled.
 */
class RegionsAndThrottlingEndToEndTest {
    private static final String ACCOUNT = TestNodes.ACCOUNT;
    private static final String DISABLED_MESSAGE = "STS is not activated in this region for account:" + ACCOUNT
            + ". Your account administrator can activate STS in this region using the IAM Console.";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(Instant.now());
    private OpenStsNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private AwsCredentials start(Regions regions, RateLimit rateLimit) throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withClock(clock).withRegions(regions).withRateLimit(rateLimit));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        return SdkClients.credentials(admin);
    }

    /** An STS client signing for {@code region} whose retries are {@code retryMode}'s, or none. */
    private StsClient sts(AwsCredentials credentials, Region region, RetryMode retryMode) {
        return StsClient.builder()
                .endpointOverride(SdkClients.endpoint(node))
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> {
                    if (retryMode == null) {
                        c.retryStrategy(b -> b.maxAttempts(1));
                    } else {
                        c.retryStrategy(retryMode);
                    }
                })
                .build();
    }

    // ---- regions

    @Test
    void sdk_callSignedForARegionNotEnabled_isRegionDisabledException403() throws Exception {
        AwsCredentials admin = start(Regions.of("us-east-1", List.of("us-east-1", "eu-west-1")), RateLimit.DISABLED);

        try (StsClient sts = sts(admin, Region.AF_SOUTH_1, null)) {
            var e = catchThrowableOfType(RegionDisabledException.class, sts::getCallerIdentity);

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RegionDisabledException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(DISABLED_MESSAGE);
        }
        try (StsClient sts = sts(admin, Region.EU_WEST_1, null)) {
            assertThat(sts.getCallerIdentity().account()).isEqualTo(ACCOUNT);
        }
    }

    @Test
    void sdk_callSignedForANameThatIsNoRegion_isSignatureDoesNotMatch() throws Exception {
        AwsCredentials admin = start(Regions.defaults(), RateLimit.DISABLED);

        try (StsClient sts = sts(admin, Region.of("moon-base-1"), null)) {
            var e = catchThrowableOfType(StsException.class, sts::getCallerIdentity);

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Credential should be scoped to a valid region. ");
        }
    }

    @Test
    void sdk_iamCallSignedForARegionNotEnabled_isServedBecauseIamIsGlobal() throws Exception {
        AwsCredentials admin = start(Regions.of("us-east-1", List.of("us-east-1")), RateLimit.DISABLED);

        try (IamClient iam = IamClient.builder().endpointOverride(SdkClients.endpoint(node)).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(admin))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(iam.getUser().user().userName()).isEqualTo("admin");
        }
    }

    @Test
    void sdk_unsignedCallOnANodeWhoseRegionIsNotEnabled_isRegionDisabledForTheRolesAccount() throws Exception {
        start(Regions.of("ap-east-1", List.of("us-east-1")), RateLimit.DISABLED);

        try (StsClient sts = StsClient.builder().endpointOverride(SdkClients.endpoint(node)).region(Region.AP_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            var e = catchThrowableOfType(RegionDisabledException.class, () -> sts.assumeRoleWithWebIdentity(r -> r
                    .roleArn("arn:aws:iam::210987654321:role/ci").roleSessionName("ci")
                    .webIdentityToken("a.b.c")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                    "STS is not activated in this region for account:210987654321.");
        }
    }

    // ---- throttling

    @Test
    void sdk_burstBeyondTheLimit_isThrottling400ThenServedOnceTheClockMoves() throws Exception {
        AwsCredentials admin = start(Regions.defaults(), new RateLimit(2, 6));
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        try (StsClient sts = sts(admin, Region.US_EAST_1, null)) {
            // One principal gets half its account's burst of 6.
            for (int i = 0; i < 3; i++) {
                sts.getCallerIdentity();
            }
            var e = catchThrowableOfType(StsException.class, sts::getCallerIdentity);

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
            assertThat(e.isThrottlingException()).isTrue();

            clock.advance(Duration.ofSeconds(1));

            assertThat(sts.getCallerIdentity().account()).isEqualTo(ACCOUNT);
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }
        assertThat(events.list).map(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.contains("\"errorCode\":\"Throttling\"")).hasSize(1);
        assertThat(scrape()).contains(
                "opensts_requests_seconds_count{action=\"GetCallerIdentity\",api=\"sts\",outcome=\"Throttling\"} 1");
    }

    @Test
    void sdk_defaultRetries_backOffAndSucceedOnceTheBucketRefills() throws Exception {
        AwsCredentials admin = start(Regions.defaults(), new RateLimit(2, 2));
        // Each retry finds the bucket a second fuller: the time the SDK spent backing off, on the node's clock.
        var attempts = new AtomicInteger();
        ExecutionInterceptor timePassesBetweenAttempts = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (attempts.incrementAndGet() > 1) {
                    clock.advance(Duration.ofSeconds(1));
                }
            }
        };
        try (StsClient sts = StsClient.builder()
                .endpointOverride(SdkClients.endpoint(node))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(admin))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD)
                        .addExecutionInterceptor(timePassesBetweenAttempts))
                .build()) {
            sts.getCallerIdentity();
            attempts.set(0);

            assertThat(sts.getCallerIdentity().account()).isEqualTo(ACCOUNT);
            assertThat(attempts).hasValue(2);
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(SdkClients.endpoint(node) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
