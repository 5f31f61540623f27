package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * The role operations on a real (in-memory H2) store: every operation, then every error in IAM's words, then the
 * record of when a role was last used.
 */
class RoleOperationsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";
    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static final String BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/boundaries/Boundary";
    private static final String ALICE = "arn:aws:iam::123456789012:user/alice";

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final RoleOperations roles = iam.roles();

    RoleOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.managedPolicies().createPolicy(ACCOUNT, new CreatePolicyRequest("Boundary", Optional.of("/boundaries/"),
                ALLOW_S3, Optional.empty(), List.of()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private Role createDemo() {
        return roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", TRUST));
    }

    // ---- CreateRole, GetRole, ListRoles

    @Test
    void createRole_defaultsToOneHourAndTheRootPath() {
        Role role = createDemo();

        assertThat(role.roleId()).startsWith("AROA").hasSize(21);
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/demo");
        assertThat(role.maxSessionDuration()).isEqualTo(3600);
        assertThat(role.createDate()).isEqualTo(clock.instant());
        assertThat(roles.getRole(ACCOUNT, "DEMO")).isEqualTo(role);
    }

    @Test
    void createRole_withEveryMember_keepsThemAll() {
        Role role = roles.createRole(ACCOUNT, new CreateRoleRequest("deployer", Optional.of("/ci/"), TRUST,
                Optional.of("Deploys"), Optional.of(7200),
                Optional.of("arn:aws:iam::123456789012:policy/boundaries/BOUNDARY"),
                List.of(new Tag("Team", "Platform"))));

        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/ci/deployer");
        assertThat(role.description()).contains("Deploys");
        assertThat(role.maxSessionDuration()).isEqualTo(7200);
        assertThat(role.permissionsBoundaryArn()).as("the policy's own spelling of its ARN").contains(BOUNDARY_ARN);
        assertThat(role.tags()).containsExactly(new Tag("Team", "Platform"));
        assertThat(roles.getRole(ACCOUNT, "deployer")).isEqualTo(role);
    }

    @Test
    void listRoles_pagesThroughTheRolesOfAPathInNameOrder() {
        for (String name : List.of("e", "C", "a", "d", "b")) {
            roles.createRole(ACCOUNT, new CreateRoleRequest(name, Optional.of("/app/"), TRUST, Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of()));
        }
        roles.createRole(ACCOUNT, CreateRoleRequest.of("outside", TRUST));

        var names = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        int pages = 0;
        do {
            Page<Role> page = roles.listRoles(ACCOUNT, Optional.of("/app/"), marker, Optional.of(2));
            page.items().forEach(role -> names.add(role.roleName()));
            marker = page.marker();
            pages++;
        } while (marker.isPresent());

        assertThat(names).containsExactly("a", "b", "C", "d", "e");
        assertThat(pages).isEqualTo(3);
        assertThat(roles.listRoles(ACCOUNT, Optional.empty(), Optional.empty(), Optional.empty()).items())
                .hasSize(6);
    }

    // ---- the account's quota of roles (IAM User Guide, "IAM and AWS STS quotas": 1,000 roles per account)

    @Test
    void createRole_atTheAccountsQuota_isLimitExceeded409_andCreatesNothing() {
        fillRolesQuota(ACCOUNT);

        ApiException e = rejection(() -> roles.createRole(ACCOUNT, CreateRoleRequest.of("one-too-many", TRUST)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for RolesPerAccount: 1000");
        assertThat(store.findRole(ACCOUNT, "one-too-many")).isEmpty();
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("Roles", 1000)
                .containsEntry("RolesQuota", 1000);
    }

    @Test
    void createRole_atTheAccountsQuota_aNameTakenInAnyCase_isEntityAlreadyExistsFirst() {
        createDemo();
        fillRolesQuota(ACCOUNT);

        ApiException e = rejection(() -> roles.createRole(ACCOUNT, CreateRoleRequest.of("DEMO", TRUST)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
        assertThat(e.getMessage()).isEqualTo("Role with name DEMO already exists.");
    }

    @Test
    void createRole_atTheAccountsQuota_succeedsAgainOnceARoleIsDeleted() {
        createDemo();
        fillRolesQuota(ACCOUNT);

        roles.deleteRole(ACCOUNT, "demo");
        roles.createRole(ACCOUNT, CreateRoleRequest.of("worker", TRUST));

        assertThat(store.findRole(ACCOUNT, "worker")).isPresent();
        assertThat(rejection(() -> roles.createRole(ACCOUNT, CreateRoleRequest.of("batch", TRUST))).errorCode())
                .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void createRole_oneAccountAtItsQuota_leavesAnotherAccountFreeToCreate() {
        String otherAccount = "210987654321";
        iam.accounts().createAccount(otherAccount);
        fillRolesQuota(ACCOUNT);

        roles.createRole(otherAccount, CreateRoleRequest.of("demo", TRUST.replace(ACCOUNT, otherAccount)));

        assertThat(store.findRole(otherAccount, "demo")).isPresent();
    }

    @Test
    void createRole_withTheQuotaRaised_goesPastAwssDefault_upToTheRaisedQuota_whichTheSummaryReports() {
        fillRolesQuota(ACCOUNT);
        var raised = new IamService(store, clock, new SecureRandom(), IamQuotas.AWS_DEFAULTS.with("Roles", 1001));

        raised.roles().createRole(ACCOUNT, CreateRoleRequest.of("one-more", TRUST));

        assertThat(store.findRole(ACCOUNT, "one-more")).isPresent();
        ApiException e = rejection(() -> raised.roles().createRole(ACCOUNT, CreateRoleRequest.of("past", TRUST)));
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for RolesPerAccount: 1001");
        assertThat(raised.accounts().getAccountSummary(ACCOUNT)).containsEntry("Roles", 1001)
                .containsEntry("RolesQuota", 1001);
    }

    /** Fills the account up to its quota in one write through the store, not a thousand CreateRole calls. */
    private void fillRolesQuota(String accountId) {
        var random = new SecureRandom();
        TrustPolicy trustPolicy = TrustPolicy.of(TRUST.replace(ACCOUNT, accountId), Map.of());
        store.write(writer -> {
            for (int i = writer.countRoles(accountId); i < IamQuotas.AWS_DEFAULTS.roles(); i++) {
                writer.createRole(new Role(accountId, AccessKeyIds.newUniqueId("AROA", random), "seeded-" + i, "/",
                        trustPolicy, Optional.empty(), Role.DEFAULT_MAX_SESSION_DURATION, Optional.empty(),
                        List.of(), clock.instant()));
            }
            return null;
        });
        assertThat(store.countRoles(accountId)).isEqualTo(IamQuotas.AWS_DEFAULTS.roles());
    }

    // ---- UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy

    @Test
    void updateRole_changesOnlyWhatIsGiven() {
        createDemo();

        roles.updateRole(ACCOUNT, "demo", Optional.of("for tests"), Optional.empty());
        roles.updateRole(ACCOUNT, "demo", Optional.empty(), Optional.of(7200));

        Role role = roles.getRole(ACCOUNT, "demo");
        assertThat(role.description()).contains("for tests");
        assertThat(role.maxSessionDuration()).isEqualTo(7200);
    }

    @Test
    void updateRoleDescription_answersWithTheUpdatedRole() {
        createDemo();

        Role role = roles.updateRoleDescription(ACCOUNT, "demo", "described");

        assertThat(role.description()).contains("described");
        assertThat(roles.getRole(ACCOUNT, "demo")).isEqualTo(role);
    }

    @Test
    void updateAssumeRolePolicy_replacesTheTrustPolicy() {
        createDemo();
        User alice = createUser("alice");
        String other = TRUST.replace(":root", ":user/alice");

        roles.updateAssumeRolePolicy(ACCOUNT, "demo", other);

        Role role = roles.getRole(ACCOUNT, "demo");
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(other);
        assertThat(role.trustPolicy().bindings()).containsExactly(Map.entry(ALICE, alice.userId()));
    }

    // ---- Trust policies: the users and roles they name are bound to their unique ids

    private User createUser(String name) {
        return iam.users().createUser(ACCOUNT, new CreateUserRequest(name, Optional.empty(), Optional.empty(),
                List.of()));
    }

    private static String trusting(String... principals) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\""
                + String.join("\",\"", principals) + "\"]},\"Action\":\"sts:AssumeRole\"}]}";
    }

    record Invalid(String name, String principal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> principalsThatNameNothing() {
        return Stream.of(
                new Invalid("a user that does not exist", "arn:aws:iam::123456789012:user/nobody"),
                new Invalid("a role that does not exist", "arn:aws:iam::123456789012:role/nobody"),
                new Invalid("the role being created", "arn:aws:iam::123456789012:role/demo"),
                new Invalid("a user under another path than its own", "arn:aws:iam::123456789012:user/ops/alice"),
                new Invalid("a user of an account this deployment does not hold",
                        "arn:aws:iam::444455556666:user/alice"),
                new Invalid("a user id that is nobody's", "AIDAEXAMPLEEXAMPLE000"),
                new Invalid("a role id that is nobody's", "AROAEXAMPLEEXAMPLE000"));
    }

    @ParameterizedTest(name = "CreateRole trusting {0} is MalformedPolicyDocument")
    @MethodSource("principalsThatNameNothing")
    void createRole_trustNamingNoExistingUserOrRole_isInvalidPrincipal(Invalid c) {
        createUser("alice");

        ApiException e = rejection(() -> roles.createRole(ACCOUNT, CreateRoleRequest.of("demo",
                trusting(ALICE, c.principal()))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        assertThat(e.getMessage()).isEqualTo("Invalid principal in policy: \"AWS\":\"" + c.principal() + "\"");
        assertThat(store.findRole(ACCOUNT, "demo")).isEmpty();
    }

    /** Once the role exists it may trust itself; every other principal still names nothing. */
    static Stream<Invalid> principalsThatNameNothingOnceTheRoleExists() {
        return principalsThatNameNothing().filter(c -> !c.principal().endsWith(":role/demo"));
    }

    @ParameterizedTest(name = "UpdateAssumeRolePolicy trusting {0} is MalformedPolicyDocument")
    @MethodSource("principalsThatNameNothingOnceTheRoleExists")
    void updateAssumeRolePolicy_trustNamingNoExistingUserOrRole_isInvalidPrincipalAndChangesNothing(Invalid c) {
        createUser("alice");
        Role before = roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(ALICE)));

        ApiException e = rejection(() -> roles.updateAssumeRolePolicy(ACCOUNT, "demo", trusting(c.principal())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        assertThat(e.getMessage()).isEqualTo("Invalid principal in policy: \"AWS\":\"" + c.principal() + "\"");
        assertThat(roles.getRole(ACCOUNT, "demo")).isEqualTo(before);
    }

    @Test
    void updateAssumeRolePolicy_roleTrustingItself_isBoundToItsOwnId() {
        Role demo = createDemo();

        roles.updateAssumeRolePolicy(ACCOUNT, "demo", trusting(demo.arn()));

        assertThat(roles.getRole(ACCOUNT, "demo").trustPolicy().bindings())
                .containsExactly(Map.entry(demo.arn(), demo.roleId()));
    }

    @Test
    void createRole_trustNamingAccountsSessionsAndEveryone_bindsNothingAndKeepsThemAsWritten() {
        String trust = trusting("123456789012", "arn:aws:iam::123456789012:root", "arn:aws:iam::444455556666:root",
                "arn:aws:sts::123456789012:assumed-role/gone/session", "arn:aws:sts::123456789012:federated-user/f",
                "*");

        Role role = roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trust));

        assertThat(role.trustPolicy().bindings()).isEmpty();
        assertThat(role.trustPolicy().evaluatedDocument()).isEqualTo(trust);
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trust);
    }

    @Test
    void createRole_trustNamingUsersAndRoles_bindsEachToItsUniqueIdAndEvaluatesTheIds() {
        User alice = createUser("alice");
        Role ops = roles.createRole(ACCOUNT, new CreateRoleRequest("ops", Optional.of("/team/"), TRUST,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
        String trust = trusting(ALICE, ops.arn(), "123456789012");

        Role role = roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trust));

        assertThat(role.trustPolicy().document()).isEqualTo(trust);
        assertThat(role.trustPolicy().bindings())
                .containsExactly(Map.entry(ALICE, alice.userId()), Map.entry(ops.arn(), ops.roleId()));
        assertThat(role.trustPolicy().evaluatedDocument())
                .isEqualTo(trusting(alice.userId(), ops.roleId(), "123456789012"));
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trust);
    }

    @Test
    void createRole_trustNamingAUniqueId_bindsItAndShowsTheEntitysArn() {
        User alice = createUser("alice");

        Role role = roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(alice.userId())));

        assertThat(role.trustPolicy().bindings()).containsExactly(Map.entry(alice.userId(), alice.userId()));
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trusting(ALICE));
    }

    @Test
    void trustPolicyDocument_afterTheUserIsDeleted_showsItsUniqueIdAndTheRestAsSubmitted() {
        User alice = createUser("alice");
        String trust = "{ \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": "
                + "{\"AWS\": \"" + ALICE + "\"},\n  \"Action\": \"sts:AssumeRole\"}] }";
        roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trust));

        iam.users().deleteUser(ACCOUNT, "alice");

        assertThat(roles.trustPolicyDocument(roles.getRole(ACCOUNT, "demo")))
                .isEqualTo(trust.replace(ALICE, alice.userId()));
    }

    @Test
    void trustPolicyDocument_afterTheRoleIsDeleted_showsItsUniqueId() {
        Role ops = roles.createRole(ACCOUNT, CreateRoleRequest.of("ops", TRUST));
        roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(ops.arn())));

        roles.deleteRole(ACCOUNT, "ops");

        assertThat(roles.trustPolicyDocument(roles.getRole(ACCOUNT, "demo"))).isEqualTo(trusting(ops.roleId()));
    }

    @Test
    void trustPolicyDocument_userDeletedAndCreatedAgain_showsTheOldIdAndEvaluatesOnlyTheOldOne() {
        User old = createUser("alice");
        roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(ALICE)));
        iam.users().deleteUser(ACCOUNT, "alice");

        User namesake = createUser("alice");

        Role role = roles.getRole(ACCOUNT, "demo");
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trusting(old.userId()));
        assertThat(role.trustPolicy().evaluatedDocument()).isEqualTo(trusting(old.userId()))
                .doesNotContain(namesake.userId());
    }

    @Test
    void updateAssumeRolePolicy_namingAUserCreatedAgain_bindsTheNewOne() {
        createUser("alice");
        roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(ALICE)));
        iam.users().deleteUser(ACCOUNT, "alice");
        User namesake = createUser("alice");

        roles.updateAssumeRolePolicy(ACCOUNT, "demo", trusting(ALICE));

        Role role = roles.getRole(ACCOUNT, "demo");
        assertThat(role.trustPolicy().bindings()).containsExactly(Map.entry(ALICE, namesake.userId()));
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trusting(ALICE));
    }

    @Test
    void trustPolicyDocument_afterTheUserIsRenamedAndMoved_showsItsNewArnAndStillBindsIt() {
        User alice = createUser("alice");
        roles.createRole(ACCOUNT, CreateRoleRequest.of("demo", trusting(ALICE)));

        iam.users().updateUser(ACCOUNT, "alice", Optional.of("alice2"), Optional.of("/ops/"));

        Role role = roles.getRole(ACCOUNT, "demo");
        assertThat(roles.trustPolicyDocument(role)).isEqualTo(trusting("arn:aws:iam::123456789012:user/ops/alice2"));
        assertThat(role.trustPolicy().evaluatedDocument()).isEqualTo(trusting(alice.userId()));
    }

    // ---- DeleteRole

    @Test
    void deleteRole_withNothingLeft_removesIt() {
        createDemo();
        roles.putRolePolicy(ACCOUNT, "demo", "s3", ALLOW_S3);
        iam.managedPolicies().attachRolePolicy(ACCOUNT, "demo", BOUNDARY_ARN);
        roles.deleteRolePolicy(ACCOUNT, "demo", "s3");
        iam.managedPolicies().detachRolePolicy(ACCOUNT, "demo", BOUNDARY_ARN);

        roles.deleteRole(ACCOUNT, "demo");

        assertThat(store.findRole(ACCOUNT, "demo")).isEmpty();
    }

    // ---- tags

    @Test
    void tagRole_addsTagsAndReplacesAKeyGivenInAnotherCase() {
        roles.createRole(ACCOUNT, new CreateRoleRequest("demo", Optional.empty(), TRUST, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(new Tag("Team", "a"), new Tag("Cost", "1"))));

        roles.tagRole(ACCOUNT, "demo", List.of(new Tag("team", "b"), new Tag("Env", "prod")));

        assertThat(roles.getRole(ACCOUNT, "demo").tags())
                .containsExactly(new Tag("team", "b"), new Tag("Cost", "1"), new Tag("Env", "prod"));
    }

    @Test
    void untagRole_removesKeysInAnyCaseAndIgnoresUnknownOnes() {
        roles.createRole(ACCOUNT, new CreateRoleRequest("demo", Optional.empty(), TRUST, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(new Tag("Team", "a"), new Tag("Cost", "1"))));

        roles.untagRole(ACCOUNT, "demo", List.of("TEAM", "missing"));

        assertThat(roles.getRole(ACCOUNT, "demo").tags()).containsExactly(new Tag("Cost", "1"));
    }

    @Test
    void listRoleTags_pagesInKeyOrder() {
        createDemo();
        roles.tagRole(ACCOUNT, "demo", List.of(new Tag("c", "3"), new Tag("A", "1"), new Tag("b", "2")));

        Page<Tag> first = roles.listRoleTags(ACCOUNT, "demo", Optional.empty(), Optional.of(2));
        Page<Tag> second = roles.listRoleTags(ACCOUNT, "demo", first.marker(), Optional.of(2));

        assertThat(first.items()).containsExactly(new Tag("A", "1"), new Tag("b", "2"));
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.items()).containsExactly(new Tag("c", "3"));
        assertThat(second.isTruncated()).isFalse();
    }

    // ---- permissions boundary

    @Test
    void putAndDeleteRolePermissionsBoundary_setAndClearTheBoundary() {
        createDemo();

        roles.putRolePermissionsBoundary(ACCOUNT, "demo", BOUNDARY_ARN);
        assertThat(roles.getRole(ACCOUNT, "demo").permissionsBoundaryArn()).contains(BOUNDARY_ARN);
        assertThat(iam.managedPolicies().getPolicy(ACCOUNT, BOUNDARY_ARN).permissionsBoundaryUsageCount())
                .isEqualTo(1);

        roles.deleteRolePermissionsBoundary(ACCOUNT, "demo");
        assertThat(roles.getRole(ACCOUNT, "demo").permissionsBoundaryArn()).isEmpty();
    }

    @Test
    void putRolePermissionsBoundary_awsManagedPolicy_isAccepted() {
        createDemo();

        roles.putRolePermissionsBoundary(ACCOUNT, "demo", "arn:aws:iam::aws:policy/PowerUserAccess");

        assertThat(roles.getRole(ACCOUNT, "demo").permissionsBoundaryArn())
                .contains("arn:aws:iam::aws:policy/PowerUserAccess");
    }

    // ---- inline policies

    @Test
    void putRolePolicy_replacesAPolicyOfTheSameName() {
        Role role = createDemo();
        roles.putRolePolicy(ACCOUNT, "demo", "s3", ALLOW_S3);
        String other = ALLOW_S3.replace("s3:GetObject", "s3:PutObject");

        roles.putRolePolicy(ACCOUNT, "demo", "s3", other);

        assertThat(store.listInlinePolicies(PolicyOwner.of(role))).containsExactly(new InlinePolicy("s3", other));
        assertThat(roles.getRolePolicy(ACCOUNT, "demo", "s3").policyDocument()).isEqualTo(other);
    }

    @Test
    void listRolePolicies_pagesThroughTheNamesInOrder() {
        createDemo();
        for (String name : List.of("c", "a", "b")) {
            roles.putRolePolicy(ACCOUNT, "demo", name, ALLOW_S3);
        }

        Page<String> first = roles.listRolePolicies(ACCOUNT, "demo", Optional.empty(), Optional.of(2));
        Page<String> rest = roles.listRolePolicies(ACCOUNT, "demo", first.marker(), Optional.empty());

        assertThat(first.items()).containsExactly("a", "b");
        assertThat(rest.items()).containsExactly("c");
    }

    @Test
    void deleteRolePolicy_removesOnlyThatPolicy() {
        createDemo();
        roles.putRolePolicy(ACCOUNT, "demo", "one", ALLOW_S3);
        roles.putRolePolicy(ACCOUNT, "demo", "two", ALLOW_S3);

        roles.deleteRolePolicy(ACCOUNT, "demo", "one");

        assertThat(roles.listRolePolicies(ACCOUNT, "demo", Optional.empty(), Optional.empty()).items())
                .containsExactly("two");
    }

    // ---- every error, in IAM's words

    /** A call that IAM rejects, on a store holding role {@code demo} with inline policy {@code inline}. */
    record ErrorCase(String name, Consumer<RoleOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String largeTrustPolicy() {
        var statements = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"S").append(i).append("\",\"Effect\":\"Allow\","
                    + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/u").append(i)
                    .append("\"},\"Action\":\"sts:AssumeRole\"}");
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
    }

    private static String identityPolicyOfSize(int resourceLength) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(resourceLength) + "\"}]}";
    }

    private static List<Tag> tags(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> new Tag(prefix + i, "v")).toList();
    }

    static Stream<ErrorCase> errors() {
        String tooLong = "a".repeat(65);
        return Stream.of(
                new ErrorCase("createRole with a name taken in another case", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of("DEMO", TRUST)), ErrorCode.ENTITY_ALREADY_EXISTS,
                        "Role with name DEMO already exists."),
                new ErrorCase("createRole with 65 characters of name", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of(tooLong, TRUST)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'roleName' failed to satisfy "
                                + "constraint: Member must have length less than or equal to 64"),
                new ErrorCase("createRole with a space in its name", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of("de mo", TRUST)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'roleName' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new ErrorCase("createRole with a path without its trailing slash", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.of("/team"), TRUST, Optional.empty(),
                                Optional.empty(), Optional.empty(), List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'path' failed to satisfy constraint: Member "
                                + "must satisfy regular expression pattern: "
                                + "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"),
                new ErrorCase("createRole lasting more than 12 hours", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.empty(),
                                Optional.of(43201), Optional.empty(), List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy "
                                + "constraint: Member must have value less than or equal to 43200"),
                new ErrorCase("createRole lasting less than an hour", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.empty(),
                                Optional.of(3599), Optional.empty(), List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy "
                                + "constraint: Member must have value greater than or equal to 3600"),
                new ErrorCase("createRole with a description of 1001 characters", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.of("d".repeat(1001)),
                                Optional.empty(), Optional.empty(), List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'description' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 1000"),
                new ErrorCase("createRole trusting no principal", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of("other", ALLOW_S3)), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("createRole with a trust policy that is not JSON", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of("other", "not json")), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("createRole with a trust policy above 2048 characters", ops -> ops.createRole(ACCOUNT,
                        CreateRoleRequest.of("other", largeTrustPolicy())), ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for ACLSizePerRole: 2048"),
                new ErrorCase("createRole with a boundary that is no policy", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.empty(), Optional.empty(),
                                Optional.of("arn:aws:iam::123456789012:role/demo"), List.of())),
                        ErrorCode.INVALID_INPUT, "ARN arn:aws:iam::123456789012:role/demo is not valid."),
                new ErrorCase("createRole with a boundary that does not exist", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.empty(), Optional.empty(),
                                Optional.of("arn:aws:iam::123456789012:policy/Missing"), List.of())),
                        ErrorCode.NO_SUCH_ENTITY,
                        "Scope ARN: arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable."),
                new ErrorCase("createRole with duplicate tag keys", ops -> ops.createRole(ACCOUNT,
                        new CreateRoleRequest("other", Optional.empty(), TRUST, Optional.empty(), Optional.empty(),
                                Optional.empty(), List.of(new Tag("Team", "a"), new Tag("team", "b")))),
                        ErrorCode.INVALID_INPUT,
                        "Duplicate tag keys found. Please note that Tag keys are case insensitive."),
                new ErrorCase("createRole in an account that does not exist", ops -> ops.createRole("999999999999",
                        CreateRoleRequest.of("other", TRUST)), ErrorCode.NO_SUCH_ENTITY,
                        "The account 999999999999 cannot be found."),
                new ErrorCase("getRole of an unknown role", ops -> ops.getRole(ACCOUNT, "nobody"),
                        ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("listRoles with a marker that is not ours", ops -> ops.listRoles(ACCOUNT,
                        Optional.empty(), Optional.of("!!"), Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "Invalid Marker."),
                new ErrorCase("listRoles with MaxItems 0", ops -> ops.listRoles(ACCOUNT, Optional.empty(),
                        Optional.empty(), Optional.of(0)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member "
                                + "must have value greater than or equal to 1"),
                new ErrorCase("updateRole of an unknown role", ops -> ops.updateRole(ACCOUNT, "nobody",
                        Optional.of("x"), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The role with name nobody cannot be found."),
                new ErrorCase("updateRoleDescription of an unknown role", ops -> ops.updateRoleDescription(ACCOUNT,
                        "nobody", "x"), ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("updateAssumeRolePolicy with an identity policy", ops -> ops.updateAssumeRolePolicy(
                        ACCOUNT, "demo", ALLOW_S3), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("deleteRole with an inline policy left", ops -> ops.deleteRole(ACCOUNT, "demo"),
                        ErrorCode.DELETE_CONFLICT, "Cannot delete entity, must delete policies first."),
                new ErrorCase("deleteRole of an unknown role", ops -> ops.deleteRole(ACCOUNT, "nobody"),
                        ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("tagRole beyond 50 tags", ops -> {
                    ops.tagRole(ACCOUNT, "demo", tags(30, "a"));
                    ops.tagRole(ACCOUNT, "demo", tags(21, "b"));
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for TagsPerRole: 50"),
                new ErrorCase("tagRole with a reserved key", ops -> ops.tagRole(ACCOUNT, "demo",
                        List.of(new Tag("aws:team", "x"))), ErrorCode.INVALID_INPUT,
                        "User-defined tag keys can't start with 'aws:'. This prefix is reserved for system tags."),
                new ErrorCase("untagRole of an unknown role", ops -> ops.untagRole(ACCOUNT, "nobody",
                        List.of("a")), ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("listRoleTags of an unknown role", ops -> ops.listRoleTags(ACCOUNT, "nobody",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The role with name nobody cannot be found."),
                new ErrorCase("putRolePermissionsBoundary with a role ARN", ops -> ops.putRolePermissionsBoundary(
                        ACCOUNT, "demo", "arn:aws:iam::123456789012:role/demo"), ErrorCode.INVALID_INPUT,
                        "ARN arn:aws:iam::123456789012:role/demo is not valid."),
                new ErrorCase("putRolePermissionsBoundary with another account's policy",
                        ops -> ops.putRolePermissionsBoundary(ACCOUNT, "demo",
                                "arn:aws:iam::210987654321:policy/boundaries/Boundary"), ErrorCode.NO_SUCH_ENTITY,
                        "Scope ARN: arn:aws:iam::210987654321:policy/boundaries/Boundary does not exist or is not "
                                + "attachable."),
                new ErrorCase("putRolePermissionsBoundary with the policy under another path",
                        ops -> ops.putRolePermissionsBoundary(ACCOUNT, "demo",
                                "arn:aws:iam::123456789012:policy/Boundary"), ErrorCode.NO_SUCH_ENTITY,
                        "Scope ARN: arn:aws:iam::123456789012:policy/Boundary does not exist or is not attachable."),
                new ErrorCase("deleteRolePermissionsBoundary of an unknown role",
                        ops -> ops.deleteRolePermissionsBoundary(ACCOUNT, "nobody"), ErrorCode.NO_SUCH_ENTITY,
                        "The role with name nobody cannot be found."),
                new ErrorCase("putRolePolicy with a trust policy", ops -> ops.putRolePolicy(ACCOUNT, "demo", "bad",
                        TRUST), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("putRolePolicy beyond 10240 characters for the role", ops -> {
                    ops.putRolePolicy(ACCOUNT, "demo", "one", identityPolicyOfSize(5100));
                    ops.putRolePolicy(ACCOUNT, "demo", "two", identityPolicyOfSize(5100));
                }, ErrorCode.LIMIT_EXCEEDED, "Maximum policy size of 10240 bytes exceeded for role demo"),
                new ErrorCase("putRolePolicy on an unknown role", ops -> ops.putRolePolicy(ACCOUNT, "nobody",
                        "s3", ALLOW_S3), ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("getRolePolicy of an unknown policy", ops -> ops.getRolePolicy(ACCOUNT, "demo",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The role policy with name missing cannot be found."),
                new ErrorCase("deleteRolePolicy of an unknown policy", ops -> ops.deleteRolePolicy(ACCOUNT, "demo",
                        "missing"), ErrorCode.NO_SUCH_ENTITY, "The role policy with name missing cannot be found."),
                new ErrorCase("listRolePolicies of an unknown role", ops -> ops.listRolePolicies(ACCOUNT, "nobody",
                        Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "The role with name nobody cannot be found."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyRejection_hasIamsCodeStatusAndWords(ErrorCase testCase) {
        createDemo();
        roles.putRolePolicy(ACCOUNT, "demo", "inline", ALLOW_S3);

        ApiException e = rejection(() -> testCase.call().accept(roles));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        assertThat(e.errorCode().httpStatus()).isEqualTo(switch (testCase.code()) {
            case NO_SUCH_ENTITY -> 404;
            case ENTITY_ALREADY_EXISTS, DELETE_CONFLICT, LIMIT_EXCEEDED -> 409;
            default -> 400;
        });
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message());
        }
    }

    @Test
    void deleteRole_withAnAttachedPolicyLeft_isDeleteConflict() {
        createDemo();
        iam.managedPolicies().attachRolePolicy(ACCOUNT, "demo", "arn:aws:iam::aws:policy/IAMReadOnlyAccess");

        ApiException e = rejection(() -> roles.deleteRole(ACCOUNT, "demo"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("Cannot delete entity, must detach all policies first.");
    }

    @Test
    void aRejectedWrite_changesNothing() {
        createDemo();
        roles.tagRole(ACCOUNT, "demo", tags(50, "t"));

        rejection(() -> roles.tagRole(ACCOUNT, "demo", List.of(new Tag("one-more", "x"))));

        assertThat(roles.getRole(ACCOUNT, "demo").tags()).hasSize(50);
    }

    // ---- last use

    @Test
    void lastUsed_isEmptyUntilAUseIsFlushed_thenTellsWhenAndWhere() {
        Role role = createDemo();
        LastUsedRecorder<RoleLastUsed> recorder = LastUsedRecorder.forRoles();
        Instant assumedAt = clock.instant().plusSeconds(60);
        recorder.record(role.roleId(), new RoleLastUsed(assumedAt, "eu-west-1"));

        assertThat(roles.lastUsed(role)).isEmpty();
        recorder.flush(store);

        assertThat(roles.lastUsed(role)).contains(new RoleLastUsed(assumedAt, "eu-west-1"));
    }
}
