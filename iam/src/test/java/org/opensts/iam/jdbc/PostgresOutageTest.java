package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.Account;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.TestPostgres;
import org.opensts.iam.TestStores;
import org.opensts.iam.testing.FreezableTcpProxy;

/**
 * A PostgreSQL store, behind the node's cache, whose database stops or goes silent: concurrent reads of one key all
 * fail as {@link StoreException.UnavailableException} (the server's {@code ServiceUnavailable}) instead of queuing
 * behind each other, each waiting for the pool in turn; once the database is back, the store serves again by itself.
 */
class PostgresOutageTest {
    /** Far above what the store takes to give up (a few seconds here), far below the waits it used to add up to. */
    private static final Duration BOUND = Duration.ofSeconds(40);
    private static final String ACCESS_KEY = "AKIAOUTAGEEXAMPLE001";
    private static final int CALLERS = 16;

    private FreezableTcpProxy proxy;
    private JdbcIdentityStore store;
    private CachingIdentityStore cache;
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);

    @BeforeEach
    void openThroughProxy() throws Exception {
        StoreSettings direct = TestPostgres.newDatabase();
        URI server = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
        proxy = FreezableTcpProxy.to(server.getHost(), server.getPort());
        String viaProxy = direct.jdbcUrl().replace(server.getHost() + ":" + server.getPort(),
                "127.0.0.1:" + proxy.port());
        // A 2-second read timeout, so that a frozen database fails calls soon; the pool's wait follows it.
        var settings = new StoreSettings(viaProxy, direct.username(), direct.password(), 3, Duration.ofSeconds(2));
        store = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), Clock.systemUTC());
        cache = new CachingIdentityStore(store, Duration.ofSeconds(10), 1000);
        store.listAccounts();
    }

    @AfterEach
    void close() throws Exception {
        callers.shutdownNow();
        store.close();
        proxy.close();
    }

    @Test
    void concurrentReadsOfOneKey_whileTheDatabaseIsStopped_allFailUnavailable_andTheStoreRecovers() throws Exception {
        proxy.stop();

        assertTimeoutPreemptively(BOUND, () -> assertThat(readConcurrently())
                .hasSize(CALLERS).allMatch(StoreException.UnavailableException.class::isInstance));

        proxy.start();
        assertThat(PostgresOutages.firstSuccess(() -> cache.findAccessKey(ACCESS_KEY), BOUND)).isEmpty();
        assertThat(store.listAccounts()).isNotNull();
    }

    @Test
    void concurrentReadsOfOneKey_whileTheDatabaseIsFrozen_allFailUnavailable_andTheStoreRecovers() throws Exception {
        proxy.freeze();

        assertTimeoutPreemptively(BOUND, () -> assertThat(readConcurrently())
                .hasSize(CALLERS).allMatch(StoreException.UnavailableException.class::isInstance));

        proxy.thaw();
        assertThat(PostgresOutages.firstSuccess(() -> cache.findAccessKey(ACCESS_KEY), BOUND)).isEmpty();
    }

    @Test
    void callsOfOtherKeys_whileTheDatabaseIsDown_failAtOnceInsteadOfEachWaitingForThePool() throws Exception {
        proxy.stop();
        assertTimeoutPreemptively(BOUND, () -> readConcurrently());

        // The first failure opened the breaker: these are refused without a connection being asked for; had they
        // waited for the pool, the preemptive bound would end the test.
        assertTimeoutPreemptively(BOUND, () -> {
            for (int i = 0; i < 100; i++) {
                String other = String.format("AKIAOUTAGEOTHER%05d", i);
                assertThat(failureOf(() -> cache.findAccessKey(other)))
                        .isInstanceOf(StoreException.UnavailableException.class);
            }
        });
    }

    @Test
    void probeOfAStoppedDatabase_failsOnItsOwnConnectionAttempt_notAfterThePoolsTimeout() throws Exception {
        proxy.stop();
        // Calls on the pool's dropped connections fail each on its own; the first request for a new one opens the
        // breaker, and calls are refused without trying.
        assertTimeoutPreemptively(BOUND, () -> {
            while (!((StoreException.UnavailableException) failureOf(store::listAccounts)).refusedWithoutTrying()) {
                Thread.sleep(50);
            }
        });

        // Once the window has passed, one call probes: it is refused by the database itself, not by a pool that kept
        // it waiting its whole connection timeout (the pool's timeout is an SQLTransientConnectionException).
        StoreException.UnavailableException probe = assertTimeoutPreemptively(BOUND, () -> {
            while (true) {
                var failure = (StoreException.UnavailableException) failureOf(store::listAccounts);
                if (!failure.refusedWithoutTrying()) {
                    return failure;
                }
                Thread.sleep(50);
            }
        });
        assertThat(probe.getCause()).isNotInstanceOf(SQLTransientConnectionException.class);
        assertThat(((FailFastDataSource) store.dataSource()).isOpen()).isTrue();

        proxy.start();
        assertThat(PostgresOutages.firstSuccess(store::listAccounts, BOUND)).isNotNull();
    }

    @Test
    void poolsConnectionsDropped_underReads_failAtMostThoseReads_andNoWindowOfRefusalsFollows() throws Exception {
        var inUse = new ArrayList<CompletableFuture<Throwable>>();
        // Three calls at once, so that the pool holds three connections to drop.
        var holding = new CountDownLatch(3);
        var release = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            inUse.add(CompletableFuture.supplyAsync(() -> failureOf(() -> store.read(reader -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return reader.listAccounts();
            })), callers));
        }
        holding.await();

        // What a proxy restart, pg_terminate_backend or an idle-connection reaper does: the database stays up.
        proxy.stop();
        proxy.start();
        release.countDown();
        // Each read either broke within a second of getting its connection and was run again on a fresh one, or
        // failed as unavailable; none failed otherwise.
        for (var call : inUse) {
            Throwable outcome = call.get();
            if (outcome != null) {
                assertThat(outcome).isInstanceOf(StoreException.UnavailableException.class);
            }
        }

        // No window of refusals follows: the next calls get new connections.
        assertThat(((FailFastDataSource) store.dataSource()).isOpen()).isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(store.listAccounts()).isNotNull();
        }
    }

    @Test
    void poolsIdleConnectionsDropped_theNextReadsAndWritesSucceed_withoutOneFailurePerDeadConnection()
            throws Exception {
        assertThat(readsAfterEveryConnectionDropped()).containsOnlyNulls();
        store.write(writer -> {
            writer.createAccount(new Account("210987654321", Instant.parse("2026-12-07T00:00:00Z")));
            return null;
        });
        assertThat(store.listAccounts()).extracting(Account::accountId).contains("210987654321");
    }

    @Test
    void poolsConnectionsDroppedAgainSoonAfter_theReadsAfterEachDropSucceed() throws Exception {
        for (int drop = 1; drop <= 2; drop++) {
            // The second time within a second of the first: the connections the first drop's eviction brought are
            // the ones dropped now, and they must be replaced too.
            assertThat(readsAfterEveryConnectionDropped()).as("reads after drop %d", drop).containsOnlyNulls();
        }
    }

    @Test
    void poolsConnectionsDroppedAgainWhileAReadIsRetried_theReadSucceedsOnItsThirdConnection() {
        var attempts = new ArrayList<Integer>();

        List<Account> accounts = store.read(reader -> {
            // Each of the first two attempts finds its connection, and the pool's idle ones, ended under it: the
            // second by a restart that followed the first's eviction, as two restarts a few hundred ms apart do.
            attempts.add(attempts.size() + 1);
            if (attempts.size() <= 2) {
                proxy.stop();
                proxy.start();
            }
            return reader.listAccounts();
        });

        assertThat(accounts).isNotNull();
        assertThat(attempts).containsExactly(1, 2, 3);
    }

    /**
     * Drops the pool's connections as a proxy restart does, the database staying up, once they were all used (see
     * {@link #useEveryConnectionAtOnce}), and returns what each of six reads after it threw (null for a value).
     */
    private List<Throwable> readsAfterEveryConnectionDropped() throws Exception {
        useEveryConnectionAtOnce();
        proxy.stop();
        proxy.start();
        var failures = new ArrayList<Throwable>();
        for (int i = 0; i < 6; i++) {
            failures.add(failureOf(store::listAccounts));
        }
        return failures;
    }

    /**
     * Has the pool's three connections used at once and returned to it: it lends them again within half a second of
     * their last use without checking them.
     */
    private void useEveryConnectionAtOnce() throws Exception {
        var holding = new CountDownLatch(3);
        var reads = new ArrayList<CompletableFuture<Throwable>>();
        for (int i = 0; i < 3; i++) {
            reads.add(CompletableFuture.supplyAsync(() -> failureOf(() -> store.read(reader -> {
                holding.countDown();
                try {
                    holding.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return reader.listAccounts();
            })), callers));
        }
        for (var read : reads) {
            assertThat(read.get()).isNull();
        }
    }

    /** What each of {@link #CALLERS} concurrent reads of {@link #ACCESS_KEY} threw (null for a value). */
    private List<Throwable> readConcurrently() throws Exception {
        var start = new CountDownLatch(1);
        var outcomes = new ArrayList<CompletableFuture<Throwable>>();
        for (int i = 0; i < CALLERS; i++) {
            outcomes.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return e;
                }
                return failureOf(() -> cache.findAccessKey(ACCESS_KEY));
            }, callers));
        }
        start.countDown();
        var failures = new ArrayList<Throwable>();
        for (var outcome : outcomes) {
            failures.add(outcome.get());
        }
        return failures;
    }

    private static Throwable failureOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
