package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StoreExceptionTest {
    record Case(String name, SQLException failure, Class<? extends StoreException> becomes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> failures() {
        return List.of(
                new Case("no connection from the pool in time (no SQLSTATE)", new SQLTransientConnectionException(
                        "opensts-store - Connection is not available, request timed out after 5000ms."),
                        StoreException.UnavailableException.class),
                new Case("connection refused: 08001", new SQLException("Connection refused", "08001"),
                        StoreException.UnavailableException.class),
                new Case("I/O error, the driver's read timeout: 08006",
                        new SQLException("An I/O error occurred while sending to the backend.", "08006"),
                        StoreException.UnavailableException.class),
                new Case("a connection already closed: 08003", new SQLException("This connection has been closed.",
                        "08003"), StoreException.UnavailableException.class),
                new Case("the server shutting down: 57P01", new SQLException("terminating connection due to "
                        + "administrator command", "57P01"), StoreException.UnavailableException.class),
                new Case("the server starting up: 57P03", new SQLException("the database system is starting up",
                        "57P03"), StoreException.UnavailableException.class),
                new Case("a socket timeout among the causes, no SQLSTATE", new SQLException("read failed", null,
                        new RuntimeException(new SocketTimeoutException("Read timed out"))),
                        StoreException.UnavailableException.class),
                new Case("a unique violation: 23505", new SQLException("duplicate key", "23505"),
                        StoreException.DuplicateKeyException.class),
                new Case("a lock timeout: 55P03", new SQLException("lock timeout", "55P03"),
                        StoreException.ConflictException.class),
                new Case("a statement the database refused: 42P01", new SQLException("no such table", "42P01"),
                        StoreException.class),
                new Case("a query cancelled: 57014, not a shutdown", new SQLException("canceling statement", "57014"),
                        StoreException.class),
                new Case("no SQLSTATE and no cause", new SQLException("odd"), StoreException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void from_classifiesTheFailure(Case c) {
        assertThat(StoreException.from(c.failure())).isExactlyInstanceOf(c.becomes()).hasCause(c.failure());
    }
}
