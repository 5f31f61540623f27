package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AwsManagedPolicyCatalog;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListEntitiesForPolicyResponse;
import software.amazon.awssdk.services.iam.model.ListPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListPolicyVersionsResponse;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.PolicyNotAttachableException;
import software.amazon.awssdk.services.iam.model.PolicyScopeType;
import software.amazon.awssdk.services.iam.model.PolicyUsageType;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The managed policy and attachment actions over HTTP, through the AWS SDK for Java v2's own IAM client: each
 * operation round-trips through the SDK's parser, version documents come back URL-encoded, errors arrive as the SDK's
 * typed exceptions, and an attached policy takes effect on the next request.
 */
class IamPolicyApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TRUST_ADMIN = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:user/admin\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String ALLOW_S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/a b+c\"}]}";
    private static final String ALLOW_SQS = ALLOW_S3.replace("s3:GetObject", "sqs:SendMessage");
    private static final String IAM_READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";
    private static final String READABLE_POLICY = "arn:aws:iam::123456789012:policy/Readable";
    private static final String LAMBDA_EXECUTE = "arn:aws:iam::aws:policy/AWSLambdaExecute";
    private static final String LAMBDA_BASIC_EXECUTION =
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    private static final String VIEW_ONLY = "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AwsCredentials nobody;
    private static AwsCredentials reader;
    private static AwsCredentials attached;
    private static AwsCredentials adminCredentials;
    private static IamClient iam;

    /**
     * One node for the class; each test works on entities of its own names. The bootstrap file adds users with known
     * keys: {@code nobody}, without any policy; {@code reader}, allowed {@code iam:GetPolicy} on one policy only; and
     * {@code attached}, whose permissions come from managed policies attached through the API.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        reader = TestNodes.knownKey("reader");
        attached = TestNodes.knownKey("attach");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    policies:
                      - name: Readable
                        description: The one policy reader may read.
                        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", \
                Resource: "*"}]}
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: reader
                        policies:
                          - name: GetOnePolicy
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:GetPolicy", \
                Resource: "%s"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: attached
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    roles:
                      - name: viewer
                        trustPolicy: %s
                        managedPolicies: [%s]
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), READABLE_POLICY, reader.accessKeyId(),
                reader.secretAccessKey(), attached.accessKeyId(), attached.secretAccessKey(), TRUST_ADMIN, VIEW_ONLY));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        adminCredentials = AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8());
        iam = client(adminCredentials);
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static String decoded(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, UTF_8);
    }

    private static Policy createPolicy(String name) {
        return iam.createPolicy(r -> r.policyName(name).policyDocument(ALLOW_S3)).policy();
    }

    // ---- policies

    @Test
    void createPolicy_thenGetPolicy_roundTripEveryMember() {
        Policy created = iam.createPolicy(r -> r.policyName("Complete").path("/team/").policyDocument(ALLOW_S3)
                .description("Reads one bucket").tags(Tag.builder().key("Team").value("Data").build())).policy();

        Policy policy = iam.getPolicy(r -> r.policyArn("arn:aws:iam::123456789012:policy/team/Complete")).policy();

        assertThat(created.policyId()).startsWith("ANPA");
        assertThat(created.description()).as("CreatePolicy leaves it out, as AWS does").isNull();
        assertThat(created.tags()).containsExactly(Tag.builder().key("Team").value("Data").build());
        assertThat(policy.policyId()).isEqualTo(created.policyId());
        assertThat(policy.policyName()).isEqualTo("Complete");
        assertThat(policy.arn()).isEqualTo("arn:aws:iam::123456789012:policy/team/Complete");
        assertThat(policy.path()).isEqualTo("/team/");
        assertThat(policy.defaultVersionId()).isEqualTo("v1");
        assertThat(policy.attachmentCount()).isZero();
        assertThat(policy.permissionsBoundaryUsageCount()).isZero();
        assertThat(policy.isAttachable()).isTrue();
        assertThat(policy.description()).isEqualTo("Reads one bucket");
        assertThat(policy.createDate()).isEqualTo(created.createDate());
        assertThat(policy.updateDate()).isEqualTo(created.createDate());
        assertThat(policy.tags()).containsExactly(Tag.builder().key("Team").value("Data").build());
        PolicyVersion v1 = iam.getPolicyVersion(r -> r.policyArn(policy.arn()).versionId("v1")).policyVersion();
        assertThat(v1.document()).as("URL-encoded as IAM sends it").doesNotContain("{");
        assertThat(decoded(v1.document())).isEqualTo(ALLOW_S3);
        assertThat(v1.isDefaultVersion()).isTrue();
    }

    @Test
    void policyVersions_createListSetDefaultDelete_andTheSixthIsLimitExceeded() {
        String arn = createPolicy("Versioned").arn();

        PolicyVersion v2 = iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(ALLOW_SQS)
                .setAsDefault(true)).policyVersion();
        assertThat(v2.versionId()).isEqualTo("v2");
        assertThat(v2.isDefaultVersion()).isTrue();
        assertThat(v2.document()).as("CreatePolicyVersion answers without the document").isNull();
        assertThat(iam.getPolicy(r -> r.policyArn(arn)).policy().defaultVersionId()).isEqualTo("v2");

        for (int i = 0; i < 3; i++) {
            iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(ALLOW_S3));
        }
        var ids = new ArrayList<String>();
        String marker = null;
        do {
            String from = marker;
            ListPolicyVersionsResponse page = iam.listPolicyVersions(r -> r.policyArn(arn).maxItems(2).marker(from));
            page.versions().forEach(version -> ids.add(version.versionId()));
            marker = page.isTruncated() ? page.marker() : null;
        } while (marker != null);
        assertThat(ids).containsExactly("v5", "v4", "v3", "v2", "v1");

        LimitExceededException sixth = catchThrowableOfType(LimitExceededException.class,
                () -> iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(ALLOW_S3)));
        assertThat(sixth.statusCode()).isEqualTo(409);
        assertThat(sixth.awsErrorDetails().errorMessage()).isEqualTo("A managed policy can have up to 5 versions. "
                + "Before you create a new version, you must delete an existing version.");

        iam.setDefaultPolicyVersion(r -> r.policyArn(arn).versionId("v1"));
        DeleteConflictException defaultVersion = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deletePolicyVersion(r -> r.policyArn(arn).versionId("v1")));
        assertThat(defaultVersion.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete the default version of a policy.");
        iam.deletePolicyVersion(r -> r.policyArn(arn).versionId("v2"));
        assertThat(iam.listPolicyVersions(r -> r.policyArn(arn)).versions()).extracting(PolicyVersion::versionId)
                .containsExactly("v5", "v4", "v3", "v1");
    }

    @Test
    void listPolicies_byScopeAndUsage_pagesThroughThem() {
        createPolicy("Listed-b");
        createPolicy("Listed-a");
        iam.createRole(r -> r.roleName("lister").assumeRolePolicyDocument(TRUST_ADMIN)
                .permissionsBoundary("arn:aws:iam::123456789012:policy/Listed-b"));

        List<String> awsManaged = iam.listPoliciesPaginator(r -> r.scope(PolicyScopeType.AWS)).policies().stream()
                .map(Policy::arn).toList();
        ListPoliciesResponse firstLocal = iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL).maxItems(1));
        ListPoliciesResponse boundaries = iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL)
                .policyUsageFilter(PolicyUsageType.PERMISSIONS_BOUNDARY));

        assertThat(awsManaged).contains(IAM_READ_ONLY, "arn:aws:iam::aws:policy/AdministratorAccess");
        assertThat(firstLocal.policies()).hasSize(1);
        assertThat(firstLocal.isTruncated()).isTrue();
        assertThat(firstLocal.policies().get(0).tags()).as("ListPolicies leaves tags out").isEmpty();
        assertThat(boundaries.policies()).extracting(Policy::policyName).containsExactly("Listed-b");
        assertThat(boundaries.policies().get(0).permissionsBoundaryUsageCount()).isEqualTo(1);
        var all = new ArrayList<String>();
        String marker = null;
        do {
            String from = marker;
            ListPoliciesResponse page = iam.listPolicies(r -> r.scope(PolicyScopeType.LOCAL).maxItems(2)
                    .marker(from));
            page.policies().forEach(policy -> all.add(policy.policyName()));
            marker = page.isTruncated() ? page.marker() : null;
        } while (marker != null);
        assertThat(all).contains("Listed-a", "Listed-b", "Readable").doesNotHaveDuplicates();
    }

    @Test
    void tagUntagAndListPolicyTags_keysAreCaseSensitive() {
        Policy untagged = createPolicy("Tagged");
        String arn = untagged.arn();
        assertThat(untagged.hasTags()).as("CreatePolicy without tags leaves them out").isFalse();
        Policy fetched = iam.getPolicy(r -> r.policyArn(arn)).policy();
        assertThat(fetched.hasTags()).as("GetPolicy has them, empty, as AWS answers").isTrue();
        assertThat(fetched.tags()).isEmpty();

        iam.tagPolicy(r -> r.policyArn(arn).tags(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("B").value("3").build(), Tag.builder().key("a").value("1").build()));
        iam.untagPolicy(r -> r.policyArn(arn).tagKeys("b"));

        assertThat(iam.listPolicyTags(r -> r.policyArn(arn)).tags()).containsExactly(
                Tag.builder().key("B").value("3").build(), Tag.builder().key("a").value("1").build());
        InvalidInputException duplicate = catchThrowableOfType(InvalidInputException.class, () -> iam.tagPolicy(r -> r
                .policyArn(arn).tags(Tag.builder().key("0").value("").build(), Tag.builder().key("0").value("")
                        .build())));
        assertThat(duplicate.awsErrorDetails().errorMessage()).isEqualTo("Duplicate tag keys found.");
    }

    // ---- attachments

    @Test
    void attachToUserGroupAndRole_listAttached_listEntities_detach() {
        String arn = createPolicy("Shared").arn();
        iam.createUser(r -> r.userName("holder"));
        iam.createGroup(r -> r.groupName("holders"));
        iam.createRole(r -> r.roleName("holder-role").assumeRolePolicyDocument(TRUST_ADMIN));

        iam.attachUserPolicy(r -> r.userName("holder").policyArn(arn));
        iam.attachUserPolicy(r -> r.userName("holder").policyArn(arn));
        iam.attachUserPolicy(r -> r.userName("holder").policyArn(IAM_READ_ONLY));
        iam.attachGroupPolicy(r -> r.groupName("holders").policyArn(arn));
        iam.attachRolePolicy(r -> r.roleName("holder-role").policyArn(arn));

        List<AttachedPolicy> userPolicies = iam.listAttachedUserPolicies(r -> r.userName("holder"))
                .attachedPolicies();
        assertThat(userPolicies).extracting(AttachedPolicy::policyName).containsExactly("IAMReadOnlyAccess", "Shared");
        assertThat(userPolicies).extracting(AttachedPolicy::policyArn).containsExactly(IAM_READ_ONLY, arn);
        assertThat(iam.listAttachedUserPolicies(r -> r.userName("holder").maxItems(1)).isTruncated()).isTrue();
        assertThat(iam.listAttachedGroupPolicies(r -> r.groupName("holders")).attachedPolicies())
                .extracting(AttachedPolicy::policyArn).containsExactly(arn);
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName("holder-role")).attachedPolicies())
                .extracting(AttachedPolicy::policyArn).containsExactly(arn);
        assertThat(iam.getPolicy(r -> r.policyArn(arn)).policy().attachmentCount()).isEqualTo(3);
        ListEntitiesForPolicyResponse entities = iam.listEntitiesForPolicy(r -> r.policyArn(arn));
        assertThat(entities.policyUsers()).singleElement().satisfies(user -> assertThat(user.userName())
                .isEqualTo("holder"));
        assertThat(entities.policyGroups()).singleElement().satisfies(group -> assertThat(group.groupName())
                .isEqualTo("holders"));
        assertThat(entities.policyRoles()).singleElement().satisfies(role -> assertThat(role.roleName())
                .isEqualTo("holder-role"));
        assertThat(entities.isTruncated()).isFalse();

        DeleteConflictException attachedStill = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deletePolicy(r -> r.policyArn(arn)));
        assertThat(attachedStill.statusCode()).isEqualTo(409);
        assertThat(attachedStill.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete a policy attached to entities.");

        iam.detachUserPolicy(r -> r.userName("holder").policyArn(arn));
        iam.detachGroupPolicy(r -> r.groupName("holders").policyArn(arn));
        iam.detachRolePolicy(r -> r.roleName("holder-role").policyArn(arn));
        NoSuchEntityException notAttached = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.detachRolePolicy(r -> r.roleName("holder-role").policyArn(arn)));
        assertThat(notAttached.statusCode()).isEqualTo(404);
        assertThat(notAttached.awsErrorDetails().errorMessage()).isEqualTo("Policy " + arn + " was not found.");
        iam.deletePolicy(r -> r.policyArn(arn));
        assertThat(catchThrowableOfType(NoSuchEntityException.class, () -> iam.getPolicy(r -> r.policyArn(arn))))
                .isNotNull();
    }

    @Test
    void attachRolePolicy_eleventhPolicy_isLimitExceeded409() {
        iam.createRole(r -> r.roleName("crowded").assumeRolePolicyDocument(TRUST_ADMIN));
        for (int i = 0; i < 10; i++) {
            String arn = createPolicy("Crowd" + i).arn();
            iam.attachRolePolicy(r -> r.roleName("crowded").policyArn(arn));
        }
        String eleventh = createPolicy("Crowd10").arn();

        LimitExceededException e = catchThrowableOfType(LimitExceededException.class,
                () -> iam.attachRolePolicy(r -> r.roleName("crowded").policyArn(eleventh)));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for PoliciesPerRole: 10");
    }

    @Test
    void anAttachedManagedPolicy_takesEffectOnTheNextRequest_andDetachingRevokesIt() {
        try (IamClient user = client(attached)) {
            assertThat(catchThrowableOfType(IamException.class, user::listPolicies).statusCode()).isEqualTo(403);

            iam.attachUserPolicy(r -> r.userName("attached").policyArn(IAM_READ_ONLY));
            assertThat(user.listPolicies().policies()).isNotEmpty();
            IamException write = catchThrowableOfType(IamException.class,
                    () -> user.createPolicy(r -> r.policyName("Forbidden").policyDocument(ALLOW_S3)));
            assertThat(write.statusCode()).isEqualTo(403);

            iam.detachUserPolicy(r -> r.userName("attached").policyArn(IAM_READ_ONLY));
            assertThat(catchThrowableOfType(IamException.class, user::listPolicies).statusCode()).isEqualTo(403);
        }
    }

    // ---- errors as the SDK's typed exceptions

    @Test
    void createPolicy_nameTakenInAnotherCase_isEntityAlreadyExists409() {
        createPolicy("Twice");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> createPolicy("TWICE"));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("A policy called TWICE already exists. Duplicate names are not allowed.");
    }

    @Test
    void createPolicy_documentWithAPrincipal_isMalformedPolicyDocument400() {
        MalformedPolicyDocumentException e = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.createPolicy(r -> r.policyName("Malformed").policyDocument(TRUST_ADMIN)));

        assertThat(e.statusCode()).isEqualTo(400);
    }

    @Test
    void getPolicy_notAPolicyArn_isInvalidInput400_andAnUnknownOne_isNoSuchEntity404() {
        InvalidInputException invalid = catchThrowableOfType(InvalidInputException.class,
                () -> iam.getPolicy(r -> r.policyArn("arn:aws:iam::123456789012:role/some-role")));
        NoSuchEntityException missing = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getPolicy(r -> r.policyArn("arn:aws:iam::123456789012:policy/Missing")));

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.awsErrorDetails().errorMessage())
                .isEqualTo("ARN arn:aws:iam::123456789012:role/some-role is not valid.");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.awsErrorDetails().errorMessage())
                .isEqualTo("Policy arn:aws:iam::123456789012:policy/Missing was not found.");
    }

    /** An action that names a policy by ARN, called with the given ARN. */
    record PolicyArnCase(String name, BiConsumer<IamClient, String> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PolicyArnCase> actionsNamingAPolicy() {
        return Stream.of(
                new PolicyArnCase("AttachUserPolicy", (c, arn) -> c.attachUserPolicy(r -> r.userName("nobody")
                        .policyArn(arn))),
                new PolicyArnCase("AttachRolePolicy", (c, arn) -> c.attachRolePolicy(r -> r.roleName("some-role")
                        .policyArn(arn))),
                new PolicyArnCase("AttachGroupPolicy", (c, arn) -> c.attachGroupPolicy(r -> r.groupName("some-group")
                        .policyArn(arn))),
                new PolicyArnCase("DetachUserPolicy", (c, arn) -> c.detachUserPolicy(r -> r.userName("nobody")
                        .policyArn(arn))),
                new PolicyArnCase("GetPolicy", (c, arn) -> c.getPolicy(r -> r.policyArn(arn))),
                new PolicyArnCase("ListEntitiesForPolicy", (c, arn) -> c.listEntitiesForPolicy(r -> r
                        .policyArn(arn))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actionsNamingAPolicy")
    void policyArnThatIsNotAnArn_isValidationError400_beforeAuthorization(PolicyArnCase action) {
        for (AwsCredentials caller : List.of(nobody, reader)) {
            try (IamClient client = client(caller)) {
                IamException e = catchThrowableOfType(IamException.class,
                        () -> action.call().accept(client, "longpolicynamebutnoarn"));

                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("ARN longpolicynamebutnoarn is not valid.");
            }
        }
    }

    @Test
    void attachRolePolicy_anArnOfNoPolicy_isNoSuchEntity404() {
        iam.createRole(r -> r.roleName("attach-target").assumeRolePolicyDocument(TRUST_ADMIN));

        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class, () -> iam.attachRolePolicy(r -> r
                .roleName("attach-target").policyArn("arn:aws:iam::123456789012:policy/Missing123")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Policy arn:aws:iam::123456789012:policy/Missing123 does not exist or is not attachable.");
    }

    @Test
    void awsManagedPolicies_canBeReadButNotChanged() {
        assertThat(iam.getPolicy(r -> r.policyArn(IAM_READ_ONLY)).policy().policyName())
                .isEqualTo("IAMReadOnlyAccess");

        IamException delete = catchThrowableOfType(IamException.class,
                () -> iam.deletePolicy(r -> r.policyArn(LAMBDA_EXECUTE)));
        IamException version = catchThrowableOfType(IamException.class,
                () -> iam.createPolicyVersion(r -> r.policyArn(LAMBDA_EXECUTE).policyDocument(ALLOW_S3)));

        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(delete.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(delete.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete policies outside your own account.");
        assertThat(version.statusCode()).isEqualTo(403);
        assertThat(version.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(version.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot create versions for policies outside your own account.");
        assertThat(iam.listPolicyVersions(r -> r.policyArn(LAMBDA_EXECUTE)).versions()).hasSize(1);
    }

    // ---- the AWS managed policies shipped

    @Test
    void getPolicyAndGetPolicyVersion_ofAwsLambdaExecute_returnItsDocument() {
        Policy policy = iam.getPolicy(r -> r.policyArn(LAMBDA_EXECUTE)).policy();
        PolicyVersion version = iam.getPolicyVersion(r -> r.policyArn(LAMBDA_EXECUTE)
                .versionId(policy.defaultVersionId())).policyVersion();

        assertThat(policy.policyName()).isEqualTo("AWSLambdaExecute");
        assertThat(policy.arn()).isEqualTo(LAMBDA_EXECUTE);
        assertThat(policy.path()).isEqualTo("/");
        assertThat(policy.policyId()).matches("ANPA[A-Z2-7]{17}");
        assertThat(policy.defaultVersionId()).isEqualTo("v1");
        assertThat(policy.isAttachable()).isTrue();
        assertThat(policy.createDate()).isEqualTo("2015-02-06T18:40:46Z");
        assertThat(version.isDefaultVersion()).isTrue();
        assertThat(decoded(version.document())).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Action\":[\"logs:*\"],\"Resource\":\"arn:aws:logs:*:*:*\"},{\"Effect\":\"Allow\","
                + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::*\"}]}");
        assertThat(iam.listPolicyVersions(r -> r.policyArn(LAMBDA_EXECUTE)).versions())
                .extracting(PolicyVersion::versionId).containsExactly("v1");
    }

    @Test
    void listPolicies_plain_firstPageHasAPolicyJustCreated_asAwsListsItsOwnFirst() {
        String arn = createPolicy("zz-just-created").arn();

        ListPoliciesResponse firstPage = iam.listPolicies();

        assertThat(firstPage.policies()).extracting(Policy::arn).contains(arn);
        assertThat(firstPage.isTruncated()).isTrue();
    }

    @Test
    void listPolicies_scopeAll_pagesThroughEveryPolicyOnce_theAccountsOwnFirst() {
        createPolicy("paged-own");
        var arns = new ArrayList<String>();
        String marker = null;
        do {
            String from = marker;
            ListPoliciesResponse page = iam.listPolicies(r -> r.maxItems(97).marker(from));
            page.policies().forEach(policy -> arns.add(policy.arn()));
            marker = page.isTruncated() ? page.marker() : null;
        } while (marker != null);

        List<String> local = iam.listPoliciesPaginator(r -> r.scope(PolicyScopeType.LOCAL)).policies().stream()
                .map(Policy::arn).toList();
        assertThat(arns).hasSize(1594 + local.size()).doesNotHaveDuplicates();
        assertThat(arns.subList(0, local.size())).containsExactlyElementsOf(local);
        assertThat(arns.subList(local.size(), arns.size())).allMatch(arn -> arn.startsWith("arn:aws:iam::aws:"));
    }

    @Test
    void listPolicies_scopeAws_pagesThroughEveryAwsManagedPolicyOnce() {
        var arns = new ArrayList<String>();
        String marker = null;
        do {
            String from = marker;
            ListPoliciesResponse page = iam.listPolicies(r -> r.scope(PolicyScopeType.AWS).marker(from));
            page.policies().forEach(policy -> {
                assertThat(policy.arn()).isEqualTo("arn:aws:iam::aws:policy" + policy.path() + policy.policyName());
                arns.add(policy.arn());
            });
            marker = page.isTruncated() ? page.marker() : null;
        } while (marker != null);

        List<String> shipped = AwsManagedPolicyCatalog.load().policies().stream()
                .map(entry -> entry.policy().arn()).toList();
        assertThat(arns).hasSize(1594).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(shipped);
        assertThat(arns).contains(LAMBDA_EXECUTE, LAMBDA_BASIC_EXECUTION, VIEW_ONLY,
                "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
                "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials");
    }

    @Test
    void attachRolePolicy_awsLambdaBasicExecutionRole_allowsWhatItsDocumentAllows() {
        iam.createRole(r -> r.roleName("lambda").path("/service/").assumeRolePolicyDocument(TRUST_ADMIN));

        iam.attachRolePolicy(r -> r.roleName("lambda").policyArn(LAMBDA_BASIC_EXECUTION));

        assertThat(iam.listAttachedRolePolicies(r -> r.roleName("lambda")).attachedPolicies())
                .extracting(AttachedPolicy::policyArn).containsExactly(LAMBDA_BASIC_EXECUTION);
        List<EvaluationResult> results = iam.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:role/service/lambda")
                .actionNames("logs:CreateLogGroup", "logs:PutLogEvents", "s3:GetObject")).evaluationResults();
        assertThat(results).extracting(EvaluationResult::evalActionName, EvaluationResult::evalDecision)
                .containsExactly(tuple("logs:CreateLogGroup", PolicyEvaluationDecisionType.ALLOWED),
                        tuple("logs:PutLogEvents", PolicyEvaluationDecisionType.ALLOWED),
                        tuple("s3:GetObject", PolicyEvaluationDecisionType.IMPLICIT_DENY));
        assertThat(results.get(0).matchedStatements()).singleElement()
                .satisfies(statement -> assertThat(statement.sourcePolicyTypeAsString()).isEqualTo("IAM Policy"));
    }

    @Test
    void aSessionOfARoleTheBootstrapFileGaveAnAwsManagedPolicy_mayDoWhatThePolicyAllows() {
        String roleArn = "arn:aws:iam::123456789012:role/viewer";
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName("viewer")).attachedPolicies())
                .extracting(AttachedPolicy::policyArn).containsExactly(VIEW_ONLY);
        Credentials session;
        try (StsClient sts = SdkClients.sts(node, adminCredentials)) {
            session = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("viewing")).credentials();
        }

        try (IamClient viewer = client(AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(),
                session.sessionToken()))) {
            assertThat(viewer.listRoles().roles()).extracting(Role::roleName).contains("viewer");
            IamException write = catchThrowableOfType(IamException.class,
                    () -> viewer.createUser(r -> r.userName("not-allowed")));
            assertThat(write.statusCode()).isEqualTo(403);
            assertThat(write.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
    }

    @Test
    void attachRolePolicy_awsManagedPolicyWithoutItsPath_isNoSuchEntity404() {
        iam.createRole(r -> r.roleName("pathless").assumeRolePolicyDocument(TRUST_ADMIN));

        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class, () -> iam.attachRolePolicy(r -> r
                .roleName("pathless").policyArn("arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Policy arn:aws:iam::aws:policy/"
                + "AWSLambdaBasicExecutionRole does not exist or is not attachable.");
    }

    @Test
    void attachRolePolicy_policyForServiceLinkedRoles_isPolicyNotAttachable400() {
        iam.createRole(r -> r.roleName("customer").assumeRolePolicyDocument(TRUST_ADMIN));

        PolicyNotAttachableException e = catchThrowableOfType(PolicyNotAttachableException.class,
                () -> iam.attachRolePolicy(r -> r.roleName("customer")
                        .policyArn("arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot attach AWS reserved policy to an IAM role.");
        assertThat(iam.listAttachedRolePolicies(r -> r.roleName("customer")).attachedPolicies()).isEmpty();
    }

    @Test
    void listPolicies_unknownScope_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.listPolicies(r -> r.scope("Everything")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    // ---- authorization

    @Test
    void aUserWithoutPolicies_isDeniedEveryPolicyAction403() {
        try (IamClient denied = client(nobody)) {
            List<Runnable> calls = List.of(
                    () -> denied.createPolicy(r -> r.policyName("Sneaky").policyDocument(ALLOW_S3)),
                    () -> denied.getPolicy(r -> r.policyArn(READABLE_POLICY)),
                    () -> denied.listPolicies(),
                    () -> denied.createPolicyVersion(r -> r.policyArn(READABLE_POLICY).policyDocument(ALLOW_S3)),
                    () -> denied.attachUserPolicy(r -> r.userName("nobody").policyArn(IAM_READ_ONLY)),
                    () -> denied.listAttachedUserPolicies(r -> r.userName("nobody")));
            for (Runnable call : calls) {
                IamException e = catchThrowableOfType(IamException.class, call::run);
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            }
        }
    }

    @Test
    void aPolicyAllowingGetPolicyOnOnePolicy_allowsExactlyThat() {
        try (IamClient limited = client(reader)) {
            Policy readable = limited.getPolicy(r -> r.policyArn(READABLE_POLICY)).policy();
            assertThat(readable.description()).isEqualTo("The one policy reader may read.");

            IamException otherPolicy = catchThrowableOfType(IamException.class,
                    () -> limited.getPolicy(r -> r.policyArn(IAM_READ_ONLY)));
            IamException otherAction = catchThrowableOfType(IamException.class,
                    () -> limited.getPolicyVersion(r -> r.policyArn(READABLE_POLICY).versionId("v1")));

            assertThat(otherPolicy.statusCode()).isEqualTo(403);
            assertThat(otherPolicy.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/"
                    + "reader is not authorized to perform: iam:GetPolicy on resource: policy " + IAM_READ_ONLY
                    + " because no identity-based policy allows the iam:GetPolicy action. Encoded authorization "
                    + "failure message: ");
            assertThat(otherAction.statusCode()).isEqualTo(403);
        }
    }
}
