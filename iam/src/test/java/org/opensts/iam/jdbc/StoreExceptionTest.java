package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StoreExceptionTest {
    // What Hikari's createTimeoutException builds: the pool's last failure to open a connection, if there was one since
    // the last success, becomes the cause and lends its SQLSTATE and error code.
    private static final SQLException POOL_BUSY = new SQLTransientConnectionException("opensts-store - Connection is "
            + "not available, request timed out after 5000ms (total=10, active=10, idle=0, waiting=4)");
    private static final SQLException POOL_CANNOT_CONNECT = new SQLTransientConnectionException("opensts-store - "
            + "Connection is not available, request timed out after 5000ms (total=0, active=0, idle=0, waiting=0)",
            "08001", 0, new SQLException("Connection to db:5432 refused.", "08001"));
    private static final SQLException POOL_CANNOT_CONNECT_TO_H2 = new SQLTransientConnectionException("opensts-store - "
            + "Connection is not available, request timed out after 5000ms.", null, 0,
            new SQLException("Database may be already in use", "90020"));

    record Case(String name, SQLException failure, Class<? extends StoreException> becomes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> failures() {
        return List.of(
                new Case("no connection from the pool in time, every one busy (no cause, no SQLSTATE)",
                        POOL_BUSY, StoreException.UnavailableException.class),
                new Case("no connection from the pool in time, opening one failed (its failure the cause)",
                        POOL_CANNOT_CONNECT, StoreException.UnavailableException.class),
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
                new Case("the embedded database closed after a failed write: H2's 90098",
                        h2(DbException.get(ErrorCode.DATABASE_IS_CLOSED)), StoreException.UnavailableException.class),
                new Case("the embedded database shut down: H2's 90121",
                        h2(DbException.get(ErrorCode.DATABASE_CALLED_AT_SHUTDOWN)),
                        StoreException.UnavailableException.class),
                new Case("the embedded database opened read-only: H2's 90097",
                        h2(DbException.get(ErrorCode.DATABASE_IS_READ_ONLY)),
                        StoreException.UnavailableException.class),
                new Case("the embedded database's file not written: H2's 90028 from an I/O error",
                        h2(DbException.convert(new IOException("No space left on device"))),
                        StoreException.UnavailableException.class),
                new Case("H2's general error from its file store: 50000 (SQLSTATE HY000) caused by an MVStore failure",
                        h2(DbException.convert(new MVStoreException(2, "Writing to file failed"))),
                        StoreException.UnavailableException.class),
                new Case("H2's general error from a corrupt file: 50000 caused by the MVStore's report of it",
                        h2(DbException.convert(new MVStoreException(6, "File corrupted in chunk 7"))),
                        StoreException.class),
                new Case("H2's general error from anything else: 50000 without a file failure",
                        h2(DbException.convert(new IllegalStateException("a bug"))), StoreException.class),
                new Case("another driver's error with H2's code for a closed database",
                        new SQLException("odd", "90098", ErrorCode.DATABASE_IS_CLOSED), StoreException.class),
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

    /** The exception H2's driver throws for {@code failure}. */
    private static SQLException h2(DbException failure) {
        return failure.getSQLException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void from_classifiesTheFailure(Case c) {
        assertThat(StoreException.from(c.failure())).isExactlyInstanceOf(c.becomes()).hasCause(c.failure());
    }

    @Test
    void from_poolTimeoutWithEveryConnectionBusy_isAnOverload_notAnOutage() {
        assertThat(StoreException.isUnreachable(POOL_BUSY)).isFalse();
        assertThat(StoreException.isPoolExhausted(POOL_BUSY)).isTrue();
        assertThat((StoreException.UnavailableException) StoreException.from(POOL_BUSY)).satisfies(e -> {
            assertThat(e.overloaded()).isTrue();
            assertThat(e.refusedWithoutTrying()).isFalse();
            assertThat(e).hasMessageStartingWith("The identity store is overloaded").hasMessageNotContaining("reached");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCannotConnect")
    void from_poolTimeoutAfterAFailedConnectionAttempt_isAnOutage(String name, SQLException failure) {
        assertThat(StoreException.isUnreachable(failure)).isTrue();
        assertThat(StoreException.isPoolExhausted(failure)).isFalse();
        assertThat((StoreException.UnavailableException) StoreException.from(failure)).satisfies(e -> {
            assertThat(e.overloaded()).isFalse();
            assertThat(e).hasMessageStartingWith("The identity store cannot be reached");
        });
    }

    static List<Arguments> poolCannotConnect() {
        return List.of(Arguments.of("PostgreSQL refused the connection: cause with 08001", POOL_CANNOT_CONNECT),
                Arguments.of("H2 could not open the database: a cause without a class 08 SQLSTATE",
                        POOL_CANNOT_CONNECT_TO_H2));
    }

    @Test
    void forAnotherCaller_isANewExceptionOfTheSameKind_withTheOriginalAsItsCause() {
        var overloaded = (StoreException.UnavailableException) StoreException.from(POOL_BUSY);
        var refused = (StoreException.UnavailableException) StoreException.from(
                new FailFastDataSource.NotTriedException("Not tried"));
        var duplicate = StoreException.from(new SQLException("duplicate key", "23505"));
        var conflict = StoreException.from(new SQLException("lock timeout", "55P03"));
        var failed = StoreException.from(new SQLException("no such table", "42P01"));

        for (StoreException original : List.of(overloaded, refused, duplicate, conflict, failed)) {
            assertThat(original.forAnotherCaller()).isNotSameAs(original).isExactlyInstanceOf(original.getClass())
                    .hasMessage(original.getMessage()).hasCause(original);
        }
        assertThat(overloaded.forAnotherCaller().overloaded()).isTrue();
        assertThat(refused.forAnotherCaller().refusedWithoutTrying()).isTrue();
    }
}
