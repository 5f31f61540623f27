package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.token.Secret;

/**
 * One real PostgreSQL server for every test of this module that needs one, started on first use (a few seconds) and
 * stopped when the test JVM exits.
 *
 * <p>The stores connect as user {@value #USER} with a password, as production does: the server requires
 * {@code scram-sha-256} for that user over TCP. Each {@link #newDatabase()} is a fresh database copied from a template
 * that was migrated once, so a test gets a clean schema at the cost of a file copy instead of a migration.
 */
public final class TestPostgres {
    public static final String USER = "opensts";
    /** A test password: tests check it never shows up in output. */
    public static final String PASSWORD = "pg-test-password-5e1f";
    private static final String TEMPLATE = "opensts_template";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {
    }

    /** The server, started with its template database on first use. */
    private static final class Server {
        static final EmbeddedPostgres INSTANCE = start();

        private static EmbeddedPostgres start() {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectoryCustomizer(TestPostgres::requirePasswordForStoreUser)
                        .start();
                superuser(postgres, "CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                superuser(postgres, "CREATE DATABASE " + TEMPLATE + " OWNER " + USER);
                try (JdbcIdentityStore store = JdbcIdentityStore.open(settings(postgres, TEMPLATE),
                        TestStores.newMasterKey(), Clock.systemUTC())) {
                    store.listAccounts(); // migrated by open()
                }
                return postgres;
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the test PostgreSQL server", e);
            }
        }
    }

    /** initdb trusts every local connection; the store's user must prove its password, as in production. */
    private static void requirePasswordForStoreUser(File dataDirectory) {
        Path hba = dataDirectory.toPath().resolve("pg_hba.conf");
        try {
            String rules = "host all " + USER + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all " + USER + " ::1/128 scram-sha-256\n";
            Files.writeString(hba, rules + Files.readString(hba, UTF_8), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, migrated, empty database, and the settings (user and password included) to reach it. */
    public static StoreSettings newDatabase() {
        String name = "opensts_" + DATABASES.incrementAndGet();
        // The template has no open session once its store is closed; PostgreSQL waits a moment for late exits.
        superuser(Server.INSTANCE, "CREATE DATABASE " + name + " OWNER " + USER + " TEMPLATE " + TEMPLATE);
        return settings(Server.INSTANCE, name);
    }

    /** A new database without any table, as an operator creates one for a store's first start. */
    public static StoreSettings newEmptyDatabase() {
        String name = "opensts_empty_" + DATABASES.incrementAndGet();
        superuser(Server.INSTANCE, "CREATE DATABASE " + name + " OWNER " + USER);
        return settings(Server.INSTANCE, name);
    }

    /** Runs {@code sql} as the superuser, in the {@code postgres} database. */
    public static void superuser(String sql) {
        superuser(Server.INSTANCE, sql);
    }

    private static void superuser(EmbeddedPostgres postgres, String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Settings as {@link StoreSettings#postgres} makes them, with a pool small enough for many stores at once. */
    private static StoreSettings settings(EmbeddedPostgres postgres, String database) {
        return new StoreSettings("jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database,
                Optional.of(USER), Optional.of(Secret.ofUtf8(PASSWORD)), 3);
    }
}
