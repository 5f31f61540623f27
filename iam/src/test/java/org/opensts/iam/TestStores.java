package org.opensts.iam;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.h2.store.fs.FileUtils;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.token.MasterKey;

/**
 * Real stores for tests: a fresh H2 database per call, held in memory (H2's in-memory file system) and migrated like
 * any other.
 *
 * <p>A migration copies every AWS managed policy into the new store, a few hundred milliseconds that hundreds of tests
 * would each pay. So the first call migrates a template database and every call copies its file, as
 * {@link TestPostgres} copies its template database: a test gets a store that Flyway finds up to date.
 */
public final class TestStores {
    /** As production opens H2, but with nothing to write out when the JVM exits: the file is only in memory. */
    private static final String OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
            + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";

    private TestStores() {
    }

    /** The template database's file, migrated on first use. */
    private static final class Template {
        static final byte[] FILE = migrate();

        private static byte[] migrate() {
            String database = "memFS:/opensts-template";
            var settings = new StoreSettings("jdbc:h2:" + database + OPTIONS, Optional.empty(), Optional.empty(), 2);
            // Closing the store closes its last connection, and with it the database, which writes its file out.
            JdbcIdentityStore.open(settings, newMasterKey(), Clock.systemUTC()).close();
            try (InputStream in = FileUtils.newInputStream(database + ".mv.db")) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                FileUtils.delete(database + ".mv.db");
            }
        }
    }

    public static MasterKey newMasterKey() {
        try {
            return MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new database, a copy of the migrated template. */
    public static StoreSettings inMemoryH2() {
        String database = "memFS:/iam-" + UUID.randomUUID();
        try (OutputStream out = FileUtils.newOutputStream(database + ".mv.db", /* append= */ false)) {
            out.write(Template.FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StoreSettings("jdbc:h2:" + database + OPTIONS, Optional.empty(), Optional.empty(), 2);
    }

    public static JdbcIdentityStore inMemory(MasterKey masterKey, Clock clock) {
        return JdbcIdentityStore.open(inMemoryH2(), masterKey, clock);
    }
}
