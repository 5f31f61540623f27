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
 * for a connection fails at once instead of waiting for the pool, and then a single request probes it again.
 *
 * <p>Why: a request for a connection to a database that is down waits the pool's whole connection timeout, and so does
 * every other one. Each waiting call holds an operations thread, so during an outage the threads all wait on the
 * database and calls that need none (a role session's, answered from its token) queue behind them. With the breaker,
 * at most one request at a time waits on a database known to be down; the others are answered
 * {@code ServiceUnavailable} in microseconds and the threads stay free. The cost: for up to one window after the
 * database came back, calls that need it are still refused (SDKs retry them), and a single connection that broke, as
 * in a failover, refuses everyone's for a window too.
 *
 * <p>States: closed (no recent failure: requests go to the pool), open (a failure within the window: requests fail at
 * once) and probing (the window has passed and one request is at the pool; the others still fail at once). The probe's
 * success closes the breaker, its failure opens it for another window. Anything other than a failure to reach the
 * database ({@link StoreException#isUnavailable}) counts as reaching it.
 */
final class FailFastDataSource implements DataSource {
    private static final Logger LOG = LoggerFactory.getLogger(FailFastDataSource.class);
    /** How long requests for a connection fail at once after the database could not be reached. */
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(1);

    private final DataSource pool;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    /** Null while closed; replaced, never changed, so that one compare-and-set makes one thread the probe. */
    private final AtomicReference<Outage> outage = new AtomicReference<>();

    /**
     * The last failure to reach the database and when the next probe may go.
     *
     * @param since when the outage began, for the line logged when it ends
     */
    private record Outage(long probeAt, boolean probing, long since, String cause) {
    }

    FailFastDataSource(DataSource pool, Duration window, LongSupplier nanoTime) {
        this.pool = requireNonNull(pool, "pool");
        this.windowNanos = window.toNanos();
        this.nanoTime = requireNonNull(nanoTime, "nanoTime");
    }

    /**
     * A connection from the pool, or at once a {@link SQLTransientConnectionException} (SQLSTATE 08001) while the
     * breaker is open.
     */
    @Override
    public Connection getConnection() throws SQLException {
        Outage probe = admit();
        boolean unavailable = false;
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            unavailable = StoreException.isUnavailable(e);
            if (unavailable) {
                unreachable(e);
            }
            throw e;
        } finally {
            if (!unavailable) {
                reached(probe);
            }
        }
    }

    /** Returns the outage this request probes, null if there is none; throws if it may not go to the pool. */
    private Outage admit() throws SQLException {
        while (true) {
            Outage current = outage.get();
            if (current == null) {
                return null;
            }
            long now = nanoTime.getAsLong();
            if (current.probing() || now - current.probeAt() < 0) {
                throw new NotTriedException("Not tried: the database has not been reached for "
                        + Duration.ofNanos(now - current.since()).toMillis() + " ms: " + current.cause());
            }
            var probing = new Outage(current.probeAt(), /* probing= */ true, current.since(), current.cause());
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
     * Opens the breaker for a window: a connection request failed, or a connection broke in use (the store reports
     * those it sees through {@link StoreException.UnavailableException}). A request this breaker refused is no news.
     */
    void unreachable(Throwable failure) {
        if (failure instanceof NotTriedException || failure.getCause() instanceof NotTriedException) {
            return;
        }
        long now = nanoTime.getAsLong();
        Throwable reason = failure instanceof StoreException.UnavailableException && failure.getCause() != null
                ? failure.getCause() : failure;
        String cause = String.valueOf(reason.getMessage());
        while (true) {
            Outage current = outage.get();
            var next = new Outage(now + windowNanos, /* probing= */ false, current == null ? now : current.since(),
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
        if (probe != null && outage.compareAndSet(probe, null)) {
            LOG.info("The identity store can be reached again, after {} ms",
                    Duration.ofNanos(nanoTime.getAsLong() - probe.since()).toMillis());
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
