package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.Account;
import org.opensts.iam.CachingBucketPolicyStore;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.TestPostgres;
import org.opensts.iam.TestStores;
import org.opensts.iam.User;
import org.opensts.token.MasterKey;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two stores on one real PostgreSQL database, standing for two nodes: what one commits, the other hears of.
 */
class PostgresChangeFeedTest {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeedTest.class);
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** The promise: a change made on one node is used by every node within a second. */
    private static final Duration WITHIN = Duration.ofSeconds(1);
    /** Reconnecting waits out a backoff first, so it gets longer than {@link #WITHIN}. */
    private static final Duration RECONNECTION = Duration.ofSeconds(10);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MasterKey masterKey = TestStores.newMasterKey();
    private StoreSettings settings;
    private JdbcIdentityStore nodeA;
    private JdbcIdentityStore nodeB;

    @BeforeEach
    void openTwoStores() {
        settings = TestPostgres.newDatabase();
        nodeA = JdbcIdentityStore.open(settings, masterKey, clock);
        nodeB = JdbcIdentityStore.open(settings, masterKey, clock);
        nodeA.write(writer -> {
            writer.createAccount(new Account(ACCOUNT, NOW));
            return null;
        });
    }

    @AfterEach
    void closeStores() {
        nodeA.close();
        nodeB.close();
    }

    private static User user(int n) {
        return new User(ACCOUNT, String.format("AIDAEXAMPLE%010d", n), "user" + n, "/", NOW, Optional.empty(),
                List.of());
    }

    private static void createUser(JdbcIdentityStore store, User user) {
        store.write(writer -> {
            writer.createUser(user);
            return null;
        });
    }

    /** Polls until {@code condition} holds or {@code deadline} passes; returns whether it held. */
    private static boolean eventually(Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            pause();
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Listens on node B, counting the calls; returns once the first call says it listens. */
    private AtomicInteger listenOnNodeB(Runnable alsoDo) {
        var calls = new AtomicInteger();
        nodeB.listenForChanges(() -> {
            alsoDo.run();
            calls.incrementAndGet();
        });
        assertThat(eventually(WITHIN, () -> calls.get() >= 1)).as("node B listens").isTrue();
        return calls;
    }

    @Test
    void bucketPolicyPutOrDeletedOnNodeA_isSeenThroughNodeBsCacheWithinOneSecond() {
        // Entries would live an hour: only the announcement can make node B see the change.
        var cachedB = new CachingBucketPolicyStore(nodeB.bucketPolicies(), Duration.ofHours(1), 1000);
        listenOnNodeB(cachedB::invalidateAll);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        assertThat(cachedB.find("photos")).as("cached absence").isEmpty();

        nodeA.bucketPolicies().put("photos", ACCOUNT, policy);
        assertThat(eventually(WITHIN, () -> cachedB.find("photos").isPresent()))
                .as("the policy put on node A seen through node B within %s", WITHIN).isTrue();

        nodeA.bucketPolicies().delete("photos");
        assertThat(eventually(WITHIN, () -> cachedB.find("photos").isEmpty()))
                .as("the policy deleted on node A gone through node B within %s", WITHIN).isTrue();
    }

    @Test
    void writeOnNodeA_isSeenThroughNodeBsCacheWithinOneSecond() {
        // Entries would live an hour: only the announcement can make node B see the new users.
        var cachedB = new CachingIdentityStore(nodeB, Duration.ofHours(1), 1000);
        listenOnNodeB(cachedB::invalidateAll);
        var latenciesMicros = new ArrayList<Long>();

        for (int n = 1; n <= 20; n++) {
            User user = user(n);
            assertThat(cachedB.findUser(ACCOUNT, user.userName())).as("cached absence").isEmpty();
            createUser(nodeA, user);
            long committed = System.nanoTime();

            assertThat(eventually(WITHIN, () -> cachedB.findUser(ACCOUNT, user.userName()).isPresent()))
                    .as("user %d seen through node B within %s", n, WITHIN).isTrue();
            latenciesMicros.add((System.nanoTime() - committed) / 1000);
        }

        Collections.sort(latenciesMicros);
        // A figure for the record, not an assertion: run with the test logger at INFO to see it.
        LOG.info("From commit on node A to visible on node B: median {} µs, max {} µs over {} writes",
                latenciesMicros.get(latenciesMicros.size() / 2), latenciesMicros.get(latenciesMicros.size() - 1),
                latenciesMicros.size());
    }

    @Test
    void listener_isCalledAgainAfterItsConnectionIsKilled_andThenHearsWrites() {
        AtomicInteger calls = listenOnNodeB(() -> { });

        TestPostgres.superuser("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                + PostgresChangeFeed.APPLICATION_NAME + "' AND datname = '" + databaseName() + "'");

        assertThat(eventually(RECONNECTION, () -> calls.get() >= 2)).as("called again once reconnected").isTrue();
        int before = calls.get();
        createUser(nodeA, user(1));
        assertThat(eventually(WITHIN, () -> calls.get() > before)).as("hears a write after reconnecting").isTrue();
    }

    @Test
    void close_endsTheListeningSession() {
        listenOnNodeB(() -> { });
        assertThat(listeningSessions()).isEqualTo(1);

        nodeB.close();

        assertThat(eventually(WITHIN, () -> listeningSessions() == 0)).isTrue();
    }

    @Test
    void listenerThatThrows_keepsBeingCalled() {
        var calls = new AtomicInteger();
        nodeB.listenForChanges(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("listener failure (expected by the test)");
        });
        assertThat(eventually(WITHIN, () -> calls.get() >= 1)).isTrue();

        createUser(nodeA, user(1));

        assertThat(eventually(WITHIN, () -> calls.get() >= 2)).isTrue();
    }

    @Test
    void onlyCommittedWrites_areAnnounced() throws SQLException {
        try (Connection listener = rawListener()) {
            createUser(nodeA, user(1));
            assertThatThrownBy(() -> createUser(nodeA, user(1)))
                    .isInstanceOf(StoreException.DuplicateKeyException.class);
            assertThatThrownBy(() -> nodeA.write(writer -> {
                writer.createUser(user(2));
                throw new IllegalStateException("rolled back");
            })).hasMessage("rolled back");

            // Notifications arrive in commit order: once the marker sent after the write is in, all before it are.
            assertThat(announcementsUntilMarker(listener)).isEqualTo(1);
        }
    }

    @Test
    void usageRecords_areNotAnnounced() throws SQLException {
        createUser(nodeA, user(1));
        try (Connection listener = rawListener()) {
            nodeA.recordUse(writer -> {
                writer.recordRoleUse("AROAEXAMPLE0000000001", new org.opensts.iam.RoleLastUsed(
                        java.time.Instant.parse("2026-11-25T12:00:00Z"), "us-east-1"));
                return null;
            });

            assertThat(announcementsUntilMarker(listener)).isZero();
        }
    }

    @Test
    void replacingTheKeyRing_isAnnounced() throws SQLException {
        try (Connection listener = rawListener()) {
            assertThat(nodeA.replaceKeyRing(new byte[] {1}, 0)).isTrue();
            assertThat(nodeA.replaceKeyRing(new byte[] {2}, 0)).as("lost compare-and-set").isFalse();

            assertThat(announcementsUntilMarker(listener)).isEqualTo(1);
        }
    }

    @Test
    void readsAndTheEmbeddedStore_announceNothing() throws SQLException {
        try (Connection listener = rawListener();
                JdbcIdentityStore embedded = TestStores.inMemory(masterKey, clock)) {
            nodeA.findUser(ACCOUNT, "nobody");
            nodeA.loadKeyRing();
            embedded.write(writer -> {
                writer.createAccount(new Account(ACCOUNT, NOW));
                return null;
            });

            assertThat(announcementsUntilMarker(listener)).isZero();
        }
    }

    // ---- a plain LISTEN session, to see exactly what the store sends

    private static final String MARKER_CHANNEL = "opensts_test_marker";

    private Connection rawListener() throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", settings.username().orElseThrow());
        properties.setProperty("password", settings.password().orElseThrow().revealUtf8());
        Connection connection = DriverManager.getConnection(settings.jdbcUrl(), properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + PostgresChangeFeed.CHANNEL);
            statement.execute("LISTEN " + MARKER_CHANNEL);
        }
        return connection;
    }

    /** Sends a marker after everything done so far, and counts the store's announcements that arrive before it. */
    private int announcementsUntilMarker(Connection listener) throws SQLException {
        try (Connection sender = nodeA.dataSource().getConnection();
                Statement statement = sender.createStatement()) {
            statement.execute("NOTIFY " + MARKER_CHANNEL);
        }
        PGConnection postgres = listener.unwrap(PGConnection.class);
        int announcements = 0;
        long end = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() - end < 0) {
            PGNotification[] batch = postgres.getNotifications(100);
            for (PGNotification notification : batch == null ? new PGNotification[0] : batch) {
                if (notification.getName().equals(MARKER_CHANNEL)) {
                    return announcements;
                }
                announcements++;
            }
        }
        throw new AssertionError("the marker did not arrive within " + WITHIN);
    }

    private int listeningSessions() {
        try (Connection connection = nodeA.dataSource().getConnection();
                Statement statement = connection.createStatement();
                var row = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '"
                        + PostgresChangeFeed.APPLICATION_NAME + "' AND datname = '" + databaseName() + "'")) {
            row.next();
            return row.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String databaseName() {
        return settings.jdbcUrl().substring(settings.jdbcUrl().lastIndexOf('/') + 1);
    }
}
