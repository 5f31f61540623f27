package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.StoreSettings;
import org.slf4j.LoggerFactory;

/**
 * How a node starts on a data directory that is in use, damaged or too open: it refuses, saying what is wrong and
 * changing nothing, where going on would lose audit events or overwrite the admin's credentials; it warns where it can
 * go on.
 */
class OpenStsNodeTest {
    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger nodeLogger = (Logger) LoggerFactory.getLogger(OpenStsNode.class);
    private OpenStsNode node;

    @BeforeEach
    void captureLog() {
        log.start();
        nodeLogger.addAppender(log);
    }

    @AfterEach
    void stop() {
        nodeLogger.detachAppender(log);
        if (node != null) {
            node.close();
        }
    }

    private OpenStsNode start() throws IOException, InterruptedException {
        return OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                "123456789012"));
    }

    /** Starts a node on the data directory, which creates the store and the admin, and stops it again. */
    private String startedOnceBefore() throws IOException, InterruptedException {
        start().close();
        return Files.readString(dataDir.resolve(OpenStsNode.ADMIN_CREDENTIALS_FILE), UTF_8);
    }

    // ---- one node per data directory

    @Test
    void start_onADataDirectoryANodeIsServingFrom_isRefusedNamingTheDirectory() throws Exception {
        node = start();

        var refused = catchThrowableOfType(DataDirectoryLock.DataDirectoryInUseException.class, this::start);

        assertThat(refused.getMessage()).startsWith("The data directory " + dataDir + " is in use by another node")
                .endsWith("each node needs a data directory of its own");
        assertThat(node.endpoint()).isNotNull();
    }

    @Test
    void start_afterTheNodeBeforeClosed_takesTheDataDirectory() throws Exception {
        start().close();

        node = start();

        assertThat(node.initialAdmin()).isEmpty();
    }

    // ---- the embedded store's database file

    record DamagedStoreCase(String name, String state, String trace, Action damage) {
        interface Action {
            void apply(Path dataDir) throws IOException;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<DamagedStoreCase> damagedStores() {
        return Stream.of(
                new DamagedStoreCase("a deleted database beside admin-credentials", "does not exist",
                        "admin-credentials", dir -> Files.delete(dir.resolve("opensts.mv.db"))),
                new DamagedStoreCase("an empty database beside admin-credentials", "is empty", "admin-credentials",
                        dir -> Files.write(dir.resolve("opensts.mv.db"), new byte[0])),
                new DamagedStoreCase("an empty database beside audit events only", "is empty", "audit.log", dir -> {
                    Files.write(dir.resolve("opensts.mv.db"), new byte[0]);
                    Files.delete(dir.resolve("admin-credentials"));
                    Files.writeString(dir.resolve("audit.log"), "{\"eventName\":\"GetCallerIdentity\"}\n", UTF_8);
                }),
                new DamagedStoreCase("a deleted database beside rolled audit files only", "does not exist",
                        "audit.2026-12-01.1.log.gz", dir -> {
                    Files.delete(dir.resolve("opensts.mv.db"));
                    Files.delete(dir.resolve("admin-credentials"));
                    Files.write(dir.resolve("audit.log"), new byte[0]);
                    Files.write(dir.resolve("audit.2026-12-01.1.log.gz"), new byte[] {31, -117});
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedStores")
    void start_onAMissingOrEmptyDatabaseOfAStoreThatExisted_isRefused_andKeepsAdminCredentials(
            DamagedStoreCase damaged) throws Exception {
        String adminCredentials = startedOnceBefore();
        damaged.damage().apply(dataDir);

        var refused = catchThrowableOfType(IOException.class, this::start);

        assertThat(refused.getMessage()).isEqualTo("The embedded store's database " + dataDir.resolve("opensts.mv.db")
                + " " + damaged.state() + ", but " + dataDir + " holds " + damaged.trace()
                + " of a store that existed: restore the database from a backup, or start on a new data directory "
                + "(with a new account and admin)");
        if (damaged.trace().equals("admin-credentials")) {
            assertThat(dataDir.resolve("admin-credentials")).hasContent(adminCredentials);
        }
        assertThat(dataDir.resolve("opensts.mv.db").toFile().length()).isZero();
    }

    /**
     * Any store, not only the embedded one: a data directory whose node served a store (its admin key, its audit
     * events) started on an empty store — a PostgreSQL database lost or not the one meant — must not take it for a
     * first start and write a new admin key over the old one.
     */
    @Test
    void start_onAnEmptyStore_fromADataDirectoryThatServedAnother_isRefused_andKeepsAdminCredentials(
            @TempDir Path otherStore) throws Exception {
        String adminCredentials = startedOnceBefore();
        Files.writeString(dataDir.resolve("audit.log"), "{\"eventName\":\"GetCallerIdentity\"}\n", UTF_8);

        var refused = catchThrowableOfType(IOException.class, () -> OpenStsNode.start(OpenStsNode.Config.embedded(
                dataDir, new InetSocketAddress("127.0.0.1", 0), "123456789012")
                .withStore(StoreSettings.embedded(otherStore))));

        assertThat(refused.getMessage()).isEqualTo("The store is empty, but " + dataDir
                + " holds admin-credentials and audit.log of a store it served: check --store, or restore that store"
                + " from a backup, or start on a new data directory (with a new account and admin)");
        assertThat(dataDir.resolve("admin-credentials")).hasContent(adminCredentials);
    }

    /** A first start killed after it wrote the admin key and before it stored it served nothing: it is done again. */
    @Test
    void start_onAnEmptyStore_withAnAdminKeyButNoAuditEvents_isAFirstStart(@TempDir Path otherStore)
            throws Exception {
        String unstored = startedOnceBefore();

        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                "123456789012").withStore(StoreSettings.embedded(otherStore)));

        assertThat(node.initialAdmin()).isPresent();
        assertThat(Files.readString(dataDir.resolve("admin-credentials"), UTF_8)).isNotEqualTo(unstored);
    }

    @Test
    void start_onADataDirectoryWithOnlyAnEmptyAuditLog_isAFirstStart() throws Exception {
        // opensts serve opens the audit log before the node starts.
        Files.write(dataDir.resolve("audit.log"), new byte[0]);

        node = start();

        assertThat(node.initialAdmin()).isPresent();
    }

    // ---- the master key file

    @Test
    void start_withTheMasterKeyFileDeleted_isRefusedSayingItIsMissing_andCreatesNoKey() throws Exception {
        startedOnceBefore();
        Files.delete(dataDir.resolve("master-key.json"));

        var refused = catchThrowableOfType(IOException.class, this::start);

        assertThat(refused.getMessage()).isEqualTo("The master key file " + dataDir.resolve("master-key.json")
                + " does not exist, but the store was created with one: restore that file (every node of one store "
                + "needs the same), or start on a new store");
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .noneMatch(name -> name.startsWith("master-key") || name.endsWith(".tmp"));
        }
    }

    @Test
    void start_onANewDataDirectory_createsTheMasterKeyFile_andLeavesNoTemporaryFile() throws Exception {
        node = start();

        assertThat(dataDir.resolve("master-key.json")).isNotEmptyFile();
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    // ---- secret files other users may read

    @Test
    void start_withSecretFilesOthersMayRead_warnsNamingEachFileAndTheFix() throws Exception {
        startedOnceBefore();
        log.list.clear();
        for (String name : new String[] {"master-key.json", "admin-credentials"}) {
            Files.setPosixFilePermissions(dataDir.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }

        node = start();

        assertThat(log.list).filteredOn(event -> event.getLevel() == Level.WARN)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactlyInAnyOrder(
                        "The master key file " + dataDir.resolve("master-key.json") + " is open to other users "
                                + "(rw-r--r--): it holds secrets, so make it readable by its owner only (chmod 600 "
                                + dataDir.resolve("master-key.json") + ")",
                        "The admin credentials file " + dataDir.resolve("admin-credentials") + " is open to other "
                                + "users (rw-r--r--): it holds secrets, so make it readable by its owner only "
                                + "(chmod 600 " + dataDir.resolve("admin-credentials") + ")");
    }

    @Test
    void start_withSecretFilesReadableByTheOwnerOnly_warnsOfNone() throws Exception {
        startedOnceBefore();
        log.list.clear();

        node = start();

        assertThat(log.list).noneMatch(event -> event.getFormattedMessage().contains("open to other users"));
    }
}
