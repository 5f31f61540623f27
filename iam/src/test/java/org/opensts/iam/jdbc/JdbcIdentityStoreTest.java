package org.opensts.iam.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.h2.api.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.Account;
import org.opensts.iam.TestStores;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.token.KeyRing;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

class JdbcIdentityStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MasterKey masterKey = TestStores.newMasterKey();

    @TempDir
    Path dataDir;

    private static User user(String id, String name) {
        return new User("123456789012", id, name, "/", NOW, Optional.empty(), List.of(new Tag("Team", "Platform")));
    }

    private static void seed(JdbcIdentityStore store) {
        store.write(writer -> {
            writer.createAccount(new Account("123456789012", NOW));
            writer.createUser(user("AIDAEXAMPLE0000000001", "Alice"));
            writer.createAccessKey(new AccessKey("AKIAEXAMPLE000000001", "123456789012", "AIDAEXAMPLE0000000001",
                    "Alice", AccessKeyStatus.ACTIVE, NOW), Secret.ofUtf8(SECRET));
            return null;
        });
    }

    /**
     * A node given another master key than the store's is refused before Flyway runs: it must not migrate a shared
     * store's schema (after which the store's own nodes of the older release could no longer start) and then exit.
     */
    @Test
    void aMasterKeyThatDoesNotOpenTheStoredRing_isRefusedBeforeAnyMigration() throws Exception {
        StoreSettings settings = StoreSettings.embedded(dataDir);
        try (JdbcIdentityStore store = JdbcIdentityStore.open(settings, masterKey, clock)) {
            store.replaceKeyRing(masterKey.wrap(KeyRing.generate(NOW, new SecureRandom())), 0);
            try (Connection connection = store.dataSource().getConnection();
                    Statement statement = connection.createStatement()) {
                // As a store of the release before the last migration would be.
                statement.execute("DELETE FROM flyway_schema_history WHERE installed_rank = "
                        + "(SELECT MAX(installed_rank) FROM flyway_schema_history)");
            }
        }
        var h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL(settings.jdbcUrl());
        int appliedBefore = count(h2, "SELECT COUNT(*) FROM flyway_schema_history");
        MasterKey another = TestStores.newMasterKey();

        assertThatThrownBy(() -> JdbcIdentityStore.open(settings, another, clock))
                .isInstanceOf(JdbcIdentityStore.MasterKeyMismatchException.class)
                .hasMessage("The stored session key ring does not open with this master key");
        assertThat(count(h2, "SELECT COUNT(*) FROM flyway_schema_history")).isEqualTo(appliedBefore);
    }

    private static int count(javax.sql.DataSource dataSource, String sql) throws java.sql.SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    @Test
    void users_areFoundByNameInAnyCaseAndById() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            seed(store);

            assertThat(store.findUser("123456789012", "alice")).contains(user("AIDAEXAMPLE0000000001", "Alice"));
            assertThat(store.findUserById("AIDAEXAMPLE0000000001").orElseThrow().tags())
                    .containsExactly(new Tag("Team", "Platform"));
            assertThat(store.findUser("210987654321", "alice")).isEmpty();
        }
    }

    @Test
    void everyConnectionBusy_isAnsweredAsAnOverload_andTheNextCallStillGoesToTheStore() throws Exception {
        StoreSettings h2 = TestStores.inMemoryH2();
        var settings = new StoreSettings(h2.jdbcUrl(), Optional.empty(), Optional.empty(), /* maximumPoolSize= */ 2,
                Duration.ofSeconds(1));
        try (JdbcIdentityStore store = JdbcIdentityStore.open(settings, masterKey, clock)) {
            seed(store);
            try (Connection busy = store.dataSource().getConnection();
                    Connection busyToo = store.dataSource().getConnection()) {
                assertThatThrownBy(() -> store.findUser("123456789012", "alice"))
                        .isInstanceOfSatisfying(StoreException.UnavailableException.class,
                                e -> assertThat(e.overloaded()).isTrue());
            }

            assertThat(store.findUser("123456789012", "alice")).isPresent();
        }
    }

    @Test
    void write_thatThrows_rollsBackEverything() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            seed(store);

            assertThatThrownBy(() -> store.write(writer -> {
                writer.createUser(user("AIDAEXAMPLE0000000002", "bob"));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");

            assertThat(store.findUser("123456789012", "bob")).isEmpty();
        }
    }

    @Test
    void duplicateNameInAnotherCase_isADuplicateKey() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            seed(store);

            assertThatThrownBy(() -> store.write(writer -> {
                writer.createUser(user("AIDAEXAMPLE0000000003", "ALICE"));
                return null;
            })).isInstanceOf(StoreException.DuplicateKeyException.class);
        }
    }

    @Test
    void accessKeySecret_isSealedAtRestAndOpensOnlyWithTheMasterKey() throws Exception {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            seed(store);

            byte[] stored;
            try (Connection connection = store.dataSource().getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT secret_ciphertext FROM access_keys")) {
                row.next();
                stored = row.getBytes(1);
            }
            assertThat(new String(stored, UTF_8)).doesNotContain(SECRET);
            assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(SECRET);
            assertThat(store.findAccessKey("AKIAEXAMPLE000000001").orElseThrow().secretAccessKey()
                    .matches(SECRET.getBytes(UTF_8))).isTrue();
        }
    }

    @Test
    void embeddedStore_keepsEverythingAcrossReopening() {
        try (JdbcIdentityStore store = JdbcIdentityStore.open(StoreSettings.embedded(dataDir), masterKey, clock)) {
            seed(store);
        }
        try (JdbcIdentityStore reopened = JdbcIdentityStore.open(StoreSettings.embedded(dataDir), masterKey, clock)) {
            assertThat(reopened.findUser("123456789012", "alice")).isPresent();
            assertThat(reopened.findAccessKey("AKIAEXAMPLE000000001")).isPresent();
        }
    }

    /**
     * H2 closes its database when a write to its file fails (a full disk, a file system remounted read-only), and the
     * pool's connections then answer every statement "The database has been closed". The write that meets it is
     * refused as the store being unavailable (which the server answers 503 ServiceUnavailable), not as a failed
     * statement (500 InternalFailure), the store reports itself unreachable, and the connections are dropped, so that
     * the next call opens the database again from its file, as a node does once the disk takes writes again.
     */
    @Test
    void embeddedDatabaseClosedUnderTheStore_isUnavailable_andTheNextCallOpensItAgain() throws Exception {
        try (JdbcIdentityStore store = JdbcIdentityStore.open(StoreSettings.embedded(dataDir), masterKey, clock)) {
            seed(store);
            closeDatabase();

            assertThatThrownBy(() -> createBob(store))
                    .isInstanceOf(StoreException.UnavailableException.class)
                    .hasRootCauseInstanceOf(SQLException.class);
            assertThat(store.isReachable()).isFalse();

            createBob(store);
            assertThat(store.isReachable()).isTrue();
            assertThat(store.findUser("123456789012", "bob")).isPresent();
            assertThat(store.findAccessKey("AKIAEXAMPLE000000001")).isPresent();
        }
    }

    /** A read that meets the closed database is run again on a new connection, which opens it: the call succeeds. */
    @Test
    void embeddedDatabaseClosedUnderTheStore_aReadIsRunAgainOnANewConnection() throws Exception {
        try (JdbcIdentityStore store = JdbcIdentityStore.open(StoreSettings.embedded(dataDir), masterKey, clock)) {
            seed(store);
            closeDatabase();

            assertThat(store.findUser("123456789012", "alice")).contains(user("AIDAEXAMPLE0000000001", "Alice"));
            assertThat(store.isReachable()).isTrue();
        }
    }

    /**
     * Closes the store's embedded database under its pool, as H2 does itself after a failed write: through a
     * connection of its own, so that every connection the pool holds is left open on the closed database.
     */
    private void closeDatabase() throws SQLException {
        try (Connection own = DriverManager.getConnection(StoreSettings.embedded(dataDir).jdbcUrl());
                Statement statement = own.createStatement()) {
            statement.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException e) {
            // H2 answers the statement that closed the database with "Database is already closed".
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DATABASE_CALLED_AT_SHUTDOWN);
        }
    }

    private static void createBob(JdbcIdentityStore store) {
        store.write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000002", "Bob"));
            return null;
        });
    }

    @Test
    void embeddedStore_openedWithAnotherMasterKey_cannotOpenTheSecrets() {
        try (JdbcIdentityStore store = JdbcIdentityStore.open(StoreSettings.embedded(dataDir), masterKey, clock)) {
            seed(store);
        }
        try (JdbcIdentityStore reopened = JdbcIdentityStore.open(StoreSettings.embedded(dataDir),
                TestStores.newMasterKey(), clock)) {
            assertThatThrownBy(() -> reopened.findAccessKey("AKIAEXAMPLE000000001"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageNotContaining(SECRET);
        }
    }

    /**
     * A store file that cannot be opened is reported with the system's reason ("Not a directory"), not with the bare
     * path that H2's failure says, as an unreadable one is ("Permission denied").
     */
    @Test
    void embeddedStore_inADirectoryThatIsAFile_isReportedWithTheSystemsReason() throws Exception {
        Path notADirectory = Files.writeString(dataDir.resolve("not-a-directory"), "x");

        assertThatThrownBy(() -> JdbcIdentityStore.open(StoreSettings.embedded(notADirectory), masterKey, clock))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Cannot open the identity store at jdbc:h2:file:" + notADirectory)
                .hasMessageEndingWith(": " + notADirectory + " (Not a directory)");
    }

    @Test
    void failureReason_ofAnEmbeddedStore_isTheFileSystemsReason() {
        var denied = new RuntimeException("Failed to initialize pool", new SQLException("IO Exception", "90028",
                new IllegalStateException("Could not open file", new AccessDeniedException("/d/opensts.mv.db"))));
        // As H2 goes on after a failed write: the disk's answer is only in the failure that closed the store.
        var closed = new IllegalStateException("This store is closed");
        closed.addSuppressed(new IllegalStateException("Writing failed", new IOException("No space left on device")));

        assertThat(JdbcIdentityStore.failureReason(denied, /* embedded= */ true))
                .isEqualTo("/d/opensts.mv.db (Permission denied)");
        assertThat(JdbcIdentityStore.failureReason(new RuntimeException("Migration failed", closed),
                /* embedded= */ true)).isEqualTo("No space left on device");
    }

    @Test
    void failureReason_ofPostgres_isTheDriversInnermostMessage() {
        var refused = new RuntimeException("Failed to initialize pool", new SQLException("Connection to db:5432 "
                + "refused.", "08001", new ConnectException("Connection refused")));

        assertThat(JdbcIdentityStore.failureReason(refused, /* embedded= */ false)).isEqualTo("Connection refused");
    }

    @Test
    void keyRing_replacementIsACompareAndSet() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            assertThat(store.loadKeyRing()).isEmpty();
            assertThat(store.replaceKeyRing(new byte[] {1}, 0)).isTrue();
            assertThat(store.replaceKeyRing(new byte[] {2}, 0)).isFalse();
            long version = store.loadKeyRing().orElseThrow().version();

            assertThat(store.replaceKeyRing(new byte[] {3}, version)).isTrue();
            assertThat(store.replaceKeyRing(new byte[] {4}, version)).isFalse();
            assertThat(store.loadKeyRing().orElseThrow().wrapped()).containsExactly(3);
        }
    }

    @Test
    void storeSettings_toString_hidesThePassword() {
        var settings = StoreSettings.postgres("jdbc:postgresql://db:5432/sts?password=hunter2",
                Optional.of("sts"), Optional.of(Secret.ofUtf8("hunter2")));

        assertThat(settings.toString()).doesNotContain("hunter2");
        assertThat(settings.describe()).doesNotContain("hunter2");
    }
}
