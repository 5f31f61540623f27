package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * How IAM actions are authorized, end to end through the AWS SDK for Java v2: the condition keys IAM supplies for its
 * own actions ({@code iam:PermissionsBoundary}, {@code iam:PolicyARN}, {@code aws:RequestTag/*}, {@code aws:TagKeys},
 * {@code aws:ResourceTag/*}, {@code iam:ResourceTag/*}, {@code aws:RequestedRegion}), the extra actions some requests
 * need (Tag* and Put*PermissionsBoundary on create), and renames authorized on the new name too. For each key an Allow
 * conditioned on it grants what it says and a Deny conditioned on it refuses, as the escalation guards of the IAM User
 * Guide expect.
 *
 * <p>Each case runs as a fresh IAM user whose only policy is the case's, against entities the class creates once:
 * managed policy {@code Bnd} (tagged {@code owner=sec}); users {@code victim} (tagged {@code del=yes}),
 * {@code plain}, {@code bounded} (boundary {@code Bnd}), {@code Bobby}, {@code tm} and {@code tmove} under
 * {@code /team/}; group {@code Mgr2}; roles {@code protected1} (tagged {@code protected=true}) and {@code open1}.
 */
class IamActionTest {
    private static final String ACCOUNT = "arn:aws:iam::123456789012:";
    private static final String BND = ACCOUNT + "policy/Bnd";
    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final AtomicInteger PRINCIPALS = new AtomicInteger();

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient admin;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                """);
        admin = SdkClients.iam(node, SdkClients.credentials(node.initialAdmin().orElseThrow()));
        admin.createPolicy(r -> r.policyName("Bnd").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}]}").tags(tag("owner", "sec")));
        admin.createUser(r -> r.userName("victim").tags(tag("del", "yes")));
        admin.createUser(r -> r.userName("plain"));
        admin.createUser(r -> r.userName("bounded").permissionsBoundary(BND));
        admin.createUser(r -> r.userName("Bobby"));
        admin.createUser(r -> r.userName("tm").path("/team/"));
        admin.createUser(r -> r.userName("tmove").path("/team/"));
        admin.createGroup(r -> r.groupName("Mgr2"));
        admin.createRole(r -> r.roleName("protected1").assumeRolePolicyDocument(TRUST)
                .tags(tag("protected", "true")));
        admin.createRole(r -> r.roleName("open1").assumeRolePolicyDocument(TRUST));
    }

    @AfterAll
    static void stop() {
        admin.close();
        node.close();
    }

    /** A call made as the case's principal; {@code n} makes the names it creates its own. */
    @FunctionalInterface
    interface Call {
        void run(IamClient client, String n);
    }

    /**
     * @param statements the principal's policy statements, as JSON
     * @param refused {@code null} if the call is allowed; else the action and resource the {@code AccessDenied} names,
     *     {@code %s} standing for {@code n}
     */
    record Case(String name, String statements, Region region, Call call, String refused) {
        static Case allowed(String name, String statements, Call call) {
            return new Case(name, statements, Region.AWS_GLOBAL, call, null);
        }

        static Case refused(String name, String statements, Call call, String refused) {
            return new Case(name, statements, Region.AWS_GLOBAL, call, refused);
        }

        Case signedFor(Region signingRegion) {
            return new Case(name, statements, signingRegion, call, refused);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String onlyWithBoundary = "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateUser\","
                + "\"iam:PutUserPermissionsBoundary\"],\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"" + BND + "\"}}}";
        String everythingButOtherBoundaries = "{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":[\"iam:CreateUser\",\"iam:PutUserPermissionsBoundary\"],"
                + "\"Resource\":\"*\","
                + "\"Condition\":{\"StringNotEquals\":{\"iam:PermissionsBoundary\":\"" + BND + "\"}}}";
        String attachOnlyReadOnly = "{\"Effect\":\"Allow\",\"Action\":\"iam:AttachUserPolicy\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"iam:PolicyARN\":\"" + READ_ONLY + "\"}}}";
        String attachAnythingButAdmin = "{\"Effect\":\"Allow\",\"Action\":[\"iam:AttachUserPolicy\","
                + "\"iam:AttachRolePolicy\",\"iam:AttachGroupPolicy\"],\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":[\"iam:AttachUserPolicy\",\"iam:AttachRolePolicy\","
                + "\"iam:AttachGroupPolicy\"],\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"iam:PolicyARN\":\"" + ADMIN + "\"}}}";
        String onlyBlueTags = "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateUser\",\"iam:TagUser\"],"
                + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:RequestTag/team\":\"blue\"}}}";
        String createButNotTag = "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateUser\",\"iam:CreateRole\"],"
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":[\"iam:TagUser\",\"iam:TagRole\","
                + "\"iam:PutUserPermissionsBoundary\",\"iam:PutRolePermissionsBoundary\"],\"Resource\":\"*\"}";
        String tagButNotProtected = "{\"Effect\":\"Allow\",\"Action\":\"iam:TagRole\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iam:TagRole\",\"Resource\":\"*\","
                + "\"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"protected\"]}}}";
        String untagOnlyTemp = "{\"Effect\":\"Allow\",\"Action\":\"iam:UntagUser\",\"Resource\":\"*\","
                + "\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"temp\"]}}}";
        String getDeletable = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/del\":\"yes\"}}}";
        String notProtected = "{\"Effect\":\"Allow\",\"Action\":\"iam:UpdateRoleDescription\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iam:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:ResourceTag/protected\":\"true\"}}}";
        String policiesOfBoundedUsers = "{\"Effect\":\"Allow\",\"Action\":\"iam:PutUserPolicy\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:PermissionsBoundary\":\"" + BND + "\"}}}";
        String getSecPolicies = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetPolicy\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/owner\":\"sec\"}}}";
        String updateBobby = "{\"Effect\":\"Allow\",\"Action\":[\"iam:UpdateUser\",\"iam:UpdateGroup\"],"
                + "\"Resource\":[\"" + ACCOUNT + "user/Bobby\",\"" + ACCOUNT + "group/Mgr2\"]}";
        String updateTeam = "{\"Effect\":\"Allow\",\"Action\":\"iam:UpdateUser\","
                + "\"Resource\":\"" + ACCOUNT + "user/team/*\"}";
        String onlyInUsEast1 = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"us-east-1\"}}}";
        String onlyInEuWest1 = "{\"Effect\":\"Allow\",\"Action\":\"iam:GetUser\",\"Resource\":\"*\"},"
                + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringNotEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}}";
        return Stream.of(
                Case.allowed("iam:PermissionsBoundary: CreateUser with the allowed boundary is allowed",
                        onlyWithBoundary,
                        (c, n) -> c.createUser(r -> r.userName("b" + n).permissionsBoundary(BND))),
                Case.refused("iam:PermissionsBoundary: CreateUser without a boundary is refused", onlyWithBoundary,
                        (c, n) -> c.createUser(r -> r.userName("b" + n)),
                        "iam:CreateUser on resource: user b%s"),
                Case.refused("iam:PermissionsBoundary: CreateUser with another boundary is refused", onlyWithBoundary,
                        (c, n) -> c.createUser(r -> r.userName("b" + n).permissionsBoundary(READ_ONLY)),
                        "iam:CreateUser on resource: user b%s"),
                Case.refused("iam:PermissionsBoundary: a Deny on other boundaries refuses setting one",
                        everythingButOtherBoundaries,
                        (c, n) -> c.putUserPermissionsBoundary(r -> r.userName("plain").permissionsBoundary(ADMIN)),
                        "iam:PutUserPermissionsBoundary on resource: user plain"),
                Case.allowed("iam:PermissionsBoundary: a Deny on other boundaries lets the right one be set",
                        everythingButOtherBoundaries,
                        (c, n) -> c.createUser(r -> r.userName("b" + n).permissionsBoundary(BND))),
                Case.allowed("iam:PermissionsBoundary of the user: PutUserPolicy on a bounded user is allowed",
                        policiesOfBoundedUsers,
                        (c, n) -> c.putUserPolicy(r -> r.userName("bounded").policyName("p" + n).policyDocument(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"))),
                Case.refused("iam:PermissionsBoundary of the user: PutUserPolicy on an unbounded user is refused",
                        policiesOfBoundedUsers,
                        (c, n) -> c.putUserPolicy(r -> r.userName("plain").policyName("p" + n).policyDocument(
                                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                        + "\"Action\":\"*\",\"Resource\":\"*\"}]}")),
                        "iam:PutUserPolicy on resource: user plain"),
                Case.allowed("iam:PolicyARN: attaching the allowed policy is allowed", attachOnlyReadOnly,
                        (c, n) -> c.attachUserPolicy(r -> r.userName("plain").policyArn(READ_ONLY))),
                Case.refused("iam:PolicyARN: attaching another policy is refused", attachOnlyReadOnly,
                        (c, n) -> c.attachUserPolicy(r -> r.userName("plain").policyArn(ADMIN)),
                        "iam:AttachUserPolicy on resource: user plain"),
                Case.refused("iam:PolicyARN: a Deny on AdministratorAccess refuses attaching it to a user",
                        attachAnythingButAdmin,
                        (c, n) -> c.attachUserPolicy(r -> r.userName("plain").policyArn(ADMIN)),
                        "iam:AttachUserPolicy on resource: user plain"),
                Case.refused("iam:PolicyARN: a Deny on AdministratorAccess refuses attaching it to a role",
                        attachAnythingButAdmin,
                        (c, n) -> c.attachRolePolicy(r -> r.roleName("open1").policyArn(ADMIN)),
                        "iam:AttachRolePolicy on resource: role open1"),
                Case.refused("iam:PolicyARN: a Deny on AdministratorAccess refuses attaching it to a group",
                        attachAnythingButAdmin,
                        (c, n) -> c.attachGroupPolicy(r -> r.groupName("Mgr2").policyArn(ADMIN)),
                        "iam:AttachGroupPolicy on resource: group Mgr2"),
                Case.refused("iam:PolicyARN: a Deny on AdministratorAccess holds for its ARN in another case, which"
                                + " the store still finds", attachAnythingButAdmin,
                        (c, n) -> c.attachUserPolicy(r -> r.userName("plain")
                                .policyArn(ADMIN.toLowerCase(Locale.ROOT))),
                        "iam:AttachUserPolicy on resource: user plain"),
                Case.allowed("iam:PermissionsBoundary: the allowed boundary in another case is the same boundary",
                        onlyWithBoundary,
                        (c, n) -> c.createUser(r -> r.userName("case" + n)
                                .permissionsBoundary(ACCOUNT + "policy/BND"))),
                Case.allowed("iam:PolicyARN: a Deny on AdministratorAccess lets other policies be attached",
                        attachAnythingButAdmin,
                        (c, n) -> c.attachRolePolicy(r -> r.roleName("open1").policyArn(READ_ONLY))),
                Case.allowed("aws:RequestTag: CreateUser with the allowed tag is allowed", onlyBlueTags,
                        (c, n) -> c.createUser(r -> r.userName("t" + n).tags(tag("team", "blue")))),
                Case.allowed("aws:RequestTag: TagUser with the allowed tag is allowed", onlyBlueTags,
                        (c, n) -> c.tagUser(r -> r.userName("plain").tags(tag("team", "blue")))),
                Case.refused("aws:RequestTag: CreateUser with another tag is refused", onlyBlueTags,
                        (c, n) -> c.createUser(r -> r.userName("t" + n).tags(tag("team", "red"))),
                        "iam:CreateUser on resource: user t%s"),
                Case.refused("aws:RequestTag: CreateUser without tags is refused", onlyBlueTags,
                        (c, n) -> c.createUser(r -> r.userName("t" + n)),
                        "iam:CreateUser on resource: user t%s"),
                Case.refused("CreateUser with tags needs iam:TagUser", createButNotTag,
                        (c, n) -> c.createUser(r -> r.userName("t" + n).tags(tag("team", "admins"))),
                        "iam:TagUser on resource: user t%s"),
                Case.refused("CreateRole with tags needs iam:TagRole", createButNotTag,
                        (c, n) -> c.createRole(r -> r.roleName("t" + n).assumeRolePolicyDocument(TRUST)
                                .tags(tag("team", "admins"))),
                        "iam:TagRole on resource: role t%s"),
                Case.refused("CreateUser with a boundary needs iam:PutUserPermissionsBoundary", createButNotTag,
                        (c, n) -> c.createUser(r -> r.userName("t" + n).permissionsBoundary(READ_ONLY)),
                        "iam:PutUserPermissionsBoundary on resource: user t%s"),
                Case.refused("CreateRole with a boundary needs iam:PutRolePermissionsBoundary", createButNotTag,
                        (c, n) -> c.createRole(r -> r.roleName("t" + n).assumeRolePolicyDocument(TRUST)
                                .permissionsBoundary(READ_ONLY)),
                        "iam:PutRolePermissionsBoundary on resource: role t%s"),
                Case.allowed("CreateUser without tags or boundary needs nothing more", createButNotTag,
                        (c, n) -> c.createUser(r -> r.userName("t" + n))),
                Case.refused("aws:TagKeys: a Deny on a tag key refuses TagRole with it", tagButNotProtected,
                        (c, n) -> c.tagRole(r -> r.roleName("open1").tags(tag("protected", "false"))),
                        "iam:TagRole on resource: role open1"),
                Case.allowed("aws:TagKeys: a Deny on a tag key lets TagRole add others", tagButNotProtected,
                        (c, n) -> c.tagRole(r -> r.roleName("open1").tags(tag("env", "dev")))),
                Case.allowed("aws:TagKeys: UntagUser of the allowed key is allowed", untagOnlyTemp,
                        (c, n) -> c.untagUser(r -> r.userName("victim").tagKeys("temp"))),
                Case.refused("aws:TagKeys: UntagUser of another key is refused", untagOnlyTemp,
                        (c, n) -> c.untagUser(r -> r.userName("victim").tagKeys("temp", "del")),
                        "iam:UntagUser on resource: user victim"),
                Case.allowed("aws:ResourceTag: GetUser of a user with the tag is allowed", getDeletable,
                        (c, n) -> c.getUser(r -> r.userName("victim"))),
                Case.refused("aws:ResourceTag: GetUser of a user without it is refused", getDeletable,
                        (c, n) -> c.getUser(r -> r.userName("plain")),
                        "iam:GetUser on resource: user plain"),
                Case.allowed("aws:ResourceTag: ListMFADevices of a user with the tag is allowed",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:ListMFADevices\",\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEquals\":{\"iam:ResourceTag/del\":\"yes\"}}}",
                        (c, n) -> c.listMFADevices(r -> r.userName("victim"))),
                Case.refused("aws:ResourceTag: ListGroupsForUser of a user without the tag is refused",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:ListGroupsForUser\",\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEquals\":{\"aws:ResourceTag/del\":\"yes\"}}}",
                        (c, n) -> c.listGroupsForUser(r -> r.userName("plain")),
                        "iam:ListGroupsForUser on resource: user plain"),
                Case.refused("iam:ResourceTag: a Deny on a role's tag refuses changing it", notProtected,
                        (c, n) -> c.updateRoleDescription(r -> r.roleName("protected1").description("x" + n)),
                        "iam:UpdateRoleDescription on resource: role protected1"),
                Case.allowed("iam:ResourceTag: a Deny on a role's tag lets other roles change", notProtected,
                        (c, n) -> c.updateRoleDescription(r -> r.roleName("open1").description("x" + n))),
                Case.allowed("aws:ResourceTag of a managed policy: GetPolicy of one with the tag is allowed",
                        getSecPolicies, (c, n) -> c.getPolicy(r -> r.policyArn(BND))),
                Case.refused("aws:ResourceTag of a managed policy: GetPolicy of one without it is refused",
                        getSecPolicies, (c, n) -> c.getPolicy(r -> r.policyArn(READ_ONLY)),
                        "iam:GetPolicy on resource: policy " + READ_ONLY),
                Case.refused("CreatePolicy with tags needs iam:TagPolicy",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicy\",\"Resource\":\"*\"}",
                        (c, n) -> c.createPolicy(r -> r.policyName("t" + n).tags(tag("team", "admins"))
                                .policyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}")),
                        "iam:TagPolicy on resource: policy " + ACCOUNT + "policy/t%s"),
                Case.refused("UpdateUser renaming needs the action on the new name", updateBobby,
                        (c, n) -> c.updateUser(r -> r.userName("Bobby").newUserName("Robert")),
                        "iam:UpdateUser on resource: user Robert"),
                Case.refused("UpdateGroup renaming needs the action on the new name", updateBobby,
                        (c, n) -> c.updateGroup(r -> r.groupName("Mgr2").newGroupName("MGRs2")),
                        "iam:UpdateGroup on resource: group MGRs2"),
                Case.refused("UpdateUser moving a user out of the allowed path is refused", updateTeam,
                        (c, n) -> c.updateUser(r -> r.userName("tm").newPath("/other/")),
                        "iam:UpdateUser on resource: user tm"),
                Case.allowed("UpdateUser renaming within the allowed path is allowed", updateTeam,
                        (c, n) -> c.updateUser(r -> r.userName("tmove").newUserName("tmoved"))),
                Case.allowed("ListUsers is authorized on the path prefix: a policy on user/ allows it",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:ListUsers\",\"Resource\":\"" + ACCOUNT + "user/\"}",
                        (c, n) -> c.listUsers()),
                Case.allowed("ListRoles with a PathPrefix is authorized on that prefix",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:ListRoles\",\"Resource\":\"" + ACCOUNT
                                + "role/eng/*\"}",
                        (c, n) -> c.listRoles(r -> r.pathPrefix("/eng/"))),
                Case.refused("ListRoles outside the allowed prefix names the role/ prefix it was refused on",
                        "{\"Effect\":\"Allow\",\"Action\":\"iam:ListRoles\",\"Resource\":\"" + ACCOUNT
                                + "role/eng/*\"}",
                        (c, n) -> c.listRoles(), "iam:ListRoles on resource: " + ACCOUNT + "role/"),
                Case.refused("ListGroups is refused on group/, not on a name", "{\"Effect\":\"Allow\","
                        + "\"Action\":\"iam:ListGroups\",\"Resource\":\"" + ACCOUNT + "group/?\"}",
                        (c, n) -> c.listGroups(), "iam:ListGroups on resource: " + ACCOUNT + "group/"),
                Case.allowed("aws:RequestedRegion is us-east-1 for IAM whatever the signing region", onlyInUsEast1,
                        (c, n) -> c.getUser(r -> r.userName("plain"))).signedFor(Region.EU_WEST_1),
                Case.refused("aws:RequestedRegion: a Deny outside eu-west-1 refuses IAM even signed for it",
                        onlyInEuWest1,
                        (c, n) -> c.getUser(r -> r.userName("plain")),
                        "iam:GetUser on resource: user plain").signedFor(Region.EU_WEST_1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void iamAction_isAuthorizedWithItsConditionKeysAndExtraActions(Case c) {
        String n = String.valueOf(PRINCIPALS.incrementAndGet());
        try (IamClient principal = principal("c" + n, c.statements(), c.region())) {
            if (c.refused() == null) {
                assertThatCode(() -> c.call().run(principal, n)).doesNotThrowAnyException();
            } else {
                IamException e = catchThrowableOfType(IamException.class, () -> c.call().run(principal, n));
                assertThat(e).as("refused").isNotNull();
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                // The sentence, IAM's reason for the refusal, then the encoded message that explains it.
                assertThat(e.awsErrorDetails().errorMessage()).matches(Pattern.quote("User: " + ACCOUNT + "user/c" + n
                        + " is not authorized to perform: " + c.refused().formatted(n)) + " (because no [a-z -]+ "
                        + "allows the iam:\\w+ action|with an explicit deny in an? [a-z -]+)\\. Encoded authorization "
                        + "failure message: [A-Za-z0-9_-]+");
            }
        }
    }

    @Test
    void attachUserPolicy_deniedForAdministratorAccess_attachesNothing() {
        try (IamClient principal = principal("esc", "{\"Effect\":\"Allow\",\"Action\":\"iam:AttachUserPolicy\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"iam:AttachUserPolicy\",\"Resource\":\"*\","
                + "\"Condition\":{\"ArnEquals\":{\"iam:PolicyARN\":\"" + ADMIN + "\"}}}", Region.AWS_GLOBAL)) {
            catchThrowableOfType(IamException.class,
                    () -> principal.attachUserPolicy(r -> r.userName("esc").policyArn(ADMIN)));

            assertThat(admin.listAttachedUserPolicies(r -> r.userName("esc")).attachedPolicies()).isEmpty();
        }
    }

    @Test
    void createUser_withTagsWhenTagUserIsDenied_createsNoUser() {
        try (IamClient principal = principal("lou", "{\"Effect\":\"Allow\",\"Action\":\"iam:CreateUser\","
                + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"iam:TagUser\",\"Resource\":\"*\"}",
                Region.AWS_GLOBAL)) {
            catchThrowableOfType(IamException.class,
                    () -> principal.createUser(r -> r.userName("lou2").tags(tag("team", "admins"))));

            assertThat(catchThrowableOfType(NoSuchEntityException.class,
                    () -> admin.getUser(r -> r.userName("lou2")))).isNotNull();
        }
    }

    @Test
    void updateUser_renameRefusedOnTheNewName_leavesTheUserAsItWas() {
        try (IamClient principal = principal("renamer", "{\"Effect\":\"Allow\",\"Action\":\"iam:UpdateUser\","
                + "\"Resource\":\"" + ACCOUNT + "user/Bobby\"}", Region.AWS_GLOBAL)) {
            catchThrowableOfType(IamException.class,
                    () -> principal.updateUser(r -> r.userName("Bobby").newUserName("Robert")));

            assertThat(admin.getUser(r -> r.userName("Bobby")).user().arn()).isEqualTo(ACCOUNT + "user/Bobby");
        }
    }

    /** A new user whose only policy has {@code statements}, and an IAM client signed with its key. */
    private static IamClient principal(String name, String statements, Region region) {
        admin.createUser(r -> r.userName(name));
        admin.putUserPolicy(r -> r.userName(name).policyName("only").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}"));
        AccessKey key = admin.createAccessKey(r -> r.userName(name)).accessKey();
        return SdkClients.iam(node, AwsBasicCredentials.create(
                key.accessKeyId(), key.secretAccessKey()), region);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
