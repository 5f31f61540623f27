package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetRolePolicyResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRoleTagsResponse;
import software.amazon.awssdk.services.iam.model.ListRolesResponse;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The role actions over HTTP, through the AWS SDK for Java v2's own IAM client: each operation round-trips through
 * the SDK's parser, policy documents come back URL-encoded, errors arrive as the SDK's typed exceptions, and every
 * action is authorized by the caller's policies.
 */
class IamRoleApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST_ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/admin\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ALLOW_S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/a b+c\"}]}";
    private static final String READABLE_ARN = "arn:aws:iam::123456789012:role/readable";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AccessKeyCredentials admin;
    private static AwsCredentials nobody;
    private static AwsCredentials reader;
    private static IamClient iam;

    /**
     * One node for the class; each test works on roles of its own names. The bootstrap file adds two users with known
     * keys: {@code nobody}, without any policy, and {@code reader}, allowed {@code iam:GetRole} on one role only.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        reader = TestNodes.knownKey("reader");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: reader
                        policies:
                          - name: GetOneRole
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:GetRole", \
                Resource: "%s"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    roles:
                      - name: readable
                        trustPolicy: '%s'
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), READABLE_ARN, reader.accessKeyId(),
                reader.secretAccessKey(), TRUST_ADMIN));
        admin = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static String decoded(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, UTF_8);
    }

    private static Role createRole(String name) {
        return iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST_ADMIN)).role();
    }

    // ---- CreateRole, GetRole, ListRoles

    @Test
    void createRole_thenGetRole_roundTripEveryMember() {
        Role created = iam.createRole(r -> r.roleName("deployer").path("/ci/").assumeRolePolicyDocument(TRUST_ADMIN)
                .description("Deploys things").maxSessionDuration(7200)
                .permissionsBoundary("arn:aws:iam::aws:policy/PowerUserAccess")
                .tags(Tag.builder().key("Team").value("Platform").build())).role();

        Role role = iam.getRole(r -> r.roleName("DEPLOYER")).role();

        assertThat(created.roleId()).startsWith("AROA");
        assertThat(role.roleId()).isEqualTo(created.roleId());
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/ci/deployer");
        assertThat(role.path()).isEqualTo("/ci/");
        assertThat(role.roleName()).isEqualTo("deployer");
        assertThat(role.createDate()).isEqualTo(created.createDate());
        assertThat(role.assumeRolePolicyDocument()).as("URL-encoded as IAM sends it").doesNotContain("{");
        assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(TRUST_ADMIN);
        assertThat(role.description()).isEqualTo("Deploys things");
        assertThat(role.maxSessionDuration()).isEqualTo(7200);
        assertThat(role.permissionsBoundary().permissionsBoundaryTypeAsString()).as("as AWS writes it")
                .isEqualTo("Policy");
        assertThat(role.permissionsBoundary().permissionsBoundaryArn())
                .isEqualTo("arn:aws:iam::aws:policy/PowerUserAccess");
        assertThat(role.tags()).containsExactly(Tag.builder().key("Team").value("Platform").build());
        assertThat(role.roleLastUsed()).as("present, and empty until the role is used").isNotNull();
        assertThat(role.roleLastUsed().lastUsedDate()).isNull();
    }

    @Test
    void createRole_answersWithoutDescriptionMaxSessionDurationOrLastUse_butWithBoundaryAndTags() {
        Role created = iam.createRole(r -> r.roleName("created-form").assumeRolePolicyDocument(TRUST_ADMIN)
                .description("Described").maxSessionDuration(7200)
                .permissionsBoundary("arn:aws:iam::aws:policy/PowerUserAccess")
                .tags(Tag.builder().key("Team").value("Platform").build())).role();

        assertThat(created.description()).isNull();
        assertThat(created.maxSessionDuration()).isNull();
        assertThat(created.roleLastUsed()).isNull();
        assertThat(created.permissionsBoundary().permissionsBoundaryTypeAsString()).isEqualTo("Policy");
        assertThat(created.permissionsBoundary().permissionsBoundaryArn())
                .isEqualTo("arn:aws:iam::aws:policy/PowerUserAccess");
        assertThat(created.tags()).containsExactly(Tag.builder().key("Team").value("Platform").build());
    }

    @Test
    void getRole_afterAnAssumeRole_tellsWhenAndInWhichRegion() {
        createRole("assumed");
        try (StsClient sts = SdkClients.sts(node, AwsBasicCredentials.create(
                        admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()), Region.EU_WEST_1)) {
            sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/assumed").roleSessionName("used"));
        }

        node.flushLastUsed();

        Role role = iam.getRole(r -> r.roleName("assumed")).role();
        assertThat(role.roleLastUsed().region()).isEqualTo("eu-west-1");
        assertThat(role.roleLastUsed().lastUsedDate()).isAfterOrEqualTo(role.createDate());
    }

    @Test
    void listRoles_pagesWithMarkerAndMaxItems_inTheShortForm() {
        for (String name : List.of("list-c", "list-a", "list-b")) {
            iam.createRole(r -> r.roleName(name).path("/listed/").assumeRolePolicyDocument(TRUST_ADMIN)
                    .tags(Tag.builder().key("k").value("v").build()));
        }
        var names = new ArrayList<String>();
        String marker = null;
        int pages = 0;
        do {
            String from = marker;
            ListRolesResponse page = iam.listRoles(r -> r.pathPrefix("/listed/").maxItems(2).marker(from));
            page.roles().forEach(role -> {
                names.add(role.roleName());
                assertThat(role.tags()).as("ListRoles leaves tags out").isEmpty();
                assertThat(role.roleLastUsed()).isNull();
                assertThat(role.maxSessionDuration()).isEqualTo(3600);
                assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(TRUST_ADMIN);
            });
            assertThat(page.isTruncated()).isEqualTo(page.marker() != null);
            marker = page.marker();
            pages++;
        } while (marker != null);

        assertThat(names).containsExactly("list-a", "list-b", "list-c");
        assertThat(pages).isEqualTo(2);
    }

    // ---- updates

    @Test
    void updateRole_updateRoleDescription_andUpdateAssumeRolePolicy_changeTheRole() {
        createRole("updated");
        String trustReader = TRUST_ADMIN.replace("user/admin", "user/reader");

        iam.updateRole(r -> r.roleName("updated").maxSessionDuration(10800));
        Role described = iam.updateRoleDescription(r -> r.roleName("updated").description("now described")).role();
        iam.updateAssumeRolePolicy(r -> r.roleName("updated").policyDocument(trustReader));

        assertThat(described.description()).isEqualTo("now described");
        assertThat(described.maxSessionDuration()).as("UpdateRoleDescription leaves it out").isNull();
        assertThat(described.roleLastUsed()).isNull();
        Role role = iam.getRole(r -> r.roleName("updated")).role();
        assertThat(role.maxSessionDuration()).isEqualTo(10800);
        assertThat(role.description()).isEqualTo("now described");
        assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(trustReader);
    }

    // ---- tags and boundaries

    @Test
    void tagUntagAndListRoleTags_pageThroughTheTags() {
        createRole("tagged");
        iam.tagRole(r -> r.roleName("tagged").tags(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("a").value("1").build(), Tag.builder().key("c").value("3").build()));
        iam.untagRole(r -> r.roleName("tagged").tagKeys("C"));

        ListRoleTagsResponse first = iam.listRoleTags(r -> r.roleName("tagged").maxItems(1));
        ListRoleTagsResponse rest = iam.listRoleTags(r -> r.roleName("tagged").marker(first.marker()));

        assertThat(first.tags()).containsExactly(Tag.builder().key("a").value("1").build());
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.tags()).containsExactly(Tag.builder().key("b").value("2").build());
        assertThat(rest.isTruncated()).isFalse();
    }

    @Test
    void putAndDeleteRolePermissionsBoundary_setAndClearIt() {
        createRole("bounded");

        iam.putRolePermissionsBoundary(r -> r.roleName("bounded")
                .permissionsBoundary("arn:aws:iam::aws:policy/IAMReadOnlyAccess"));
        assertThat(iam.getRole(r -> r.roleName("bounded")).role().permissionsBoundary().permissionsBoundaryArn())
                .isEqualTo("arn:aws:iam::aws:policy/IAMReadOnlyAccess");

        iam.deleteRolePermissionsBoundary(r -> r.roleName("bounded"));
        assertThat(iam.getRole(r -> r.roleName("bounded")).role().permissionsBoundary()).isNull();
    }

    // ---- inline policies and DeleteRole

    @Test
    void rolePolicies_putGetListDelete_thenTheRoleCanGo() {
        createRole("inline");
        iam.putRolePolicy(r -> r.roleName("inline").policyName("s3").policyDocument(ALLOW_S3));
        iam.putRolePolicy(r -> r.roleName("inline").policyName("more").policyDocument(ALLOW_S3));

        GetRolePolicyResponse policy = iam.getRolePolicy(r -> r.roleName("inline").policyName("s3"));
        ListRolePoliciesResponse first = iam.listRolePolicies(r -> r.roleName("inline").maxItems(1));
        ListRolePoliciesResponse rest = iam.listRolePolicies(r -> r.roleName("inline").marker(first.marker()));
        DeleteConflictException conflict = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deleteRole(r -> r.roleName("inline")));
        iam.deleteRolePolicy(r -> r.roleName("inline").policyName("s3"));
        iam.deleteRolePolicy(r -> r.roleName("inline").policyName("more"));
        iam.deleteRole(r -> r.roleName("inline"));

        assertThat(policy.roleName()).isEqualTo("inline");
        assertThat(policy.policyName()).isEqualTo("s3");
        assertThat(decoded(policy.policyDocument())).isEqualTo(ALLOW_S3);
        assertThat(first.policyNames()).containsExactly("more");
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.policyNames()).containsExactly("s3");
        assertThat(conflict.statusCode()).isEqualTo(409);
        assertThat(conflict.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete entity, must delete policies first.");
        NoSuchEntityException gone = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getRole(r -> r.roleName("inline")));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.awsErrorDetails().errorMessage()).isEqualTo("The role with name inline cannot be found.");
    }

    // ---- trust policies: the users and roles they name are bound to their unique ids

    private static String trusting(String principalArn) {
        return TRUST_ADMIN.replace("arn:aws:iam::123456789012:user/admin", principalArn);
    }

    @Test
    void createRole_trustNamingAUserThatDoesNotExist_isMalformedPolicyDocument400InIamsWords() {
        MalformedPolicyDocumentException e = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.createRole(r -> r.roleName("trusts-nobody")
                        .assumeRolePolicyDocument(trusting("arn:aws:iam::123456789012:user/nobody-at-all"))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:user/nobody-at-all\"");
        assertThat(catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getRole(r -> r.roleName("trusts-nobody")))).isNotNull();
    }

    @Test
    void getRoleAndListRoles_afterTheTrustedUserAndRoleAreDeleted_showTheirUniqueIds() {
        String userId = iam.createUser(r -> r.userName("trusted-user")).user().userId();
        Role trustedRole = createRole("trusted-role");
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "[\"arn:aws:iam::123456789012:user/trusted-user\", \"" + trustedRole.arn() + "\"]},"
                + "\"Action\":\"sts:AssumeRole\"}]}";
        iam.createRole(r -> r.path("/trusting/").roleName("trusting").assumeRolePolicyDocument(trust));
        assertThat(decoded(iam.getRole(r -> r.roleName("trusting")).role().assumeRolePolicyDocument()))
                .isEqualTo(trust);

        iam.deleteUser(r -> r.userName("trusted-user"));
        iam.deleteRole(r -> r.roleName("trusted-role"));

        String shown = trust.replace("arn:aws:iam::123456789012:user/trusted-user", userId)
                .replace(trustedRole.arn(), trustedRole.roleId());
        assertThat(decoded(iam.getRole(r -> r.roleName("trusting")).role().assumeRolePolicyDocument()))
                .isEqualTo(shown);
        assertThat(iam.listRoles(r -> r.pathPrefix("/trusting/")).roles()).singleElement()
                .satisfies(role -> assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(shown));
    }

    @Test
    void getRole_afterTheTrustedUserIsDeletedAndCreatedAgain_stillShowsTheOldUsersId() {
        String oldId = iam.createUser(r -> r.userName("recreated")).user().userId();
        createRoleTrusting("trusts-recreated", "arn:aws:iam::123456789012:user/recreated");
        iam.deleteUser(r -> r.userName("recreated"));

        String newId = iam.createUser(r -> r.userName("recreated")).user().userId();

        assertThat(newId).isNotEqualTo(oldId);
        assertThat(decoded(iam.getRole(r -> r.roleName("trusts-recreated")).role().assumeRolePolicyDocument()))
                .isEqualTo(trusting(oldId));
    }

    @Test
    void getRole_afterTheTrustedUserIsRenamed_showsItsNewArn() {
        iam.createUser(r -> r.userName("before-rename"));
        createRoleTrusting("trusts-renamed", "arn:aws:iam::123456789012:user/before-rename");

        iam.updateUser(r -> r.userName("before-rename").newUserName("after-rename").newPath("/moved/"));

        assertThat(decoded(iam.getRole(r -> r.roleName("trusts-renamed")).role().assumeRolePolicyDocument()))
                .isEqualTo(trusting("arn:aws:iam::123456789012:user/moved/after-rename"));
    }

    private static void createRoleTrusting(String roleName, String principalArn) {
        iam.createRole(r -> r.roleName(roleName).assumeRolePolicyDocument(trusting(principalArn)));
    }

    // ---- errors as the SDK's typed exceptions

    @Test
    void createRole_nameTakenInAnotherCase_isEntityAlreadyExists409() {
        createRole("taken");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> createRole("TAKEN"));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Role with name TAKEN already exists.");
    }

    @Test
    void createRole_trustPolicyWithoutPrincipal_isMalformedPolicyDocument400() {
        MalformedPolicyDocumentException e = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.createRole(r -> r.roleName("malformed").assumeRolePolicyDocument(ALLOW_S3)));

        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void createRoleAndUpdateAssumeRolePolicy_trustPolicyThatIsNotJson_isMalformedPolicyDocumentInAwsWords() {
        createRole("json-checked");
        String trailingComma = TRUST_ADMIN.replace("\"Action\":\"sts:AssumeRole\"}", "\"Action\":\"sts:AssumeRole\",}");

        MalformedPolicyDocumentException create = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.createRole(r -> r.roleName("not-json").assumeRolePolicyDocument(trailingComma)));
        MalformedPolicyDocumentException update = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.updateAssumeRolePolicy(r -> r.roleName("json-checked").policyDocument("not valid json")));

        for (MalformedPolicyDocumentException e : List.of(create, update)) {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("This policy contains invalid Json");
        }
    }

    @Test
    void createRole_trustPolicyAboveItsQuota_isLimitExceeded409() {
        String principals = String.join(",", Collections.nCopies(60,
                "\"arn:aws:iam::123456789012:user/some-rather-long-user-name\""));
        String large = TRUST_ADMIN.replace("\"arn:aws:iam::123456789012:user/admin\"", "[" + principals + "]");

        LimitExceededException e = catchThrowableOfType(LimitExceededException.class,
                () -> iam.createRole(r -> r.roleName("large").assumeRolePolicyDocument(large)));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for ACLSizePerRole: 2048");
    }

    @Test
    void putRolePermissionsBoundary_roleArnInsteadOfAPolicy_isInvalidInput400() {
        createRole("wrong-boundary");

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> iam.putRolePermissionsBoundary(r -> r.roleName("wrong-boundary")
                        .permissionsBoundary(READABLE_ARN)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("ARN " + READABLE_ARN + " is not valid.");
    }

    @Test
    void permissionsBoundaryThatIsNoArn_isValidationErrorBeforeAuthorization() {
        try (IamClient denied = client(nobody)) {
            for (Runnable call : List.<Runnable>of(
                    () -> denied.putRolePermissionsBoundary(r -> r.roleName("readable").permissionsBoundary(
                            "not-a-policy-arn-at-all")),
                    () -> denied.createRole(r -> r.roleName("bounded").assumeRolePolicyDocument(TRUST_ADMIN)
                            .permissionsBoundary("not-a-policy-arn-at-all")))) {
                IamException e = catchThrowableOfType(IamException.class, call::run);

                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("ARN not-a-policy-arn-at-all is not valid.");
            }
        }
    }

    @Test
    void createRole_maxSessionDurationAboveTwelveHours_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class, () -> iam.createRole(r -> r.roleName("long")
                .assumeRolePolicyDocument(TRUST_ADMIN).maxSessionDuration(43201)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to "
                + "43200");
    }

    @Test
    void untagRole_tagKeyTooLong_isValidationErrorAtTheList_withoutTheValue() {
        createRole("untag-checked");

        IamException e = catchThrowableOfType(IamException.class, () -> iam.untagRole(r -> r.roleName("untag-checked")
                .tagKeys("ok", "k".repeat(129))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at 'tagKeys' "
                + "failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or "
                + "equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular "
                + "expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]");
    }

    @Test
    void getRolePolicy_unknownPolicy_isNoSuchEntity404() {
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getRolePolicy(r -> r.roleName("readable").policyName("missing")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("The role policy with name missing cannot be found.");
    }

    // ---- authorization

    @Test
    void aUserWithoutPolicies_isDeniedEveryRoleAction403() {
        try (IamClient denied = client(nobody)) {
            List<Runnable> calls = List.of(
                    () -> denied.createRole(r -> r.roleName("sneaky").assumeRolePolicyDocument(TRUST_ADMIN)),
                    () -> denied.getRole(r -> r.roleName("readable")),
                    () -> denied.listRoles(),
                    () -> denied.tagRole(r -> r.roleName("readable").tags(Tag.builder().key("a").value("b").build())),
                    () -> denied.putRolePolicy(r -> r.roleName("readable").policyName("p").policyDocument(ALLOW_S3)),
                    () -> denied.deleteRole(r -> r.roleName("readable")));
            for (Runnable call : calls) {
                IamException e = catchThrowableOfType(IamException.class, call::run);
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            }
        }
    }

    @Test
    void aPolicyAllowingGetRoleOnOneRole_allowsExactlyThat() {
        createRole("other-role");
        try (IamClient limited = client(reader)) {
            assertThat(limited.getRole(r -> r.roleName("readable")).role().arn()).isEqualTo(READABLE_ARN);

            IamException otherRole = catchThrowableOfType(IamException.class,
                    () -> limited.getRole(r -> r.roleName("other-role")));
            IamException otherAction = catchThrowableOfType(IamException.class,
                    () -> limited.listRolePolicies(r -> r.roleName("readable")));

            assertThat(otherRole.statusCode()).isEqualTo(403);
            assertThat(otherRole.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/"
                    + "reader is not authorized to perform: iam:GetRole on resource: role other-role because no "
                    + "identity-based policy allows the iam:GetRole action. Encoded authorization failure message: ");
            assertThat(otherAction.statusCode()).isEqualTo(403);
        }
    }
}
