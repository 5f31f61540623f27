package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;

/**
 * IAM writes racing each other on one real store: each case releases its calls together from a barrier, round after
 * round on fresh entities (one round rarely catches a lost update; these many always did before writes locked what
 * they read), and checks that every call that succeeded is in the store afterwards and no quota was overrun. Each
 * subclass names a database; the cases share one, each with entities of its own names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrentWritesSuite {
    static final String ACCOUNT = "123456789012";
    static final int THREADS = 4;
    static final int ROUNDS = 20;
    static final String OK = "OK";
    static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    static final String TRUST_ROOT = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";
    static final String TRUST_NOBODY = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    private StoreSettings settings;
    private JdbcIdentityStore store;
    private IamService iam;
    private ExecutorService threads;

    /** A new, migrated, empty database. */
    abstract StoreSettings newDatabase();

    @BeforeAll
    void open() {
        settings = newDatabase();
        // A connection for every racing call and one for the test itself, so that the calls race in the database.
        store = JdbcIdentityStore.open(new StoreSettings(settings.jdbcUrl(), settings.username(), settings.password(),
                THREADS + 1), TestStores.newMasterKey(), clock);
        iam = new IamService(store, clock, new SecureRandom());
        iam.accounts().createAccount(ACCOUNT);
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    void close() {
        threads.shutdownNow();
        store.close();
    }

    @Test
    void tagUser_concurrentCallsWithDistinctKeys_keepEveryTag() {
        for (int round = 0; round < ROUNDS; round++) {
            String userName = "tagged" + round;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));

            List<String> outcomes = race(IntStream.range(0, THREADS).mapToObj(thread -> (Runnable) () ->
                    iam.users().tagUser(ACCOUNT, userName, List.of(new Tag("a" + thread, "1"),
                            new Tag("b" + thread, "2")))).toList());

            assertThat(outcomes).containsOnly(OK);
            assertThat(iam.users().getUser(ACCOUNT, userName).tags()).extracting(Tag::key)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(0, THREADS)
                            .boxed().flatMap(thread -> List.of("a" + thread, "b" + thread).stream()).toList());
        }
    }

    @Test
    void putUserPermissionsBoundary_racingTagUser_keepsBoundaryAndTags() {
        String boundary = createPolicy("Boundary").arn();
        for (int round = 0; round < ROUNDS; round++) {
            String userName = "bounded" + round;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));
            var calls = new ArrayList<Runnable>();
            calls.add(() -> iam.users().putUserPermissionsBoundary(ACCOUNT, userName, boundary));
            for (int thread = 1; thread < THREADS; thread++) {
                String key = "k" + thread;
                calls.add(() -> iam.users().tagUser(ACCOUNT, userName, List.of(new Tag(key, "v"))));
            }

            assertThat(race(calls)).containsOnly(OK);
            User user = iam.users().getUser(ACCOUNT, userName);
            assertThat(user.permissionsBoundaryArn()).contains(boundary);
            assertThat(user.tags()).hasSize(THREADS - 1);
        }
    }

    @Test
    void updateUser_renameRacingTagUser_appliesEveryCallThatSucceeded() {
        for (int round = 0; round < ROUNDS; round++) {
            String userName = "renamed" + round;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));

            List<String> outcomes = race(List.of(
                    () -> iam.users().updateUser(ACCOUNT, userName, Optional.of(userName + "-new"), Optional.empty()),
                    () -> iam.users().tagUser(ACCOUNT, userName, List.of(new Tag("team", "blue")))));

            // Tagged first, the user is renamed with its tag; renamed first, the old name is gone for TagUser.
            assertThat(outcomes.get(0)).isEqualTo(OK);
            assertThat(outcomes.get(1)).isIn(OK, ErrorCode.NO_SUCH_ENTITY.code());
            assertThat(iam.store().findUser(ACCOUNT, userName)).isEmpty();
            User renamed = iam.users().getUser(ACCOUNT, userName + "-new");
            assertThat(renamed.tags()).hasSize(outcomes.get(1).equals(OK) ? 1 : 0);
        }
    }

    @Test
    void updateAssumeRolePolicy_racingTagRole_keepsTheNewTrustPolicyAndTags() {
        for (int round = 0; round < ROUNDS; round++) {
            String roleName = "trusted" + round;
            iam.roles().createRole(ACCOUNT, CreateRoleRequest.of(roleName, TRUST_ROOT));
            var calls = new ArrayList<Runnable>();
            calls.add(() -> iam.roles().updateAssumeRolePolicy(ACCOUNT, roleName, TRUST_NOBODY));
            for (int thread = 1; thread < THREADS; thread++) {
                String key = "k" + thread;
                calls.add(() -> iam.roles().tagRole(ACCOUNT, roleName, List.of(new Tag(key, "v"))));
            }

            assertThat(race(calls)).containsOnly(OK);
            Role role = iam.roles().getRole(ACCOUNT, roleName);
            assertThat(role.trustPolicy().document()).isEqualTo(TRUST_NOBODY);
            assertThat(role.tags()).hasSize(THREADS - 1);
        }
    }

    @Test
    void deletePolicy_racingPutUserPermissionsBoundary_neverBothSucceed() {
        for (int round = 0; round < ROUNDS; round++) {
            String policyArn = createPolicy("Doomed" + round).arn();
            String userName = "doomed" + round;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));

            List<String> outcomes = race(List.of(
                    () -> iam.managedPolicies().deletePolicy(ACCOUNT, policyArn),
                    () -> iam.users().putUserPermissionsBoundary(ACCOUNT, userName, policyArn)));

            // Either the boundary came first and the policy cannot go, or the policy went first and cannot bound.
            Optional<String> boundary = iam.users().getUser(ACCOUNT, userName).permissionsBoundaryArn();
            if (outcomes.get(0).equals(OK)) {
                assertThat(outcomes.get(1)).isEqualTo(ErrorCode.NO_SUCH_ENTITY.code());
                assertThat(boundary).isEmpty();
            } else {
                assertThat(outcomes).containsExactly(ErrorCode.DELETE_CONFLICT.code(), OK);
                assertThat(boundary).contains(policyArn);
                assertThat(iam.managedPolicies().getPolicy(ACCOUNT, policyArn).permissionsBoundaryUsageCount())
                        .isEqualTo(1);
            }
        }
    }

    @Test
    void deletePolicy_racingAttachUserPolicy_neverBothSucceed() {
        for (int round = 0; round < ROUNDS; round++) {
            String policyArn = createPolicy("Detached" + round).arn();
            String userName = "attaching" + round;
            User user = iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));

            List<String> outcomes = race(List.of(
                    () -> iam.managedPolicies().deletePolicy(ACCOUNT, policyArn),
                    () -> iam.managedPolicies().attachUserPolicy(ACCOUNT, userName, policyArn)));

            List<ManagedPolicy> attached = iam.store().listAttachedPolicies(PolicyOwner.of(user));
            if (outcomes.get(0).equals(OK)) {
                assertThat(outcomes.get(1)).isEqualTo(ErrorCode.NO_SUCH_ENTITY.code());
                assertThat(attached).isEmpty();
            } else {
                assertThat(outcomes).containsExactly(ErrorCode.DELETE_CONFLICT.code(), OK);
                assertThat(attached).extracting(ManagedPolicy::arn).containsExactly(policyArn);
            }
        }
    }

    @Test
    void putUserPolicy_concurrentPolicies_neverExceedTheUsersAggregateQuota() {
        // About 900 characters each: two fit in the user's 2,048, a third does not.
        String document = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + "b".repeat(800) + "\"}]}";
        for (int round = 0; round < ROUNDS; round++) {
            String userName = "quota" + round;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(userName));

            List<String> outcomes = race(IntStream.range(0, THREADS).mapToObj(thread -> (Runnable) () ->
                    iam.users().putUserPolicy(ACCOUNT, userName, "p" + thread, document)).toList());

            assertThat(outcomes).containsOnly(OK, ErrorCode.LIMIT_EXCEEDED.code());
            assertThat(outcomes).filteredOn(OK::equals).hasSize(2);
            User user = iam.users().getUser(ACCOUNT, userName);
            assertThat(iam.store().listInlinePolicies(PolicyOwner.of(user))).hasSize(2);
        }
    }

    @Test
    void createUser_concurrentCreates_neverExceedTheAccountsQuota() {
        // An account of its own: the other cases create users in theirs.
        String account = "111122223333";
        iam.accounts().createAccount(account);
        var random = new SecureRandom();
        store.write(writer -> {
            for (int i = 0; i < IamQuotas.AWS_DEFAULTS.users() - 2; i++) {
                writer.createUser(new User(account, AccessKeyIds.newUniqueId("AIDA", random), "seeded" + i, "/",
                        clock.instant(), Optional.empty(), List.of()));
            }
            return null;
        });
        for (int round = 0; round < ROUNDS; round++) {
            List<String> userNames = IntStream.range(0, THREADS).mapToObj(thread -> "racer" + thread).toList();

            List<String> outcomes = race(userNames.stream().map(userName -> (Runnable) () ->
                    iam.users().createUser(account, CreateUserRequest.named(userName))).toList());

            assertThat(outcomes).containsOnly(OK, ErrorCode.LIMIT_EXCEEDED.code());
            assertThat(outcomes).filteredOn(OK::equals).hasSize(2);
            assertThat(store.countUsers(account)).isEqualTo(IamQuotas.AWS_DEFAULTS.users());
            // Two places free again for the next round.
            for (int thread = 0; thread < THREADS; thread++) {
                if (outcomes.get(thread).equals(OK)) {
                    iam.users().deleteUser(account, userNames.get(thread));
                }
            }
        }
    }

    @Test
    void attachRolePolicy_concurrentAttachments_neverExceedTheRolesQuota() {
        List<String> policies = IntStream.range(0, ManagedPolicyOperations.MAX_ATTACHED_POLICIES - 2 + THREADS)
                .mapToObj(index -> createPolicy("Attachable" + index).arn()).toList();
        for (int round = 0; round < ROUNDS / 2; round++) {
            String roleName = "attached" + round;
            iam.roles().createRole(ACCOUNT, CreateRoleRequest.of(roleName, TRUST_ROOT));
            List<String> attachedFirst = policies.subList(0, ManagedPolicyOperations.MAX_ATTACHED_POLICIES - 2);
            attachedFirst.forEach(arn -> iam.managedPolicies().attachRolePolicy(ACCOUNT, roleName, arn));

            List<String> outcomes = race(policies.subList(attachedFirst.size(), policies.size()).stream()
                    .map(arn -> (Runnable) () -> iam.managedPolicies().attachRolePolicy(ACCOUNT, roleName, arn))
                    .toList());

            assertThat(outcomes).containsOnly(OK, ErrorCode.LIMIT_EXCEEDED.code());
            assertThat(outcomes).filteredOn(OK::equals).hasSize(2);
            Role role = iam.roles().getRole(ACCOUNT, roleName);
            assertThat(iam.store().listAttachedPolicies(PolicyOwner.of(role)))
                    .hasSize(ManagedPolicyOperations.MAX_ATTACHED_POLICIES);
        }
    }

    @Test
    void createPolicyVersion_concurrentVersions_neverExceedFiveAndEachGetsItsOwnId() {
        for (int round = 0; round < ROUNDS / 2; round++) {
            String policyArn = createPolicy("Versioned" + round).arn();
            for (int version = 2; version <= ManagedPolicyOperations.MAX_POLICY_VERSIONS - 2; version++) {
                iam.managedPolicies().createPolicyVersion(ACCOUNT, policyArn, ALLOW_S3, false);
            }

            List<String> outcomes = race(IntStream.range(0, THREADS).mapToObj(thread -> (Runnable) () ->
                    iam.managedPolicies().createPolicyVersion(ACCOUNT, policyArn, ALLOW_S3, true)).toList());

            assertThat(outcomes).containsOnly(OK, ErrorCode.LIMIT_EXCEEDED.code());
            assertThat(outcomes).filteredOn(OK::equals).hasSize(2);
            String policyId = iam.managedPolicies().getPolicy(ACCOUNT, policyArn).policyId();
            assertThat(iam.store().listPolicyVersions(policyId)).extracting(PolicyVersion::versionId)
                    .containsExactlyInAnyOrder("v1", "v2", "v3", "v4", "v5");
            // The two took turns, so the later one, v5, is the default it asked to be.
            assertThat(iam.managedPolicies().getPolicy(ACCOUNT, policyArn).defaultVersionId()).isEqualTo("v5");
        }
    }

    @Test
    void addClientIdToOpenIdConnectProvider_concurrentIds_keepsEveryId() {
        for (int round = 0; round < ROUNDS; round++) {
            String arn = iam.providers().createOpenIdConnectProvider(ACCOUNT, "https://idp" + round + ".example.com",
                    List.of("first"), List.of("a".repeat(40)), List.of()).arn();

            List<String> outcomes = race(IntStream.range(0, THREADS).mapToObj(thread -> (Runnable) () ->
                    iam.providers().addClientIdToOpenIdConnectProvider(ACCOUNT, arn, "client" + thread)).toList());

            assertThat(outcomes).containsOnly(OK);
            assertThat(iam.providers().getOpenIdConnectProvider(ACCOUNT, arn).clientIds()).hasSize(THREADS + 1);
        }
    }

    @Test
    void addRoleToInstanceProfile_concurrentRoles_exactlyOneIsAdded() {
        for (int round = 0; round < ROUNDS; round++) {
            String profileName = "crowded" + round;
            iam.instanceProfiles().createInstanceProfile(ACCOUNT, profileName, Optional.empty(), List.of());
            List<String> roleNames = IntStream.range(0, THREADS).mapToObj(thread -> profileName + "-role" + thread)
                    .toList();
            roleNames.forEach(roleName -> iam.roles().createRole(ACCOUNT, CreateRoleRequest.of(roleName, TRUST_ROOT)));

            List<String> outcomes = race(roleNames.stream().map(roleName -> (Runnable) () ->
                    iam.instanceProfiles().addRoleToInstanceProfile(ACCOUNT, profileName, roleName)).toList());

            assertThat(outcomes).containsOnlyOnce(OK);
            assertThat(outcomes).filteredOn(outcome -> !outcome.equals(OK))
                    .containsOnly(ErrorCode.LIMIT_EXCEEDED.code());
            assertThat(iam.instanceProfiles().getInstanceProfile(ACCOUNT, profileName).roles())
                    .extracting(Role::roleName).containsExactly(roleNames.get(outcomes.indexOf(OK)));
        }
    }

    @Test
    void deleteRole_racingAddRoleToInstanceProfile_neverBothSucceed() {
        for (int round = 0; round < ROUNDS; round++) {
            String profileName = "holder" + round;
            String roleName = "held" + round;
            iam.instanceProfiles().createInstanceProfile(ACCOUNT, profileName, Optional.empty(), List.of());
            iam.roles().createRole(ACCOUNT, CreateRoleRequest.of(roleName, TRUST_ROOT));

            List<String> outcomes = race(List.of(
                    () -> iam.roles().deleteRole(ACCOUNT, roleName),
                    () -> iam.instanceProfiles().addRoleToInstanceProfile(ACCOUNT, profileName, roleName)));

            List<Role> held = iam.instanceProfiles().getInstanceProfile(ACCOUNT, profileName).roles();
            if (outcomes.get(0).equals(OK)) {
                assertThat(outcomes.get(1)).isEqualTo(ErrorCode.NO_SUCH_ENTITY.code());
                assertThat(held).isEmpty();
            } else {
                assertThat(outcomes).containsExactly(ErrorCode.DELETE_CONFLICT.code(), OK);
                assertThat(held).extracting(Role::roleName).containsExactly(roleName);
            }
        }
    }

    @Test
    void write_entityLockedLongerThanTheLockTimeout_isConcurrentModificationAndChangesNothing() throws SQLException {
        // Half the response timeout: a one-second wait.
        try (JdbcIdentityStore impatient = JdbcIdentityStore.open(settings.withResponseTimeout(Duration.ofSeconds(2)),
                TestStores.newMasterKey(), clock);
                Connection holder = impatient.dataSource().getConnection()) {
            var service = new IamService(impatient, clock, new SecureRandom());
            service.users().createUser(ACCOUNT, CreateUserRequest.named("held"));
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "SELECT user_id FROM users WHERE name_key = 'held' FOR UPDATE")) {
                lock.executeQuery().close();
            }

            assertThat(outcome(() -> service.users().tagUser(ACCOUNT, "held", List.of(new Tag("k", "v")))))
                    .isEqualTo(ErrorCode.CONCURRENT_MODIFICATION.code());
            // Reads take no lock, so they do not wait for one either.
            assertThat(service.users().getUser(ACCOUNT, "held").tags()).isEmpty();

            holder.rollback();
            service.users().tagUser(ACCOUNT, "held", List.of(new Tag("k", "v")));
            assertThat(service.users().getUser(ACCOUNT, "held").tags()).hasSize(1);
        }
    }

    @Test
    void write_twoWritesWaitingForEachOther_oneIsConcurrentModificationAndTheOtherCommits() {
        // The database finds the cycle (PostgreSQL after its deadlock_timeout, a second) long before the lock timeout.
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("ann"));
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("ben"));
        var bothHoldOne = new CyclicBarrier(2);
        Function<List<String>, Runnable> lockInOrder = names -> () -> store.write(writer -> {
            User first = writer.findUser(ACCOUNT, names.get(0)).orElseThrow();
            await(bothHoldOne);
            User second = writer.findUser(ACCOUNT, names.get(1)).orElseThrow();
            writer.updateUser(first.withTags(List.of(new Tag("with", second.userName()))));
            return null;
        });

        List<String> outcomes = race(List.of(lockInOrder.apply(List.of("ann", "ben")),
                lockInOrder.apply(List.of("ben", "ann"))));

        assertThat(outcomes).containsExactlyInAnyOrder(OK, ErrorCode.CONCURRENT_MODIFICATION.code());
        int tagged = iam.users().getUser(ACCOUNT, "ann").tags().size()
                + iam.users().getUser(ACCOUNT, "ben").tags().size();
        assertThat(tagged).isEqualTo(1);
    }

    private ManagedPolicy createPolicy(String name) {
        return iam.managedPolicies().createPolicy(ACCOUNT, CreatePolicyRequest.of(name, ALLOW_S3));
    }

    /**
     * Runs the calls at once, each on its own thread, all released by one barrier, and returns how each ended, in
     * order: {@link #OK} or the IAM error code. Anything else (a store failure, the server's 500) fails the test.
     */
    private List<String> race(List<Runnable> calls) {
        var start = new CyclicBarrier(calls.size());
        List<Future<String>> running = calls.stream()
                .map(call -> threads.submit(() -> {
                    await(start);
                    return outcome(call);
                }))
                .toList();
        var outcomes = new ArrayList<String>();
        for (Future<String> future : running) {
            try {
                outcomes.add(future.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new AssertionError("A racing call failed", e);
            }
        }
        return outcomes;
    }

    private static String outcome(Runnable call) {
        try {
            call.run();
            return OK;
        } catch (ApiException e) {
            return e.errorCode().code();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The racing calls never met at the barrier", e);
        }
    }
}
