package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opensts.iam.TestPostgres;

/** The store-wide lock a node holds while it applies its bootstrap file, on a real PostgreSQL server. */
class PostgresAdvisoryLockTest {
    private static final long KEY = 0x0123456789abcdefL;

    private static boolean takenByAnotherSession(StoreSettings settings) throws SQLException {
        try (Connection other = DriverManager.getConnection(settings.jdbcUrl(),
                settings.directConnectionProperties("opensts-test"));
                PreparedStatement statement = other.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, KEY);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return !row.getBoolean(1);
            }
        }
    }

    /**
     * A database (or a proxy) that ends idle sessions must not end the lock's while its holder works through other
     * connections: the lock would pass to another node, which would then apply the same file at the same time.
     */
    @Test
    void lockHeldLongerThanTheDatabasesIdleSessionTimeout_isStillHeld_andIsFreeOnceClosed() throws Exception {
        StoreSettings settings = TestPostgres.newEmptyDatabase();
        String database = settings.jdbcUrl().substring(settings.jdbcUrl().lastIndexOf('/') + 1);
        TestPostgres.superuser("ALTER DATABASE " + database + " SET idle_session_timeout = '1500ms'");

        try (var lock = PostgresAdvisoryLock.acquire(settings, KEY, "testing", Duration.ofSeconds(5))) {
            Thread.sleep(4_000);

            assertThat(takenByAnotherSession(settings)).as("held after 4 s of the holder's own silence").isTrue();
        }
        assertThat(takenByAnotherSession(settings)).as("held once closed").isFalse();
    }
}
