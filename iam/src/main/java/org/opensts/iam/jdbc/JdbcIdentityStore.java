package org.opensts.iam.jdbc;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.opensts.iam.BucketPolicyStore;
import org.opensts.iam.ForwardingIdentityReader;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.IdentityWriter;
import org.opensts.iam.OutboundFederation;
import org.opensts.iam.StoredKeyRing;
import org.opensts.protocol.CallExecutor;
import org.opensts.token.MasterKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity store on a JDBC database. Each read borrows a pooled connection in autocommit mode; each
 * {@link #write} runs in one transaction that has committed when the method returns.
 *
 * <p>Write transactions run at READ COMMITTED and lock every entity they look up (see {@link JdbcSession}), so two
 * writes that read and then rewrite the same user, role, policy or provider take turns instead of the later one
 * silently undoing the earlier; a write that waits for a lock longer than {@link StoreSettings#lockTimeout()}, or that
 * the database picks to break a deadlock, fails with IAM's {@code ConcurrentModification}, which SDKs retry.
 *
 * <p>On PostgreSQL several nodes may share one store: every write announces itself to the other nodes when it commits
 * (see {@link #listenForChanges}). The embedded H2 store serves one node only and announces nothing.
 */
public final class JdbcIdentityStore extends ForwardingIdentityReader implements IdentityStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcIdentityStore.class);
    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final FailFastDataSource dataSource;
    private final MasterKey masterKey;
    private final Clock clock;
    /** Forces the embedded store's writes to the disk before they are answered; null for PostgreSQL. */
    private final EmbeddedCommitSync commitSync;
    private final List<PostgresChangeFeed> changeFeeds = new ArrayList<>();
    /** The advisory lock's key for applying a bootstrap file: the first 8 bytes of SHA-256("opensts:bootstrap"). */
    private static final long BOOTSTRAP_LOCK_KEY = 0x64eff6844672cd23L;
    /** How long a starting node waits for another that is applying its bootstrap file. */
    static final Duration BOOTSTRAP_LOCK_PATIENCE = Duration.ofMinutes(10);
    /** How long the breaker's probe waits on PostgreSQL before it counts it as unreachable. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * A read whose connection broke within this time of being lent is run again (see {@link #inSession}): a
     * connection that was dead when lent fails at its first statement.
     */
    private static final long STALE_CONNECTION_NANOS = Duration.ofSeconds(1).toNanos();
    /**
     * How many times a read is run at most when each connection it is lent was dead: twice would serve one restart of
     * the database (or of a proxy in front of it), and three times serve a second one that ends the connections the
     * first one's eviction brought while the read is retried.
     */
    private static final int MAX_READ_ATTEMPTS = 3;
    /** How many exceptions {@link #failureReason} looks through at most: H2's chains reach a few dozen. */
    private static final int MAX_FAILURES_LOOKED_AT = 256;
    /** {@link System#nanoTime} when the pool's idle connections were last evicted ({@link #evictIdleConnections}). */
    private final AtomicLong lastEviction = new AtomicLong(System.nanoTime());
    /**
     * {@link System#nanoTime} when the embedded database was found failed as a whole (see
     * {@link StoreException#isEmbeddedDatabaseFailure}), null once a statement succeeded since: such a failure comes
     * from a connection already lent, which the breaker does not count, yet it is an outage of the whole store.
     */
    private final AtomicReference<Long> embeddedFailedSince = new AtomicReference<>();

    private JdbcIdentityStore(StoreSettings settings, HikariDataSource pool, MasterKey masterKey, Clock clock) {
        this.settings = settings;
        this.pool = pool;
        this.dataSource = new FailFastDataSource(pool, reachability(settings), FailFastDataSource.DEFAULT_WINDOW,
                System::nanoTime);
        this.masterKey = masterKey;
        this.clock = clock;
        this.commitSync = settings.isEmbeddedFile() ? new EmbeddedCommitSync() : null;
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
        // Hikari waits 30 s for a connection by default, and a call waiting so holds its operations thread; see
        // StoreSettings.connectionTimeout(). A pooled connection idle for a while is checked before it is lent, in at
        // most half that time, so that a dead one leaves time to open another.
        long connectionTimeoutMillis = settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setValidationTimeout(Math.max(250, connectionTimeoutMillis / 2));
        long lockTimeoutMillis = settings.lockTimeout().toMillis();
        config.setConnectionInitSql(settings.isPostgres()
                ? "SET lock_timeout = " + lockTimeoutMillis
                : "SET LOCK_TIMEOUT " + lockTimeoutMillis);
        if (settings.isPostgres()) {
            config.addDataSourceProperty("ApplicationName", "opensts");
            // The driver's read timeout, in seconds; one the URL names (socketTimeout=...) takes precedence.
            config.addDataSourceProperty("socketTimeout", String.valueOf(settings.responseTimeout().toSeconds()));
        } else {
            // H2 closes its database when a write to the file fails; its connections must go for it to be reopened.
            config.setExceptionOverride(new H2FailureEviction());
        }
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("Cannot open the identity store at " + settings.describe() + ": "
                    + failureReason(e, /* embedded= */ !settings.isPostgres()), e);
        }
        try {
            requireKeyRingOpens(dataSource, masterKey);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        try {
            migrate(dataSource);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("Cannot migrate the identity store at " + settings.describe() + ": "
                    + failureReason(e, /* embedded= */ !settings.isPostgres()), e);
        }
        return new JdbcIdentityStore(settings, dataSource, masterKey, clock);
    }

    /**
     * The breaker's probe's own check of PostgreSQL: a fresh connection outside the pool, closed at once, that fails
     * within about a second however the database is down (the pool would keep a caller waiting its whole connection
     * timeout). An embedded database needs none.
     */
    private static FailFastDataSource.Reachability reachability(StoreSettings settings) {
        if (!settings.isPostgres()) {
            return FailFastDataSource.Reachability.NONE;
        }
        String probeTimeoutSeconds = String.valueOf(PROBE_TIMEOUT.toSeconds());
        return () -> {
            var properties = new Properties();
            settings.username().ifPresent(user -> properties.setProperty("user", user));
            settings.password().ifPresent(password -> properties.setProperty("password", password.revealUtf8()));
            properties.setProperty("ApplicationName", "opensts");
            // loginTimeout bounds the whole attempt (connect, TLS, authentication), even when the URL names longer
            // connectTimeout or socketTimeout values, which take precedence over these.
            properties.setProperty("loginTimeout", probeTimeoutSeconds);
            properties.setProperty("connectTimeout", probeTimeoutSeconds);
            properties.setProperty("socketTimeout", probeTimeoutSeconds);
            try (Connection probe = DriverManager.getConnection(settings.jdbcUrl(), properties)) {
                // Connected and authenticated: the database can be reached.
            }
        };
    }

    /** The stored session key ring does not open with the master key a node was given; see {@link #open}. */
    public static final class MasterKeyMismatchException extends StoreException {
        private static final long serialVersionUID = 1L;

        MasterKeyMismatchException(Throwable cause) {
            super("The stored session key ring does not open with this master key", cause);
        }
    }

    /**
     * Before anything is written, migrations included: a node given another master key than the store's stops here,
     * so that it can neither migrate a shared store's schema nor seal secrets that no other node could open. A store
     * without a key ring (or without its table yet) is a new one, which this node's key will own.
     *
     * @throws MasterKeyMismatchException if the stored ring does not open with {@code masterKey}
     */
    private static void requireKeyRingOpens(DataSource dataSource, MasterKey masterKey) {
        byte[] wrapped;
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT wrapped FROM key_ring WHERE ring_id = 1")) {
                if (!row.next()) {
                    return;
                }
                wrapped = row.getBytes(1);
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("42")) {
                    return; // no such table: a store no migration has run on yet
                }
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
        try {
            masterKey.unwrap(wrapped);
        } catch (GeneralSecurityException e) {
            throw new MasterKeyMismatchException(e);
        }
    }

    /**
     * Brings the schema to this build's version, saying so in the log when it moves. A schema that a newer release
     * has migrated further is refused: this build would read its tables without what the newer migrations added
     * (an instance profile's role, an account alias) and answer wrongly, or fail, where it should not; Flyway alone
     * would only warn. A newer copy of the AWS managed policy catalog is data this build reads as it is, and not a
     * reason to refuse.
     *
     * @throws StoreException if the schema is newer than this build's
     */
    static void migrate(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .javaMigrations(javaMigrations(AwsManagedPolicyMigration.CATALOG_VERSIONS))
                .loggers("slf4j")
                .load();
        List<String> future = Arrays.stream(flyway.info().applied())
                .filter(migration -> (migration.getState() == MigrationState.FUTURE_SUCCESS
                        || migration.getState() == MigrationState.FUTURE_FAILED)
                        && !migration.getDescription().equals(AwsManagedPolicyMigration.DESCRIPTION))
                .map(migration -> migration.getVersion() + " (" + migration.getDescription() + ")")
                .toList();
        if (!future.isEmpty()) {
            throw new StoreException("The store has been migrated by a newer OpenSTS than this one, which does not"
                    + " know its migrations " + String.join(", ", future) + ". Run that release or a newer one, or"
                    + " restore a backup taken before the upgrade.", null);
        }
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Migrated the store's schema from version {} to {} ({} migrations)",
                    Objects.requireNonNullElse(result.initialSchemaVersion, "none"), result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
    }

    /** The migrations written in Java, with the AWS managed policy catalog shipped at {@code catalogVersions}. */
    static JavaMigration[] javaMigrations(List<String> catalogVersions) {
        return Stream.concat(AwsManagedPolicyMigration.forVersions(catalogVersions).stream(),
                Stream.of(new NameOrderMigration())).toArray(JavaMigration[]::new);
    }

    /**
     * The pool, for tests and tools that run SQL of their own; while the database cannot be reached it refuses
     * connections at once for a moment at a time (see {@link FailFastDataSource}), a failure that
     * {@link StoreException#from} makes a {@link StoreException.UnavailableException}.
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * Whether the database was reachable when last tried: false from a failure to reach it until a probe reaches it
     * again, while calls that need it are refused at once (see {@link FailFastDataSource}), and from a failure of the
     * embedded database as a whole (closed after a write to its file failed) until a statement succeeds again.
     */
    public boolean isReachable() {
        return !dataSource.isOpen() && embeddedFailedSince.get() == null;
    }

    /** Notes a failure of a lent connection: for the embedded database's failure as a whole, an outage begins. */
    private void failedInUse(StoreException.UnavailableException failure) {
        if (failure.getCause() instanceof SQLException cause && StoreException.isEmbeddedDatabaseFailure(cause)
                && embeddedFailedSince.compareAndSet(null, System.nanoTime())) {
            LOG.warn("The identity store's database failed; calls that need it are answered ServiceUnavailable, and "
                    + "its connections are replaced, so that the next ones open it again: {}", cause.getMessage());
        }
    }

    /** Ends an outage that {@link #failedInUse} began, if there is one: a statement succeeded. */
    private void succeeded() {
        if (embeddedFailedSince.get() != null) {
            Long since = embeddedFailedSince.getAndSet(null);
            if (since != null) {
                LOG.info("The identity store's database is used again, after {} ms",
                        Duration.ofNanos(System.nanoTime() - since).toMillis());
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>On PostgreSQL the transaction also announces the change, so every node listening with
     * {@link #listenForChanges} hears of it once it has committed, and never if it rolls back.
     */
    @Override
    public <T> T write(Function<IdentityWriter, T> transaction) {
        try {
            return inTransaction(transaction::apply, result -> true);
        } catch (StoreException.ConflictException e) {
            throw IdentityStore.concurrentModification();
        }
    }

    /**
     * {@inheritDoc} Not announced: other nodes cache nothing that a usage record changes. A lock it cannot take in
     * time is {@code ConcurrentModification}, as for {@link #write}, not a server error.
     */
    @Override
    public <T> T recordUse(Function<IdentityWriter, T> transaction) {
        try {
            return inTransaction(transaction::apply, result -> false);
        } catch (StoreException.ConflictException e) {
            throw IdentityStore.concurrentModification();
        }
    }

    /**
     * Runs {@code work} in one transaction, announcing the change on PostgreSQL, and forcing it to the disk on the
     * embedded store, if {@code changed} says so. A
     * connection that breaks in use fails this call only, as in {@link #inSession}.
     */
    private <T> T inTransaction(Function<JdbcSession, T> work, Predicate<T> changed) {
        return CallExecutor.blocking(() -> {
            boolean connected = false;
            long lentAt = 0;
            try (Connection connection = dataSource.getConnection()) {
                connected = true;
                lentAt = System.nanoTime();
                connection.setAutoCommit(false);
                Throwable failure = null;
                try {
                    T result = work.apply(new JdbcSession(connection, masterKey, /* lockOnRead= */ true));
                    boolean changes = changed.test(result);
                    if (settings.isPostgres() && changes) {
                        PostgresChangeFeed.announce(connection);
                    }
                    connection.commit();
                    if (commitSync != null && changes) {
                        // Usage records (recordUse) are not forced: losing the last seconds of them loses no change.
                        commitSync.afterCommit(connection);
                    }
                    succeeded();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    failure = e;
                    rollbackQuietly(connection, e);
                    throw e;
                } finally {
                    try {
                        connection.setAutoCommit(true);
                    } catch (SQLException restore) {
                        // On a connection the failure broke (a read timeout), this fails too: the failure is the news.
                        if (failure == null) {
                            throw restore;
                        }
                        failure.addSuppressed(restore);
                    }
                }
            } catch (SQLException e) {
                throw replacingBrokenConnections(StoreException.from(e), connected, lentAt);
            } catch (StoreException.UnavailableException e) {
                throw replacingBrokenConnections(e, connected, lentAt);
            }
        });
    }

    /**
     * Returns {@code failure}, having first evicted the pool's idle connections if it is a connection that broke in
     * use (closed or reset, or its embedded database closed, which also counts as an outage until a statement
     * succeeds: see {@link #isReachable}): see {@link #inSession}. A write is not tried again: its commit may have been
     * under way.
     */
    private StoreException replacingBrokenConnections(StoreException failure, boolean connected, long lentAt) {
        if (connected && failure instanceof StoreException.UnavailableException unavailable) {
            failedInUse(unavailable);
            if (unavailable.connectionBroke()) {
                evictIdleConnections(unavailable, lentAt);
            }
        }
        return failure;
    }

    /**
     * Has the pool replace its idle connections, unless they were replaced after the broken connection was lent
     * ({@code lentAt}, a {@link System#nanoTime}): when a database restarts under many calls, each finds its
     * connection broken, and the first eviction serves them all (another would also evict the fresh connections it
     * brought), while a connection lent after the last eviction broke for a reason that eviction could not have dealt
     * with, such as a second restart within the second.
     */
    private void evictIdleConnections(StoreException.UnavailableException cause, long lentAt) {
        long last = lastEviction.get();
        if (lentAt - last > 0 && lastEviction.compareAndSet(last, System.nanoTime())) {
            LOG.info("A store connection was closed or reset in use, or its database closed; the pool's idle "
                    + "connections are replaced: {}", cause.getMessage());
            pool.getHikariPoolMXBean().softEvictConnections();
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

    /**
     * Runs {@code work}, a read, on a connection of its own. A connection that breaks in use fails this call ({@link
     * StoreException.UnavailableException}) but not the others: only a failure to obtain a connection opens the
     * breaker (see {@link FailFastDataSource}). On a call's thread, a spare thread takes the call's place while it
     * waits on the database ({@link CallExecutor#blocking}), as in {@link #inTransaction}.
     *
     * <p>A connection closed or reset under the read (not one that timed out) is seldom the only one: a database or a
     * proxy in front of it that restarted ended all of the pool's, and the pool lends a connection used within the last
     * half second without checking it. So the pool's idle connections are evicted, and a read whose connection broke
     * within a second of being lent (it was dead when lent) is run again on a fresh connection, which it changed
     * nothing on, up to {@link #MAX_READ_ATTEMPTS} times in all; without that, each dead connection failed one more
     * call. A read that broke later is not run again, so that no call waits on the store twice. The same holds for
     * the embedded database closed under the pool (after a failed write): every connection the pool holds is on the
     * closed database, and the fresh one opens it again.
     */
    private <T> T inSession(Function<JdbcSession, T> work) {
        return CallExecutor.blocking(() -> {
            for (int attempt = 1; ; attempt++) {
                boolean connected = false;
                long lentAt = 0;
                try (Connection connection = dataSource.getConnection()) {
                    connected = true;
                    lentAt = System.nanoTime();
                    T result = work.apply(new JdbcSession(connection, masterKey, /* lockOnRead= */ false));
                    succeeded();
                    return result;
                } catch (SQLException e) {
                    throw StoreException.from(e);
                } catch (StoreException.UnavailableException e) {
                    boolean wasStale = connected && e.connectionBroke()
                            && System.nanoTime() - lentAt < STALE_CONNECTION_NANOS;
                    replacingBrokenConnections(e, connected, lentAt);
                    if (attempt == MAX_READ_ATTEMPTS || !wasStale) {
                        throw e;
                    }
                }
            }
        });
    }

    @Override
    public Optional<StoredKeyRing> loadKeyRing() {
        return inSession(JdbcSession::loadKeyRing).map(ring -> new StoredKeyRing(ring.wrapped(), ring.version()));
    }

    /** {@inheritDoc} A lost compare-and-set changes nothing, so it announces nothing either. */
    @Override
    public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
        try {
            return inTransaction(session -> session.replaceKeyRing(wrapped, expectedVersion, clock.millis()),
                    replaced -> replaced);
        } catch (StoreException.DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public Optional<StoredKeyRing> loadSigningKeys() {
        return inSession(JdbcSession::loadSigningKeys).map(keys -> new StoredKeyRing(keys.wrapped(), keys.version()));
    }

    /** {@inheritDoc} A lost compare-and-set changes nothing, so it announces nothing either. */
    @Override
    public boolean replaceSigningKeys(byte[] wrapped, long expectedVersion) {
        try {
            return inTransaction(session -> session.replaceSigningKeys(wrapped, expectedVersion, clock.millis()),
                    replaced -> replaced);
        } catch (StoreException.DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public Optional<OutboundFederation> findOutboundFederation(String accountId) {
        return inSession(session -> session.findOutboundFederation(accountId));
    }

    @Override
    public Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
        return inSession(session -> session.findOutboundFederationByIssuerId(issuerId));
    }

    /** {@inheritDoc} Two nodes enabling at once: the one that loses the insert sees it already enabled. */
    @Override
    public Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled,
            String newIssuerId) {
        try {
            return inTransaction(session -> session.switchOutboundFederation(accountId, enabled, newIssuerId,
                    clock.millis()), Optional::isPresent);
        } catch (StoreException.DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    /**
     * The bucket policies of the S3 gateway, in this store's database; on PostgreSQL their changes are announced like
     * every other write, so {@link #listenForChanges} hears of them too.
     */
    public BucketPolicyStore bucketPolicies() {
        return new JdbcBucketPolicyStore(dataSource, settings.isPostgres(), commitSync, clock);
    }

    /**
     * Calls {@code listener} whenever a write through any store on this database, on this node or another, may have
     * changed what it holds; a node drops its caches and reloads its session key ring there. On PostgreSQL the store
     * listens on a connection and a daemon thread of its own until {@link #close}: the listener runs on that thread,
     * once as soon as the store listens, again after each reconnection (changes made while it did not listen are not
     * announced), and within moments of every committed write. On the embedded store, which serves a single node, it
     * is never called. It should be quick; what it throws is logged and ignored.
     */
    public void listenForChanges(Runnable listener) {
        requireNonNull(listener, "listener");
        if (settings.isPostgres()) {
            synchronized (changeFeeds) {
                changeFeeds.add(PostgresChangeFeed.start(settings, listener));
            }
        }
    }

    /** Work done while holding a lock of the store; see {@link #whileApplyingBootstrap}. */
    @FunctionalInterface
    public interface LockedWork<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} (a node applying its bootstrap file) while no other node of this store does: on PostgreSQL
     * nodes that start together apply their files one after the other, each reading what the one before it wrote, so
     * that the same file applied by several nodes at once ends as it does applied twice in a row (no entity created
     * twice, one generated key where the file asks for one). A node waits at most {@link #BOOTSTRAP_LOCK_PATIENCE}.
     * The embedded store belongs to one process and needs no lock.
     *
     * @throws StoreException if the database cannot be reached, or another node held the lock all that time
     */
    public <T, E extends Exception> T whileApplyingBootstrap(LockedWork<T, E> work) throws E {
        requireNonNull(work, "work");
        if (!settings.isPostgres()) {
            return work.run();
        }
        try (var lock = PostgresAdvisoryLock.acquire(settings, BOOTSTRAP_LOCK_KEY, "applying its bootstrap file",
                BOOTSTRAP_LOCK_PATIENCE)) {
            return work.run();
        }
    }

    /** Stops listening for changes and closes the pool; writes in progress may fail. */
    @Override
    public void close() {
        synchronized (changeFeeds) {
            changeFeeds.forEach(PostgresChangeFeed::close);
            changeFeeds.clear();
        }
        pool.close();
    }

    /**
     * One line on why {@code e} happened, for a store that cannot be opened or migrated: the file-system failure
     * under it, if any, with the system's reason ({@code /data/opensts.mv.db (Permission denied)}, {@code No space left
     * on device}), else the message of its innermost cause. The file-system failure is looked for among the causes and
     * what they suppressed too: once a write has failed, H2 goes on with "This store is closed", the disk's answer
     * being only in the failure that closed it. Only for the {@code embedded} store: a PostgreSQL driver's own message
     * ("Connection to db:5432 refused") says more than the socket's under it. Nothing here holds a password: drivers
     * put none in their messages.
     */
    static String failureReason(Throwable e, boolean embedded) {
        IOException io = embedded ? fileSystemFailure(e) : null;
        if (io != null) {
            return describe(io);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** The first I/O failure among {@code e}, its causes and what they suppressed, looked at breadth first. */
    private static IOException fileSystemFailure(Throwable e) {
        var seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        var next = new ArrayDeque<Throwable>(List.of(e));
        while (!next.isEmpty() && seen.size() < MAX_FAILURES_LOOKED_AT) {
            Throwable failure = next.removeFirst();
            if (!seen.add(failure)) {
                continue;
            }
            if (failure instanceof IOException io) {
                return io;
            }
            if (failure.getCause() != null) {
                next.addLast(failure.getCause());
            }
            next.addAll(Arrays.asList(failure.getSuppressed()));
        }
        return null;
    }

    /**
     * {@code e} in a line with the system's reason: a {@link FileSystemException}'s message is only the path (an
     * {@link AccessDeniedException} has no reason at all), so the reason its type stands for is added.
     */
    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException denied) {
            return denied.getFile() + " (Permission denied)";
        }
        if (e instanceof NoSuchFileException missing) {
            return missing.getFile() + " (No such file or directory)";
        }
        if (e instanceof NotDirectoryException notDirectory) {
            return notDirectory.getFile() + " (Not a directory)";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getFile() + " (" + fileSystem.getReason() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
