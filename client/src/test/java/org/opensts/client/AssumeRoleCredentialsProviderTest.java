package org.opensts.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AssumeRole provider against a real node that shares the test's clock: when it calls STS (counted at the
 * transport), what callers get meanwhile, how it rides out an unreachable node, and many threads at once.
 */
class AssumeRoleCredentialsProviderTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final CountingTransport transport = new CountingTransport();
    private final QueuedExecutor background = new QueuedExecutor();
    private LoopbackNode node;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = LoopbackNode.start(dir, clock);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        node.close();
    }

    private AssumeRoleCredentialsProvider.Builder builder() {
        return AssumeRoleCredentialsProvider.builder()
                .endpoint(node.endpoint())
                .sourceCredentials(StaticCredentialsProvider.create(node.adminSdk()))
                .roleArn(LoopbackNode.ROLE_ARN)
                .roleSessionName("provider")
                .clock(clock)
                .transport(transport);
    }

    private AssumeRoleCredentialsProvider provider() {
        AssumeRoleCredentialsProvider provider = builder().executor(background).build();
        toClose.add(provider);
        return provider;
    }

    private static AwsSessionCredentials session(AwsCredentials credentials) {
        return (AwsSessionCredentials) credentials;
    }

    @Test
    void resolve_first_callsStsOnceAndReturnsRoleCredentialsWithTheirExpiration() {
        AssumeRoleCredentialsProvider provider = provider();

        AwsSessionCredentials first = session(provider.resolveCredentials());
        AwsSessionCredentials second = session(provider.resolveCredentials());

        assertThat(transport.attempts()).isEqualTo(1);
        assertThat(first.accessKeyId()).startsWith("ASIA").isEqualTo(second.accessKeyId());
        assertThat(first.expirationTime()).contains(clock.instant().plus(HOUR));
        assertThat(first.accountId()).contains(LoopbackNode.ACCOUNT);
    }

    @Test
    void resolve_beforeThePrefetchWindow_neverCallsStsAgain() {
        AssumeRoleCredentialsProvider provider = provider();
        String key = provider.resolveCredentials().accessKeyId();

        clock.advance(HOUR.minus(Duration.ofMinutes(6)).minusSeconds(1)); // prefetch: 5 min + up to 1 min jitter
        String later = provider.resolveCredentials().accessKeyId();

        assertThat(later).isEqualTo(key);
        assertThat(transport.attempts()).isEqualTo(1);
        assertThat(background.pending()).isZero();
    }

    @Test
    void resolve_inThePrefetchWindow_servesTheCurrentAtOnceAndRefreshesInTheBackground() {
        AssumeRoleCredentialsProvider provider = provider();
        String key = provider.resolveCredentials().accessKeyId();

        clock.advance(HOUR.minus(Duration.ofMinutes(4)));
        String during = provider.resolveCredentials().accessKeyId();
        provider.resolveCredentials();

        assertThat(during).isEqualTo(key);
        assertThat(transport.attempts()).isEqualTo(1);
        assertThat(background.pending()).isEqualTo(1); // one refresh however many callers

        background.runAll();
        AwsSessionCredentials after = session(provider.resolveCredentials());

        assertThat(transport.attempts()).isEqualTo(2);
        assertThat(after.accessKeyId()).isNotEqualTo(key);
        assertThat(after.expirationTime()).contains(clock.instant().plus(HOUR));
    }

    @Test
    void resolve_withinAMinuteOfExpiry_refreshesBeforeReturning() {
        AssumeRoleCredentialsProvider provider = provider();
        Instant firstExpiry = provider.resolveCredentials().expirationTime().orElseThrow();

        clock.set(firstExpiry.minusSeconds(30));
        AwsSessionCredentials refreshed = session(provider.resolveCredentials());

        assertThat(transport.attempts()).isEqualTo(2);
        assertThat(refreshed.expirationTime()).contains(clock.instant().plus(HOUR));
    }

    @Test
    void resolve_nodeUnreachable_servesStillValidCredentialsThenFailsClearlyOnceTheyExpire() throws Exception {
        AssumeRoleCredentialsProvider provider = provider();
        AwsSessionCredentials first = session(provider.resolveCredentials());
        Instant expiry = first.expirationTime().orElseThrow();
        node.stop();

        clock.set(expiry.minus(Duration.ofMinutes(4)));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(first.accessKeyId());
        background.runAll(); // the background refresh fails
        assertThat(transport.attempts()).isEqualTo(2);

        clock.set(expiry.minusSeconds(30)); // stale: a blocking refresh fails, the valid ones are still served
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(first.accessKeyId());
        assertThat(transport.attempts()).isEqualTo(3);

        clock.set(expiry);
        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("expired at " + expiry)
                .hasMessageContaining("failed attempts")
                .hasCauseInstanceOf(StsTransportException.class);
    }

    @Test
    void resolve_afterAFailure_waitsOutTheBackoffThenRecoversWhenTheNodeIsBack() throws Exception {
        AssumeRoleCredentialsProvider provider = provider();
        Instant expiry = provider.resolveCredentials().expirationTime().orElseThrow();
        node.stop();
        clock.set(expiry.minusSeconds(30));
        provider.resolveCredentials();
        int afterFailure = transport.attempts();

        for (int i = 0; i < 100; i++) {
            provider.resolveCredentials(); // within the backoff: no call
        }
        assertThat(transport.attempts()).isEqualTo(afterFailure);

        node.restart();
        clock.advance(Duration.ofSeconds(2)); // past the first backoff (at most one second)
        AwsSessionCredentials recovered = session(provider.resolveCredentials());

        assertThat(transport.attempts()).isEqualTo(afterFailure + 1);
        assertThat(recovered.expirationTime()).contains(clock.instant().plus(HOUR));
    }

    @Test
    void resolve_neverObtainedAndNodeUnreachable_failsNamingTheProviderAndCause() {
        AssumeRoleCredentialsProvider provider = provider();
        node.stop();

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("OpenStsAssumeRoleCredentialsProvider")
                .hasMessageContaining("no credentials were obtained yet");
    }

    @Test
    void resolve_stsRefuses_failsWithTheAwsErrorAsCause() {
        AssumeRoleCredentialsProvider provider = builder().roleArn("arn:aws:iam::123456789012:role/nope")
                .executor(background).build();
        toClose.add(provider);

        assertThatThrownBy(provider::resolveCredentials)
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("AccessDenied")
                .cause().isInstanceOf(StsException.class);
    }

    @Test
    void resolve_32ThreadsTimes1000_oneStsCallPerWindowAndNothingExpired() throws Exception {
        ExecutorService refresher = Executors.newSingleThreadExecutor();
        ExecutorService threads = Executors.newFixedThreadPool(32);
        AssumeRoleCredentialsProvider provider = builder().executor(refresher).build();
        toClose.add(provider);
        try {
            Instant expiry = provider.resolveCredentials().expirationTime().orElseThrow();
            for (int window = 1; window <= 3; window++) {
                clock.set(expiry.minus(Duration.ofMinutes(4))); // background refresh window
                hammer(provider, threads, 32, 1000);
                refresher.submit(() -> { }).get(1, TimeUnit.MINUTES); // the refresh, if queued, has finished
                Instant refreshed = provider.resolveCredentials().expirationTime().orElseThrow();
                assertThat(refreshed).isEqualTo(clock.instant().plus(HOUR).truncatedTo(ChronoUnit.SECONDS));
                assertThat(transport.attempts()).isEqualTo(window * 2);

                clock.set(refreshed.minusSeconds(30)); // blocking refresh window
                hammer(provider, threads, 32, 1000);
                refresher.submit(() -> { }).get(1, TimeUnit.MINUTES);
                expiry = provider.resolveCredentials().expirationTime().orElseThrow();
                assertThat(expiry).isEqualTo(clock.instant().plus(HOUR));
                assertThat(transport.attempts()).isEqualTo(window * 2 + 1);
            }
        } finally {
            threads.shutdownNow();
            refresher.shutdownNow();
        }
    }

    /** Runs {@code threads} × {@code calls} resolves starting together; asserts none is expired at the clock's time. */
    private void hammer(AssumeRoleCredentialsProvider provider, ExecutorService pool, int threads, int calls)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger expired = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < calls; i++) {
                    Instant expiration = provider.resolveCredentials().expirationTime().orElseThrow();
                    if (!expiration.isAfter(clock.instant())) {
                        expired.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> future : futures) {
            future.get(2, TimeUnit.MINUTES);
        }
        assertThat(expired).hasValue(0);
    }

    @Test
    void sdkStsClient_withTheProvider_callsAsTheAssumedRoleAndPicksUpRefreshedCredentials() {
        // 15-minute sessions, so the refresh comes within the 15 minutes of skew the node allows the SDK's own clock.
        AssumeRoleCredentialsProvider provider = builder().durationSeconds(900).executor(Runnable::run).build();
        toClose.add(provider);

        try (StsClient sts = StsClient.builder()
                .endpointOverride(node.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(provider)
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/app/provider");
            String firstKey = provider.resolveCredentials().accessKeyId();

            clock.advance(Duration.ofMinutes(11)); // past the prefetch instant (5-6 minutes before expiry)
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/app/provider");
            assertThat(provider.resolveCredentials().accessKeyId()).isNotEqualTo(firstKey);
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/app/provider");
            assertThat(transport.attempts()).isEqualTo(2);
        }
    }

    @Test
    void toString_namesRoleAndEndpointButNoSecret() {
        AssumeRoleCredentialsProvider provider = provider();
        AwsSessionCredentials credentials = session(provider.resolveCredentials());

        assertThat(provider.toString()).contains(LoopbackNode.ROLE_ARN)
                .doesNotContain(credentials.secretAccessKey())
                .doesNotContain(node.admin().secretAccessKey().revealUtf8());
    }
}
