package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreSettingsTest {
    record Case(String name, Duration responseTimeout, Duration lockTimeout) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> lockTimeouts() {
        return List.of(
                new Case("the default response timeout: the ten-second cap", StoreSettings.DEFAULT_RESPONSE_TIMEOUT,
                        Duration.ofSeconds(10)),
                new Case("exactly twice the cap: the cap", Duration.ofSeconds(20), Duration.ofSeconds(10)),
                new Case("a shorter response timeout: half of it", Duration.ofSeconds(4), Duration.ofSeconds(2)),
                new Case("the shortest response timeout: half a second", Duration.ofSeconds(1),
                        Duration.ofMillis(500)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lockTimeouts")
    void lockTimeout_isHalfTheResponseTimeoutAtMostTenSeconds(Case c) {
        var settings = new StoreSettings("jdbc:postgresql://db/opensts", Optional.empty(), Optional.empty(), 10,
                c.responseTimeout());

        assertThat(settings.lockTimeout()).isEqualTo(c.lockTimeout());
    }

    record TimeoutCase(String name, String url, Duration socketTimeout, Duration connectionTimeout) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<TimeoutCase> timeouts() {
        return List.of(
                new TimeoutCase("no socketTimeout in the URL: the response timeout, the pool's wait capped",
                        "jdbc:postgresql://db/opensts", StoreSettings.DEFAULT_RESPONSE_TIMEOUT, Duration.ofSeconds(5)),
                new TimeoutCase("socketTimeout=3 in the URL: 3 s for both",
                        "jdbc:postgresql://db/opensts?socketTimeout=3", Duration.ofSeconds(3), Duration.ofSeconds(3)),
                new TimeoutCase("socketTimeout=120 among other parameters: the pool's wait capped",
                        "jdbc:postgresql://db/opensts?ssl=true&socketTimeout=120&ApplicationName=x",
                        Duration.ofSeconds(120), Duration.ofSeconds(5)),
                new TimeoutCase("socketTimeout=0, the driver's no limit: the response timeout",
                        "jdbc:postgresql://db/opensts?socketTimeout=0", StoreSettings.DEFAULT_RESPONSE_TIMEOUT,
                        Duration.ofSeconds(5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timeouts")
    void socketTimeoutFollowsTheUrl_andThePoolWaitsAtMostFiveSecondsOfIt(TimeoutCase c) {
        var settings = StoreSettings.postgres(c.url(), Optional.empty(), Optional.empty());

        assertThat(settings.socketTimeout()).isEqualTo(c.socketTimeout());
        assertThat(settings.connectionTimeout()).isEqualTo(c.connectionTimeout());
    }
}
