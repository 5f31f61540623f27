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
    private final FailFastDataSource dataSource = new FailFastDataSource(pool, WINDOW, nanos::get);

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

    private static SQLException poolTimeout() {
        return new SQLTransientConnectionException("Connection is not available, request timed out after 5000ms.");
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
    void connectionThatBrokeInUse_opensTheBreakerToo() {
        dataSource.unreachable(StoreException.from(new SQLException("An I/O error occurred", "08006")));

        assertThatThrownBy(dataSource::getConnection).isInstanceOf(FailFastDataSource.NotTriedException.class);
        assertThat(pool.requests).isZero();
    }

    @Test
    void refusalsOfTheBreakerItself_doNotExtendTheWindow() throws SQLException {
        pool.failures.add(poolTimeout());
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(WINDOW.toNanos() / 2);
        try {
            dataSource.getConnection();
        } catch (SQLException refused) {
            dataSource.unreachable(StoreException.from(refused));
        }

        nanos.addAndGet(WINDOW.toNanos() / 2);

        assertThat(dataSource.getConnection()).isSameAs(CONNECTION);
    }
}
