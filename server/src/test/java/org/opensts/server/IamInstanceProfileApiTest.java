package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URLDecoder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.token.AccessKeyIds;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateInstanceProfileResponse;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.EntityType;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListInstanceProfilesResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.iam.model.RoleDetail;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Instance profiles over HTTP through the AWS SDK for Java v2's own IAM client: every action, the answers in the forms
 * and words of AWS's recorded answers, the quotas, paging and tags, what a profile's role changes for DeleteRole and
 * GetAccountAuthorizationDetails, and the caller's policies deciding — PassRole on the role included.
 */
class IamInstanceProfileApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String QUOTA_ACCOUNT = "210987654321";
    private static final String TRUST_EC2 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static AwsBasicCredentials nobody;
    private static AwsBasicCredentials operator;
    private static AwsBasicCredentials quotaAdmin;

    /**
     * One node for the class. The bootstrap file adds {@code nobody}, without any policy; {@code operator}, allowed
     * the profile actions under {@code /app/} only, PassRole on {@code app-role} only when passed to EC2, and denied
     * DeleteInstanceProfile on a profile tagged {@code Protected=true}; the roles {@code app-role} and
     * {@code other-role}; and a second account whose {@code quota} user may do anything in IAM.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        operator = TestNodes.knownKey("operator");
        quotaAdmin = AwsBasicCredentials.create(AccessKeyIds.newLongTerm(QUOTA_ACCOUNT, new SecureRandom()),
                "quota-secret-0123456789abcdef");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: operator
                        policies:
                          - name: AppProfiles
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: ["iam:CreateInstanceProfile", "iam:GetInstanceProfile", "iam:DeleteInstanceProfile", \
                "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile"], \
                Resource: "arn:aws:iam::123456789012:instance-profile/app/*"}, {Effect: Allow, Action: "iam:PassRole", \
                Resource: "arn:aws:iam::123456789012:role/app-role", \
                Condition: {StringEquals: {"iam:PassedToService": "ec2.amazonaws.com"}}}, {Effect: Deny, \
                Action: "iam:DeleteInstanceProfile", Resource: "*", \
                Condition: {StringEquals: {"aws:ResourceTag/Protected": "true"}}}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    roles:
                      - name: app-role
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Principal: {Service: "ec2.amazonaws.com"}, Action: "sts:AssumeRole"}]}
                      - name: other-role
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Principal: {Service: "ec2.amazonaws.com"}, Action: "sts:AssumeRole"}]}
                  - id: "210987654321"
                    users:
                      - name: quota
                        policies:
                          - name: Iam
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:*", \
                Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), operator.accessKeyId(),
                operator.secretAccessKey(), quotaAdmin.accessKeyId(), quotaAdmin.secretAccessKey()));
        AccessKeyCredentials initial = node.initialAdmin().orElseThrow();
        iam = client(AwsBasicCredentials.create(initial.accessKey().accessKeyId(),
                initial.secretAccessKey().revealUtf8()));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static <T extends IamException> T failure(Class<T> type, Runnable call) {
        return catchThrowableOfType(type, call::run);
    }

    private static void createRole(String name) {
        iam.createRole(r -> r.roleName(name).assumeRolePolicyDocument(TRUST_EC2));
    }

    private static String decoded(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, UTF_8);
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamInstanceProfileActions.CREATE_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.GET_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.DELETE_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.LIST_INSTANCE_PROFILES_REQUEST,
                IamInstanceProfileActions.LIST_INSTANCE_PROFILES_FOR_ROLE_REQUEST,
                IamInstanceProfileActions.ADD_ROLE_TO_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.REMOVE_ROLE_FROM_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.TAG_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.UNTAG_INSTANCE_PROFILE_REQUEST,
                IamInstanceProfileActions.LIST_INSTANCE_PROFILE_TAGS_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel())).isEmpty();
    }

    // ---- create, get, delete

    @Test
    void createInstanceProfile_answersTheProfileWithAnAipaIdItsArnNoRolesAndNoTags() {
        CreateInstanceProfileResponse created = iam.createInstanceProfile(r -> r.instanceProfileName("lc-web")
                .path("/lc/"));

        InstanceProfile profile = created.instanceProfile();
        assertThat(profile.instanceProfileName()).isEqualTo("lc-web");
        assertThat(profile.path()).isEqualTo("/lc/");
        assertThat(profile.instanceProfileId()).startsWith("AIPA").hasSize(21);
        assertThat(profile.arn()).isEqualTo("arn:aws:iam::123456789012:instance-profile/lc/lc-web");
        assertThat(profile.createDate()).isNotNull();
        assertThat(profile.hasRoles()).isTrue();
        assertThat(profile.roles()).isEmpty();
        assertThat(profile.hasTags()).as("CreateInstanceProfile without tags answers none").isFalse();

        InstanceProfile got = iam.getInstanceProfile(r -> r.instanceProfileName("LC-WEB")).instanceProfile();
        assertThat(got.instanceProfileId()).isEqualTo(profile.instanceProfileId());
        assertThat(got.hasTags()).as("GetInstanceProfile always answers its Tags").isTrue();
        assertThat(got.tags()).isEmpty();
        assertThat(iam.createInstanceProfile(r -> r.instanceProfileName("lc-default")).instanceProfile().path())
                .isEqualTo("/");
    }

    @Test
    void createInstanceProfile_withTags_answersThem_andGetShowsThem() {
        Tag initial = Tag.builder().key("InitialKey").value("InitialValue").build();

        InstanceProfile created = iam.createInstanceProfile(r -> r.instanceProfileName("ct-web").tags(initial))
                .instanceProfile();

        assertThat(created.tags()).containsExactly(initial);
        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("ct-web")).instanceProfile().tags())
                .containsExactly(initial);
    }

    @Test
    void createInstanceProfile_nameTakenInAnyCase_isEntityAlreadyExists409() {
        iam.createInstanceProfile(r -> r.instanceProfileName("dup-web"));

        EntityAlreadyExistsException e = failure(EntityAlreadyExistsException.class,
                () -> iam.createInstanceProfile(r -> r.instanceProfileName("DUP-web").path("/elsewhere/")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Instance Profile DUP-web already exists.");
    }

    @Test
    void deleteInstanceProfile_thenGet_isNoSuchEntity404_inAwsWords() {
        iam.createInstanceProfile(r -> r.instanceProfileName("del-web"));

        iam.deleteInstanceProfile(r -> r.instanceProfileName("del-web"));

        NoSuchEntityException e = failure(NoSuchEntityException.class,
                () -> iam.getInstanceProfile(r -> r.instanceProfileName("del-web")));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Instance Profile del-web cannot be found.");
    }

    record Call(String name, Consumer<IamClient> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Call> callsNamingAnUnknownProfile() {
        return Stream.of(
                new Call("GetInstanceProfile", c -> c.getInstanceProfile(r -> r.instanceProfileName(
                        "nonexistent-profile"))),
                new Call("DeleteInstanceProfile", c -> c.deleteInstanceProfile(r -> r.instanceProfileName(
                        "nonexistent-profile"))),
                new Call("AddRoleToInstanceProfile with an existing role", c -> c.addRoleToInstanceProfile(
                        r -> r.instanceProfileName("nonexistent-profile").roleName("other-role"))),
                new Call("RemoveRoleFromInstanceProfile with an existing role", c -> c.removeRoleFromInstanceProfile(
                        r -> r.instanceProfileName("nonexistent-profile").roleName("other-role"))),
                new Call("TagInstanceProfile", c -> c.tagInstanceProfile(r -> r.instanceProfileName(
                        "nonexistent-profile").tags(t -> t.key("Key").value("Value")))),
                new Call("UntagInstanceProfile", c -> c.untagInstanceProfile(r -> r.instanceProfileName(
                        "nonexistent-profile").tagKeys("Key"))),
                new Call("ListInstanceProfileTags", c -> c.listInstanceProfileTags(r -> r.instanceProfileName(
                        "nonexistent-profile"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callsNamingAnUnknownProfile")
    void unknownProfile_isNoSuchEntity404_inAwsRecordedWords(Call call) {
        NoSuchEntityException e = failure(NoSuchEntityException.class, () -> call.call().accept(iam));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Instance Profile nonexistent-profile cannot be found.");
    }

    @Test
    void getInstanceProfile_nameWithASpace_isValidationError400() {
        IamException e = failure(IamException.class,
                () -> iam.getInstanceProfile(r -> r.instanceProfileName("web profile")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression "
                + "pattern: [\\w+=,.@-]+");
    }

    // ---- the role

    @Test
    void addRoleToInstanceProfile_getShowsTheRoleWithItsTrustPolicy_andDeletesWaitUntilItIsRemoved() {
        createRole("ar-role");
        iam.createInstanceProfile(r -> r.instanceProfileName("ar-web"));

        iam.addRoleToInstanceProfile(r -> r.instanceProfileName("ar-web").roleName("ar-role"));

        InstanceProfile profile = iam.getInstanceProfile(r -> r.instanceProfileName("ar-web")).instanceProfile();
        Role created = iam.getRole(r -> r.roleName("ar-role")).role();
        assertThat(profile.roles()).singleElement().satisfies(role -> {
            assertThat(role.roleName()).isEqualTo("ar-role");
            assertThat(role.roleId()).isEqualTo(created.roleId());
            assertThat(role.arn()).isEqualTo("arn:aws:iam::123456789012:role/ar-role");
            assertThat(role.path()).isEqualTo("/");
            assertThat(role.createDate()).isEqualTo(created.createDate());
            assertThat(decoded(role.assumeRolePolicyDocument())).isEqualTo(TRUST_EC2);
            // As in AWS's recorded answers, the role there has nothing GetRole alone adds.
            assertThat(role.maxSessionDuration()).isNull();
            assertThat(role.hasTags()).isFalse();
        });
        assertThat(iam.listInstanceProfilesForRole(r -> r.roleName("ar-role")).instanceProfiles())
                .extracting(InstanceProfile::instanceProfileName).containsExactly("ar-web");

        DeleteConflictException profileConflict = failure(DeleteConflictException.class,
                () -> iam.deleteInstanceProfile(r -> r.instanceProfileName("ar-web")));
        DeleteConflictException roleConflict = failure(DeleteConflictException.class,
                () -> iam.deleteRole(r -> r.roleName("ar-role")));
        for (DeleteConflictException e : List.of(profileConflict, roleConflict)) {
            assertThat(e.statusCode()).isEqualTo(409);
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Cannot delete entity, must remove roles from instance profile first.");
        }
        assertThat(iam.getRole(r -> r.roleName("ar-role")).role().roleId()).isEqualTo(created.roleId());

        iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName("ar-web").roleName("ar-role"));

        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("ar-web")).instanceProfile().roles()).isEmpty();
        iam.deleteRole(r -> r.roleName("ar-role"));
        iam.deleteInstanceProfile(r -> r.instanceProfileName("ar-web"));
    }

    @Test
    void addRoleToInstanceProfile_aSecondRole_isLimitExceeded409_inAwsWords() {
        createRole("two-a");
        createRole("two-b");
        iam.createInstanceProfile(r -> r.instanceProfileName("two-web"));
        iam.addRoleToInstanceProfile(r -> r.instanceProfileName("two-web").roleName("two-a"));

        LimitExceededException e = failure(LimitExceededException.class,
                () -> iam.addRoleToInstanceProfile(r -> r.instanceProfileName("two-web").roleName("two-b")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
    }

    @Test
    void roleErrors_areNoSuchEntity404_inAwsRecordedWords() {
        createRole("re-role");
        iam.createInstanceProfile(r -> r.instanceProfileName("re-web"));

        NoSuchEntityException addUnknown = failure(NoSuchEntityException.class, () -> iam.addRoleToInstanceProfile(
                r -> r.instanceProfileName("re-web").roleName("nonexistent-role")));
        NoSuchEntityException removeUnknown = failure(NoSuchEntityException.class,
                () -> iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName("re-web")
                        .roleName("nonexistent-role")));
        NoSuchEntityException listUnknown = failure(NoSuchEntityException.class,
                () -> iam.listInstanceProfilesForRole(r -> r.roleName("nonexistent-role")));
        NoSuchEntityException removeUnattached = failure(NoSuchEntityException.class,
                () -> iam.removeRoleFromInstanceProfile(r -> r.instanceProfileName("re-web").roleName("re-role")));

        for (NoSuchEntityException e : List.of(addUnknown, removeUnknown, listUnknown)) {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("The role with name nonexistent-role cannot be found.");
        }
        assertThat(removeUnattached.awsErrorDetails().errorMessage())
                .isEqualTo("Role re-role in Instance Profile re-web cannot be found.");
    }

    // ---- lists

    @Test
    void listInstanceProfiles_underAPathPrefix_pagesByName_withRolesAndWithoutTags() {
        createRole("pg-role");
        for (String name : List.of("pg-c", "PG-a", "pg-b")) {
            iam.createInstanceProfile(r -> r.instanceProfileName(name).path("/pg/")
                    .tags(t -> t.key("k").value("v")));
        }
        iam.createInstanceProfile(r -> r.instanceProfileName("pg-elsewhere").path("/other/"));
        iam.addRoleToInstanceProfile(r -> r.instanceProfileName("pg-b").roleName("pg-role"));

        ListInstanceProfilesResponse first = iam.listInstanceProfiles(r -> r.pathPrefix("/pg/").maxItems(2));
        ListInstanceProfilesResponse second = iam.listInstanceProfiles(r -> r.pathPrefix("/pg/").maxItems(2)
                .marker(first.marker()));

        assertThat(first.instanceProfiles()).extracting(InstanceProfile::instanceProfileName)
                .containsExactly("PG-a", "pg-b");
        assertThat(first.isTruncated()).isTrue();
        assertThat(second.instanceProfiles()).extracting(InstanceProfile::instanceProfileName)
                .containsExactly("pg-c");
        assertThat(second.isTruncated()).isFalse();
        assertThat(first.instanceProfiles().get(1).roles()).extracting(Role::roleName).containsExactly("pg-role");
        assertThat(first.instanceProfiles()).allSatisfy(profile -> assertThat(profile.hasTags()).isFalse());
        assertThat(iam.listInstanceProfilesPaginator(r -> r.pathPrefix("/pg/").maxItems(1)).instanceProfiles())
                .extracting(InstanceProfile::instanceProfileName).containsExactly("PG-a", "pg-b", "pg-c");
        assertThat(iam.listInstanceProfiles(r -> r.pathPrefix("/nonexistent-path/")).instanceProfiles()).isEmpty();
    }

    @Test
    void listInstanceProfilesForRole_givesEveryProfileHoldingTheRole_andNoneForARoleInNone() {
        createRole("lr-role");
        createRole("lr-idle");
        for (String name : List.of("lr-2", "lr-1")) {
            iam.createInstanceProfile(r -> r.instanceProfileName(name));
            iam.addRoleToInstanceProfile(r -> r.instanceProfileName(name).roleName("LR-ROLE"));
        }

        assertThat(iam.listInstanceProfilesForRole(r -> r.roleName("lr-role")).instanceProfiles())
                .extracting(InstanceProfile::instanceProfileName).containsExactly("lr-1", "lr-2");
        assertThat(iam.listInstanceProfilesForRole(r -> r.roleName("lr-role").maxItems(1)).isTruncated()).isTrue();
        var none = iam.listInstanceProfilesForRole(r -> r.roleName("lr-idle"));
        assertThat(none.instanceProfiles()).isEmpty();
        assertThat(none.isTruncated()).isFalse();
    }

    @Test
    void listInstanceProfiles_markerNotOneOfOurs_isValidationError400() {
        IamException e = failure(IamException.class, () -> iam.listInstanceProfiles(r -> r.marker("!!not-ours!!")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Marker.");
    }

    // ---- tags

    @Test
    void tags_lifecycle_asAwsRecordedIt() {
        iam.createInstanceProfile(r -> r.instanceProfileName("tg-web"));
        assertThat(iam.listInstanceProfileTags(r -> r.instanceProfileName("tg-web")).tags()).isEmpty();

        iam.tagInstanceProfile(r -> r.instanceProfileName("tg-web").tags(t -> t.key("MyKey").value("myValue")));
        iam.tagInstanceProfile(r -> r.instanceProfileName("tg-web").tags(t -> t.key("MyKey2").value("myValue2")));

        assertThat(iam.listInstanceProfileTags(r -> r.instanceProfileName("tg-web")).tags())
                .extracting(Tag::key, Tag::value)
                .containsExactly(tuple("MyKey", "myValue"),
                        tuple("MyKey2", "myValue2"));
        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("tg-web")).instanceProfile().tags()).hasSize(2);

        iam.untagInstanceProfile(r -> r.instanceProfileName("tg-web").tagKeys("MYKEY"));

        assertThat(iam.listInstanceProfileTags(r -> r.instanceProfileName("tg-web")).tags()).extracting(Tag::key)
                .containsExactly("MyKey2");
        var page = iam.listInstanceProfileTags(r -> r.instanceProfileName("tg-web").maxItems(1));
        assertThat(page.isTruncated()).isFalse();
    }

    @Test
    void tagInstanceProfile_aReservedKey_isInvalidInput400() {
        iam.createInstanceProfile(r -> r.instanceProfileName("tr-web"));

        IamException e = failure(IamException.class, () -> iam.tagInstanceProfile(
                r -> r.instanceProfileName("tr-web").tags(t -> t.key("aws:owner").value("x"))));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidInput");
    }

    // ---- the account

    @Test
    void theAccountQuota_isAThousandProfiles_countedByGetAccountSummary() {
        try (IamClient other = client(quotaAdmin)) {
            for (int i = 0; i < 1000; i++) {
                String name = "q" + i;
                other.createInstanceProfile(r -> r.instanceProfileName(name));
            }

            LimitExceededException e = failure(LimitExceededException.class,
                    () -> other.createInstanceProfile(r -> r.instanceProfileName("one-too-many")));

            assertThat(e.statusCode()).isEqualTo(409);
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Cannot exceed quota for InstanceProfilesPerAccount: 1000");
            assertThat(other.getAccountSummary().summaryMapAsStrings()).containsEntry("InstanceProfiles", 1000)
                    .containsEntry("InstanceProfilesQuota", 1000);
        }
    }

    @Test
    void getAccountAuthorizationDetails_listsTheProfilesHoldingEachRole() {
        createRole("gd-role");
        iam.createInstanceProfile(r -> r.instanceProfileName("gd-web").path("/gd/"));
        iam.addRoleToInstanceProfile(r -> r.instanceProfileName("gd-web").roleName("gd-role"));

        RoleDetail detail = iam.getAccountAuthorizationDetailsPaginator(r -> r.filter(EntityType.ROLE))
                .roleDetailList().stream().filter(role -> role.roleName().equals("gd-role")).findFirst()
                .orElseThrow();

        assertThat(detail.instanceProfileList()).singleElement().satisfies(profile -> {
            assertThat(profile.arn()).isEqualTo("arn:aws:iam::123456789012:instance-profile/gd/gd-web");
            assertThat(profile.roles()).extracting(Role::roleId).containsExactly(detail.roleId());
            assertThat(decoded(profile.roles().get(0).assumeRolePolicyDocument())).isEqualTo(TRUST_EC2);
        });
    }

    // ---- authorization: iam:<Action> on the profile, and PassRole on the role added

    @Test
    void aUserWithoutPolicies_isAccessDenied403_namingTheActionAndTheProfile() {
        iam.createInstanceProfile(r -> r.instanceProfileName("az-web").path("/az/"));
        try (IamClient denied = client(nobody)) {
            for (Call call : List.of(
                    new Call("GetInstanceProfile", c -> c.getInstanceProfile(r -> r.instanceProfileName("az-web"))),
                    new Call("CreateInstanceProfile", c -> c.createInstanceProfile(r -> r.instanceProfileName("x"))),
                    new Call("ListInstanceProfiles", IamClient::listInstanceProfiles),
                    new Call("ListInstanceProfilesForRole",
                            c -> c.listInstanceProfilesForRole(r -> r.roleName("app-role"))),
                    new Call("AddRoleToInstanceProfile", c -> c.addRoleToInstanceProfile(
                            r -> r.instanceProfileName("az-web").roleName("app-role"))),
                    new Call("TagInstanceProfile", c -> c.tagInstanceProfile(
                            r -> r.instanceProfileName("az-web").tags(t -> t.key("k").value("v")))))) {
                IamException e = failure(IamException.class, () -> call.call().accept(denied));

                assertThat(e.statusCode()).as(call.name()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorMessage()).as(call.name()).startsWith("User: "
                        + "arn:aws:iam::123456789012:user/nobody is not authorized to perform: iam:" + call.name()
                        + " on resource: ");
            }
        }
    }

    @Test
    void anOperator_allowedUnderAPath_createsThere_butNotElsewhere_norWithTagsWithoutTagInstanceProfile() {
        try (IamClient allowed = client(operator)) {
            allowed.createInstanceProfile(r -> r.instanceProfileName("op-web").path("/app/"));

            IamException elsewhere = failure(IamException.class,
                    () -> allowed.createInstanceProfile(r -> r.instanceProfileName("op-root")));
            IamException withTags = failure(IamException.class, () -> allowed.createInstanceProfile(
                    r -> r.instanceProfileName("op-tagged").path("/app/").tags(t -> t.key("k").value("v"))));

            assertThat(elsewhere.statusCode()).isEqualTo(403);
            assertThat(elsewhere.awsErrorDetails().errorMessage()).contains("iam:CreateInstanceProfile");
            assertThat(withTags.statusCode()).isEqualTo(403);
            assertThat(withTags.awsErrorDetails().errorMessage()).contains("iam:TagInstanceProfile");
            assertThat(allowed.getInstanceProfile(r -> r.instanceProfileName("op-web")).instanceProfile().arn())
                    .isEqualTo("arn:aws:iam::123456789012:instance-profile/app/op-web");
        }
    }

    @Test
    void addRoleToInstanceProfile_needsPassRoleOnTheRole_passedToEc2() {
        iam.createInstanceProfile(r -> r.instanceProfileName("pr-web").path("/app/"));
        iam.createInstanceProfile(r -> r.instanceProfileName("pr-other").path("/app/"));
        try (IamClient allowed = client(operator)) {
            IamException e = failure(IamException.class, () -> allowed.addRoleToInstanceProfile(
                    r -> r.instanceProfileName("pr-other").roleName("other-role")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/operator "
                    + "is not authorized to perform: iam:PassRole on resource: ");

            allowed.addRoleToInstanceProfile(r -> r.instanceProfileName("pr-web").roleName("app-role"));
            allowed.removeRoleFromInstanceProfile(r -> r.instanceProfileName("pr-web").roleName("app-role"));
        }
        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("pr-other")).instanceProfile().roles())
                .isEmpty();
    }

    @Test
    void deleteInstanceProfile_deniedByTheProfilesTag_isAccessDenied_explicitly() {
        iam.createInstanceProfile(r -> r.instanceProfileName("kept").path("/app/")
                .tags(t -> t.key("Protected").value("true")));
        iam.createInstanceProfile(r -> r.instanceProfileName("dropped").path("/app/"));
        try (IamClient allowed = client(operator)) {
            IamException e = failure(IamException.class,
                    () -> allowed.deleteInstanceProfile(r -> r.instanceProfileName("kept")));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorMessage()).contains("iam:DeleteInstanceProfile")
                    .contains("with an explicit deny in an identity-based policy");

            allowed.deleteInstanceProfile(r -> r.instanceProfileName("dropped"));
        }
        assertThat(iam.getInstanceProfile(r -> r.instanceProfileName("kept")).instanceProfile()).isNotNull();
    }
}
