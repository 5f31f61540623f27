package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL on loopback for the tests of nodes on a shared store, with a login role for the store that must
 * give its password over TCP, as in production (initdb trusts local connections otherwise); the superuser makes the
 * databases.
 */
final class PasswordPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final String storeUser;

    private PasswordPostgres(EmbeddedPostgres postgres, String storeUser) {
        this.postgres = postgres;
        this.storeUser = storeUser;
    }

    /** Starts the server and creates the login role {@code storeUser} with {@code storePassword}. */
    static PasswordPostgres start(String storeUser, String storePassword) throws IOException {
        var started = new PasswordPostgres(EmbeddedPostgres.builder()
                .setDataDirectoryCustomizer(dataDirectory -> requirePassword(dataDirectory.toPath(), storeUser))
                .start(), storeUser);
        started.superuser("CREATE ROLE " + storeUser + " LOGIN PASSWORD '" + storePassword + "'");
        return started;
    }

    private static void requirePassword(Path dataDirectory, String storeUser) {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        try {
            Files.writeString(hba, "host all " + storeUser + " 127.0.0.1/32 scram-sha-256\n"
                    + "host all " + storeUser + " ::1/128 scram-sha-256\n" + Files.readString(hba, UTF_8), UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return postgres.getPort();
    }

    /** A database owned by the store's role. */
    void createDatabase(String database) {
        superuser("CREATE DATABASE " + database + " OWNER " + storeUser);
    }

    void superuser(String sql) {
        superuser("postgres", sql);
    }

    /** Runs {@code sql} as the superuser in {@code database}. */
    void superuser(String database, String sql) {
        try (Connection connection = postgres.getDatabase("postgres", database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
