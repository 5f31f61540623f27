package org.opensts.iam.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every node that shares a PostgreSQL store that the store changed, so that each drops what it cached.
 *
 * <p>Design note. A write announces itself with {@code NOTIFY} inside its own transaction ({@link #announce}), so
 * PostgreSQL delivers the announcement only if, and only once, the write commits. Each node keeps one dedicated
 * connection, outside the pool, that {@code LISTEN}s on {@link #CHANNEL}; a daemon thread waits on it and calls the
 * listener once per batch of announcements. Announcements carry nothing: writes are rare and caches small, so a node
 * drops everything rather than working out what a write touched.
 *
 * <p>PostgreSQL keeps no announcement for a session that is not listening. So when the connection breaks the feed
 * reconnects with capped exponential backoff, and after every (re)connection it calls the listener once: whatever
 * changed while nobody listened is dropped too. A connection that dies silently (a dropped network path) is found by a
 * round trip after {@link #HEARTBEAT_POLLS} idle polls.
 */
final class PostgresChangeFeed implements AutoCloseable {
    /** The channel every OpenSTS node listens on. */
    static final String CHANNEL = "opensts_changes";
    /** Names the listening session in {@code pg_stat_activity}. */
    static final String APPLICATION_NAME = "opensts-change-feed";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    /** How long one wait for announcements lasts; also the longest {@link #close} waits for the thread. */
    private static final int POLL_MILLIS = 500;
    /** Idle polls between two round trips that prove the connection alive: about 10 seconds. */
    private static final int HEARTBEAT_POLLS = 20;
    private static final int HEARTBEAT_TIMEOUT_SECONDS = 5;
    private static final long FIRST_BACKOFF_MILLIS = 200;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final StoreSettings settings;
    private final Runnable listener;
    private final Thread thread;
    private final CountDownLatch closed = new CountDownLatch(1);

    private PostgresChangeFeed(StoreSettings settings, Runnable listener) {
        this.settings = settings;
        this.listener = listener;
        this.thread = new Thread(this::run, "opensts-change-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Announces a change on {@code transaction}'s connection; PostgreSQL delivers it to every listening node if and
     * when that transaction commits. Identical announcements of one transaction are delivered once.
     *
     * @throws SQLException if the statement fails; the caller's transaction then rolls back
     */
    static void announce(Connection transaction) throws SQLException {
        try (Statement statement = transaction.createStatement()) {
            statement.execute("NOTIFY " + CHANNEL);
        }
    }

    /**
     * Starts listening on a connection of its own and returns at once. {@code listener} runs on the feed's thread: once
     * as soon as the feed listens, again after each reconnection, and once per batch of announcements in between. It
     * should be quick; what it throws is logged and does not stop the feed.
     */
    static PostgresChangeFeed start(StoreSettings settings, Runnable listener) {
        var feed = new PostgresChangeFeed(settings, listener);
        feed.thread.start();
        return feed;
    }

    private void run() {
        long backoffMillis = FIRST_BACKOFF_MILLIS;
        boolean everListened = false;
        while (!isClosed()) {
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                if (everListened) {
                    LOG.info("Listening for store changes again on {}", settings.describe());
                }
                everListened = true;
                backoffMillis = FIRST_BACKOFF_MILLIS;
                // Anything may have changed while this node was not listening.
                tellListener();
                listenUntilClosedOrBroken(connection);
            } catch (SQLException | RuntimeException e) {
                if (isClosed()) {
                    return;
                }
                // Driver messages name the host and the user, never the password.
                LOG.warn("Store change feed on {} failed ({}); reconnecting in about {} ms", settings.describe(),
                        e.getMessage(), backoffMillis);
            }
            if (awaitClosed(jittered(backoffMillis))) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private Connection connect() throws SQLException {
        // The read timeout as the pool's connections have it: connecting and LISTEN fail on a silent path instead of
        // hanging; each wait for announcements sets its own shorter timeout.
        Properties properties = settings.directConnectionProperties(APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }

    private void listenUntilClosedOrBroken(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        int idlePolls = 0;
        while (!isClosed()) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                idlePolls = 0;
                tellListener();
            } else if (++idlePolls >= HEARTBEAT_POLLS) {
                idlePolls = 0;
                if (!connection.isValid(HEARTBEAT_TIMEOUT_SECONDS)) {
                    throw new SQLException("the listening connection stopped answering");
                }
            }
        }
    }

    private void tellListener() {
        try {
            listener.run();
        } catch (StoreException.UnavailableException e) {
            // The outage is news the store's pool logs once; no stack trace each time the feed reconnects.
            LOG.warn("A store change listener failed; it runs again on the next change: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("A store change listener failed; it runs again on the next change", e);
        }
    }

    /** Spreads reconnections of many nodes after a database restart over half a backoff period. */
    private static long jittered(long backoffMillis) {
        return backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
    }

    private boolean awaitClosed(long millis) {
        try {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** Stops listening; waits up to about one poll for the thread, which closes its connection on the way out. */
    @Override
    public void close() {
        closed.countDown();
        try {
            thread.join(2L * POLL_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
