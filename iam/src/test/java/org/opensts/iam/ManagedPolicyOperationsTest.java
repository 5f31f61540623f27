package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
import org.opensts.protocol.testing.MutableClock;
import org.opensts.token.AccessKeyIds;

/**
 * The managed policy operations on a real (in-memory H2) store: policies, versions, tags, who uses a policy, and
 * attachments to users, groups and roles; then every error in IAM's words.
 */
class ManagedPolicyOperationsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",\
            "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";
    private static final String ALLOW_S3 = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static final String ALLOW_SQS = ALLOW_S3.replace("s3:GetObject", "sqs:SendMessage");
    private static final String READ_ARN = "arn:aws:iam::123456789012:policy/team/Read";
    private static final String AWS_READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    private static final String AWS_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String LAMBDA_BASIC_EXECUTION =
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final String SERVICE_LINKED = "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy";
    private static final int AWS_MANAGED_COUNT = AwsManagedPolicyCatalog.load().policies().size();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final ManagedPolicyOperations policies = iam.managedPolicies();

    ManagedPolicyOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
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

    private ManagedPolicy createRead() {
        return policies.createPolicy(ACCOUNT, new CreatePolicyRequest("Read", Optional.of("/team/"), ALLOW_S3,
                Optional.of("Reads objects"), List.of(new Tag("Team", "Platform"))));
    }

    private Role createRole(String accountId, String name) {
        return iam.roles().createRole(accountId, CreateRoleRequest.of(name, TRUST.replace(ACCOUNT, accountId)));
    }

    private Group createGroup(String name, String path) {
        var group = new Group(ACCOUNT, AccessKeyIds.newUniqueId("AGPA", new SecureRandom()), name, path,
                clock.instant());
        store.write(writer -> {
            writer.createGroup(group);
            return null;
        });
        return group;
    }

    // ---- policies

    @Test
    void createPolicy_makesItsDocumentTheDefaultVersionV1() {
        ManagedPolicy policy = createRead();

        assertThat(policy.policyId()).startsWith("ANPA").hasSize(21);
        assertThat(policy.arn()).isEqualTo(READ_ARN);
        assertThat(policy.defaultVersionId()).isEqualTo("v1");
        assertThat(policy.description()).contains("Reads objects");
        assertThat(policy.createDate()).isEqualTo(clock.instant());
        assertThat(policy.updateDate()).isEqualTo(clock.instant());
        assertThat(policies.getPolicy(ACCOUNT, READ_ARN.replace("Read", "READ"))).isEqualTo(policy);
        assertThat(policies.getPolicyVersion(ACCOUNT, READ_ARN, "v1"))
                .isEqualTo(new PolicyVersion(policy.policyId(), "v1", ALLOW_S3, true, clock.instant()));
    }

    @Test
    void getPolicy_awsManaged_isReadable() {
        ManagedPolicy policy = policies.getPolicy(ACCOUNT, AWS_READ_ONLY);

        assertThat(policy.isAwsManaged()).isTrue();
        assertThat(policy.policyName()).isEqualTo("IAMReadOnlyAccess");
        assertThat(policies.getPolicyVersion(ACCOUNT, AWS_READ_ONLY, policy.defaultVersionId()).document())
                .contains("iam:Get*");
    }

    @Test
    void awsManagedPolicies_areAllThere_underTheirPaths() {
        assertThat(policies.getPolicy(ACCOUNT, LAMBDA_BASIC_EXECUTION).path()).isEqualTo("/service-role/");
        assertThat(names(Optional.of("AWS"), false, Optional.empty(), Optional.empty()))
                .hasSize(AWS_MANAGED_COUNT).contains("AWSLambdaExecute", "AWSLambdaBasicExecutionRole");
        assertThat(names(Optional.of("AWS"), false, Optional.of("/job-function/"), Optional.empty()))
                .contains("ViewOnlyAccess", "DatabaseAdministrator").doesNotContain("AWSLambdaExecute");
    }

    @Test
    void attachRolePolicy_ofAnAwsManagedPolicyUnderAPath_attachesIt() {
        createRole(ACCOUNT, "demo");

        policies.attachRolePolicy(ACCOUNT, "demo", LAMBDA_BASIC_EXECUTION);

        assertThat(policies.listAttachedRolePolicies(ACCOUNT, "demo", Optional.empty(), Optional.empty(),
                Optional.empty()).items()).extracting(ManagedPolicy::arn).containsExactly(LAMBDA_BASIC_EXECUTION);
        assertThat(policies.getPolicy(ACCOUNT, LAMBDA_BASIC_EXECUTION).attachmentCount()).isEqualTo(1);
    }

    @Test
    void deletePolicy_withVersionsBesidesTheDefault_isDeleteConflict() {
        createRead();
        policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, /* setAsDefault= */ false);

        ApiException e = rejection(() -> policies.deletePolicy(ACCOUNT, READ_ARN));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).startsWith("This policy has more than one version.");
    }

    @Test
    void deletePolicy_onceOnlyTheDefaultIsLeft_removesThePolicyAndIt() {
        ManagedPolicy policy = createRead();
        policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, /* setAsDefault= */ false);
        policies.deletePolicyVersion(ACCOUNT, READ_ARN, "v2");

        policies.deletePolicy(ACCOUNT, READ_ARN);

        assertThat(store.findManagedPolicyById(policy.policyId())).isEmpty();
        assertThat(store.listPolicyVersions(policy.policyId())).isEmpty();
    }

    @Test
    void listPolicies_filtersByScopeAttachmentUsageAndPath() {
        createRead();
        policies.createPolicy(ACCOUNT, CreatePolicyRequest.of("Unused", ALLOW_S3));
        policies.createPolicy(ACCOUNT, CreatePolicyRequest.of("Bound", ALLOW_S3));
        createRole(ACCOUNT, "demo");
        policies.attachRolePolicy(ACCOUNT, "demo", READ_ARN);
        policies.attachRolePolicy(ACCOUNT, "demo", AWS_READ_ONLY);
        iam.roles().putRolePermissionsBoundary(ACCOUNT, "demo", "arn:aws:iam::123456789012:policy/Bound");

        assertThat(names(Optional.of("Local"), false, Optional.empty(), Optional.empty()))
                .containsExactly("Bound", "Read", "Unused");
        assertThat(names(Optional.of("AWS"), false, Optional.empty(), Optional.empty()))
                .hasSize(AWS_MANAGED_COUNT)
                .contains("AdministratorAccess", "IAMFullAccess", "IAMReadOnlyAccess", "PowerUserAccess");
        assertThat(names(Optional.empty(), false, Optional.empty(), Optional.empty()))
                .hasSize(AWS_MANAGED_COUNT + 3);
        assertThat(names(Optional.empty(), true, Optional.empty(), Optional.empty()))
                .as("the account's own policies come first").containsExactly("Read", "IAMReadOnlyAccess");
        assertThat(names(Optional.of("Local"), false, Optional.empty(), Optional.of("PermissionsBoundary")))
                .containsExactly("Bound");
        assertThat(names(Optional.of("All"), false, Optional.of("/team/"), Optional.empty()))
                .containsExactly("Read");
    }

    /** The names on every page, in order. */
    private List<String> names(Optional<String> scope, boolean onlyAttached, Optional<String> pathPrefix,
            Optional<String> usage) {
        var names = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        do {
            Page<ManagedPolicy> page = policies.listPolicies(ACCOUNT, scope, onlyAttached, pathPrefix, usage, marker,
                    Optional.of(1000));
            page.items().forEach(policy -> names.add(policy.policyName()));
            marker = page.marker();
        } while (marker.isPresent());
        return names;
    }

    @Test
    void listPolicies_pagesWithoutRepeatingOrSkipping() {
        for (String name : List.of("e", "c", "a", "d", "b")) {
            policies.createPolicy(ACCOUNT, CreatePolicyRequest.of(name, ALLOW_S3));
        }
        var seen = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        do {
            Page<ManagedPolicy> page = policies.listPolicies(ACCOUNT, Optional.of("Local"), false, Optional.empty(),
                    Optional.empty(), marker, Optional.of(2));
            page.items().forEach(policy -> seen.add(policy.policyName()));
            marker = page.marker();
        } while (marker.isPresent());

        assertThat(seen).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void listPolicies_scopeAll_listsTheAccountsOwnPoliciesBeforeAwsManagedOnes_eachByName() {
        for (String name : List.of("Zeta", "AdministratorAccess", "alpha")) {
            policies.createPolicy(ACCOUNT, CreatePolicyRequest.of(name, ALLOW_S3));
        }

        List<ManagedPolicy> firstPage = policies.listPolicies(ACCOUNT, Optional.empty(), false, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()).items();

        assertThat(firstPage).hasSize(100);
        assertThat(firstPage.subList(0, 3)).extracting(ManagedPolicy::policyName)
                .containsExactly("AdministratorAccess", "alpha", "Zeta");
        assertThat(firstPage.subList(0, 3)).extracting(ManagedPolicy::accountId).containsOnly(ACCOUNT);
        assertThat(firstPage.subList(3, 100)).extracting(ManagedPolicy::accountId)
                .containsOnly(ManagedPolicy.AWS_MANAGED_ACCOUNT);
    }

    @Test
    void listPolicies_scopeAll_pagesWithoutRepeatingOrSkipping_acrossBothOwners() {
        for (String name : List.of("e", "c", "a", "d", "b")) {
            policies.createPolicy(ACCOUNT, CreatePolicyRequest.of(name, ALLOW_S3));
        }
        var seen = new ArrayList<String>();
        Optional<String> marker = Optional.empty();
        do {
            Page<ManagedPolicy> page = policies.listPolicies(ACCOUNT, Optional.of("All"), false, Optional.empty(),
                    Optional.empty(), marker, Optional.of(7));
            page.items().forEach(policy -> seen.add(policy.arn()));
            marker = page.marker();
        } while (marker.isPresent());

        assertThat(seen).hasSize(AWS_MANAGED_COUNT + 5).doesNotHaveDuplicates();
        assertThat(seen.subList(0, 5)).containsExactly("arn:aws:iam::123456789012:policy/a",
                "arn:aws:iam::123456789012:policy/b", "arn:aws:iam::123456789012:policy/c",
                "arn:aws:iam::123456789012:policy/d", "arn:aws:iam::123456789012:policy/e");
    }

    @Test
    void awsManagedPolicy_countsOnlyTheCallersAccount() {
        createRole(ACCOUNT, "demo");
        createRole(OTHER_ACCOUNT, "elsewhere");
        policies.attachRolePolicy(OTHER_ACCOUNT, "elsewhere", AWS_ADMIN);
        iam.roles().putRolePermissionsBoundary(OTHER_ACCOUNT, "elsewhere", AWS_ADMIN);

        assertThat(policies.getPolicy(ACCOUNT, AWS_ADMIN).attachmentCount()).isZero();
        assertThat(policies.getPolicy(ACCOUNT, AWS_ADMIN).permissionsBoundaryUsageCount()).isZero();
        assertThat(policies.getPolicy(OTHER_ACCOUNT, AWS_ADMIN).attachmentCount()).isEqualTo(1);
        assertThat(policies.getPolicy(OTHER_ACCOUNT, AWS_ADMIN).permissionsBoundaryUsageCount()).isEqualTo(1);
        assertThat(policies.listEntitiesForPolicy(ACCOUNT, AWS_ADMIN, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty()).items()).isEmpty();
    }

    // ---- the account's quota of customer managed policies (IAM User Guide, "IAM and AWS STS quotas": 1,500)

    @Test
    void createPolicy_atTheAccountsQuota_isLimitExceeded409_andCreatesNothing() {
        seedCustomerPolicies(ACCOUNT, IamQuotas.AWS_DEFAULTS.policies());

        ApiException e = rejection(() -> createRead());

        assertThat(e.errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
        assertThat(e.errorCode().httpStatus()).isEqualTo(409);
        assertThat(e.getMessage()).isEqualTo("Cannot exceed quota for PoliciesPerAccount: 1500");
        assertThat(store.findManagedPolicy(ACCOUNT, "Read")).isEmpty();
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("Policies", 1500)
                .containsEntry("PoliciesQuota", 1500);
    }

    @Test
    void createPolicy_atTheAccountsQuota_aNameTakenInAnyCase_isEntityAlreadyExistsFirst() {
        createRead();
        seedCustomerPolicies(ACCOUNT, IamQuotas.AWS_DEFAULTS.policies());

        ApiException e = rejection(() -> policies.createPolicy(ACCOUNT, new CreatePolicyRequest("READ",
                Optional.empty(), ALLOW_S3, Optional.empty(), List.of())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
    }

    @Test
    void createPolicy_atTheAccountsQuota_succeedsAgainOnceAPolicyIsDeleted() {
        createRead();
        seedCustomerPolicies(ACCOUNT, IamQuotas.AWS_DEFAULTS.policies());

        policies.deletePolicy(ACCOUNT, READ_ARN);
        createRead();

        assertThat(store.findManagedPolicy(ACCOUNT, "Read")).isPresent();
        assertThat(rejection(() -> policies.createPolicy(ACCOUNT, new CreatePolicyRequest("Write", Optional.empty(),
                ALLOW_SQS, Optional.empty(), List.of()))).errorCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
    }

    @Test
    void createPolicy_oneAccountAtItsQuota_leavesAnotherAccountFreeToCreate() {
        seedCustomerPolicies(ACCOUNT, IamQuotas.AWS_DEFAULTS.policies());

        policies.createPolicy(OTHER_ACCOUNT, new CreatePolicyRequest("Read", Optional.empty(), ALLOW_S3,
                Optional.empty(), List.of()));

        assertThat(store.findManagedPolicy(OTHER_ACCOUNT, "Read")).isPresent();
    }

    @Test
    void createPolicy_theAwsManagedPoliciesTheStoreHolds_doNotCountTowardTheAccountsQuota() {
        // There are more AWS managed policies than the quota: counted, they would leave no room at all.
        assertThat(AWS_MANAGED_COUNT).isGreaterThan(IamQuotas.AWS_DEFAULTS.policies());
        seedCustomerPolicies(ACCOUNT, IamQuotas.AWS_DEFAULTS.policies() - 1);
        policies.attachRolePolicy(ACCOUNT, createRole(ACCOUNT, "worker").roleName(), AWS_READ_ONLY);

        ManagedPolicy last = createRead();

        assertThat(store.findManagedPolicy(ACCOUNT, "Read")).contains(last);
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("Policies", 1500);
    }

    /** Gives the account {@code count} customer managed policies in one write through the store. */
    private void seedCustomerPolicies(String accountId, int count) {
        var random = new SecureRandom();
        store.write(writer -> {
            for (int i = writer.countManagedPolicies(accountId); i < count; i++) {
                writer.createManagedPolicy(new ManagedPolicy(accountId, AccessKeyIds.newUniqueId("ANPA", random),
                        "seeded-" + i, "/", "v1", Optional.empty(), clock.instant(), clock.instant(), List.of(), 0, 0),
                        ALLOW_S3);
            }
            return null;
        });
        assertThat(store.countManagedPolicies(accountId)).isEqualTo(count);
    }

    // ---- versions

    @Test
    void createPolicyVersion_addsVersionsAndMovesTheDefaultOnlyWhenAsked() {
        createRead();
        clock.advance(Duration.ofSeconds(60));

        PolicyVersion v2 = policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, false);
        assertThat(v2.versionId()).isEqualTo("v2");
        assertThat(v2.isDefaultVersion()).isFalse();
        assertThat(policies.getPolicy(ACCOUNT, READ_ARN).defaultVersionId()).isEqualTo("v1");
        assertThat(policies.getPolicy(ACCOUNT, READ_ARN).updateDate()).isEqualTo(clock.instant());

        PolicyVersion v3 = policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, true);
        assertThat(v3.isDefaultVersion()).isTrue();
        assertThat(policies.getPolicy(ACCOUNT, READ_ARN).defaultVersionId()).isEqualTo("v3");
        assertThat(policies.getPolicyVersion(ACCOUNT, READ_ARN, "v1").isDefaultVersion()).isFalse();
    }

    @Test
    void setDefaultPolicyVersion_movesTheDefaultBack() {
        createRead();
        policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, true);

        policies.setDefaultPolicyVersion(ACCOUNT, READ_ARN, "v1");

        assertThat(policies.getPolicy(ACCOUNT, READ_ARN).defaultVersionId()).isEqualTo("v1");
        assertThat(policies.getPolicyVersion(ACCOUNT, READ_ARN, "v2").isDefaultVersion()).isFalse();
    }

    @Test
    void deletePolicyVersion_removesAVersionWhoseIdIsNeverReused() {
        createRead();
        policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, false);

        policies.deletePolicyVersion(ACCOUNT, READ_ARN, "v2");
        PolicyVersion next = policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, false);

        assertThat(next.versionId()).isEqualTo("v3");
        assertThat(versionIds(Optional.empty(), Optional.empty()).items()).containsExactly("v3", "v1");
    }

    @Test
    void listPolicyVersions_pagesNewestFirst_tenAfterNine() {
        createRead();
        for (int i = 2; i <= 11; i++) {
            policies.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, false);
            if (i > 4) {
                policies.deletePolicyVersion(ACCOUNT, READ_ARN, "v" + (i - 3));
            }
        }

        Page<String> first = versionIds(Optional.empty(), Optional.of(2));
        Page<String> rest = versionIds(first.marker(), Optional.empty());

        assertThat(first.items()).containsExactly("v11", "v10");
        assertThat(rest.items()).containsExactly("v9", "v1");
    }

    private Page<String> versionIds(Optional<String> marker, Optional<Integer> maxItems) {
        Page<PolicyVersion> page = policies.listPolicyVersions(ACCOUNT, READ_ARN, marker, maxItems);
        return new Page<>(page.items().stream().map(PolicyVersion::versionId).toList(), page.marker());
    }

    // ---- tags

    @Test
    void policyTagKeys_areCaseSensitive_unlikeThoseOfRoles() {
        createRead();

        policies.tagPolicy(ACCOUNT, READ_ARN, List.of(new Tag("a", "lowercase"), new Tag("A", "uppercase")));
        policies.tagPolicy(ACCOUNT, READ_ARN, List.of(new Tag("a", "replaced")));
        policies.untagPolicy(ACCOUNT, READ_ARN, List.of("a"));

        assertThat(policies.listPolicyTags(ACCOUNT, READ_ARN, Optional.empty(), Optional.empty()).items())
                .containsExactly(new Tag("A", "uppercase"), new Tag("Team", "Platform"));
    }

    @Test
    void createPolicy_sameTagKeyTwice_isInvalidInputWithoutTheCaseNote() {
        ApiException e = rejection(() -> policies.createPolicy(ACCOUNT, new CreatePolicyRequest("DuplicateTags",
                Optional.empty(), ALLOW_S3, Optional.empty(), List.of(new Tag("0", ""), new Tag("0", "")))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_INPUT);
        assertThat(e.getMessage()).isEqualTo("Duplicate tag keys found.");
    }

    @Test
    void listPolicyTags_shorterKeysFirst_thenByKey_asAwsListsThem() {
        policies.createPolicy(ACCOUNT, new CreatePolicyRequest("TagOrder", Optional.empty(), ALLOW_S3,
                Optional.empty(), List.of(new Tag("abc", "first"), new Tag("b", "second"), new Tag("z", "third"),
                        new Tag("a", "fourth"), new Tag("A", "fifth"))));

        assertThat(policies.listPolicyTags(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":policy/TagOrder", Optional.empty(),
                Optional.empty()).items()).extracting(Tag::key).containsExactly("A", "a", "b", "z", "abc");
    }

    // ---- attachments and who uses a policy

    @Test
    void attach_twice_isOneAttachment_andDetachRemovesIt() {
        createRead();
        createRole(ACCOUNT, "demo");

        policies.attachRolePolicy(ACCOUNT, "demo", READ_ARN);
        policies.attachRolePolicy(ACCOUNT, "DEMO", READ_ARN);

        assertThat(policies.getPolicy(ACCOUNT, READ_ARN).attachmentCount()).isEqualTo(1);
        policies.detachRolePolicy(ACCOUNT, "demo", READ_ARN);
        assertThat(policies.listAttachedRolePolicies(ACCOUNT, "demo", Optional.empty(), Optional.empty(),
                Optional.empty()).items()).isEmpty();
    }

    @Test
    void listAttachedPolicies_ofUsersGroupsAndRoles_pageAndFilterByPath() {
        createRead();
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        createGroup("devs", "/");
        createRole(ACCOUNT, "demo");
        for (String arn : List.of(READ_ARN, AWS_READ_ONLY, AWS_ADMIN)) {
            policies.attachUserPolicy(ACCOUNT, "alice", arn);
            policies.attachGroupPolicy(ACCOUNT, "devs", arn);
            policies.attachRolePolicy(ACCOUNT, "demo", arn);
        }

        Page<ManagedPolicy> first = policies.listAttachedUserPolicies(ACCOUNT, "alice", Optional.empty(),
                Optional.empty(), Optional.of(2));
        Page<ManagedPolicy> rest = policies.listAttachedUserPolicies(ACCOUNT, "alice", Optional.empty(),
                first.marker(), Optional.empty());

        assertThat(first.items()).extracting(ManagedPolicy::policyName)
                .containsExactly("AdministratorAccess", "IAMReadOnlyAccess");
        assertThat(rest.items()).extracting(ManagedPolicy::policyName).containsExactly("Read");
        assertThat(policies.listAttachedGroupPolicies(ACCOUNT, "devs", Optional.of("/team/"), Optional.empty(),
                Optional.empty()).items()).extracting(ManagedPolicy::arn).containsExactly(READ_ARN);
        assertThat(policies.listAttachedRolePolicies(ACCOUNT, "demo", Optional.empty(), Optional.empty(),
                Optional.empty()).items()).hasSize(3);
        assertThat(store.listAttachedPolicies(PolicyOwner.of(store.findUser(ACCOUNT, "alice").orElseThrow())))
                .as("what the authorizer reads").hasSize(3);
    }

    @Test
    void listEntitiesForPolicy_namesAttachmentsAndBoundaries_filtered() {
        createRead();
        User alice = iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        Group devs = createGroup("devs", "/eng/");
        Role demo = createRole(ACCOUNT, "demo");
        Role bounded = createRole(ACCOUNT, "bounded");
        policies.attachUserPolicy(ACCOUNT, "alice", READ_ARN);
        policies.attachGroupPolicy(ACCOUNT, "devs", READ_ARN);
        policies.attachRolePolicy(ACCOUNT, "demo", READ_ARN);
        iam.roles().putRolePermissionsBoundary(ACCOUNT, "bounded", READ_ARN);

        assertThat(entities(Optional.empty(), Optional.empty(), Optional.empty())).containsExactly(
                new PolicyEntity(PolicyOwner.Kind.USER, "alice", alice.userId(), "/"),
                new PolicyEntity(PolicyOwner.Kind.GROUP, "devs", devs.groupId(), "/eng/"),
                new PolicyEntity(PolicyOwner.Kind.ROLE, "bounded", bounded.roleId(), "/"),
                new PolicyEntity(PolicyOwner.Kind.ROLE, "demo", demo.roleId(), "/"));
        assertThat(entities(Optional.of("Role"), Optional.empty(), Optional.of("PermissionsPolicy")))
                .extracting(PolicyEntity::name).containsExactly("demo");
        assertThat(entities(Optional.empty(), Optional.empty(), Optional.of("PermissionsBoundary")))
                .extracting(PolicyEntity::name).containsExactly("bounded");
        assertThat(entities(Optional.empty(), Optional.of("/eng/"), Optional.empty()))
                .extracting(PolicyEntity::name).containsExactly("devs");
        assertThat(entities(Optional.of("AWSManagedPolicy"), Optional.empty(), Optional.empty())).isEmpty();
    }

    private List<PolicyEntity> entities(Optional<String> filter, Optional<String> path, Optional<String> usage) {
        return policies.listEntitiesForPolicy(ACCOUNT, READ_ARN, filter, path, usage, Optional.empty(),
                Optional.empty()).items();
    }

    // ---- every error, in IAM's words

    /** A call IAM rejects, on a store holding policy {@code Read}, role {@code demo} and user {@code alice}. */
    record ErrorCase(String name, Consumer<ManagedPolicyOperations> call, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String policyOfSize(int resourceLength) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(resourceLength) + "\"}]}";
    }

    private static final String MISSING_ARN = "arn:aws:iam::123456789012:policy/Missing";

    static Stream<ErrorCase> errors() {
        return Stream.of(
                new ErrorCase("createPolicy with a name taken in another case", ops -> ops.createPolicy(ACCOUNT,
                        CreatePolicyRequest.of("READ", ALLOW_S3)), ErrorCode.ENTITY_ALREADY_EXISTS,
                        "A policy called READ already exists. Duplicate names are not allowed."),
                new ErrorCase("createPolicy with a slash in its name", ops -> ops.createPolicy(ACCOUNT,
                        CreatePolicyRequest.of("a/b", ALLOW_S3)), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'policyName' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
                new ErrorCase("createPolicy with a path without its trailing slash", ops -> ops.createPolicy(ACCOUNT,
                        new CreatePolicyRequest("Other", Optional.of("/team"), ALLOW_S3, Optional.empty(),
                                List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'path' failed to satisfy constraint: Member "
                                + "must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"),
                new ErrorCase("createPolicy with a description of 1001 characters", ops -> ops.createPolicy(ACCOUNT,
                        new CreatePolicyRequest("Other", Optional.empty(), ALLOW_S3, Optional.of("d".repeat(1001)),
                                List.of())), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'description' failed to "
                                + "satisfy constraint: Member must have length less than or equal to 1000"),
                new ErrorCase("createPolicy with a principal in its document", ops -> ops.createPolicy(ACCOUNT,
                        CreatePolicyRequest.of("Other", TRUST)), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("createPolicy above 6144 characters", ops -> ops.createPolicy(ACCOUNT,
                        CreatePolicyRequest.of("Other", policyOfSize(6100))), ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for PolicySize: 6144"),
                new ErrorCase("getPolicy of an unknown policy", ops -> ops.getPolicy(ACCOUNT, MISSING_ARN),
                        ErrorCode.NO_SUCH_ENTITY, "Policy " + MISSING_ARN + " was not found."),
                new ErrorCase("getPolicy with a role ARN", ops -> ops.getPolicy(ACCOUNT,
                        "arn:aws:iam::123456789012:role/demo"), ErrorCode.INVALID_INPUT,
                        "ARN arn:aws:iam::123456789012:role/demo is not valid."),
                new ErrorCase("getPolicy of another account's policy", ops -> ops.getPolicy(OTHER_ACCOUNT, READ_ARN),
                        ErrorCode.NO_SUCH_ENTITY, "Policy " + READ_ARN + " was not found."),
                new ErrorCase("getPolicy under the wrong path", ops -> ops.getPolicy(ACCOUNT,
                        "arn:aws:iam::123456789012:policy/Read"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy arn:aws:iam::123456789012:policy/Read was not found."),
                new ErrorCase("deletePolicy while attached", ops -> ops.deletePolicy(ACCOUNT, READ_ARN),
                        ErrorCode.DELETE_CONFLICT, "Cannot delete a policy attached to entities."),
                new ErrorCase("deletePolicy of an AWS managed policy", ops -> ops.deletePolicy(ACCOUNT, AWS_ADMIN),
                        ErrorCode.ACCESS_DENIED, "Cannot delete policies outside your own account."),
                new ErrorCase("createPolicyVersion on an AWS managed policy", ops -> ops.createPolicyVersion(ACCOUNT,
                        AWS_ADMIN, ALLOW_S3, true), ErrorCode.ACCESS_DENIED,
                        "Cannot create versions for policies outside your own account."),
                new ErrorCase("createPolicyVersion beyond five versions", ops -> {
                    for (int i = 0; i < 5; i++) {
                        ops.createPolicyVersion(ACCOUNT, READ_ARN, ALLOW_SQS, false);
                    }
                }, ErrorCode.LIMIT_EXCEEDED, "A managed policy can have up to 5 versions. Before you create a new "
                        + "version, you must delete an existing version."),
                new ErrorCase("createPolicyVersion with a malformed document", ops -> ops.createPolicyVersion(
                        ACCOUNT, READ_ARN, "{}", false), ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("getPolicyVersion of an unknown version", ops -> ops.getPolicyVersion(ACCOUNT,
                        READ_ARN, "v7"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + READ_ARN + " version v7 does not exist or is not attachable."),
                new ErrorCase("getPolicyVersion with a version id without its v", ops -> ops.getPolicyVersion(
                        ACCOUNT, READ_ARN, "1"), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'versionId' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?"),
                new ErrorCase("deletePolicyVersion of the default version", ops -> ops.deletePolicyVersion(ACCOUNT,
                        READ_ARN, "v1"), ErrorCode.DELETE_CONFLICT, "Cannot delete the default version of a policy."),
                new ErrorCase("deletePolicyVersion of an AWS managed policy", ops -> ops.deletePolicyVersion(ACCOUNT,
                        AWS_ADMIN, "v1"), ErrorCode.ACCESS_DENIED,
                        "Cannot delete policy versions for policies outside your own account."),
                new ErrorCase("setDefaultPolicyVersion of an AWS managed policy", ops -> ops.setDefaultPolicyVersion(
                        ACCOUNT, AWS_ADMIN, "v1"), ErrorCode.ACCESS_DENIED,
                        "Cannot update policies outside your own account."),
                new ErrorCase("deletePolicyVersion of an unknown version", ops -> ops.deletePolicyVersion(ACCOUNT,
                        READ_ARN, "v9"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + READ_ARN + " version v9 does not exist or is not attachable."),
                new ErrorCase("setDefaultPolicyVersion to an unknown version", ops -> ops.setDefaultPolicyVersion(
                        ACCOUNT, READ_ARN, "v2"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + READ_ARN + " version v2 does not exist or is not attachable."),
                new ErrorCase("listPolicyVersions of an unknown policy", ops -> ops.listPolicyVersions(ACCOUNT,
                        MISSING_ARN, Optional.empty(), Optional.empty()), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + MISSING_ARN + " was not found."),
                new ErrorCase("listPolicies with an unknown scope", ops -> ops.listPolicies(ACCOUNT,
                        Optional.of("Mine"), false, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'scope' failed to satisfy constraint: Member "
                                + "must satisfy enum value set"),
                new ErrorCase("tagPolicy of an AWS managed policy", ops -> ops.tagPolicy(ACCOUNT, AWS_ADMIN,
                        List.of(new Tag("a", "b"))), ErrorCode.ACCESS_DENIED,
                        "Cannot modify policies outside your own account."),
                new ErrorCase("tagPolicy beyond 50 tags", ops -> ops.tagPolicy(ACCOUNT, READ_ARN,
                        IntStream.range(0, 50).mapToObj(i -> new Tag("k" + i, "v")).toList()),
                        ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for TagsPerPolicy: 50"),
                new ErrorCase("untagPolicy of an unknown policy", ops -> ops.untagPolicy(ACCOUNT, MISSING_ARN,
                        List.of("a")), ErrorCode.NO_SUCH_ENTITY, "Policy " + MISSING_ARN + " was not found."),
                new ErrorCase("listEntitiesForPolicy of an unknown policy", ops -> ops.listEntitiesForPolicy(
                        ACCOUNT, MISSING_ARN, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty()), ErrorCode.NO_SUCH_ENTITY, "Policy " + MISSING_ARN
                                + " does not exist or is not attachable."),
                new ErrorCase("getPolicyVersion of an unknown policy", ops -> ops.getPolicyVersion(ACCOUNT,
                        MISSING_ARN, "v1"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + MISSING_ARN + " version v1 does not exist or is not attachable."),
                new ErrorCase("setDefaultPolicyVersion of an unknown policy", ops -> ops.setDefaultPolicyVersion(
                        ACCOUNT, MISSING_ARN, "v1"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + MISSING_ARN + " version v1 does not exist or is not attachable."),
                new ErrorCase("attachRolePolicy of an unknown policy", ops -> ops.attachRolePolicy(ACCOUNT, "demo",
                        MISSING_ARN), ErrorCode.NO_SUCH_ENTITY,
                        "Policy " + MISSING_ARN + " does not exist or is not attachable."),
                new ErrorCase("attachRolePolicy of another account's policy", ops -> ops.attachRolePolicy(ACCOUNT,
                        "demo", "arn:aws:iam::210987654321:policy/team/Read"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy arn:aws:iam::210987654321:policy/team/Read does not exist or is not attachable."),
                new ErrorCase("attachRolePolicy of an AWS managed policy without its path", ops ->
                        ops.attachRolePolicy(ACCOUNT, "demo", "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"),
                        ErrorCode.NO_SUCH_ENTITY, "Policy arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole does not "
                                + "exist or is not attachable."),
                new ErrorCase("attachRolePolicy of an AWS managed policy for service-linked roles", ops ->
                        ops.attachRolePolicy(ACCOUNT, "demo", SERVICE_LINKED), ErrorCode.POLICY_NOT_ATTACHABLE,
                        "Cannot attach AWS reserved policy to an IAM role."),
                new ErrorCase("attachUserPolicy of an AWS managed policy for service-linked roles", ops ->
                        ops.attachUserPolicy(ACCOUNT, "alice", SERVICE_LINKED), ErrorCode.POLICY_NOT_ATTACHABLE,
                        "Cannot attach AWS reserved policy to an IAM user."),
                new ErrorCase("attachGroupPolicy of an AWS managed policy for service-linked roles", ops ->
                        ops.attachGroupPolicy(ACCOUNT, "devs", SERVICE_LINKED), ErrorCode.POLICY_NOT_ATTACHABLE,
                        "Cannot attach AWS reserved policy to an IAM group."),
                new ErrorCase("getPolicy of an AWS managed policy without its path", ops -> ops.getPolicy(ACCOUNT,
                        "arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole"), ErrorCode.NO_SUCH_ENTITY,
                        "Policy arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole was not found."),
                new ErrorCase("deletePolicyVersion of an AWS managed policy", ops -> ops.deletePolicyVersion(ACCOUNT,
                        LAMBDA_BASIC_EXECUTION, "v1"), ErrorCode.ACCESS_DENIED, null),
                new ErrorCase("attachRolePolicy to an unknown role", ops -> ops.attachRolePolicy(ACCOUNT, "nobody",
                        READ_ARN), ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("attachUserPolicy to an unknown user", ops -> ops.attachUserPolicy(ACCOUNT, "nobody",
                        READ_ARN), ErrorCode.NO_SUCH_ENTITY, "The user with name nobody cannot be found."),
                new ErrorCase("attachGroupPolicy to an unknown group", ops -> ops.attachGroupPolicy(ACCOUNT,
                        "nobody", READ_ARN), ErrorCode.NO_SUCH_ENTITY, "The group with name nobody cannot be found."),
                new ErrorCase("attachUserPolicy with a malformed ARN", ops -> ops.attachUserPolicy(ACCOUNT, "alice",
                        "arn:aws:iam::123456789012:policy"), ErrorCode.INVALID_INPUT,
                        "ARN arn:aws:iam::123456789012:policy is not valid."),
                new ErrorCase("attachRolePolicy beyond ten policies", ops -> {
                    for (int i = 0; i < 10; i++) {
                        ops.createPolicy(ACCOUNT, CreatePolicyRequest.of("P" + i, ALLOW_S3));
                        ops.attachRolePolicy(ACCOUNT, "demo", "arn:aws:iam::123456789012:policy/P" + i);
                    }
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for PoliciesPerRole: 10"),
                new ErrorCase("attachUserPolicy beyond ten policies", ops -> {
                    for (int i = 0; i < 11; i++) {
                        ops.createPolicy(ACCOUNT, CreatePolicyRequest.of("P" + i, ALLOW_S3));
                        ops.attachUserPolicy(ACCOUNT, "alice", "arn:aws:iam::123456789012:policy/P" + i);
                    }
                }, ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for PoliciesPerUser: 10"),
                new ErrorCase("detachUserPolicy of a policy not attached", ops -> ops.detachUserPolicy(ACCOUNT,
                        "alice", READ_ARN), ErrorCode.NO_SUCH_ENTITY, "Policy " + READ_ARN + " was not found."),
                new ErrorCase("detachRolePolicy of an unknown policy", ops -> ops.detachRolePolicy(ACCOUNT, "demo",
                        MISSING_ARN), ErrorCode.NO_SUCH_ENTITY, "Policy " + MISSING_ARN + " was not found."),
                new ErrorCase("listAttachedRolePolicies of an unknown role", ops -> ops.listAttachedRolePolicies(
                        ACCOUNT, "nobody", Optional.empty(), Optional.empty(), Optional.empty()),
                        ErrorCode.NO_SUCH_ENTITY, "The role with name nobody cannot be found."),
                new ErrorCase("listAttachedUserPolicies with a path prefix that is no path",
                        ops -> ops.listAttachedUserPolicies(ACCOUNT, "alice", Optional.of("team"), Optional.empty(),
                                Optional.empty()), ErrorCode.VALIDATION_ERROR,
                        "1 validation error detected: Value at 'pathPrefix' failed to satisfy constraint: "
                                + "Member must satisfy regular expression pattern: ((/[A-Za-z0-9\\.,\\+@=_-]+)*)/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void everyRejection_hasIamsCodeStatusAndWords(ErrorCase testCase) {
        createRead();
        createRole(ACCOUNT, "demo");
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        createGroup("devs", "/");
        policies.attachRolePolicy(ACCOUNT, "demo", READ_ARN);

        ApiException e = rejection(() -> testCase.call().accept(policies));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        assertThat(e.errorCode().httpStatus()).isEqualTo(switch (testCase.code()) {
            case NO_SUCH_ENTITY -> 404;
            case ENTITY_ALREADY_EXISTS, DELETE_CONFLICT, LIMIT_EXCEEDED -> 409;
            case ACCESS_DENIED -> 403;
            default -> 400;
        });
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message());
        }
    }

    @Test
    void deletePolicy_usedAsAPermissionsBoundary_isDeleteConflict() {
        createRead();
        createRole(ACCOUNT, "demo");
        iam.roles().putRolePermissionsBoundary(ACCOUNT, "demo", READ_ARN);

        ApiException e = rejection(() -> policies.deletePolicy(ACCOUNT, READ_ARN));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.DELETE_CONFLICT);
        assertThat(e.getMessage()).isEqualTo("Cannot delete a policy used as a permissions boundary for entities.");
    }
}
