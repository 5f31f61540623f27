package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsRequest;
import software.amazon.awssdk.services.iam.model.GetAccountAuthorizationDetailsResponse;
import software.amazon.awssdk.services.iam.model.GroupDetail;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.ManagedPolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyDetail;
import software.amazon.awssdk.services.iam.model.PolicyVersion;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.UserDetail;

/**
 * GetAccountAuthorizationDetails over HTTP, parsed by the AWS SDK for Java v2: each filter, pages that cross from one
 * list to the next, documents that come back URL-encoded and decode to what was put, and its authorization.
 */
class IamAuthorizationDetailsApiTest {
    private static final String ACCOUNT = "123456789012";
    /** Characters a document may hold that URL-encoding changes: spaces, {@code +}, {@code %}, {@code /}, é. */
    private static final String ALLOW_S3 = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", "
            + "\"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::bucket/a b+c%20/caf\u00e9\"}]}";
    private static final String ALLOW_SQS = ALLOW_S3.replace("s3:GetObject", "sqs:SendMessage");
    private static final String TRUST_EC2 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String S3_READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
    private static final String LAMBDA_EXECUTE = "arn:aws:iam::aws:policy/AWSLambdaExecute";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                ACCOUNT));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8()));
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

    private static String policyArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":policy/" + name;
    }

    private static GetAccountAuthorizationDetailsResponse details(EntityType... filter) {
        return iam.getAccountAuthorizationDetails(r -> r.filter(filter).maxItems(1000));
    }

    @Test
    void inputShape_isTheModels() {
        assertThat(ShapeConformance.differences(
                IamAuthorizationDetailsActions.GET_ACCOUNT_AUTHORIZATION_DETAILS_REQUEST, BotocoreData.iamModel()))
                .isEmpty();
    }

    @Test
    void userFilter_givesUsersOnly_withInlineAndAttachedPoliciesGroupsBoundaryAndTags() {
        iam.createPolicy(r -> r.policyName("ud-attached").policyDocument(ALLOW_S3));
        iam.createGroup(r -> r.groupName("ud-group"));
        iam.createUser(r -> r.userName("ud-user").path("/ud/")
                .permissionsBoundary(policyArn("ud-attached"))
                .tags(Tag.builder().key("somekey").value("somevalue").build(),
                        Tag.builder().key("anotherkey").value("anothervalue").build()));
        iam.putUserPolicy(r -> r.userName("ud-user").policyName("ud-inline").policyDocument(ALLOW_S3));
        iam.attachUserPolicy(r -> r.userName("ud-user").policyArn(policyArn("ud-attached")));
        iam.addUserToGroup(r -> r.userName("ud-user").groupName("ud-group"));
        iam.createUser(r -> r.userName("ud-bare"));

        GetAccountAuthorizationDetailsResponse answer = details(EntityType.USER);

        assertThat(answer.groupDetailList()).isEmpty();
        assertThat(answer.roleDetailList()).isEmpty();
        assertThat(answer.policies()).isEmpty();
        assertThat(answer.isTruncated()).isFalse();
        assertThat(answer.marker()).isNull();
        UserDetail user = answer.userDetailList().stream().filter(u -> u.userName().equals("ud-user")).findFirst()
                .orElseThrow();
        var created = iam.getUser(r -> r.userName("ud-user")).user();
        assertThat(user.path()).isEqualTo("/ud/");
        assertThat(user.userId()).isEqualTo(created.userId());
        assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/ud/ud-user");
        assertThat(user.createDate()).isEqualTo(created.createDate());
        assertThat(user.userPolicyList()).extracting(PolicyDetail::policyName).containsExactly("ud-inline");
        assertThat(decoded(user.userPolicyList().get(0).policyDocument())).isEqualTo(ALLOW_S3);
        assertThat(user.groupList()).containsExactly("ud-group");
        assertThat(user.attachedManagedPolicies()).extracting(AttachedPolicy::policyName, AttachedPolicy::policyArn)
                .containsExactly(tuple("ud-attached", policyArn("ud-attached")));
        assertThat(user.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(policyArn("ud-attached"));
        // In the order they were given, as AWS's real answers list them.
        assertThat(user.tags()).extracting(Tag::key).containsExactly("somekey", "anotherkey");
        // As in AWS's real answers: no UserPolicyList without inline policies; the other lists there, empty.
        UserDetail bare = answer.userDetailList().stream().filter(u -> u.userName().equals("ud-bare")).findFirst()
                .orElseThrow();
        assertThat(bare.hasUserPolicyList()).isFalse();
        assertThat(bare.hasGroupList()).isTrue();
        assertThat(bare.hasAttachedManagedPolicies()).isTrue();
        assertThat(bare.hasTags()).isTrue();
        assertThat(bare.permissionsBoundary()).isNull();
    }

    @Test
    void groupFilter_givesGroupsOnly_withInlineAndAttachedPolicies() {
        iam.createPolicy(r -> r.policyName("gd-attached").policyDocument(ALLOW_S3));
        iam.createGroup(r -> r.groupName("gd-group").path("/gd/"));
        iam.putGroupPolicy(r -> r.groupName("gd-group").policyName("gd-inline").policyDocument(ALLOW_SQS));
        iam.attachGroupPolicy(r -> r.groupName("gd-group").policyArn(policyArn("gd-attached")));

        GetAccountAuthorizationDetailsResponse answer = details(EntityType.GROUP);

        assertThat(answer.userDetailList()).isEmpty();
        assertThat(answer.roleDetailList()).isEmpty();
        assertThat(answer.policies()).isEmpty();
        GroupDetail group = answer.groupDetailList().stream().filter(g -> g.groupName().equals("gd-group"))
                .findFirst().orElseThrow();
        assertThat(group.path()).isEqualTo("/gd/");
        assertThat(group.arn()).isEqualTo("arn:aws:iam::123456789012:group/gd/gd-group");
        assertThat(group.groupId()).isEqualTo(iam.getGroup(r -> r.groupName("gd-group")).group().groupId());
        assertThat(group.groupPolicyList()).extracting(PolicyDetail::policyName).containsExactly("gd-inline");
        assertThat(decoded(group.groupPolicyList().get(0).policyDocument())).isEqualTo(ALLOW_SQS);
        assertThat(group.attachedManagedPolicies()).extracting(AttachedPolicy::policyArn)
                .containsExactly(policyArn("gd-attached"));
    }

    @Test
    void roleFilter_givesRolesOnly_withTrustPolicyPoliciesTagsAndNoInstanceProfiles() {
        iam.createUser(r -> r.userName("rd-trusted"));
        String trustUser = TRUST_EC2.replace("{\"Service\":\"ec2.amazonaws.com\"}",
                "{\"AWS\":\"arn:aws:iam::123456789012:user/rd-trusted\"}");
        iam.createPolicy(r -> r.policyName("rd-attached").policyDocument(ALLOW_S3));
        iam.createRole(r -> r.roleName("rd-role").path("/rd/").assumeRolePolicyDocument(trustUser)
                .description("testing role").permissionsBoundary(S3_READ_ONLY)
                .tags(Tag.builder().key("team").value("platform").build()));
        iam.putRolePolicy(r -> r.roleName("rd-role").policyName("rd-inline").policyDocument(ALLOW_S3));
        iam.attachRolePolicy(r -> r.roleName("rd-role").policyArn(policyArn("rd-attached")));

        GetAccountAuthorizationDetailsResponse answer = details(EntityType.ROLE);

        assertThat(answer.userDetailList()).isEmpty();
        assertThat(answer.groupDetailList()).isEmpty();
        assertThat(answer.policies()).isEmpty();
        RoleDetail role = answer.roleDetailList().stream().filter(r -> r.roleName().equals("rd-role")).findFirst()
                .orElseThrow();
        assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/rd/rd-role");
        assertThat(role.roleId()).isEqualTo(iam.getRole(r -> r.roleName("rd-role")).role().roleId());
        // The user it names still exists: shown by its ARN, as submitted.
        assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(trustUser);
        assertThat(role.hasInstanceProfileList()).isTrue();
        assertThat(role.instanceProfileList()).isEmpty();
        assertThat(role.rolePolicyList()).extracting(PolicyDetail::policyName).containsExactly("rd-inline");
        assertThat(decoded(role.rolePolicyList().get(0).policyDocument())).isEqualTo(ALLOW_S3);
        assertThat(role.attachedManagedPolicies()).extracting(AttachedPolicy::policyArn)
                .containsExactly(policyArn("rd-attached"));
        assertThat(role.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(S3_READ_ONLY);
        assertThat(role.tags()).containsExactly(Tag.builder().key("team").value("platform").build());
        // Never assumed: an empty RoleLastUsed, as in AWS's real answers.
        assertThat(role.roleLastUsed()).isNotNull();
        assertThat(role.roleLastUsed().lastUsedDate()).isNull();
    }

    @Test
    void roleFilter_trustPolicyNamingADeletedUser_showsItsUniqueId() {
        String userId = iam.createUser(r -> r.userName("rd-gone")).user().userId();
        String trustUser = TRUST_EC2.replace("{\"Service\":\"ec2.amazonaws.com\"}",
                "{\"AWS\":\"arn:aws:iam::123456789012:user/rd-gone\"}");
        iam.createRole(r -> r.roleName("rd-orphaned").assumeRolePolicyDocument(trustUser));
        iam.deleteUser(r -> r.userName("rd-gone"));

        RoleDetail role = details(EntityType.ROLE).roleDetailList().stream()
                .filter(r -> r.roleName().equals("rd-orphaned")).findFirst().orElseThrow();

        assertThat(decoded(role.assumeRolePolicyDocument())).contains("\"AWS\":\"" + userId + "\"")
                .isEqualTo(decoded(iam.getRole(r -> r.roleName("rd-orphaned")).role().assumeRolePolicyDocument()));
    }

    @Test
    void localManagedPolicyFilter_givesTheAccountsPolicies_withEveryVersionNewestFirst() {
        iam.createPolicy(r -> r.policyName("lp-versioned").path("/lp/").description("two versions")
                .policyDocument(ALLOW_S3));
        String arn = "arn:aws:iam::123456789012:policy/lp/lp-versioned";
        iam.createPolicyVersion(r -> r.policyArn(arn).policyDocument(ALLOW_SQS).setAsDefault(true));
        iam.createPolicy(r -> r.policyName("lp-unattached").policyDocument(ALLOW_S3));

        GetAccountAuthorizationDetailsResponse answer = details(EntityType.LOCAL_MANAGED_POLICY);

        assertThat(answer.userDetailList()).isEmpty();
        assertThat(answer.groupDetailList()).isEmpty();
        assertThat(answer.roleDetailList()).isEmpty();
        assertThat(answer.policies()).allSatisfy(policy -> assertThat(policy.arn()).startsWith(
                "arn:aws:iam::123456789012:policy/"));
        assertThat(answer.policies()).extracting(ManagedPolicyDetail::policyName)
                .contains("lp-versioned", "lp-unattached");
        ManagedPolicyDetail policy = answer.policies().stream().filter(p -> p.arn().equals(arn)).findFirst()
                .orElseThrow();
        var described = iam.getPolicy(r -> r.policyArn(arn)).policy();
        assertThat(policy.policyId()).isEqualTo(described.policyId());
        assertThat(policy.path()).isEqualTo("/lp/");
        assertThat(policy.defaultVersionId()).isEqualTo("v2");
        assertThat(policy.attachmentCount()).isZero();
        assertThat(policy.permissionsBoundaryUsageCount()).isZero();
        assertThat(policy.isAttachable()).isTrue();
        assertThat(policy.description()).isEqualTo("two versions");
        assertThat(policy.createDate()).isEqualTo(described.createDate());
        assertThat(policy.updateDate()).isEqualTo(described.updateDate());
        assertThat(policy.policyVersionList()).extracting(PolicyVersion::versionId, PolicyVersion::isDefaultVersion)
                .containsExactly(tuple("v2", true), tuple("v1", false));
        assertThat(policy.policyVersionList()).extracting(version -> decoded(version.document()))
                .containsExactly(ALLOW_SQS, ALLOW_S3);
    }

    @Test
    void awsManagedPolicyFilter_givesOnlyThoseAttachedInTheAccount_countedThere() {
        iam.createUser(r -> r.userName("aw-user"));
        iam.createGroup(r -> r.groupName("aw-group"));
        iam.attachUserPolicy(r -> r.userName("aw-user").policyArn(S3_READ_ONLY));
        iam.attachGroupPolicy(r -> r.groupName("aw-group").policyArn(S3_READ_ONLY));

        GetAccountAuthorizationDetailsResponse answer = details(EntityType.AWS_MANAGED_POLICY);

        assertThat(answer.userDetailList()).isEmpty();
        assertThat(answer.groupDetailList()).isEmpty();
        assertThat(answer.roleDetailList()).isEmpty();
        assertThat(answer.policies()).allSatisfy(policy -> {
            assertThat(policy.arn()).startsWith("arn:aws:iam::aws:policy/");
            assertThat(policy.attachmentCount()).isPositive();
        });
        assertThat(answer.policies()).extracting(ManagedPolicyDetail::arn).doesNotContain(LAMBDA_EXECUTE);
        ManagedPolicyDetail s3 = answer.policies().stream().filter(p -> p.arn().equals(S3_READ_ONLY)).findFirst()
                .orElseThrow();
        assertThat(s3.attachmentCount()).isEqualTo(2);
        assertThat(s3.policyVersionList()).filteredOn(PolicyVersion::isDefaultVersion).singleElement()
                .satisfies(version -> assertThat(version.versionId()).isEqualTo(s3.defaultVersionId()));
        assertThat(decoded(s3.policyVersionList().get(0).document())).contains("s3:Get");
    }

    @Test
    void noFilter_givesAllFourLists_andTwoFiltersGiveTheirTwo() {
        iam.createUser(r -> r.userName("nf-user"));
        iam.createGroup(r -> r.groupName("nf-group"));
        iam.createRole(r -> r.roleName("nf-role").assumeRolePolicyDocument(TRUST_EC2));
        iam.createPolicy(r -> r.policyName("nf-policy").policyDocument(ALLOW_S3));

        GetAccountAuthorizationDetailsResponse all = details();
        GetAccountAuthorizationDetailsResponse two = details(EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY);

        assertThat(all.userDetailList()).extracting(UserDetail::userName).contains("nf-user");
        assertThat(all.groupDetailList()).extracting(GroupDetail::groupName).contains("nf-group");
        assertThat(all.roleDetailList()).extracting(RoleDetail::roleName).contains("nf-role");
        assertThat(all.policies()).extracting(ManagedPolicyDetail::policyName).contains("nf-policy");
        assertThat(two.userDetailList()).isEmpty();
        assertThat(two.groupDetailList()).isEmpty();
        assertThat(two.roleDetailList()).isEqualTo(all.roleDetailList());
        assertThat(two.policies()).isEqualTo(all.policies().stream()
                .filter(policy -> policy.arn().startsWith("arn:aws:iam::123456789012:")).toList());
    }

    /** Every entity of an answer, list by list, as {@code List:name}. */
    private static List<String> entities(GetAccountAuthorizationDetailsResponse answer) {
        return Stream.of(answer.userDetailList().stream().map(user -> "User:" + user.userName()),
                answer.groupDetailList().stream().map(group -> "Group:" + group.groupName()),
                answer.roleDetailList().stream().map(role -> "Role:" + role.roleName()),
                answer.policies().stream().map(policy -> "Policy:" + policy.arn()))
                .flatMap(entities -> entities)
                .toList();
    }

    /** Pages of {@code maxItems}, from the first to the one that is not truncated. */
    private static List<GetAccountAuthorizationDetailsResponse> walk(int maxItems, EntityType... filter) {
        var pages = new ArrayList<GetAccountAuthorizationDetailsResponse>();
        Optional<String> marker = Optional.empty();
        do {
            var request = GetAccountAuthorizationDetailsRequest.builder().filter(filter).maxItems(maxItems)
                    .marker(marker.orElse(null)).build();
            GetAccountAuthorizationDetailsResponse page = iam.getAccountAuthorizationDetails(request);
            pages.add(page);
            assertThat(pages).as("pages").hasSizeLessThan(200);
            assertThat(page.marker() != null).as("marker present when truncated").isEqualTo(page.isTruncated());
            marker = Optional.ofNullable(page.marker());
        } while (marker.isPresent());
        return pages;
    }

    @ParameterizedTest(name = "MaxItems {0}")
    @ValueSource(ints = {1, 2, 3, 5, 7})
    void pagesOfMaxItems_crossFromListToList_andGiveEveryEntityOnceInOrder(int maxItems) {
        for (String suffix : List.of("1", "2", "3")) {
            iam.createUser(r -> r.userName("pg-user" + suffix + "-" + maxItems));
            iam.createRole(r -> r.roleName("pg-role" + suffix + "-" + maxItems).assumeRolePolicyDocument(TRUST_EC2));
        }
        iam.createGroup(r -> r.groupName("pg-group-" + maxItems));
        iam.createPolicy(r -> r.policyName("pg-policy-" + maxItems).policyDocument(ALLOW_S3));
        iam.attachRolePolicy(r -> r.roleName("pg-role1-" + maxItems).policyArn(LAMBDA_EXECUTE));
        List<String> whole = entities(details());

        List<GetAccountAuthorizationDetailsResponse> pages = walk(maxItems);

        List<String> walked = pages.stream().flatMap(page -> entities(page).stream()).toList();
        assertThat(walked).isEqualTo(whole).doesNotHaveDuplicates();
        assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(page -> assertThat(entities(page))
                .hasSize(maxItems));
        assertThat(entities(pages.get(pages.size() - 1))).hasSizeBetween(1, maxItems);
    }

    @Test
    void pageLongerThanTheUserList_endsItAndStartsTheGroupList_andTheNextPageGoesOnInTheGroups() {
        iam.createGroup(r -> r.groupName("pb-group-a"));
        iam.createGroup(r -> r.groupName("pb-group-b"));
        GetAccountAuthorizationDetailsResponse whole = details();
        int users = whole.userDetailList().size();

        GetAccountAuthorizationDetailsResponse first = iam.getAccountAuthorizationDetails(r -> r.maxItems(users + 1));
        String marker = first.marker();
        GetAccountAuthorizationDetailsResponse second = iam.getAccountAuthorizationDetails(r -> r.maxItems(1)
                .marker(marker));

        assertThat(first.isTruncated()).isTrue();
        assertThat(first.userDetailList()).isEqualTo(whole.userDetailList());
        assertThat(first.groupDetailList()).containsExactly(whole.groupDetailList().get(0));
        assertThat(first.roleDetailList()).isEmpty();
        assertThat(first.policies()).isEmpty();
        assertThat(second.userDetailList()).isEmpty();
        assertThat(second.groupDetailList()).containsExactly(whole.groupDetailList().get(1));
    }

    @Test
    void pagesWithAFilter_skipTheOtherLists() {
        iam.createRole(r -> r.roleName("pf-role").assumeRolePolicyDocument(TRUST_EC2));
        iam.createPolicy(r -> r.policyName("pf-policy").policyDocument(ALLOW_S3));
        List<String> whole = entities(details(EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY));

        List<String> walked = walk(2, EntityType.ROLE, EntityType.LOCAL_MANAGED_POLICY).stream()
                .flatMap(page -> entities(page).stream()).toList();

        assertThat(walked).isEqualTo(whole).doesNotHaveDuplicates()
                .allSatisfy(entity -> assertThat(entity).matches("Role:.*|Policy:arn:aws:iam::123456789012:.*"));
    }

    @Test
    void entityCreatedBetweenPages_shiftsNothing() {
        iam.createUser(r -> r.userName("sh-a"));
        iam.createUser(r -> r.userName("sh-c"));
        GetAccountAuthorizationDetailsResponse first = iam.getAccountAuthorizationDetails(r -> r
                .filter(EntityType.USER).maxItems(1));
        List<String> before = entities(details(EntityType.USER));
        String firstUser = entities(first).get(0);
        iam.createUser(r -> r.userName("0-created-before-the-marker"));

        var rest = new ArrayList<String>();
        String marker = first.marker();
        while (marker != null) {
            String from = marker;
            GetAccountAuthorizationDetailsResponse page = iam.getAccountAuthorizationDetails(r -> r
                    .filter(EntityType.USER).maxItems(1).marker(from));
            rest.addAll(entities(page));
            marker = page.marker();
        }

        assertThat(Stream.concat(Stream.of(firstUser), rest.stream()).toList()).isEqualTo(before);
    }

    @Test
    void unknownFilter_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.getAccountAuthorizationDetails(r -> r.filterWithStrings("InstanceProfile")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    @Test
    void markerNotOurs_isValidationError400() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.getAccountAuthorizationDetails(r -> r.marker("not-a-marker-of-ours")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    @Test
    void withoutAPolicy_isAccessDeniedOnResourceStar() {
        iam.createUser(r -> r.userName("ad-unprivileged"));
        AccessKey key = iam.createAccessKey(r -> r.userName("ad-unprivileged")).accessKey();
        try (IamClient denied = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            IamException e = catchThrowableOfType(IamException.class,
                    () -> denied.getAccountAuthorizationDetails(r -> r.filter(EntityType.USER)));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/"
                    + "ad-unprivileged is not authorized to perform: iam:GetAccountAuthorizationDetails on resource: "
                    + "* because no identity-based policy allows the iam:GetAccountAuthorizationDetails action.");
        }
    }

    @Test
    void withAPolicyAllowingTheActionOnStar_isAnswered() {
        iam.createUser(r -> r.userName("ad-auditor"));
        iam.putUserPolicy(r -> r.userName("ad-auditor").policyName("audit").policyDocument("{\"Version\":"
                + "\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"iam:GetAccountAuthorizationDetails\",\"Resource\":\"*\"}]}"));
        AccessKey key = iam.createAccessKey(r -> r.userName("ad-auditor")).accessKey();
        try (IamClient auditor = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            assertThat(auditor.getAccountAuthorizationDetails(r -> r.filter(EntityType.USER).maxItems(1000))
                    .userDetailList()).extracting(UserDetail::userName).contains("ad-auditor");
        }
    }
}
