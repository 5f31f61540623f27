package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/** Every group, membership and group-policy operation on a real store, with IAM's errors. */
class GroupOperationsTest {
    private static final String ACCOUNT = UserOperationsTest.ACCOUNT;
    private static final String OTHER_ACCOUNT = UserOperationsTest.OTHER_ACCOUNT;
    private static final String ALLOW_S3 = UserOperationsTest.ALLOW_S3;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final GroupOperations groups = iam.groups();
    private final User alice;
    private final Group devs;

    GroupOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
        alice = iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("bob"));
        devs = groups.createGroup(ACCOUNT, "devs", Optional.of("/eng/"));
        groups.createGroup(OTHER_ACCOUNT, "ops", Optional.empty());
    }

    @AfterEach
    void close() {
        store.close();
    }

    // ---- every rejection, with IAM's code, status and words

    record Rejection(String name, Consumer<GroupOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("createGroup with a name taken in another case", ops -> ops.createGroup(ACCOUNT, "DEVS",
                        Optional.empty()), ErrorCode.ENTITY_ALREADY_EXISTS, "Group with name DEVS already exists."),
                new Rejection("createGroup with 129 characters", ops -> ops.createGroup(ACCOUNT, "g".repeat(129),
                        Optional.empty()), ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'groupName' failed to satisfy constraint: Member must have length less than or "
                                + "equal to 128"),
                new Rejection("createGroup with a slash in the name", ops -> ops.createGroup(ACCOUNT, "a/b",
                        Optional.empty()), ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'groupName' failed to satisfy constraint: Member must satisfy regular expression "
                                + "pattern: [\\w+=,.@-]+"),
                new Rejection("createGroup with a path without its leading slash", ops -> ops.createGroup(ACCOUNT,
                        "qa", Optional.of("eng/")), ErrorCode.VALIDATION_ERROR, "1 validation error detected: "
                                + "Value at 'path' failed to satisfy constraint: Member must satisfy regular "
                                + "expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
                new Rejection("createGroup in an account that does not exist", ops -> ops.createGroup("999999999999",
                        "qa", Optional.empty()), ErrorCode.NO_SUCH_ENTITY, "The account 999999999999 cannot be found."),
                new Rejection("createGroup beyond 300 groups", ops -> {
                    for (int i = 1; i < IamQuotas.AWS_DEFAULTS.groups(); i++) {
                        ops.createGroup(ACCOUNT, "g" + i, Optional.empty());
                    }
                    ops.createGroup(ACCOUNT, "one-too-many", Optional.empty());
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for GroupsPerAccount: 300"),
                new Rejection("getGroup of no group", ops -> ops.getGroup(ACCOUNT, "nope"), ErrorCode.NO_SUCH_ENTITY,
                        "The group with name nope cannot be found."),
                new Rejection("getGroup of another account's group", ops -> ops.getGroup(ACCOUNT, "ops"),
                        ErrorCode.NO_SUCH_ENTITY, "The group with name ops cannot be found."),
                new Rejection("listUsersInGroup with a marker that is not ours", ops -> ops.listUsersInGroup(ACCOUNT,
                        "devs", Optional.of("%%"), Optional.empty()), ErrorCode.VALIDATION_ERROR, "Invalid Marker."),
                new Rejection("listUsersInGroup with MaxItems 1001", ops -> ops.listUsersInGroup(ACCOUNT, "devs",
                        Optional.empty(), Optional.of(1001)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member "
                                + "must have value less than or equal to 1000"),
                new Rejection("updateGroup to a name another group has in another case", ops -> {
                    ops.createGroup(ACCOUNT, "qa", Optional.empty());
                    ops.updateGroup(ACCOUNT, "devs", Optional.of("QA"), Optional.empty());
                }, ErrorCode.ENTITY_ALREADY_EXISTS, "Group with name QA already exists."),
                new Rejection("updateGroup of no group", ops -> ops.updateGroup(ACCOUNT, "nope", Optional.of("x"),
                        Optional.empty()), ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("updateGroup to a bad path", ops -> ops.updateGroup(ACCOUNT, "devs", Optional.empty(),
                        Optional.of("/a b/")), ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'newPath' failed to satisfy constraint: Member must satisfy regular "
                                + "expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
                new Rejection("deleteGroup of no group", ops -> ops.deleteGroup(ACCOUNT, "nope"),
                        ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("listGroups with a path prefix not starting with a slash", ops -> ops.listGroups(
                        ACCOUNT, Optional.of("eng"), Optional.empty(), Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'pathPrefix' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*"),
                new Rejection("addUserToGroup of no group", ops -> ops.addUserToGroup(ACCOUNT, "nope", "alice"),
                        ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("addUserToGroup of nobody", ops -> ops.addUserToGroup(ACCOUNT, "devs", "nobody"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("addUserToGroup of another account's user", ops -> {
                    ops.createGroup(OTHER_ACCOUNT, "ops2", Optional.empty());
                    ops.addUserToGroup(OTHER_ACCOUNT, "ops2", "alice");
                }, ErrorCode.NO_SUCH_ENTITY, "The user with name alice cannot be found."),
                new Rejection("addUserToGroup into an eleventh group", ops -> {
                    for (int i = 1; i <= GroupOperations.MAX_GROUPS_PER_USER; i++) {
                        ops.createGroup(ACCOUNT, "g" + i, Optional.empty());
                        ops.addUserToGroup(ACCOUNT, "g" + i, "alice");
                    }
                    ops.addUserToGroup(ACCOUNT, "devs", "alice");
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for GroupsPerUser: 10"),
                new Rejection("removeUserFromGroup of no group", ops -> ops.removeUserFromGroup(ACCOUNT, "nope",
                        "alice"), ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("removeUserFromGroup of nobody", ops -> ops.removeUserFromGroup(ACCOUNT, "devs",
                        "nobody"), ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("removeUserFromGroup of nobody from no group names the user", ops ->
                        ops.removeUserFromGroup(ACCOUNT, "nope", "nobody"), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("listGroupsForUser of nobody", ops -> ops.listGroupsForUser(ACCOUNT, "nobody",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("putGroupPolicy that is not JSON", ops -> ops.putGroupPolicy(ACCOUNT, "devs", "p",
                        "{"), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new Rejection("putGroupPolicy for no group", ops -> ops.putGroupPolicy(ACCOUNT, "nope", "p",
                        ALLOW_S3), ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("putGroupPolicy beyond the group's 5120 characters", ops -> {
                    ops.putGroupPolicy(ACCOUNT, "devs", "one", UserOperationsTest.largePolicy(2600));
                    ops.putGroupPolicy(ACCOUNT, "devs", "two", UserOperationsTest.largePolicy(2600));
                }, ErrorCode.LIMIT_EXCEEDED, "Maximum policy size of 5120 bytes exceeded for group devs"),
                new Rejection("putGroupPolicy with an empty document", ops -> ops.putGroupPolicy(ACCOUNT, "devs",
                        "p", ""), ErrorCode.VALIDATION_ERROR, null),
                new Rejection("getGroupPolicy that does not exist", ops -> ops.getGroupPolicy(ACCOUNT, "devs",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The group policy with name missing cannot be found."),
                new Rejection("getGroupPolicy of no group", ops -> ops.getGroupPolicy(ACCOUNT, "nope", "p"),
                        ErrorCode.NO_SUCH_ENTITY, "The group with name nope cannot be found."),
                new Rejection("deleteGroupPolicy that does not exist", ops -> ops.deleteGroupPolicy(ACCOUNT, "devs",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The group policy with name missing cannot be found."),
                new Rejection("listGroupPolicies of no group", ops -> ops.listGroupPolicies(ACCOUNT, "nope",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The group with name nope cannot be found."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void operation_rejected_withIamsErrorAndWords(Rejection testCase) {
        ApiException e = UserOperationsTest.rejection(() -> testCase.call().accept(groups));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message());
        }
    }

    // ---- groups

    @Test
    void createGroup_assignsAnAgpaIdAndTheArnOfItsPath() {
        assertThat(devs.groupId()).startsWith("AGPA").hasSize(21);
        assertThat(devs.arn()).isEqualTo("arn:aws:iam::123456789012:group/eng/devs");
        assertThat(devs.createDate()).isEqualTo(clock.instant());
        assertThat(groups.getGroup(ACCOUNT, "DEVS")).isEqualTo(devs);
        assertThat(groups.createGroup(ACCOUNT, "qa", Optional.empty()).path()).isEqualTo("/");
    }

    @Test
    void updateGroup_renamesAndMoves_andMembersAndPoliciesFollow() {
        groups.addUserToGroup(ACCOUNT, "devs", "alice");
        groups.putGroupPolicy(ACCOUNT, "devs", "s3", ALLOW_S3);

        groups.updateGroup(ACCOUNT, "devs", Optional.of("engineers"), Optional.of("/staff/"));

        Group renamed = groups.getGroup(ACCOUNT, "engineers");
        assertThat(renamed.groupId()).isEqualTo(devs.groupId());
        assertThat(renamed.arn()).isEqualTo("arn:aws:iam::123456789012:group/staff/engineers");
        assertThat(store.findGroup(ACCOUNT, "devs")).isEmpty();
        assertThat(store.listGroupsForUser(alice.userId())).containsExactly(renamed);
        assertThat(groups.getGroupPolicy(ACCOUNT, "engineers", "s3").policy().policyDocument()).isEqualTo(ALLOW_S3);
    }

    @Test
    void updateGroup_changeOfCaseOnly_isARename_andAbsentValuesAreKept() {
        groups.updateGroup(ACCOUNT, "devs", Optional.of("Devs"), Optional.empty());

        assertThat(groups.getGroup(ACCOUNT, "devs").groupName()).isEqualTo("Devs");
        assertThat(groups.getGroup(ACCOUNT, "devs").path()).isEqualTo("/eng/");
    }

    @Test
    void listGroups_filtersByPathPrefix_andPagesInNameOrder() {
        groups.createGroup(ACCOUNT, "Admins", Optional.of("/eng/platform/"));
        groups.createGroup(ACCOUNT, "qa", Optional.empty());

        var names = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        do {
            Page<Group> page = groups.listGroups(ACCOUNT, Optional.empty(), marker, Optional.of(1));
            page.items().forEach(group -> names.add(group.groupName()));
            marker = page.marker();
        } while (marker.isPresent());

        assertThat(names).containsExactly("Admins", "devs", "qa");
        assertThat(groups.listGroups(ACCOUNT, Optional.of("/eng/"), Optional.empty(), Optional.empty()).items())
                .extracting(Group::groupName).containsExactly("Admins", "devs");
    }

    record Leftover(String name, Consumer<GroupOperationsTest> add, Consumer<GroupOperationsTest> remove,
            String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Leftover> leftovers() {
        return Stream.of(
                new Leftover("a member", test -> test.groups.addUserToGroup(ACCOUNT, "devs", "alice"),
                        test -> test.groups.removeUserFromGroup(ACCOUNT, "devs", "alice"),
                        "Cannot delete entity, must remove users from group first."),
                new Leftover("an inline policy", test -> test.groups.putGroupPolicy(ACCOUNT, "devs", "p", ALLOW_S3),
                        test -> test.groups.deleteGroupPolicy(ACCOUNT, "devs", "p"),
                        "Cannot delete entity, must delete policies first."),
                new Leftover("an attached managed policy", test -> test.attachReadOnly(true),
                        test -> test.attachReadOnly(false),
                        "Cannot delete entity, must detach all policies first."));
    }

    private void attachReadOnly(boolean attach) {
        ManagedPolicy readOnly = store.findManagedPolicy("aws", "IAMReadOnlyAccess").orElseThrow();
        store.write(writer -> {
            if (attach) {
                writer.attachPolicy(PolicyOwner.of(devs), readOnly.policyId());
            } else {
                writer.detachPolicy(PolicyOwner.of(devs), readOnly.policyId());
            }
            return null;
        });
    }

    @ParameterizedTest(name = "a group with {0} cannot be deleted until it is gone")
    @MethodSource("leftovers")
    void deleteGroup_withSomethingLeft_isDeleteConflict_untilItIsRemoved(Leftover leftover) {
        leftover.add().accept(this);

        ApiException e = UserOperationsTest.rejection(() -> groups.deleteGroup(ACCOUNT, "devs"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo(leftover.message());
        leftover.remove().accept(this);
        groups.deleteGroup(ACCOUNT, "devs");
        assertThat(store.findGroup(ACCOUNT, "devs")).isEmpty();
    }

    // ---- membership

    @Test
    void addUserToGroup_twice_isOneMembership_andRemoveTwiceIsHarmless() {
        groups.addUserToGroup(ACCOUNT, "devs", "alice");
        groups.addUserToGroup(ACCOUNT, "DEVS", "ALICE");

        assertThat(groups.listUsersInGroup(ACCOUNT, "devs", Optional.empty(), Optional.empty()).items())
                .extracting(User::userName).containsExactly("alice");

        groups.removeUserFromGroup(ACCOUNT, "devs", "alice");
        groups.removeUserFromGroup(ACCOUNT, "devs", "alice");
        assertThat(store.listGroupsForUser(alice.userId())).isEmpty();
    }

    @Test
    void listUsersInGroup_pagesTheMembersInNameOrder() {
        groups.addUserToGroup(ACCOUNT, "devs", "bob");
        groups.addUserToGroup(ACCOUNT, "devs", "alice");

        Page<User> first = groups.listUsersInGroup(ACCOUNT, "devs", Optional.empty(), Optional.of(1));
        Page<User> second = groups.listUsersInGroup(ACCOUNT, "devs", first.marker(), Optional.of(1));

        assertThat(first.items()).extracting(User::userName).containsExactly("alice");
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.items()).extracting(User::userName).containsExactly("bob");
        assertThat(second.isTruncated()).isFalse();
    }

    @Test
    void listGroupsForUser_isWhatAuthorizationReads_andFollowsRenamesAndDeletes() {
        Group qa = groups.createGroup(ACCOUNT, "qa", Optional.empty());
        groups.addUserToGroup(ACCOUNT, "devs", "alice");
        groups.addUserToGroup(ACCOUNT, "qa", "alice");

        iam.users().updateUser(ACCOUNT, "alice", Optional.of("alicia"), Optional.empty());
        groups.updateGroup(ACCOUNT, "qa", Optional.of("testers"), Optional.empty());

        assertThat(groups.listGroupsForUser(ACCOUNT, "alicia", Optional.empty(), Optional.empty()).items())
                .extracting(Group::groupName).containsExactly("devs", "testers");
        assertThat(store.listGroupsForUser(alice.userId())).extracting(Group::groupId)
                .containsExactly(devs.groupId(), qa.groupId());

        groups.removeUserFromGroup(ACCOUNT, "testers", "alicia");
        groups.deleteGroup(ACCOUNT, "testers");
        assertThat(store.listGroupsForUser(alice.userId())).extracting(Group::groupName).containsExactly("devs");
    }

    // ---- inline policies

    @Test
    void groupPolicies_putReplacesByName_getListAndDelete() {
        groups.putGroupPolicy(ACCOUNT, "devs", "s3", ALLOW_S3);
        groups.putGroupPolicy(ACCOUNT, "devs", "a-other", ALLOW_S3);
        String replaced = ALLOW_S3.replace("s3:GetObject", "s3:PutObject");

        groups.putGroupPolicy(ACCOUNT, "DEVS", "s3", replaced);

        GroupOperations.GroupPolicy found = groups.getGroupPolicy(ACCOUNT, "Devs", "s3");
        assertThat(found.group()).isEqualTo(devs);
        assertThat(found.policy()).isEqualTo(new InlinePolicy("s3", replaced));
        Page<String> first = groups.listGroupPolicies(ACCOUNT, "devs", Optional.empty(), Optional.of(1));
        assertThat(first.items()).containsExactly("a-other");
        assertThat(groups.listGroupPolicies(ACCOUNT, "devs", first.marker(), Optional.empty()).items())
                .containsExactly("s3");
        groups.deleteGroupPolicy(ACCOUNT, "devs", "s3");
        assertThat(store.listInlinePolicies(PolicyOwner.of(devs))).extracting(InlinePolicy::policyName)
                .containsExactly("a-other");
    }

    @Test
    void putGroupPolicy_quotaIsTheGroupsOwn_5120NotTheUsers2048() {
        groups.putGroupPolicy(ACCOUNT, "devs", "one", UserOperationsTest.largePolicy(2000));
        groups.putGroupPolicy(ACCOUNT, "devs", "two", UserOperationsTest.largePolicy(2000));

        assertThat(store.listInlinePolicies(PolicyOwner.of(devs))).hasSize(2);
    }
}
