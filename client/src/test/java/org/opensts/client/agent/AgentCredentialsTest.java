package org.opensts.client.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class AgentCredentialsTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/app";
    private static final Duration OFTEN = Duration.ofMillis(5);

    /** A provider that answers with the outcome its test scripts: credentials, or the failure of an outage. */
    private static final class ScriptedProvider implements AwsCredentialsProvider {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;
        volatile CountDownLatch afterCalls = new CountDownLatch(3);

        @Override
        public AwsCredentials resolveCredentials() {
            calls.incrementAndGet();
            afterCalls.countDown();
            if (down) {
                throw new IllegalStateException("no unexpired credentials: the server is unreachable");
            }
            return AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret")
                    .sessionToken("token").expirationTime(Instant.now().plusSeconds(3600)).build();
        }
    }

    @Test
    void keepFresh_asksTheProviderWithoutAnyProgramAsking() throws Exception {
        var provider = new ScriptedProvider();
        var credentials = new AgentCredentials(provider, ROLE, Clock.systemUTC());

        try (AutoCloseable keeper = credentials.keepFresh(OFTEN, failure -> { }, () -> { })) {
            assertThat(provider.afterCalls.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(provider.calls.get()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void served_withAKeeperRunning_answersFromTheLastCredentials_whileTheProviderHangs() throws Exception {
        var clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
        var release = new CountDownLatch(1);
        var hanging = new CountDownLatch(1);
        var hang = new AtomicBoolean();
        AwsCredentialsProvider provider = () -> {
            if (hang.get()) {
                hanging.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secret")
                    .sessionToken("token").expirationTime(clock.instant().plusSeconds(60)).build();
        };
        var credentials = new AgentCredentials(provider, ROLE, clock);

        try (AutoCloseable keeper = credentials.keepFresh(OFTEN, failure -> { }, () -> { })) {
            hang.set(true);
            assertThat(hanging.await(30, TimeUnit.SECONDS)).isTrue(); // the keeper is stuck in the provider
            AgentCredentials.Snapshot served = credentials.served();
            clock.advance(Duration.ofSeconds(61));
            Throwable afterExpiry = catchThrowable(credentials::served);
            release.countDown();

            assertThat(served.accessKeyId()).isEqualTo("ASIAEXAMPLE");
            assertThat(afterExpiry).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void keepFresh_tellsOfAnOutageOnce_andOfTheRecoveryOnce() throws Exception {
        var provider = new ScriptedProvider();
        var credentials = new AgentCredentials(provider, ROLE, Clock.systemUTC());
        var failures = new AtomicInteger();
        var recoveries = new AtomicInteger();
        var recovered = new CountDownLatch(1);
        provider.down = true;

        try (AutoCloseable keeper = credentials.keepFresh(OFTEN, failure -> failures.incrementAndGet(), () -> {
            recoveries.incrementAndGet();
            recovered.countDown();
        })) {
            assertThat(provider.afterCalls.await(30, TimeUnit.SECONDS)).isTrue();
            provider.down = false;
            assertThat(recovered.await(30, TimeUnit.SECONDS)).isTrue();
            provider.afterCalls = new CountDownLatch(3);
            assertThat(provider.afterCalls.await(30, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(failures.get()).isEqualTo(1);
        assertThat(recoveries.get()).isEqualTo(1);
    }
}
