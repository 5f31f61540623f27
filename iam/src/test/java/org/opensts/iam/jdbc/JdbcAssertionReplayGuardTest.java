package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How long a redeemed assertion is remembered, for expiries a verifier may hand over. */
class JdbcAssertionReplayGuardTest {
    private static final Instant NOW = Instant.parse("2026-12-06T04:00:00Z");

    @Test
    void keepUntil_ordinaryExpiry_isTheRetentionMarginPastIt() {
        Instant expiresAt = NOW.plusSeconds(300);

        assertThat(JdbcAssertionReplayGuard.keepUntil(expiresAt, NOW))
                .isEqualTo(expiresAt.plus(JdbcAssertionReplayGuard.RETENTION_MARGIN).toEpochMilli());
    }

    @Test
    void keepUntil_expiryCenturiesAhead_isCappedAtTheMaximumRetention() {
        Instant expiresAt = Instant.parse("+300000000-01-01T00:00:00Z");

        assertThat(JdbcAssertionReplayGuard.keepUntil(expiresAt, NOW))
                .isEqualTo(NOW.plus(JdbcAssertionReplayGuard.MAX_RETENTION).toEpochMilli());
    }

    @Test
    void keepUntil_latestRepresentableInstant_doesNotOverflow() {
        assertThat(JdbcAssertionReplayGuard.keepUntil(Instant.MAX, NOW))
                .isEqualTo(NOW.plus(JdbcAssertionReplayGuard.MAX_RETENTION).toEpochMilli());
    }
}
