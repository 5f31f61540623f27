package org.opensts.iam.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's pool behind a circuit breaker: once the database could not be reached, for a short window every request
 * for a connection fails at once instead of waiting for the pool, and then a single request probes it again, first
 * with a quick check of its own.
 *
 * <p>Why: a request for a connection to a database that is down waits the pool's whole connection timeout (the pool
 * keeps retrying until then even when each attempt is refused at once), and so does every other one. Each waiting call
 * holds an operations thread, so during an outage the threads all wait on the database and calls that need none (a
 * role session's, answered from its token) queue behind them. With the breaker, the others are answered
 * {@code ServiceUnavailable} in microseconds and the threads stay free. The probe does not go to the pool blindly
 * either: it first runs a {@link Reachability} check (for PostgreSQL, a fresh connection of its own with one-second
 * timeouts, closed at once), which fails at once when the database refuses connections and within a second when it is
 * silent, and goes to the pool only once that check has reached the database. So a probe holds its thread, and the
 * calls that share its load (see {@code SharedLoadCache}), for about a second at most, not the pool's timeout, and
 * each of them counts as waiting meanwhile ({@code CallExecutor.blocking}), spare threads taking calls in their place,
 * so that calls that need no database are not held up. The cost: for up to one window after the database came back,
 * calls that need it are still refused (SDKs retry them).
 *
 * <p>Only a failure to obtain a connection opens the breaker (the pool's timeout with a cause, an 08 SQLSTATE when
 * connecting: {@link StoreException#isUnreachable}). A connection that breaks in use, as when the database ends
 * its backends or a proxy in front of it restarts, fails its own call ({@code ServiceUnavailable}, as before) but
 * does not refuse everyone else's: the database may well answer the next connection, and if it does not, the next
 * request for one finds out.
 *
 * <p>States: closed (no recent failure: requests go to the pool), open (a failure within the window: requests fail at
 * once) and probing (the window has passed and one request is checking the database; the others still fail at once).
 * The probe's success closes the breaker, its failure opens it for another window. Anything other than a failure to
 * reach the database counts as reaching it, except that a probe the pool kept waiting because every connection was
 * busy leaves the breaker open for another window: a busy pool says nothing of the database. Outside a probe, a busy
 * pool ({@link StoreException#isPoolExhausted}) is an overload, not an outage, and opens nothing: the calls that
 * waited are refused, the others keep trying.
 *
 * <p>Only news opens the breaker: the failure of a request that began after the breaker last closed, or after the
 * outage in force was last confirmed. A request that had been waiting at the pool since before a probe found the
 * database again does not reopen it, and an outage whose probe is out is the probe's to end or renew.
 */
final class FailFastDataSource implements DataSource {
    private static final Logger LOG = LoggerFactory.getLogger(FailFastDataSource.class);
    /** How long requests for a connection fail at once after the database could not be reached. */
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    private final DataSource pool;
    private final Reachability reachability;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    /** Null while closed; replaced, never changed, so that one compare-and-set makes one thread the probe. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();
    // When the breaker last closed, or was built; written before the outage is cleared, so that whoever sees it cleared
    // sees this too.
    private volatile long closedAt;

    /**
     * The last failure to reach the database and when the next probe may go.
     *
     * @param confirmedAt when this failure was seen: a call that began before it brings no news
     * @param since when the outage began, for the line logged when it ends
     */
    private record Outage(long confirmedAt, long probeAt, boolean probing, long since, String cause) {
    }

    /**
     * A quick check, bounded in time, that the database can be reached, run by each probe before it asks the pool.
     * It throws what connecting threw; an exception that is not a failure to reach the database counts as reaching it.
     */
    @FunctionalInterface
    interface Reachability {
        /** No check of its own: the probe goes straight to the pool, as for an embedded database. */
        Reachability NONE = () -> { };

        void check() throws SQLException;
    }

    FailFastDataSource(DataSource pool, Duration window, LongSupplier nanoTime) {
        this(pool, Reachability.NONE, window, nanoTime);
    }

    FailFastDataSource(DataSource pool, Reachability reachability, Duration window, LongSupplier nanoTime) {
        this.pool = requireNonNull(pool, "pool");
        this.reachability = requireNonNull(reachability, "reachability");
        this.windowNanos = window.toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
        this.closedAt = nanoTime.getAsLong();
    }

    /**
     * A connection from the pool, or at once a {@link SQLTransientConnectionException} (SQLSTATE 08001) while the
     * breaker is open.
     */
    @Override
    public Connection getConnection() throws SQLException {
        long began = nanoTime.getAsLong();
        Outage probe = admit(began);
        boolean settled = false;
        try {
            if (probe != null) {
                try {
                    reachability.check();
                } catch (SQLException e) {
                    if (StoreException.isUnreachable(e)) {
                        settled = true;
                        failed(probe, began, e);
                        throw e;
                    }
                    // The database answered (a refused login, say): the pool will meet the same and say so.
                }
            }
            Connection connection = pool.getConnection();
            settled = true;
            reached(probe);
            return connection;
        } catch (SQLException e) {
            if (StoreException.isUnreachable(e)) {
                settled = true;
                failed(probe, began, e);
            } else if (probe != null && StoreException.isPoolExhausted(e)) {
                settled = true;
                failed(probe, began, null);
            }
            throw e;
        } finally {
            if (!settled) {
                reached(probe);
            }
        }
    }

    /** Returns the outage this request probes, null if there is none; throws if it may not go to the pool. */
    private Outage admit(long now) throws SQLException {
        while (true) {
            Outage current = outage.get();
            if (current == null) {
                return null;
            }
            if (current.probing() || now - current.probeAt() < 0) {
                throw new NotTriedException("Not tried: the database has not been reached for "
                        + Duration.ofNanos(now - current.since()).toMillis() + " ms: " + current.cause());
            }
            var probing = new Outage(current.confirmedAt(), current.probeAt(), /* probing= */ true, current.since(),
                    current.cause());
            if (outage.compareAndSet(current, probing)) {
                return probing;
            }
        }
    }

    /** A request for a connection refused without asking the pool, because the breaker is open. */
    static final class NotTriedException extends SQLTransientConnectionException {
        private static final long serialVersionUID = 1L;

        NotTriedException(String message) {
            super(message, "08001");
        }
    }

    /**
     * Opens the breaker, or renews the outage in force, for {@code failure} of a call that began at {@code began};
     * {@code probe} is the outage that call probed, if it did. A null {@code failure}, from a probe that found the
     * pool busy, renews the outage with its old cause.
     */
    private void failed(Outage probe, long began, Throwable failure) {
        long now = nanoTime.getAsLong();
        while (true) {
            Outage current = outage.get();
            if (current == null ? began - closedAt < 0
                    : current != probe && (current.probing() || began - current.confirmedAt() < 0)) {
                return;
            }
            String cause = failure != null ? String.valueOf(failure.getMessage())
                    : current != null ? current.cause() : "no connection was free in time";
            var next = new Outage(now, now + windowNanos, /* probing= */ false, current == null ? now : current.since(),
                    cause);
            if (outage.compareAndSet(current, next)) {
                if (current == null) {
                    LOG.warn("The identity store cannot be reached; calls that need it are answered "
                            + "ServiceUnavailable, trying it again every {} ms: {}", windowNanos / 1_000_000, cause);
                }
                return;
            }
        }
    }

    /** Closes the breaker if {@code probe} is still the outage in force: the database answered. */
    private void reached(Outage probe) {
        if (probe == null || outage.get() != probe) {
            return;
        }
        // Before the outage is cleared: a failure that finds the breaker closed must find when it closed, too.
        closedAt = nanoTime.getAsLong();
        if (outage.compareAndSet(probe, null)) {
            LOG.info("The identity store can be reached again, after {} ms",
                    Duration.ofNanos(closedAt - probe.since()).toMillis());
        }
    }

    /** Whether requests for a connection now fail at once, for tests and health reports. */
    boolean isOpen() {
        return outage.get() != null;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("The store's pool has its own credentials");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
