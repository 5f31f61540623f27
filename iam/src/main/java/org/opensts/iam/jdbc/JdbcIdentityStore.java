package org.opensts.iam.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.opensts.iam.ForwardingIdentityReader;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.IdentityWriter;
import org.opensts.iam.StoredKeyRing;
import org.opensts.token.MasterKey;

/**
 * The identity store on a JDBC database. Each read borrows a pooled connection in autocommit mode; each
 * {@link #write} runs in one transaction that has committed when the method returns.
 */
public final class JdbcIdentityStore extends ForwardingIdentityReader implements IdentityStore {
    private final HikariDataSource dataSource;
    private final MasterKey masterKey;
    private final Clock clock;

    private JdbcIdentityStore(HikariDataSource dataSource, MasterKey masterKey, Clock clock) {
        this.dataSource = dataSource;
        this.masterKey = masterKey;
        this.clock = clock;
    }

    /**
     * Connects, migrates the schema to the current version, and returns the store.
     *
     * @throws StoreException if the database cannot be reached or migrated
     */
    public static JdbcIdentityStore open(StoreSettings settings, MasterKey masterKey, Clock clock) {
        var config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        settings.username().ifPresent(config::setUsername);
        settings.password().ifPresent(password -> config.setPassword(password.revealUtf8()));
        config.setMaximumPoolSize(settings.maximumPoolSize());
        config.setPoolName("opensts-store");
        config.setAutoCommit(true);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot open the identity store at " + settings.describe() + ": "
                    + rootMessage(e), e);
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("Cannot migrate the identity store at " + settings.describe() + ": "
                    + rootMessage(e), e);
        }
        return new JdbcIdentityStore(dataSource, masterKey, clock);
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load()
                .migrate();
    }

    /** The pool, for components that need their own connection (e.g. change notifications). */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public <T> T write(Function<IdentityWriter, T> transaction) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = transaction.apply(new JdbcSession(connection, masterKey));
                connection.commit();
                return result;
            } catch (RuntimeException | Error e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    private static void rollbackQuietly(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    @Override
    protected <T> T read(Function<IdentityReader, T> work) {
        return inSession(work::apply);
    }

    private <T> T inSession(Function<JdbcSession, T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.apply(new JdbcSession(connection, masterKey));
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    @Override
    public Optional<StoredKeyRing> loadKeyRing() {
        return inSession(JdbcSession::loadKeyRing).map(ring -> new StoredKeyRing(ring.wrapped(), ring.version()));
    }

    @Override
    public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
        try {
            return write(writer -> ((JdbcSession) writer).replaceKeyRing(wrapped, expectedVersion,
                    clock.millis()));
        } catch (StoreException.DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
