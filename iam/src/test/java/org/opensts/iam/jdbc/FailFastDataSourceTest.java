package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FailFastDataSourceTest {
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Connection CONNECTION = (Connection) Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> null);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Pool pool = new Pool();
    private final Deque<SQLException> checkFailures = new ArrayDeque<>();
    private int checks;
    private final FailFastDataSource dataSource = new FailFastDataSource(pool, () -> {
        checks++;
        SQLException failure = checkFailures.poll();
        if (failure != null) {
            throw failure;
        }
    }, WINDOW, nanos::get);

    /** A pool that answers each request as scripted: a failure to throw, or else a connection. */
    private static final class Pool implements DataSource {
        final Deque<SQLException> failures = new ArrayDeque<>();
        int requests;
        Runnable duringRequest = () -> { };

        @Override
        public Connection getConnection() throws SQLException {
            requests++;
            duringRequest.run();
            SQLException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
            return CONNECTION;
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }

    /** Hikari's timeout when opening a connection failed: the last failure is its cause, and gives its SQLSTATE. */
    private static SQLException poolTimeout() {
        var refused = new SQLException("Connection to db:5432 refused.", "08001");
        return new SQLTransientConnectionException("opensts-store - Connection is not available, request timed out "
                + "after 5000ms (total=0, active=0, idle=0, waiting=0)", "08001", 0, refused);
    }

    /** Hikari's timeout when every connection was busy: no cause, no SQLSTATE. */
    private static SQLException poolBusy() {
        return new SQLTransientConnectionException("opensts-store - Connection is not available, request timed out "
                + "after 5000ms (total=10, active=10, idle=0, waiting=3)");
    }

    @Test
    void afterAConnectionFailure_requestsWithinTheWindowFailAtOnce_withoutAskingThePool() {
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        nanos.addAndGet(WINDOW.toNanos() - 1);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(FailFastDataSource.NotTriedException.class)
                    .satisfies(e -> assertThat(StoreException.from((SQLException) e))
                            .isInstanceOf(StoreException.UnavailableException.class));
        }
        assertThat(pool.requests).isEqualTo(1);
    }

    @Test
    void afterTheWindow_oneRequestProbes_whileTheOthersStillFailAtOnce() throws SQLException {
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());
        var duringProbe = new Throwable[1];
        pool.duringRequest = () -> {
            pool.duringRequest = () -> { };
            try {
                dataSource.getConnection();
            } catch (SQLException e) {
                duringProbe[0] = e;
            }
        };

        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);

        assertThat(duringProbe[0]).isInstanceOf(FailFastDataSource.NotTriedException.class);
        assertThat(pool.requests).isEqualTo(2);
        assertThat(dataSource.isOpen()).isFalse();
    }

    @Test
    void probeThatFails_opensTheBreakerForAnotherWindow() {
        pool.failures.add(poolTimeout());
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());

        assertThatThrownBy(dataSource::getConnection).isNotInstanceOf(FailFastDataSource.NotTriedException.class);
        nanos.addAndGet(WINDOW.toNanos() - 1);

        assertThatThrownBy(dataSource::getConnection).isInstanceOf(FailFastDataSource.NotTriedException.class);
        assertThat(pool.requests).isEqualTo(2);
    }

    @Test
    void failureThatIsNotAboutReachingTheDatabase_leavesTheBreakerClosed() throws SQLException {
        pool.failures.add(new SQLException("permission denied for table users", "42501"));
        assertThatThrownBy(dataSource::getConnection).hasMessageContaining("permission denied");

        assertThat(dataSource.isOpen()).isFalse();
        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
    }

    @Test
    void poolBusyForItsWholeTimeout_isRefused_butLeavesTheBreakerClosed() throws SQLException {
        pool.failures.add(poolBusy());

        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                .satisfies(e -> assertThat(StoreException.from((SQLException) e))
                        .isInstanceOfSatisfying(StoreException.UnavailableException.class,
                                unavailable -> assertThat(unavailable.overloaded()).isTrue()));

        assertThat(dataSource.isOpen()).isFalse();
        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
        assertThat(pool.requests).isEqualTo(2);
    }

    @Test
    void probeThatFindsThePoolBusy_leavesTheBreakerOpenForAnotherWindow() {
        pool.failures.add(poolTimeout());
        pool.failures.add(poolBusy());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());

        assertThatThrownBy(dataSource::getConnection).isNotInstanceOf(FailFastDataSource.NotTriedException.class);
        nanos.addAndGet(WINDOW.toNanos() - 1);

        assertThat(dataSource.isOpen()).isTrue();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(FailFastDataSource.NotTriedException.class)
                .hasMessageContaining("total=0");
        assertThat(pool.requests).isEqualTo(2);
    }

    @Test
    void requestsWhileClosed_goToThePool_withoutTheProbesCheck() throws SQLException {
        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);

        assertThat(checks).isZero();
    }

    @Test
    void probeWhoseCheckIsRefused_failsWithoutAskingThePool_andOpensAnotherWindow() throws SQLException {
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());
        checkFailures.add(new SQLException("Connection to db:5432 refused.", "08001"));

        assertThatThrownBy(dataSource::getConnection).isNotInstanceOf(FailFastDataSource.NotTriedException.class)
                .hasMessageContaining("refused")
                .satisfies(e -> assertThat(StoreException.from((SQLException) e))
                        .isInstanceOf(StoreException.UnavailableException.class));
        nanos.addAndGet(WINDOW.toNanos() - 1);

        assertThat(pool.requests).isEqualTo(1);
        assertThat(checks).isEqualTo(1);
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(FailFastDataSource.NotTriedException.class)
                .hasMessageContaining("refused");
        nanos.addAndGet(1);
        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
        assertThat(dataSource.isOpen()).isFalse();
        assertThat(checks).isEqualTo(2);
    }

    @Test
    void whileTheProbesCheckIsOut_otherRequestsFailAtOnce_andASilentDatabaseOpensAnotherWindow() {
        var silent = new SQLException("Connection attempt timed out.", "08001");
        var duringCheck = new Throwable[1];
        var probing = new FailFastDataSource[1];
        probing[0] = new FailFastDataSource(pool, () -> {
            try {
                probing[0].getConnection();
            } catch (SQLException e) {
                duringCheck[0] = e;
            }
            throw silent;
        }, WINDOW, nanos::get);
        pool.failures.add(poolTimeout());
        assertThatThrownBy(probing[0]::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());

        assertThatThrownBy(probing[0]::getConnection).isSameAs(silent);

        assertThat(duringCheck[0]).isInstanceOf(FailFastDataSource.NotTriedException.class);
        assertThat(pool.requests).isEqualTo(1);
        assertThat(probing[0].isOpen()).isTrue();
    }

    @Test
    void probeWhoseCheckReachesTheDatabase_butIsRefusedForAnotherReason_goesToThePool() throws SQLException {
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos());
        checkFailures.add(new SQLException("password authentication failed for user \"opensts\"", "28P01"));

        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);

        assertThat(dataSource.isOpen()).isFalse();
        assertThat(pool.requests).isEqualTo(2);
    }

    @Test
    void requestThatWaitedAtThePoolSinceBeforeAProbeClosedTheBreaker_failingLate_doesNotReopenIt()
            throws SQLException {
        pool.failures.add(poolTimeout());
        pool.duringRequest = () -> {
            // While this request waits at the pool, another fails, and after the window a probe finds the database.
            pool.duringRequest = () -> { };
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            nanos.addAndGet(WINDOW.toNanos());
            try {
                assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
            } catch (SQLException e) {
                throw new AssertionError(e);
            }
            nanos.addAndGet(WINDOW.toNanos() * 3);
            pool.failures.add(poolTimeout());
        };

        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);

        assertThat(dataSource.isOpen()).isFalse();
        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
    }
}
