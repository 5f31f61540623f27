package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;

class CachingIdentityStoreTest {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final JdbcIdentityStore database = TestStores.inMemory(TestStores.newMasterKey(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final CountingStore counting = new CountingStore(database);
    private final CachingIdentityStore cache = new CachingIdentityStore(counting, Duration.ofHours(1), 1000);

    /** The real store, counting the reads that reach it; one read can be held midway, as a slow query would be. */
    private static final class CountingStore extends ForwardingIdentityReader implements IdentityStore {
        final IdentityStore store;
        final AtomicInteger reads = new AtomicInteger();
        volatile CountDownLatch readDone;
        volatile CountDownLatch releaseRead;

        CountingStore(IdentityStore store) {
            this.store = store;
        }

        @Override
        protected <T> T read(Function<IdentityReader, T> work) {
            reads.incrementAndGet();
            T result = work.apply(store);
            CountDownLatch done = readDone;
            if (done != null) {
                readDone = null;
                done.countDown();
                await(releaseRead);
            }
            return result;
        }

        @Override
        public <T> T write(Function<IdentityWriter, T> transaction) {
            return store.write(transaction);
        }

        @Override
        public Optional<StoredKeyRing> loadKeyRing() {
            return store.loadKeyRing();
        }

        @Override
        public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
            return store.replaceKeyRing(wrapped, expectedVersion);
        }

        @Override
        public Optional<StoredKeyRing> loadSigningKeys() {
            return store.loadSigningKeys();
        }

        @Override
        public boolean replaceSigningKeys(byte[] wrapped, long expectedVersion) {
            return store.replaceSigningKeys(wrapped, expectedVersion);
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederation(String accountId) {
            reads.incrementAndGet();
            return store.findOutboundFederation(accountId);
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
            return store.findOutboundFederationByIssuerId(issuerId);
        }

        @Override
        public Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled,
                String newIssuerId) {
            return store.switchOutboundFederation(accountId, enabled, newIssuerId);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void createAccount() {
        cache.write(writer -> {
            writer.createAccount(new Account(ACCOUNT, NOW));
            return null;
        });
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private void createUser(String userId, String name) {
        cache.write(writer -> {
            writer.createUser(new User(ACCOUNT, userId, name, "/", NOW, Optional.empty(), List.of()));
            return null;
        });
    }

    @Test
    void findUser_twiceInAnyCase_readsTheStoreOnce() {
        createUser("AIDAEXAMPLE0000000001", "alice");

        assertThat(cache.findUser(ACCOUNT, "alice")).isPresent();
        assertThat(cache.findUser(ACCOUNT, "ALICE")).isPresent();

        assertThat(counting.reads).hasValue(1);
    }

    @Test
    void policiesOfAUserWithGroupsAndManagedPolicies_secondTimeReadNothing() {
        createUser("AIDAEXAMPLE0000000001", "alice");
        var group = new Group(ACCOUNT, "AGPAEXAMPLE0000000001", "admins", "/", NOW);
        ManagedPolicy administrator = cache.findManagedPolicy("aws", "AdministratorAccess").orElseThrow();
        cache.write(writer -> {
            writer.createGroup(group);
            writer.addUserToGroup(group.groupId(), "AIDAEXAMPLE0000000001");
            writer.attachPolicy(PolicyOwner.of(group), administrator.policyId());
            return null;
        });
        var policies = new IdentityPolicies(cache, new PolicyCache(100));
        User alice = cache.findUserById("AIDAEXAMPLE0000000001").orElseThrow();
        assertThat(policies.ofUser(alice)).hasSize(1);
        int readsOfFirstEvaluation = counting.reads.get();

        assertThat(policies.ofUser(alice)).hasSize(1);

        assertThat(counting.reads).hasValue(readsOfFirstEvaluation);
    }

    @Test
    void findAccessKey_unknown_cachesTheAbsence() {
        assertThat(cache.findAccessKey("AKIAEXAMPLE000000001")).isEmpty();
        assertThat(cache.findAccessKey("AKIAEXAMPLE000000001")).isEmpty();

        assertThat(counting.reads).hasValue(1);
    }

    @Test
    void write_dropsCachedAbsence_soTheNewUserIsFound() {
        assertThat(cache.findUser(ACCOUNT, "alice")).isEmpty();

        createUser("AIDAEXAMPLE0000000001", "alice");

        assertThat(cache.findUser(ACCOUNT, "alice")).isPresent();
    }

    @Test
    void invalidateAll_dropsEveryEntry_soAChangeMadeElsewhereIsSeen() {
        assertThat(cache.findUser(ACCOUNT, "alice")).isEmpty();
        database.write(writer -> {
            writer.createUser(new User(ACCOUNT, "AIDAEXAMPLE0000000001", "alice", "/", NOW, Optional.empty(),
                    List.of()));
            return null;
        });
        assertThat(cache.findUser(ACCOUNT, "alice")).as("still cached").isEmpty();

        cache.invalidateAll();

        assertThat(cache.findUser(ACCOUNT, "alice")).isPresent();
    }

    @Test
    void loadThatOverlapsAnInvalidation_isNotKept() {
        var loaded = new CountDownLatch(1);
        counting.releaseRead = new CountDownLatch(1);
        counting.readDone = loaded;
        // A read finds no alice, and is held before it can fill the cache...
        CompletableFuture<Optional<User>> slowRead = CompletableFuture.supplyAsync(
                () -> cache.findUser(ACCOUNT, "alice"));
        await(loaded);
        // ...while alice is created (here or on another node), which drops the caches...
        createUser("AIDAEXAMPLE0000000001", "alice");
        counting.releaseRead.countDown();

        // ...so its stale answer goes to its own caller only.
        assertThat(slowRead.join()).isEmpty();
        assertThat(cache.findUser(ACCOUNT, "alice")).isPresent();
    }

    @Test
    void keyRing_isAlwaysReadFromTheStore() {
        assertThat(cache.replaceKeyRing(new byte[] {1}, 0)).isTrue();
        assertThat(cache.loadKeyRing().orElseThrow().wrapped()).containsExactly(1);
        assertThat(cache.replaceKeyRing(new byte[] {2}, 1)).isTrue();

        assertThat(cache.loadKeyRing().orElseThrow().wrapped()).containsExactly(2);
    }
}
