package org.opensts.iam.jdbc;

import java.sql.SQLException;

/**
 * The store failed: the database is unreachable, a statement failed, or a sealed secret did not open. The server
 * answers {@code InternalFailure}; a unique-key violation is reported separately so that a racing create can become
 * {@code EntityAlreadyExists}, and so is a transaction the database gave up on because of another one (a lock wait
 * past the timeout, a deadlock), which a write reports as {@code ConcurrentModification}.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    static StoreException from(SQLException e) {
        // SQLSTATE 23505: unique violation, in PostgreSQL and in H2 alike.
        if ("23505".equals(e.getSQLState())) {
            return new DuplicateKeyException(e);
        }
        if (isConflict(e.getSQLState())) {
            return new ConflictException(e);
        }
        return new StoreException("Identity store statement failed: " + e.getMessage(), e);
    }

    /** A row with the same unique key exists: a concurrent create won. */
    public static final class DuplicateKeyException extends StoreException {
        private static final long serialVersionUID = 1L;

        DuplicateKeyException(SQLException cause) {
            super("Duplicate key", cause);
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
     * The database refused a statement because of a concurrent transaction: it waited for a row lock longer than the
     * store's lock timeout, or it was chosen to break a deadlock. The transaction is rolled back; running it again
     * later may well succeed.
     */
    public static final class ConflictException extends StoreException {
        private static final long serialVersionUID = 1L;

        ConflictException(SQLException cause) {
            super("A concurrent transaction held what this one needed: " + cause.getMessage(), cause);
        }
    }
}
