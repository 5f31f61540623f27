package org.opensts.iam.jdbc;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.h2.api.ErrorCode;
import org.h2.jdbc.JdbcException;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.opensts.protocol.TemporarilyUnavailable;

/**
 * The store failed: the database is unreachable, a statement failed, or a sealed secret did not open. The server
 * answers {@code InternalFailure}; a unique-key violation is reported separately so that a racing create can become
 * {@code EntityAlreadyExists}, and so is a transaction the database gave up on because of another one (a lock wait
 * past the timeout, a deadlock), which a write reports as {@code ConcurrentModification}, and so is a database that
 * cannot be reached or whose pool is exhausted ({@link UnavailableException}), which the server answers
 * {@code ServiceUnavailable}, as is an embedded database that failed as a whole (closed after a failed write).
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    static StoreException from(SQLException e) {
        if (isUnreachable(e)) {
            return new UnavailableException(e, /* overloaded= */ false);
        }
        if (isPoolExhausted(e)) {
            return new UnavailableException(e, /* overloaded= */ true);
        }
        // SQLSTATE 23505: unique violation, in PostgreSQL and in H2 alike.
        if ("23505".equals(e.getSQLState())) {
            return new DuplicateKeyException(e);
        }
        if (isConflict(e.getSQLState())) {
            return new ConflictException(e);
        }
        return new StoreException("Identity store statement failed: " + e.getMessage(), e);
    }

    /**
     * The same failure as a new exception, for another caller that waited for the call that failed (a load several
     * reads shared): the same type, message and answer, with this exception as its cause. What one caller adds to its
     * exception, such as a suppressed one, then does not show in another's, and each has its own stack trace.
     */
    public StoreException forAnotherCaller() {
        return new StoreException(getMessage(), this);
    }

    /** A row with the same unique key exists: a concurrent create won. */
    public static final class DuplicateKeyException extends StoreException {
        private static final long serialVersionUID = 1L;

        DuplicateKeyException(SQLException cause) {
            super("Duplicate key", cause);
        }

        private DuplicateKeyException(DuplicateKeyException original) {
            super(original.getMessage(), original);
        }

        @Override
        public DuplicateKeyException forAnotherCaller() {
            return new DuplicateKeyException(this);
        }
    }

    /**
     * SQLSTATEs of a transaction that lost to a concurrent one and was, or must be, rolled back: 40001 serialization
     * failure (H2 reports its deadlocks so too), PostgreSQL's 40P01 deadlock and 55P03 lock not available (its
     * {@code lock_timeout}), H2's HYT00 lock timeout and 90131 concurrent update.
     */
    private static boolean isConflict(String sqlState) {
        return sqlState != null && switch (sqlState) {
            case "40001", "40P01", "55P03", "HYT00", "90131" -> true;
            default -> false;
        };
    }

    /**
     * Whether {@code e} says the database could not be reached or stopped answering, rather than that it refused a
     * statement or that the pool was busy: no connection from the pool in time because opening one failed (Hikari's
     * {@link SQLTransientConnectionException} then has the last failure as its cause and its SQLSTATE), SQLSTATE class
     * 08 (connection exception: refused, reset, broken, or the driver's read timeout, PostgreSQL's 08006), PostgreSQL's
     * 57P01 to 57P03 (the server is shutting down, has crashed, or is not yet accepting connections), H2's 90067
     * (connection broken), the embedded database failing as a whole ({@link #isEmbeddedDatabaseFailure}), or a socket
     * timeout anywhere among its causes.
     */
    static boolean isUnreachable(SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() != null) {
            return true;
        }
        if (isEmbeddedDatabaseFailure(e)) {
            return true;
        }
        String sqlState = e.getSQLState();
        if (sqlState != null && (sqlState.startsWith("08") || switch (sqlState) {
            case "57P01", "57P02", "57P03", "90067" -> true;
            default -> false;
        })) {
            return true;
        }
        int depth = 0;
        for (Throwable cause = e.getCause(); cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} says the embedded H2 database failed as a whole rather than refused a statement: it is closed
     * (90098, as H2 leaves it once a write to its file failed, on a full disk or a file system remounted read-only;
     * 90121, shut down), it is read-only (90097, opened so on a file it could not write), or its file could not be read
     * or written (90028 and 90031, or a general error, 50000, caused by the file store failing so). Every connection
     * to it is then useless, but a new one opens the database again, and works once the disk takes writes again: the
     * store is unavailable for a while, not broken (see {@link H2FailureEviction}).
     */
    static boolean isEmbeddedDatabaseFailure(SQLException e) {
        return switch (e.getErrorCode()) {
            case ErrorCode.DATABASE_IS_CLOSED, ErrorCode.DATABASE_CALLED_AT_SHUTDOWN, ErrorCode.DATABASE_IS_READ_ONLY,
                    ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2 -> isH2(e);
            case ErrorCode.GENERAL_ERROR_1 -> isH2(e) && causedByFileFailure(e);
            default -> false;
        };
    }

    /** An error of the H2 driver, so that another driver's error with an equal code is not taken for it. */
    private static boolean isH2(SQLException e) {
        return e instanceof JdbcException;
    }

    /**
     * Whether the file store failed under {@code e}: among its causes an I/O error, or the file store's own report of
     * a read or write that failed or of its being closed since. Not a corrupt file, which no retry mends.
     */
    private static boolean causedByFileFailure(SQLException e) {
        int depth = 0;
        for (Throwable cause = e.getCause(); cause != null && depth < 16; cause = cause.getCause(), depth++) {
            if (cause instanceof IOException
                    || cause instanceof MVStoreException store && switch (store.getErrorCode()) {
                        case DataUtils.ERROR_READING_FAILED, DataUtils.ERROR_WRITING_FAILED, DataUtils.ERROR_CLOSED ->
                                true;
                        default -> false;
                    }) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} is the pool's timeout while every connection was busy: Hikari's
     * {@link SQLTransientConnectionException} with no cause (it gives the last failure to open a connection as the
     * cause, and there was none since the last success) and no class 08 SQLSTATE. The database answers, just not
     * quickly enough for the calls asking: a load spike or slow statements, not an outage. Such a call is answered
     * {@code ServiceUnavailable} too, but the breaker does not open for it (see {@link FailFastDataSource}).
     */
    static boolean isPoolExhausted(SQLException e) {
        return e instanceof SQLTransientConnectionException && !isUnreachable(e);
    }

    /**
     * Whether the call gets {@code ServiceUnavailable}: the database could not be reached ({@link #isUnreachable}) or
     * the pool had no connection free in time ({@link #isPoolExhausted}).
     */
    static boolean isUnavailable(SQLException e) {
        return isUnreachable(e) || isPoolExhausted(e);
    }

    /**
     * The database could not be reached, or did not answer in time: no connection in time, a connection refused, reset
     * or broken, no answer within the read timeout, the server shutting down, or every connection of the pool busy
     * for the whole connection timeout ({@link #overloaded()}). Nothing the call asked for was done, unless a write's
     * commit was under way when the connection broke (the database may then still commit it). A call that fails so
     * can be tried again later; the server answers it {@code 503 ServiceUnavailable}, which SDKs retry.
     */
    public static final class UnavailableException extends StoreException implements TemporarilyUnavailable {
        private static final long serialVersionUID = 1L;
        private final boolean overloaded;
        private final boolean refusedWithoutTrying;

        UnavailableException(SQLException cause, boolean overloaded) {
            super(overloaded
                    ? "The identity store is overloaded: no connection was free in time: " + cause.getMessage()
                    : "The identity store cannot be reached: " + cause.getMessage(), cause);
            this.overloaded = overloaded;
            this.refusedWithoutTrying = cause instanceof FailFastDataSource.NotTriedException;
        }

        private UnavailableException(UnavailableException original) {
            super(original.getMessage(), original);
            this.overloaded = original.overloaded;
            this.refusedWithoutTrying = original.refusedWithoutTrying;
        }

        @Override
        public UnavailableException forAnotherCaller() {
            return new UnavailableException(this);
        }

        /**
         * Whether the call was refused without the database being tried, because it had just failed to answer; the
         * failure that showed it was reported (logged) when it happened.
         */
        public boolean refusedWithoutTrying() {
            return refusedWithoutTrying;
        }

        /**
         * Whether the database answers but the pool had no connection free within its connection timeout, every one
         * busy with other calls ({@link #isPoolExhausted}): an overload, not an outage. It does not stop the next calls
         * from trying the database.
         */
        public boolean overloaded() {
            return overloaded;
        }

        /**
         * Whether a connection failed because it was closed or reset (the database, or a proxy in front of it,
         * restarted or ended it) rather than because the database went silent (a read timeout) or the call was not
         * tried: a fresh connection may well work at once.
         */
        boolean connectionBroke() {
            if (overloaded || refusedWithoutTrying || !(getCause() instanceof SQLException cause)) {
                return false;
            }
            int depth = 0;
            for (Throwable inner = cause; inner != null && depth < 16; inner = inner.getCause(), depth++) {
                if (inner instanceof SocketTimeoutException) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * The database refused a statement because of a concurrent transaction: it waited for a row lock longer than the
     * store's lock timeout, or it was chosen to break a deadlock. The transaction is rolled back; running it again
     * later may well succeed.
     */
    public static final class ConflictException extends StoreException {
        private static final long serialVersionUID = 1L;

        ConflictException(SQLException cause) {
            super("A concurrent transaction held what this one needed: " + cause.getMessage(), cause);
        }

        private ConflictException(ConflictException original) {
            super(original.getMessage(), original);
        }

        @Override
        public ConflictException forAnotherCaller() {
            return new ConflictException(this);
        }
    }
}
