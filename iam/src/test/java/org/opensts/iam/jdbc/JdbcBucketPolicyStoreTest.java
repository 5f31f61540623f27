package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.iam.BucketPolicy;
import org.opensts.iam.BucketPolicyStore;
import org.opensts.iam.CachingBucketPolicyStore;
import org.opensts.iam.TestStores;
import org.opensts.token.MasterKey;

class JdbcBucketPolicyStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-06T07:00:00Z");
    private static final String ACCOUNT = "123456789012";
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final MasterKey masterKey = TestStores.newMasterKey();

    @Test
    void put_thenFind_returnsTheDocumentItsOwnerAndTime() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            BucketPolicyStore policies = store.bucketPolicies();

            policies.put("photos", ACCOUNT, POLICY);

            assertThat(policies.find("photos")).contains(new BucketPolicy("photos", ACCOUNT, POLICY, NOW));
            assertThat(policies.find("other")).isEmpty();
        }
    }

    @Test
    void put_twice_replacesThePolicy() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            BucketPolicyStore policies = store.bucketPolicies();
            policies.put("photos", ACCOUNT, POLICY);

            policies.put("photos", ACCOUNT, "{\"Version\":\"2012-10-17\"}");

            assertThat(policies.find("photos").map(BucketPolicy::document)).contains("{\"Version\":\"2012-10-17\"}");
        }
    }

    @Test
    void delete_removesThePolicyAndSaysWhetherThereWasOne() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            BucketPolicyStore policies = store.bucketPolicies();
            policies.put("photos", ACCOUNT, POLICY);

            assertThat(policies.delete("photos")).isTrue();
            assertThat(policies.delete("photos")).isFalse();
            assertThat(policies.find("photos")).isEmpty();
        }
    }

    @Test
    void cachingStore_seesItsOwnWritesAndDropsWhatAnotherNodeChanged() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, clock)) {
            BucketPolicyStore direct = store.bucketPolicies();
            var cached = new CachingBucketPolicyStore(direct, Duration.ofMinutes(10), 100);
            assertThat(cached.find("photos")).isEmpty();

            cached.put("photos", ACCOUNT, POLICY);
            assertThat(cached.find("photos")).isPresent();

            // Another node's delete: this cache keeps its entry until the change is reported.
            direct.delete("photos");
            assertThat(cached.find("photos")).isPresent();
            cached.invalidateAll();
            assertThat(cached.find("photos")).isEqualTo(Optional.empty());
        }
    }
}
