package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;

/** Every user, tag, boundary, inline-policy and access-key operation on a real store, with IAM's errors. */
class UserOperationsTest {
    static final String ACCOUNT = "123456789012";
    static final String OTHER_ACCOUNT = "210987654321";
    static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";
    /** An AWS managed policy the store ships, and a customer managed one each test creates. */
    static final String AWS_READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    static final String BOUNDARY = "arn:aws:iam::123456789012:policy/limits/Boundary";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final UserOperations users = iam.users();
    private final User alice;
    private final AccessKeyCredentials aliceKey;
    private final ManagedPolicy boundary;

    UserOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
        alice = users.createUser(ACCOUNT, CreateUserRequest.named("alice"));
        aliceKey = users.createAccessKey(ACCOUNT, "alice");
        users.createUser(ACCOUNT, CreateUserRequest.named("bob"));
        users.createUser(OTHER_ACCOUNT, CreateUserRequest.named("carol"));
        boundary = new ManagedPolicy(ACCOUNT, "ANPAEXAMPLEBOUNDARY01", "Boundary", "/limits/", "v1", Optional.empty(),
                clock.instant(), clock.instant(), List.of(), 0, 0);
        store.write(writer -> {
            writer.createManagedPolicy(boundary, ALLOW_S3);
            return null;
        });
    }

    @AfterEach
    void close() {
        store.close();
    }

    static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    // ---- every rejection, with IAM's code, status and words

    record Rejection(String name, Consumer<UserOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                new Rejection("createUser with a name taken in another case", ops -> ops.createUser(ACCOUNT,
                        CreateUserRequest.named("ALICE")), ErrorCode.ENTITY_ALREADY_EXISTS,
                        "User with name ALICE already exists."),
                new Rejection("createUser with a space in the name", ops -> ops.createUser(ACCOUNT,
                        CreateUserRequest.named("al ice")), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'userName' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new Rejection("createUser with 65 characters", ops -> ops.createUser(ACCOUNT,
                        CreateUserRequest.named("a".repeat(65))), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'userName' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 64"),
                new Rejection("createUser with an empty name", ops -> ops.createUser(ACCOUNT,
                        CreateUserRequest.named("")), ErrorCode.VALIDATION_ERROR,
                        "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member "
                                + "must have length greater than or equal to 1; Value at 'userName' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new Rejection("createUser with a path without its trailing slash", ops -> ops.createUser(ACCOUNT,
                        new CreateUserRequest("dave", Optional.of("/team"), Optional.empty(), List.of())),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at 'path' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: "
                                + "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
                new Rejection("createUser with tag keys that differ only in case", ops -> ops.createUser(ACCOUNT,
                        new CreateUserRequest("dave", Optional.empty(), Optional.empty(),
                                List.of(new Tag("Team", "a"), new Tag("team", "b")))), ErrorCode.INVALID_INPUT,
                        "Duplicate tag keys found. Please note that Tag keys are case insensitive."),
                new Rejection("createUser in an account that does not exist", ops -> ops.createUser("999999999999",
                        CreateUserRequest.named("dave")), ErrorCode.NO_SUCH_ENTITY,
                        "The account 999999999999 cannot be found."),
                new Rejection("createUser with a boundary that does not exist", ops -> ops.createUser(ACCOUNT,
                        new CreateUserRequest("dave", Optional.empty(),
                                Optional.of("arn:aws:iam::123456789012:policy/Missing"), List.of())),
                        ErrorCode.NO_SUCH_ENTITY, "Scope ARN: arn:aws:iam::123456789012:policy/Missing does not "
                                + "exist or is not attachable."),
                new Rejection("getUser of nobody", ops -> ops.getUser(ACCOUNT, "nobody"), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("getUser of another account's user", ops -> ops.getUser(ACCOUNT, "carol"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name carol cannot be found."),
                new Rejection("updateUser to a name another user has in another case", ops -> ops.updateUser(
                        ACCOUNT, "alice", Optional.of("BOB"), Optional.empty()), ErrorCode.ENTITY_ALREADY_EXISTS,
                        "User with name BOB already exists."),
                new Rejection("updateUser of nobody", ops -> ops.updateUser(ACCOUNT, "nobody", Optional.of("x"),
                        Optional.empty()), ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("updateUser to a 65-character name", ops -> ops.updateUser(ACCOUNT, "alice",
                        Optional.of("a".repeat(65)), Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'newUserName' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 64"),
                new Rejection("deleteUser of nobody", ops -> ops.deleteUser(ACCOUNT, "nobody"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("listUsers with MaxItems 0", ops -> ops.listUsers(ACCOUNT, Optional.empty(),
                        Optional.empty(), Optional.of(0)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member "
                                + "must have value greater than or equal to 1"),
                new Rejection("listUsers with a marker that is not ours", ops -> ops.listUsers(ACCOUNT,
                        Optional.empty(), Optional.of("!!"), Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "Invalid Marker."),
                new Rejection("listUsers with a path prefix not starting with a slash", ops -> ops.listUsers(ACCOUNT,
                        Optional.of("team"), Optional.empty(), Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'pathPrefix' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*"),
                new Rejection("tagUser with a reserved key", ops -> ops.tagUser(ACCOUNT, "alice",
                        List.of(new Tag("aws:team", "x"))), ErrorCode.INVALID_INPUT,
                        "User-defined tag keys can't start with 'aws:'. This prefix is reserved for system tags."),
                new Rejection("tagUser of nobody", ops -> ops.tagUser(ACCOUNT, "nobody",
                        List.of(new Tag("Team", "x"))), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("tagUser beyond 50 tags", ops -> {
                    ops.tagUser(ACCOUNT, "alice", tags(0, 50));
                    ops.tagUser(ACCOUNT, "alice", tags(50, 51));
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for TagsPerUser: 50"),
                new Rejection("untagUser of nobody", ops -> ops.untagUser(ACCOUNT, "nobody", List.of("Team")),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("listUserTags of nobody", ops -> ops.listUserTags(ACCOUNT, "nobody", Optional.empty(),
                        Optional.empty()), ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("putUserPermissionsBoundary with text that is no ARN", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "alice", "not-an-arn-but-long-enough"),
                        ErrorCode.INVALID_INPUT, "ARN not-an-arn-but-long-enough is not valid."),
                new Rejection("putUserPermissionsBoundary with a role's ARN", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "alice", "arn:aws:iam::123456789012:role/demo"),
                        ErrorCode.INVALID_INPUT, "ARN arn:aws:iam::123456789012:role/demo is not valid."),
                new Rejection("putUserPermissionsBoundary with a policy that does not exist", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "alice", "arn:aws:iam::aws:policy/NoSuchPolicy"),
                        ErrorCode.NO_SUCH_ENTITY, "Scope ARN: arn:aws:iam::aws:policy/NoSuchPolicy does not exist "
                                + "or is not attachable."),
                new Rejection("putUserPermissionsBoundary with the policy under another path", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "alice", "arn:aws:iam::123456789012:policy/Boundary"),
                        ErrorCode.NO_SUCH_ENTITY, "Scope ARN: arn:aws:iam::123456789012:policy/Boundary does not "
                                + "exist or is not attachable."),
                new Rejection("putUserPermissionsBoundary with another account's policy", ops ->
                        ops.putUserPermissionsBoundary(OTHER_ACCOUNT, "carol", BOUNDARY), ErrorCode.NO_SUCH_ENTITY,
                        "Scope ARN: " + BOUNDARY + " does not exist or is not attachable."),
                new Rejection("putUserPermissionsBoundary with an ARN under 20 characters", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "alice", "arn:aws:iam::1:p/x"),
                        ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value at "
                                + "'permissionsBoundary' failed to satisfy constraint: Member must have length greater "
                                + "than or equal to 20"),
                new Rejection("putUserPermissionsBoundary for nobody", ops ->
                        ops.putUserPermissionsBoundary(ACCOUNT, "nobody", AWS_READ_ONLY), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("deleteUserPermissionsBoundary for nobody", ops ->
                        ops.deleteUserPermissionsBoundary(ACCOUNT, "nobody"), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("putUserPolicy that is not JSON", ops -> ops.putUserPolicy(ACCOUNT, "alice", "p",
                        "not json"), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new Rejection("putUserPolicy with a Principal", ops -> ops.putUserPolicy(ACCOUNT, "alice", "p",
                        TRUST), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new Rejection("putUserPolicy for nobody", ops -> ops.putUserPolicy(ACCOUNT, "nobody", "p", ALLOW_S3),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("putUserPolicy with a name breaking the pattern", ops -> ops.putUserPolicy(ACCOUNT,
                        "alice", "p q", ALLOW_S3), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'policyName' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new Rejection("putUserPolicy beyond the user's 2048 characters", ops -> {
                    ops.putUserPolicy(ACCOUNT, "alice", "one", largePolicy(1100));
                    ops.putUserPolicy(ACCOUNT, "alice", "two", largePolicy(1100));
                }, ErrorCode.LIMIT_EXCEEDED, "Maximum policy size of 2048 bytes exceeded for user alice"),
                new Rejection("getUserPolicy that does not exist", ops -> ops.getUserPolicy(ACCOUNT, "alice",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The user policy with name missing cannot be found."),
                new Rejection("getUserPolicy of nobody", ops -> ops.getUserPolicy(ACCOUNT, "nobody", "p"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("deleteUserPolicy that does not exist", ops -> ops.deleteUserPolicy(ACCOUNT, "alice",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The user policy with name missing cannot be found."),
                new Rejection("listUserPolicies of nobody", ops -> ops.listUserPolicies(ACCOUNT, "nobody",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."),
                new Rejection("createAccessKey for nobody", ops -> ops.createAccessKey(ACCOUNT, "nobody"),
                        ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new Rejection("createAccessKey beyond two keys", ops -> {
                    ops.createAccessKey(ACCOUNT, "alice");
                    ops.createAccessKey(ACCOUNT, "alice");
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for AccessKeysPerUser: 2"),
                new Rejection("importAccessKey with another account's id", ops -> ops.importAccessKey(ACCOUNT, "bob",
                        AccessKeyIds.newLongTerm(OTHER_ACCOUNT, new SecureRandom()),
                        Secret.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")), ErrorCode.INVALID_INPUT, null),
                new Rejection("updateAccessKey to Expired", ops -> ops.updateAccessKey(ACCOUNT, "alice",
                        "AKIAIOSFODNN7EXAMPLE", "Expired"), ErrorCode.INVALID_INPUT,
                        "Status Expired cannot be set; use Active or Inactive."),
                new Rejection("updateAccessKey to a status outside the model's set", ops -> ops.updateAccessKey(
                        ACCOUNT, "alice", "AKIAIOSFODNN7EXAMPLE", "Enabled"), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'status' failed to satisfy constraint: "
                                + "Member must satisfy enum value set"),
                new Rejection("updateAccessKey of a key the user does not have", ops -> ops.updateAccessKey(ACCOUNT,
                        "alice", "AKIAIOSFODNN7EXAMPLE", "Inactive"), ErrorCode.NO_SUCH_ENTITY,
                        "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."),
                new Rejection("deleteAccessKey with an id under 16 characters", ops -> ops.deleteAccessKey(ACCOUNT,
                        "alice", "AKIASHORT"), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'accessKeyId' failed to satisfy "
                                + "constraint: Member must have length greater than or equal to 16"),
                new Rejection("deleteAccessKey of a key the user does not have", ops -> ops.deleteAccessKey(ACCOUNT,
                        "bob", "AKIAIOSFODNN7EXAMPLE"), ErrorCode.NO_SUCH_ENTITY,
                        "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found."),
                new Rejection("listAccessKeys of nobody", ops -> ops.listAccessKeys(ACCOUNT, "nobody",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The user with name nobody cannot be found."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void operation_rejected_withIamsErrorAndWords(Rejection testCase) {
        ApiException e = rejection(() -> testCase.call().accept(users));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message());
        }
    }

    @Test
    void rejectedCalls_carryIamsHttpStatuses() {
        assertThat(rejection(() -> users.getUser(ACCOUNT, "nobody")).errorCode().httpStatus()).isEqualTo(404);
        assertThat(rejection(() -> users.createUser(ACCOUNT, CreateUserRequest.named("Alice"))).errorCode()
                .httpStatus()).isEqualTo(409);
        assertThat(rejection(() -> users.deleteUser(ACCOUNT, "alice")).errorCode().httpStatus()).isEqualTo(409);
        assertThat(rejection(() -> users.putUserPolicy(ACCOUNT, "alice", "p", "{")).errorCode().httpStatus())
                .isEqualTo(400);
    }

    // ---- users

    @Test
    void createUser_assignsAnAidaIdAndTheArnOfItsPath() {
        User user = users.createUser(ACCOUNT, new CreateUserRequest("dave", Optional.of("/team/"), Optional.empty(),
                List.of(new Tag("Team", "Platform"))));

        assertThat(user.userId()).startsWith("AIDA").hasSize(21);
        assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/team/dave");
        assertThat(user.createDate()).isEqualTo(clock.instant());
        assertThat(users.getUser(ACCOUNT, "DAVE")).isEqualTo(user);
    }

    @Test
    void createUser_withABoundaryNamedInAnotherCase_keepsThePolicyArnAsStored() {
        User user = users.createUser(ACCOUNT, new CreateUserRequest("dave", Optional.empty(),
                Optional.of("arn:aws:iam::aws:policy/iamreadonlyaccess"), List.of()));

        assertThat(user.permissionsBoundaryArn()).contains(AWS_READ_ONLY);
    }

    @Test
    void updateUser_renamesAndMoves_andEverythingTheUserOwnsFollows() {
        users.putUserPolicy(ACCOUNT, "alice", "s3", ALLOW_S3);
        iam.groups().createGroup(ACCOUNT, "devs", Optional.empty());
        iam.groups().addUserToGroup(ACCOUNT, "devs", "alice");

        users.updateUser(ACCOUNT, "alice", Optional.of("alicia"), Optional.of("/staff/"));

        User renamed = users.getUser(ACCOUNT, "alicia");
        assertThat(renamed.userId()).isEqualTo(alice.userId());
        assertThat(renamed.arn()).isEqualTo("arn:aws:iam::123456789012:user/staff/alicia");
        assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
        assertThat(users.listAccessKeys(ACCOUNT, "alicia")).extracting(AccessKey::userName).containsExactly("alicia");
        assertThat(users.getUserPolicy(ACCOUNT, "alicia", "s3").policy().policyDocument()).isEqualTo(ALLOW_S3);
        assertThat(store.listGroupsForUser(alice.userId())).extracting(Group::groupName).containsExactly("devs");
        assertThat(store.findAccessKey(aliceKey.accessKey().accessKeyId()).orElseThrow().accessKey().userName())
                .isEqualTo("alicia");
    }

    @Test
    void updateUser_changeOfCaseOnly_isARename_andAbsentValuesAreKept() {
        users.updateUser(ACCOUNT, "alice", Optional.of("Alice"), Optional.empty());

        User renamed = users.getUser(ACCOUNT, "alice");
        assertThat(renamed.userName()).isEqualTo("Alice");
        assertThat(renamed.path()).isEqualTo("/");
    }

    @Test
    void listUsers_filtersByPathPrefix_andPagesInNameOrder() {
        for (String name : List.of("erin", "Dave", "frank")) {
            users.createUser(ACCOUNT, new CreateUserRequest(name, Optional.of("/team/"), Optional.empty(), List.of()));
        }

        var names = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        do {
            Page<User> page = users.listUsers(ACCOUNT, Optional.empty(), marker, Optional.of(2));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            page.items().forEach(user -> names.add(user.userName()));
            marker = page.marker();
        } while (marker.isPresent());

        assertThat(names).containsExactly("alice", "bob", "Dave", "erin", "frank");
        assertThat(users.listUsers(ACCOUNT, Optional.of("/team/"), Optional.empty(), Optional.empty()).items())
                .extracting(User::userName).containsExactly("Dave", "erin", "frank");
        assertThat(users.listUsers(ACCOUNT, Optional.of("/team/"), Optional.empty(), Optional.empty()).isTruncated())
                .isFalse();
    }

    record Leftover(String name, Consumer<UserOperationsTest> add, Consumer<UserOperationsTest> remove,
            String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Leftover> leftovers() {
        return Stream.of(
                new Leftover("an access key", test -> { },
                        test -> test.users.deleteAccessKey(ACCOUNT, "alice", test.aliceKey.accessKey().accessKeyId()),
                        "Cannot delete entity, must delete access keys first."),
                new Leftover("an inline policy", test -> {
                    test.removeAliceKey();
                    test.users.putUserPolicy(ACCOUNT, "alice", "p", ALLOW_S3);
                }, test -> test.users.deleteUserPolicy(ACCOUNT, "alice", "p"),
                        "Cannot delete entity, must delete policies first."),
                new Leftover("an attached managed policy", test -> {
                    test.removeAliceKey();
                    test.attach(true);
                }, test -> test.attach(false), "Cannot delete entity, must detach all policies first."),
                new Leftover("a group membership", test -> {
                    test.removeAliceKey();
                    test.iam.groups().createGroup(ACCOUNT, "devs", Optional.empty());
                    test.iam.groups().addUserToGroup(ACCOUNT, "devs", "alice");
                }, test -> test.iam.groups().removeUserFromGroup(ACCOUNT, "devs", "alice"),
                        "Cannot delete entity, must remove users from group first."),
                new Leftover("an enabled MFA device", test -> {
                    test.removeAliceKey();
                    test.enableMfaDevice();
                },
                        test -> test.store.write(writer -> {
                            writer.updateMfaDevice(writer.findMfaDevice(MFA_SERIAL).orElseThrow().deactivated());
                            return null;
                        }), "Cannot delete entity, must delete MFA device first."));
    }

    static final String MFA_SERIAL = "arn:aws:iam::123456789012:mfa/alice-phone";

    private void removeAliceKey() {
        users.deleteAccessKey(ACCOUNT, "alice", aliceKey.accessKey().accessKeyId());
    }

    private void attach(boolean attach) {
        ManagedPolicy readOnly = store.findManagedPolicy("aws", "IAMReadOnlyAccess").orElseThrow();
        store.write(writer -> {
            if (attach) {
                writer.attachPolicy(PolicyOwner.of(alice), readOnly.policyId());
            } else {
                writer.detachPolicy(PolicyOwner.of(alice), readOnly.policyId());
            }
            return null;
        });
    }

    private void enableMfaDevice() {
        var device = new MfaDevice(MFA_SERIAL, ACCOUNT, "alice-phone", "/", Optional.empty(), Optional.empty(), 0, 0,
                clock.instant(), List.of());
        store.write(writer -> {
            writer.createMfaDevice(device, Secret.ofUtf8("12345678901234567890"));
            writer.updateMfaDevice(device.enabledFor(alice.userId(), clock.instant(), 1));
            return null;
        });
    }

    @ParameterizedTest(name = "a user with {0} cannot be deleted until it is gone")
    @MethodSource("leftovers")
    void deleteUser_withSomethingLeft_isDeleteConflict_untilItIsRemoved(Leftover leftover) {
        leftover.add().accept(this);

        ApiException e = rejection(() -> users.deleteUser(ACCOUNT, "alice"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo(leftover.message());
        leftover.remove().accept(this);
        users.deleteUser(ACCOUNT, "alice");
        assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
    }

    // ---- the account's quota of users (IAM User Guide, "IAM and AWS STS quotas": 5,000 users per account)

    @Test
    void createUser_atTheAccountsQuota_isLimitExceeded409_andCreatesNothing() {
        fillUsersQuota(ACCOUNT);

        ApiException e = rejection(() -> users.createUser(ACCOUNT, CreateUserRequest.named("one-too-many")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for UsersPerAccount: 5000");
        assertThat(store.findUser(ACCOUNT, "one-too-many")).isEmpty();
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("Users", 5000)
                .containsEntry("UsersQuota", 5000);
    }

    @Test
    void createUser_atTheAccountsQuota_aNameTakenInAnyCase_isEntityAlreadyExistsFirst() {
        fillUsersQuota(ACCOUNT);

        ApiException e = rejection(() -> users.createUser(ACCOUNT, CreateUserRequest.named("ALICE")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("User with name ALICE already exists.");
    }

    @Test
    void createUser_atTheAccountsQuota_succeedsAgainOnceAUserIsDeleted() {
        fillUsersQuota(ACCOUNT);

        users.deleteUser(ACCOUNT, "bob");
        users.createUser(ACCOUNT, CreateUserRequest.named("dave"));

        assertThat(store.findUser(ACCOUNT, "dave")).isPresent();
        assertThat(rejection(() -> users.createUser(ACCOUNT, CreateUserRequest.named("erin"))).errorCode())
                .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void createUser_oneAccountAtItsQuota_leavesAnotherAccountFreeToCreate() {
        fillUsersQuota(ACCOUNT);

        users.createUser(OTHER_ACCOUNT, CreateUserRequest.named("dave"));

        assertThat(store.findUser(OTHER_ACCOUNT, "dave")).isPresent();
        assertThat(store.countUsers(OTHER_ACCOUNT)).isEqualTo(2);
    }

    /** Fills the account up to its quota in one write through the store, not thousands of CreateUser calls. */
    private void fillUsersQuota(String accountId) {
        var random = new SecureRandom();
        store.write(writer -> {
            for (int i = writer.countUsers(accountId); i < IamQuotas.AWS_DEFAULTS.users(); i++) {
                writer.createUser(new User(accountId, AccessKeyIds.newUniqueId("AIDA", random), "seeded-" + i, "/",
                        clock.instant(), Optional.empty(), List.of()));
            }
            return null;
        });
        assertThat(store.countUsers(accountId)).isEqualTo(IamQuotas.AWS_DEFAULTS.users());
    }

    // ---- tags

    @Test
    void tagUser_addsNewKeys_andReplacesTheValueOfAKeyInAnyCase() {
        users.tagUser(ACCOUNT, "alice", List.of(new Tag("Team", "platform"), new Tag("Cost", "42")));

        users.tagUser(ACCOUNT, "alice", List.of(new Tag("team", "security")));

        assertThat(users.getUser(ACCOUNT, "alice").tags())
                .containsExactly(new Tag("team", "security"), new Tag("Cost", "42"));
    }

    @Test
    void untagUser_removesKeysInAnyCase_andIgnoresUnknownOnes() {
        users.tagUser(ACCOUNT, "alice", List.of(new Tag("Team", "platform"), new Tag("Cost", "42")));

        users.untagUser(ACCOUNT, "alice", List.of("TEAM", "Nope"));

        assertThat(users.getUser(ACCOUNT, "alice").tags()).containsExactly(new Tag("Cost", "42"));
    }

    @Test
    void listUserTags_pagesInKeyOrder() {
        users.tagUser(ACCOUNT, "alice", List.of(new Tag("b", "2"), new Tag("C", "3"), new Tag("a", "1")));

        Page<Tag> first = users.listUserTags(ACCOUNT, "alice", Optional.empty(), Optional.of(2));
        Page<Tag> second = users.listUserTags(ACCOUNT, "alice", first.marker(), Optional.of(2));

        assertThat(first.items()).extracting(Tag::key).containsExactly("a", "b");
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.items()).extracting(Tag::key).containsExactly("C");
        assertThat(second.isTruncated()).isFalse();
    }

    // ---- permissions boundary

    @Test
    void putUserPermissionsBoundary_acceptsCustomerAndAwsManagedPolicies_andDeleteClearsIt() {
        users.putUserPermissionsBoundary(ACCOUNT, "alice", BOUNDARY);
        assertThat(users.getUser(ACCOUNT, "alice").permissionsBoundaryArn()).contains(BOUNDARY);
        assertThat(store.findManagedPolicy(ACCOUNT, "Boundary").orElseThrow().permissionsBoundaryUsageCount())
                .isEqualTo(1);

        users.putUserPermissionsBoundary(ACCOUNT, "alice", AWS_READ_ONLY);
        assertThat(users.getUser(ACCOUNT, "alice").permissionsBoundaryArn()).contains(AWS_READ_ONLY);

        users.deleteUserPermissionsBoundary(ACCOUNT, "alice");
        assertThat(users.getUser(ACCOUNT, "alice").permissionsBoundaryArn()).isEmpty();
        users.deleteUserPermissionsBoundary(ACCOUNT, "alice");
    }

    // ---- inline policies

    @Test
    void userPolicies_putReplacesByName_getListAndDelete() {
        users.putUserPolicy(ACCOUNT, "alice", "s3", ALLOW_S3);
        users.putUserPolicy(ACCOUNT, "alice", "b-other", ALLOW_S3);
        String replaced = ALLOW_S3.replace("s3:GetObject", "s3:PutObject");

        users.putUserPolicy(ACCOUNT, "ALICE", "s3", replaced);

        UserOperations.UserPolicy found = users.getUserPolicy(ACCOUNT, "Alice", "s3");
        assertThat(found.user().userName()).isEqualTo("alice");
        assertThat(found.policy()).isEqualTo(new InlinePolicy("s3", replaced));
        assertThat(users.listUserPolicies(ACCOUNT, "alice", Optional.empty(), Optional.empty()).items())
                .containsExactly("b-other", "s3");
        users.deleteUserPolicy(ACCOUNT, "alice", "s3");
        assertThat(users.listUserPolicies(ACCOUNT, "alice", Optional.empty(), Optional.of(1)).items())
                .containsExactly("b-other");
    }

    @Test
    void putUserPolicy_replacingTheLargestPolicy_countsOnlyTheNewDocument() {
        users.putUserPolicy(ACCOUNT, "alice", "one", largePolicy(1100));

        users.putUserPolicy(ACCOUNT, "alice", "one", largePolicy(1200));

        assertThat(users.listUserPolicies(ACCOUNT, "alice", Optional.empty(), Optional.empty()).items())
                .containsExactly("one");
    }

    // ---- access keys

    @Test
    void createAccessKey_generatesAnActiveAkiaIdOfTheAccountAndA40CharacterSecret() {
        AccessKeyCredentials key = users.createAccessKey(ACCOUNT, "bob");

        assertThat(key.accessKey().accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(AccessKeyIds.accountIdOf(key.accessKey().accessKeyId())).contains(ACCOUNT);
        assertThat(key.secretAccessKey().revealUtf8()).hasSize(40);
        assertThat(key.accessKey().status()).isEqualTo(AccessKeyStatus.ACTIVE);
        assertThat(key.toString()).doesNotContain(key.secretAccessKey().revealUtf8());
        assertThat(store.findAccessKey(key.accessKey().accessKeyId()).orElseThrow().secretAccessKey()
                .matches(key.secretAccessKey().revealBytes())).isTrue();
    }

    @Test
    void updateAccessKey_makesTheKeyInactiveAndActiveAgain() {
        String id = aliceKey.accessKey().accessKeyId();

        users.updateAccessKey(ACCOUNT, "alice", id, "Inactive");
        assertThat(store.findAccessKey(id).orElseThrow().accessKey().status()).isEqualTo(AccessKeyStatus.INACTIVE);

        users.updateAccessKey(ACCOUNT, "alice", id, "Active");
        assertThat(store.findAccessKey(id).orElseThrow().accessKey().status()).isEqualTo(AccessKeyStatus.ACTIVE);
    }

    @Test
    void updateAccessKey_anotherUsersKey_isNoSuchEntity_andChangesNothing() {
        String id = aliceKey.accessKey().accessKeyId();

        ApiException e = rejection(() -> users.updateAccessKey(ACCOUNT, "bob", id, "Inactive"));

        assertThat(e.getMessage()).isEqualTo("The Access Key with id " + id + " cannot be found.");
        assertThat(store.findAccessKey(id).orElseThrow().accessKey().status()).isEqualTo(AccessKeyStatus.ACTIVE);
    }

    @Test
    void deleteAccessKey_removesTheKeyForGood() {
        String id = aliceKey.accessKey().accessKeyId();

        users.deleteAccessKey(ACCOUNT, "alice", id);

        assertThat(store.findAccessKey(id)).isEmpty();
        assertThat(rejection(() -> users.deleteAccessKey(ACCOUNT, "alice", id)).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    @Test
    void listAccessKeys_pagesOldestFirst() {
        Clock aMinuteLater = Clock.offset(clock, Duration.ofMinutes(1));
        AccessKeyCredentials second = new IamService(store, aMinuteLater, new SecureRandom()).users()
                .createAccessKey(ACCOUNT, "alice");

        Page<AccessKey> first = users.listAccessKeys(ACCOUNT, "alice", Optional.empty(), Optional.of(1));
        Page<AccessKey> rest = users.listAccessKeys(ACCOUNT, "alice", first.marker(), Optional.empty());

        assertThat(first.items()).extracting(AccessKey::accessKeyId)
                .containsExactly(aliceKey.accessKey().accessKeyId());
        assertThat(rest.items()).extracting(AccessKey::accessKeyId)
                .containsExactly(second.accessKey().accessKeyId());
        assertThat(rest.isTruncated()).isFalse();
    }

    @Test
    void importAccessKey_keepsTheGivenIdAndSecret() {
        String id = AccessKeyIds.newLongTerm(ACCOUNT, new SecureRandom());
        Secret secret = Secret.ofUtf8("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

        users.importAccessKey(ACCOUNT, "bob", id, secret);

        assertThat(store.findAccessKey(id).orElseThrow().secretAccessKey().matches(secret.revealBytes())).isTrue();
    }

    @Test
    void getAccessKeyLastUsed_neverUsed_hasOnlyTheOwner_thenTheRecordedUse() {
        String id = aliceKey.accessKey().accessKeyId();
        assertThat(users.getAccessKeyLastUsed(ACCOUNT, id))
                .contains(new UserOperations.AccessKeyUsage("alice", Optional.empty()));
        var use = new AccessKeyLastUsed(clock.instant(), "eu-west-1", "sts");

        LastUsedRecorder<AccessKeyLastUsed> recorder = LastUsedRecorder.forAccessKeys();
        recorder.record(id, use);
        recorder.flush(store);

        assertThat(users.getAccessKeyLastUsed(ACCOUNT, id).orElseThrow().lastUsed()).contains(use);
    }

    @Test
    void getAccessKeyLastUsed_anotherAccountsKeyOrAnUnknownOne_isNotFound() {
        String id = aliceKey.accessKey().accessKeyId();

        assertThat(users.getAccessKeyLastUsed(OTHER_ACCOUNT, id)).isEmpty();
        assertThat(users.getAccessKeyLastUsed(ACCOUNT, "AKIAIOSFODNN7EXAMPLE")).isEmpty();
    }

    // ---- helpers

    static List<Tag> tags(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> new Tag("key" + i, "value" + i)).toList();
    }

    /** An identity policy of about {@code resourceLength} characters without whitespace. */
    static String largePolicy(int resourceLength) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(resourceLength) + "\"}]}";
    }
}
