package org.opensts.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/** The GetSessionToken provider against a real node: the user's own session, refreshed ahead of expiry. */
class SessionTokenCredentialsProviderTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final CountingTransport transport = new CountingTransport();
    private final QueuedExecutor background = new QueuedExecutor();
    private LoopbackNode node;
    private SessionTokenCredentialsProvider provider;

    @BeforeEach
    void start() throws Exception {
        node = LoopbackNode.start(dir, clock);
        provider = SessionTokenCredentialsProvider.builder()
                .endpoint(node.endpoint())
                .sourceCredentials(StaticCredentialsProvider.create(node.adminSdk()))
                .durationSeconds(900)
                .clock(clock)
                .executor(background)
                .transport(transport)
                .build();
    }

    @AfterEach
    void stop() {
        provider.close();
        node.close();
    }

    @Test
    void sdkStsClient_withTheProvider_callsAsTheUserWithASessionKey() {
        try (StsClient sts = StsClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(provider).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/admin");
        }
        AwsSessionCredentials credentials = (AwsSessionCredentials) provider.resolveCredentials();
        assertThat(credentials.accessKeyId()).startsWith("ASIA");
        assertThat(credentials.expirationTime()).contains(clock.instant().plus(Duration.ofSeconds(900)));
        assertThat(transport.attempts()).isEqualTo(1);
    }

    @Test
    void resolve_fifteenMinuteSession_refreshesInTheBackgroundFiveMinutesBeforeExpiry() {
        String first = provider.resolveCredentials().accessKeyId();

        clock.advance(Duration.ofMinutes(10)); // 5 minutes left: past the prefetch instant, before the stale one
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo(first);
        assertThat(background.runAll()).isEqualTo(1);

        assertThat(provider.resolveCredentials().accessKeyId()).isNotEqualTo(first);
        assertThat(transport.attempts()).isEqualTo(2);
    }
}
