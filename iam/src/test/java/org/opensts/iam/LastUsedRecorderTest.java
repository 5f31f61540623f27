package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.jdbc.JdbcIdentityStore;

class LastUsedRecorderTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final LastUsedRecorder<RoleLastUsed> recorder = LastUsedRecorder.forRoles();
    private final Role role;

    LastUsedRecorderTest() {
        iam.accounts().createAccount(ACCOUNT);
        role = iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private RoleLastUsed at(long secondsLater, String region) {
        return new RoleLastUsed(clock.instant().plusSeconds(secondsLater), region);
    }

    @Test
    void record_touchesNoStore_andFlushWritesTheLatestUseOnce() {
        recorder.record(role.roleId(), at(10, "us-east-1"));
        recorder.record(role.roleId(), at(30, "eu-west-1"));
        recorder.record(role.roleId(), at(20, "ap-south-1"));

        assertThat(store.findRoleLastUsed(role.roleId())).isEmpty();
        assertThat(recorder.pendingCount()).isEqualTo(1);

        assertThat(recorder.flush(store)).isEqualTo(1);
        assertThat(store.findRoleLastUsed(role.roleId())).contains(at(30, "eu-west-1"));
        assertThat(recorder.pendingCount()).isZero();
        assertThat(recorder.flush(store)).as("nothing new to write").isZero();
    }

    @Test
    void flush_ofAnOlderUse_neverMovesTheStoredDateBack() {
        recorder.record(role.roleId(), at(60, "eu-west-1"));
        recorder.flush(store);

        // Another node, slower to flush, reports an earlier use.
        recorder.record(role.roleId(), at(30, "us-east-1"));
        recorder.flush(store);

        assertThat(store.findRoleLastUsed(role.roleId())).contains(at(60, "eu-west-1"));
    }

    @Test
    void flush_ofARoleDeletedMeanwhile_writesNothingAndFailsNothing() {
        recorder.record("AROADELETEDROLE000000", at(10, "us-east-1"));

        assertThat(recorder.flush(store)).isEqualTo(1);
        assertThat(store.findRoleLastUsed("AROADELETEDROLE000000")).isEmpty();
    }

    @Test
    void flush_thatFails_keepsTheUsesForTheNextFlush() {
        recorder.record(role.roleId(), at(10, "us-east-1"));
        IdentityStore broken = new FailingStore(store);

        assertThatThrownBy(() -> recorder.flush(broken)).isInstanceOf(IllegalStateException.class);
        recorder.record(role.roleId(), at(5, "sa-east-1"));
        recorder.flush(store);

        assertThat(store.findRoleLastUsed(role.roleId())).contains(at(10, "us-east-1"));
    }

    @Test
    void record_fromManyThreads_keepsTheLatestOfAll() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        var start = new CountDownLatch(1);
        try {
            for (int thread = 0; thread < 4; thread++) {
                int offset = thread;
                threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 1000; i++) {
                        recorder.record(role.roleId(), at(i * 4L + offset, "region-" + offset));
                    }
                    return null;
                });
            }
            start.countDown();
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        recorder.flush(store);

        assertThat(store.findRoleLastUsed(role.roleId())).contains(at(3999, "region-3"));
    }

    @Test
    void forAccessKeys_writesAccessKeyUses() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        String accessKeyId = iam.users().createAccessKey(ACCOUNT, "alice").accessKey().accessKeyId();
        LastUsedRecorder<AccessKeyLastUsed> keys = LastUsedRecorder.forAccessKeys();
        var use = new AccessKeyLastUsed(clock.instant(), "us-east-1", "sts");

        keys.record(accessKeyId, use);
        keys.flush(store);

        assertThat(store.findAccessKeyLastUsed(accessKeyId)).contains(use);
    }

    /** A store whose writes fail, as a store that lost its database does. */
    private static final class FailingStore extends ForwardingIdentityReader implements IdentityStore {
        private final IdentityStore delegate;

        FailingStore(IdentityStore delegate) {
            this.delegate = delegate;
        }

        @Override
        protected <T> T read(Function<IdentityReader, T> work) {
            return work.apply(delegate);
        }

        @Override
        public <T> T write(Function<IdentityWriter, T> transaction) {
            throw new IllegalStateException("the database is gone");
        }

        @Override
        public Optional<StoredKeyRing> loadKeyRing() {
            return Optional.empty();
        }

        @Override
        public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
            return false;
        }

        @Override
        public Optional<StoredKeyRing> loadSigningKeys() {
            return Optional.empty();
        }

        @Override
        public boolean replaceSigningKeys(byte[] wrapped, long expectedVersion) {
            return false;
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederation(String accountId) {
            return Optional.empty();
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
            return Optional.empty();
        }

        @Override
        public Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled,
                String newIssuerId) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
