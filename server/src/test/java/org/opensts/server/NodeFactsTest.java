package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.token.KeyRing;
import org.opensts.token.SessionTokenCodec;
import org.opensts.verifier.SessionKeys;

/** What {@code POST /node} reports, from the metrics and the key ring, with a clock the test moves. */
class NodeFactsTest {
    private static final Instant STARTED = Instant.parse("2026-12-06T09:00:00Z");
    private static final Instant KEY_CREATED = STARTED.minus(Duration.ofHours(3));

    private static final Optional<ErrorCode> OK = Optional.empty();

    private final MutableClock clock = new MutableClock(STARTED);
    private final ServerMetrics metrics = new ServerMetrics();
    private final SessionKeys keys = keysCreatedAt(KEY_CREATED);
    private final NodeFacts facts = new NodeFacts("1.2.3", "eu-west-1", true, STARTED, keys, metrics, clock);

    /** A session key ring of one key, created at {@code createdAt}. */
    private static SessionKeys keysCreatedAt(Instant createdAt) {
        SessionTokenCodec codec = new SessionTokenCodec(KeyRing.generate(createdAt, new SecureRandom()), "aws");
        return new SessionKeys() {
            @Override
            public SessionTokenCodec codec() {
                return codec;
            }

            @Override
            public boolean reloadFor(int keyId) {
                return false;
            }
        };
    }

    private void calls(String action, Optional<ErrorCode> error, int count) {
        for (int i = 0; i < count; i++) {
            metrics.recordCall(ApiVersion.STS, action, error, 1_000);
        }
    }

    @Test
    void describe_namesVersionRegionStoreStartAndKeyRing() {
        clock.advance(Duration.ofMinutes(5));

        ObjectNode node = facts.describe();

        assertThat(node.get("Version").asText()).isEqualTo("1.2.3");
        assertThat(node.get("Region").asText()).isEqualTo("eu-west-1");
        assertThat(node.get("Store").asText()).isEqualTo("postgresql");
        assertThat(node.get("StartedAt").asText()).isEqualTo("2026-12-06T09:00:00Z");
        assertThat(node.at("/KeyRing/Keys").asInt()).isEqualTo(1);
        assertThat(node.at("/KeyRing/CurrentKeyCreated").asText()).isEqualTo("2026-12-06T06:00:00Z");
        assertThat(node.at("/KeyRing/CurrentKeyAgeSeconds").asLong()).isEqualTo(3 * 3600 + 300);
    }

    @Test
    void describe_writesTimesToTheWholeSecondInUtc_andTheKeysAgeFromTheExactInstant() {
        Instant started = Instant.parse("2026-12-07T06:43:29.409813826Z");
        Instant keyCreated = Instant.parse("2026-12-07T06:43:28.606Z");
        MutableClock at = new MutableClock(started.plusMillis(700));

        ObjectNode node = new NodeFacts("1.2.3", "eu-west-1", false, started, keysCreatedAt(keyCreated), metrics, at)
                .describe();

        assertThat(node.get("StartedAt").asText()).isEqualTo("2026-12-07T06:43:29Z");
        assertThat(node.at("/KeyRing/CurrentKeyCreated").asText()).isEqualTo("2026-12-07T06:43:28Z");
        // 1.5 s after the key's creation, 2.1 s after the time written for it: the age is the exact one.
        assertThat(node.at("/KeyRing/CurrentKeyAgeSeconds").asLong()).isEqualTo(1);
    }

    @Test
    void describe_countsCallsErrorsAndActions() {
        calls("AssumeRole", OK, 5);
        calls("AssumeRole", Optional.of(ErrorCode.ACCESS_DENIED), 2);
        calls("GetCallerIdentity", OK, 3);

        ObjectNode requests = (ObjectNode) facts.describe().get("Requests");

        assertThat(requests.get("Total").asLong()).isEqualTo(10);
        assertThat(requests.get("Errors").asLong()).isEqualTo(2);
        assertThat(requests.at("/ByAction/AssumeRole").asLong()).isEqualTo(7);
        assertThat(requests.at("/ByAction/GetCallerIdentity").asLong()).isEqualTo(3);
    }

    @Test
    void perSecond_youngNode_isSinceTheStart() {
        calls("GetCallerIdentity", OK, 30);
        clock.advance(Duration.ofSeconds(20));

        assertThat(facts.describe().at("/Requests/PerSecond1m").asDouble()).isEqualTo(1.5);
    }

    @Test
    void perSecond_isOverTheLastMinuteOfSamples() {
        calls("GetCallerIdentity", OK, 600); // an early burst, more than a minute ago
        for (int i = 0; i < 30; i++) {
            calls("GetCallerIdentity", OK, 10);
            clock.advance(Duration.ofSeconds(NodeFacts.SAMPLE_PERIOD_SECONDS));
            facts.sample();
        }

        // Samples every 5 s with 10 calls between them: 2 calls a second, whatever came before.
        assertThat(facts.describe().at("/Requests/PerSecond1m").asDouble()).isEqualTo(2.0);
    }

    @Test
    void perSecond_noTimePassed_isZero() {
        calls("GetCallerIdentity", OK, 3);

        assertThat(facts.describe().at("/Requests/PerSecond1m").asDouble()).isZero();
    }
}
