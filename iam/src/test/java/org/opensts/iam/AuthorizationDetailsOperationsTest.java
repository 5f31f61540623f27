package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/** GetAccountAuthorizationDetails on a real store: what a page costs, where it starts and what it refuses. */
class AuthorizationDetailsOperationsTest {
    private static final String ACCOUNT = UserOperationsTest.ACCOUNT;
    private static final String ALLOW_S3 = UserOperationsTest.ALLOW_S3;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final CountingReader counting = new CountingReader(store);
    private final AuthorizationDetailsOperations details = new AuthorizationDetailsOperations(counting);

    AuthorizationDetailsOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The store, counting the reads that reach it. */
    private static final class CountingReader extends ForwardingIdentityReader {
        final IdentityReader store;
        final AtomicInteger reads = new AtomicInteger();

        CountingReader(IdentityReader store) {
            this.store = store;
        }

        @Override
        protected <T> T read(Function<IdentityReader, T> work) {
            reads.incrementAndGet();
            return work.apply(store);
        }
    }

    /** Users, groups, roles and policies named {@code prefix…}, each holding what a detail shows. */
    private void createEntities(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            iam.users().createUser(ACCOUNT, CreateUserRequest.named(name));
            iam.users().putUserPolicy(ACCOUNT, name, "inline", ALLOW_S3);
            iam.groups().createGroup(ACCOUNT, name, Optional.empty());
            iam.groups().addUserToGroup(ACCOUNT, name, name);
            iam.groups().putGroupPolicy(ACCOUNT, name, "inline", ALLOW_S3);
            ManagedPolicy policy = iam.managedPolicies().createPolicy(ACCOUNT, new CreatePolicyRequest(name,
                    Optional.empty(), ALLOW_S3, Optional.empty(), List.of()));
            String trust = UserOperationsTest.TRUST.replace("arn:aws:iam::123456789012:root",
                    "arn:aws:iam::123456789012:user/" + name);
            iam.roles().createRole(ACCOUNT, new CreateRoleRequest(name, Optional.empty(), trust, Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of()));
            iam.roles().putRolePolicy(ACCOUNT, name, "inline", ALLOW_S3);
            iam.managedPolicies().attachRolePolicy(ACCOUNT, name, policy.arn());
            iam.managedPolicies().attachUserPolicy(ACCOUNT, name, UserOperationsTest.AWS_READ_ONLY);
            iam.instanceProfiles().createInstanceProfile(ACCOUNT, name, Optional.empty(), List.of());
            iam.instanceProfiles().addRoleToInstanceProfile(ACCOUNT, name, name);
        }
    }

    private int readsOfOnePage() {
        counting.reads.set(0);
        AccountAuthorizationDetails page = details.getAccountAuthorizationDetails(ACCOUNT, List.of(),
                Optional.empty(), Optional.of(1000));
        assertThat(page.isTruncated()).isFalse();
        return counting.reads.get();
    }

    @Test
    void page_readsTheStoreAFixedNumberOfTimes_whateverItHolds() {
        createEntities("few", 2);
        int fewReads = readsOfOnePage();

        createEntities("many", 25);
        int manyReads = readsOfOnePage();

        assertThat(manyReads).isEqualTo(fewReads).isLessThanOrEqualTo(14);
    }

    @Test
    void page_showsEachDetailWithWhatItHolds() {
        createEntities("e", 1);
        createEntities("unused", 1);
        var use = new RoleLastUsed(clock.instant(), "eu-west-1");
        store.recordUse(writer -> {
            writer.recordRoleUse(store.findRole(ACCOUNT, "e0").orElseThrow().roleId(), use);
            return null;
        });

        AccountAuthorizationDetails page = details.getAccountAuthorizationDetails(ACCOUNT, List.of(),
                Optional.empty(), Optional.empty());

        var user = page.users().stream().filter(detail -> detail.user().userName().equals("e0")).findFirst()
                .orElseThrow();
        assertThat(user.inlinePolicies()).containsExactly(new InlinePolicy("inline", ALLOW_S3));
        assertThat(user.groups()).extracting(Group::groupName).containsExactly("e0");
        assertThat(user.attachedPolicies()).extracting(ManagedPolicy::arn)
                .containsExactly(UserOperationsTest.AWS_READ_ONLY);
        var role = page.roles().stream().filter(detail -> detail.role().roleName().equals("e0")).findFirst()
                .orElseThrow();
        assertThat(role.trustPolicyDocument()).isEqualTo(iam.roles().trustPolicyDocument(role.role()))
                .contains("arn:aws:iam::123456789012:user/e0");
        assertThat(role.attachedPolicies()).extracting(ManagedPolicy::policyName).containsExactly("e0");
        assertThat(role.lastUsed()).contains(use);
        assertThat(role.instanceProfiles()).extracting(InstanceProfile::instanceProfileName).containsExactly("e0");
        assertThat(role.instanceProfiles().get(0).roles()).extracting(Role::roleId)
                .containsExactly(role.role().roleId());
        assertThat(page.roles()).filteredOn(detail -> detail.role().roleName().equals("unused0")).singleElement()
                .satisfies(unused -> assertThat(unused.lastUsed()).isEmpty());
        assertThat(page.policies()).extracting(detail -> detail.policy().arn())
                .contains("arn:aws:iam::123456789012:policy/e0", UserOperationsTest.AWS_READ_ONLY);
    }

    @Test
    void maxItems_defaultsTo100() {
        for (int i = 0; i < 101; i++) {
            iam.users().createUser(ACCOUNT, CreateUserRequest.named("user" + i));
        }

        AccountAuthorizationDetails page = details.getAccountAuthorizationDetails(ACCOUNT, List.of("User"),
                Optional.empty(), Optional.empty());

        assertThat(page.users()).hasSize(100);
        assertThat(page.isTruncated()).isTrue();
    }

    @Test
    void marker_inAListAFilterLeavesOut_startsTheFilteredCallAtItsNextList() {
        createEntities("m", 3);
        AccountAuthorizationDetails inGroups = details.getAccountAuthorizationDetails(ACCOUNT, List.of(),
                Optional.empty(), Optional.of(4));
        assertThat(inGroups.groups()).isNotEmpty();

        AccountAuthorizationDetails roles = details.getAccountAuthorizationDetails(ACCOUNT, List.of("Role"),
                inGroups.marker(), Optional.of(1000));

        assertThat(roles.roles()).extracting(detail -> detail.role().roleName()).containsExactly("m0", "m1", "m2");
        assertThat(Stream.of(roles.users(), roles.groups(), roles.policies())).allSatisfy(list ->
                assertThat(list).isEmpty());
    }

    private static String marker(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"InstanceProfile alice", "User", "user alice", " alice"})
    void marker_namingNoListOfOurs_isValidationError(String key) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> details.getAccountAuthorizationDetails(
                ACCOUNT, List.of(), Optional.of(marker(key)), Optional.empty()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Invalid Marker.");
    }

    @Test
    void filter_unknownEntityType_isValidationError() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> details.getAccountAuthorizationDetails(
                ACCOUNT, new ArrayList<>(List.of("User", "InstanceProfile")), Optional.empty(), Optional.empty()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).contains("'filter'").contains("enum value set");
    }
}
