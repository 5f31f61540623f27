package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.TestStores;
import org.opensts.protocol.testing.MutableClock;

/**
 * The replay guard on a real database: each case opens two stores on one new database, standing for two nodes of one
 * store. Subclasses give the database (H2, PostgreSQL).
 */
abstract class AssertionReplayGuardSuite {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String ROLE = "arn:aws:iam::123456789012:role/saml";
    private static final String OTHER_ROLE = "arn:aws:iam::123456789012:role/other";

    private final MutableClock clock = new MutableClock(NOW);
    private JdbcIdentityStore storeA;
    private JdbcIdentityStore storeB;
    private JdbcAssertionReplayGuard nodeA;
    private JdbcAssertionReplayGuard nodeB;

    abstract StoreSettings newDatabase();

    @BeforeEach
    void open() {
        StoreSettings settings = newDatabase();
        storeA = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), clock);
        storeB = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), clock);
        nodeA = JdbcAssertionReplayGuard.of(storeA, clock);
        nodeB = JdbcAssertionReplayGuard.of(storeB, clock);
    }

    @AfterEach
    void close() {
        storeA.close();
        storeB.close();
    }

    private static Instant inFiveMinutes() {
        return NOW.plus(Duration.ofMinutes(5));
    }

    @Test
    void firstUse_newAssertion_isFirst() {
        assertThat(nodeA.firstUse("_a1", ROLE, inFiveMinutes())).isTrue();
    }

    @Test
    void firstUse_sameAssertionSameRoleAgain_isRefused() {
        nodeA.firstUse("_a1", ROLE, inFiveMinutes());

        assertThat(nodeA.firstUse("_a1", ROLE, inFiveMinutes())).isFalse();
    }

    @Test
    void firstUse_sameAssertionForAnotherRoleItNames_isFirstForThatRole() {
        nodeA.firstUse("_a1", ROLE, inFiveMinutes());

        assertThat(nodeA.firstUse("_a1", OTHER_ROLE, inFiveMinutes())).isTrue();
        assertThat(nodeA.firstUse("_a1", OTHER_ROLE, inFiveMinutes())).isFalse();
    }

    @Test
    void firstUse_redeemedOnNodeA_isRefusedOnNodeB() {
        assertThat(nodeA.firstUse("_a1", ROLE, inFiveMinutes())).isTrue();

        assertThat(nodeB.firstUse("_a1", ROLE, inFiveMinutes())).isFalse();
    }

    @Test
    void firstUse_idAndRoleRunTogetherDifferently_areDifferentUses() {
        nodeA.firstUse("_a1", "arn:x", inFiveMinutes());

        assertThat(nodeA.firstUse("_a1a", "rn:x", inFiveMinutes())).isTrue();
    }

    @Test
    void firstUse_justBeforeRetentionEnds_isStillRefused() {
        nodeA.firstUse("_a1", ROLE, inFiveMinutes());
        clock.set(inFiveMinutes().plus(JdbcAssertionReplayGuard.RETENTION_MARGIN).minusMillis(1));

        assertThat(nodeB.firstUse("_a1", ROLE, inFiveMinutes())).isFalse();
    }

    @Test
    void firstUse_afterRetentionEnds_takesTheExpiredUseOverOnce() {
        nodeA.firstUse("_a1", ROLE, inFiveMinutes());
        clock.set(inFiveMinutes().plus(JdbcAssertionReplayGuard.RETENTION_MARGIN));
        Instant later = clock.instant().plus(Duration.ofMinutes(5));

        assertThat(nodeB.firstUse("_a1", ROLE, later)).isTrue();
        assertThat(nodeA.firstUse("_a1", ROLE, later)).isFalse();
    }

    @Test
    void firstUse_eightThreadsOnTwoNodesRaceOneAssertion_exactlyOneWins() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            var start = new CountDownLatch(1);
            var results = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 8; i++) {
                JdbcAssertionReplayGuard node = i % 2 == 0 ? nodeA : nodeB;
                Callable<Boolean> use = () -> {
                    start.await();
                    return node.firstUse("_raced", ROLE, inFiveMinutes());
                };
                results.add(threads.submit(use));
            }
            start.countDown();
            int firsts = 0;
            for (Future<Boolean> result : results) {
                firsts += result.get() ? 1 : 0;
            }
            assertThat(firsts).isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void purgeExpired_deletesOnlyUsesPastRetention_atMostTheLimitPerCall() {
        for (int i = 0; i < 5; i++) {
            nodeA.firstUse("_old" + i, ROLE, NOW);
        }
        nodeA.firstUse("_current", ROLE, NOW.plus(Duration.ofHours(1)));
        clock.set(NOW.plus(JdbcAssertionReplayGuard.RETENTION_MARGIN));

        List<Integer> batches = List.of(nodeB.purgeExpired(3), nodeB.purgeExpired(3), nodeB.purgeExpired(3));

        assertThat(batches).containsExactly(3, 2, 0);
        assertThat(nodeA.firstUse("_current", ROLE, NOW.plus(Duration.ofHours(1)))).isFalse();
        assertThat(nodeA.firstUse("_old0", ROLE, clock.instant().plus(Duration.ofMinutes(5)))).isTrue();
    }
}
