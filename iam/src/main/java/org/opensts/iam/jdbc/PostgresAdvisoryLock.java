package org.opensts.iam.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock that every node of one PostgreSQL store shares and holds across many transactions: a session-level advisory
 * lock ({@code pg_try_advisory_lock}) on a connection of its own, outside the pool, so that the work done under it
 * takes the pool's connections as usual and commits transaction by transaction. The database releases it when the
 * connection ends, so a node that dies holding it holds it no longer. While held, the connection runs a statement
 * every second, so that a database's or a proxy's reaper of idle sessions ({@code idle_session_timeout}) does not end
 * it and hand the lock to another node; should it end all the same, that is logged.
 */
final class PostgresAdvisoryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresAdvisoryLock.class);
    private static final long POLL_MILLIS = 100;
    private static final long HEARTBEAT_MILLIS = 1_000;

    private final Connection connection;
    private final long key;
    private final ScheduledExecutorService heartbeat;

    private PostgresAdvisoryLock(Connection connection, long key, String what) {
        this.connection = connection;
        this.key = key;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "opensts-lock-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(() -> beat(what), HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Keeps the session from looking idle; a failure means the lock is gone, which another node may now take. */
    private void beat(String what) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            LOG.warn("The connection holding the lock for {} ended ({}); another node may now do the same at once",
                    what, e.getMessage());
            heartbeat.shutdown();
        }
    }

    /**
     * Takes the lock {@code key}, waiting while another node holds it, at most {@code patience}.
     *
     * @param what what the lock is for, in the log line and the failure ("applying its bootstrap file")
     * @throws StoreException if the database cannot be reached, or the lock is still held after {@code patience}
     */
    static PostgresAdvisoryLock acquire(StoreSettings settings, long key, String what, Duration patience) {
        Connection connection = null;
        try {
            connection = connect(settings);
            long deadline = System.nanoTime() + patience.toNanos();
            boolean logged = false;
            while (!tryLock(connection, key)) {
                if (System.nanoTime() - deadline > 0) {
                    throw new StoreException("Another node has been " + what + " for longer than " + patience
                            .toMinutes() + " minutes; it holds the store's lock for it", null);
                }
                if (!logged) {
                    LOG.info("Waiting for another node that is {}", what);
                    logged = true;
                }
                Thread.sleep(POLL_MILLIS);
            }
            return new PostgresAdvisoryLock(connection, key, what);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw StoreException.from(e);
        } catch (InterruptedException e) {
            closeQuietly(connection);
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for another node that is " + what, e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }

    private static Connection connect(StoreSettings settings) throws SQLException {
        return DriverManager.getConnection(settings.jdbcUrl(), settings.directConnectionProperties("opensts-lock"));
    }

    /** Releases the lock; closing the connection would release it too, which is what a failure to unlock leaves. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            // A beat under way finishes before the connection is used here.
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        } catch (SQLException e) {
            LOG.debug("Unlocking advisory lock {} failed; closing its connection releases it", key, e);
        } finally {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing an advisory lock's connection failed", e);
        }
    }
}
