package org.opensts.iam.jdbc;

import java.sql.SQLException;

/**
 * The store failed: the database is unreachable, a statement failed, or a sealed secret did not open. The server
 * answers {@code InternalFailure}; a unique-key violation is reported separately so that a racing create can become
 * {@code EntityAlreadyExists}.
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
        return new StoreException("Identity store statement failed: " + e.getMessage(), e);
    }

    /** A row with the same unique key exists: a concurrent create won. */
    public static final class DuplicateKeyException extends StoreException {
        private static final long serialVersionUID = 1L;

        DuplicateKeyException(SQLException cause) {
            super("Duplicate key", cause);
        }
    }
}
