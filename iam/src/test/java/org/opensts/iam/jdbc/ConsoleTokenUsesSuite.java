package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.TestStores;
import org.opensts.protocol.testing.MutableClock;

/**
 * The console's single-use tokens on a real database: each case opens two stores on one new database, standing for two
 * nodes of one store. Subclasses give the database (H2, PostgreSQL).
 */
abstract class ConsoleTokenUsesSuite {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private JdbcIdentityStore storeA;
    private JdbcIdentityStore storeB;
    private JdbcConsoleTokenUses nodeA;
    private JdbcConsoleTokenUses nodeB;

    abstract StoreSettings newDatabase();

    @BeforeEach
    void open() {
        StoreSettings settings = newDatabase();
        storeA = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), clock);
        storeB = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), clock);
        nodeA = JdbcConsoleTokenUses.of(storeA, clock);
        nodeB = JdbcConsoleTokenUses.of(storeB, clock);
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    private static Instant inFifteenMinutes() {
        return NOW.plus(Duration.ofMinutes(15));
    }

    @Test
    void firstUse_newToken_isFirst() {
        assertThat(nodeA.firstUse("t1", inFifteenMinutes())).isTrue();
    }

    @Test
    void firstUse_sameTokenAgain_isRefused() {
        nodeA.firstUse("t1", inFifteenMinutes());

        assertThat(nodeA.firstUse("t1", inFifteenMinutes())).isFalse();
    }

    @Test
    void firstUse_redeemedOnNodeA_isRefusedOnNodeB() {
        assertThat(nodeA.firstUse("t1", inFifteenMinutes())).isTrue();

        assertThat(nodeB.firstUse("t1", inFifteenMinutes())).isFalse();
    }

    @Test
    void firstUse_rightUntilTheRetentionMarginPasses_isRefused() {
        nodeA.firstUse("t1", inFifteenMinutes());
        clock.advance(Duration.ofMinutes(15).plus(JdbcConsoleTokenUses.RETENTION_MARGIN).minusMillis(1));

        assertThat(nodeB.firstUse("t1", inFifteenMinutes())).isFalse();
    }

    @Test
    void purgeExpired_removesOnlyUsesPastTheirRetention() {
        nodeA.firstUse("old", NOW.plus(Duration.ofMinutes(1)));
        nodeA.firstUse("new", NOW.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(1).plus(JdbcConsoleTokenUses.RETENTION_MARGIN));

        assertThat(nodeA.purgeExpired(100)).isEqualTo(1);
        assertThat(nodeB.firstUse("new", NOW.plus(Duration.ofHours(1)))).isFalse();
    }
}
