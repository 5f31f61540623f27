package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URLDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetGroupPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetGroupResponse;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListGroupsResponse;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.User;

/**
 * The group actions over HTTP, through the AWS SDK for Java v2's own IAM client: each operation round-trips through
 * the SDK's parser, errors arrive as the SDK's typed exceptions, every action is authorized by the caller's policies,
 * and a group's policies speak for its members — through renames, and no longer once a member leaves.
 */
class IamGroupApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ALLOW_S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/a b+c\"}]}";
    private static final String ALLOW_LIST_GROUPS = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
            + "\"Allow\",\"Action\":\"iam:ListGroups\",\"Resource\":\"*\"}]}";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AwsCredentials nobody;
    private static AwsCredentials reader;
    private static AwsCredentials member;
    private static IamClient iam;

    /**
     * One node for the class; each test works on groups of its own names. The bootstrap file adds users with known
     * keys: {@code nobody} and {@code member}, without policies of their own, and {@code reader}, allowed
     * {@code iam:GetGroup} on the group {@code readable} only.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        reader = TestNodes.knownKey("reader");
        member = TestNodes.knownKey("member");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: member
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: reader
                        policies:
                          - name: GetOneGroup
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:GetGroup", \
                Resource: "arn:aws:iam::123456789012:group/shared/readable"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    groups:
                      - name: readable
                        path: /shared/
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), member.accessKeyId(),
                member.secretAccessKey(), reader.accessKeyId(), reader.secretAccessKey()));
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

    private static void createUser(String name) {
        iam.createUser(r -> r.userName(name));
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamGroupActions.CREATE_GROUP_REQUEST, IamGroupActions.GET_GROUP_REQUEST,
                IamGroupActions.UPDATE_GROUP_REQUEST, IamGroupActions.DELETE_GROUP_REQUEST,
                IamGroupActions.LIST_GROUPS_REQUEST, IamGroupActions.ADD_USER_TO_GROUP_REQUEST,
                IamGroupActions.REMOVE_USER_FROM_GROUP_REQUEST, IamGroupActions.LIST_GROUPS_FOR_USER_REQUEST,
                IamGroupActions.PUT_GROUP_POLICY_REQUEST, IamGroupActions.GET_GROUP_POLICY_REQUEST,
                IamGroupActions.DELETE_GROUP_POLICY_REQUEST, IamGroupActions.LIST_GROUP_POLICIES_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel())).isEmpty();
    }

    // ---- groups

    @Test
    void createGroup_thenGetGroup_roundTripEveryMember_withItsUsersPaged() {
        Group created = iam.createGroup(r -> r.groupName("builders").path("/eng/")).group();
        for (String name : List.of("gg-b", "gg-a", "gg-c")) {
            createUser(name);
            iam.addUserToGroup(r -> r.groupName("builders").userName(name));
        }

        GetGroupResponse first = iam.getGroup(r -> r.groupName("BUILDERS").maxItems(2));
        GetGroupResponse rest = iam.getGroup(r -> r.groupName("builders").marker(first.marker()));

        assertThat(created.groupId()).startsWith("AGPA").hasSize(21);
        assertThat(first.group()).isEqualTo(created);
        assertThat(created.arn()).isEqualTo("arn:aws:iam::123456789012:group/eng/builders");
        assertThat(created.path()).isEqualTo("/eng/");
        assertThat(created.createDate()).isNotNull();
        assertThat(first.users()).extracting(User::userName).containsExactly("gg-a", "gg-b");
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.users()).extracting(User::userName).containsExactly("gg-c");
        assertThat(rest.isTruncated()).isFalse();
        assertThat(rest.users().get(0).arn()).isEqualTo("arn:aws:iam::123456789012:user/gg-c");
    }

    @Test
    void createGroup_nameTakenInAnotherCase_isEntityAlreadyExists409() {
        iam.createGroup(r -> r.groupName("twins"));

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> iam.createGroup(r -> r.groupName("TWINS")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Group with name TWINS already exists.");
    }

    @Test
    void getGroup_unknown_isNoSuchEntity404_andABadName_isValidationError400() {
        NoSuchEntityException missing = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getGroup(r -> r.groupName("ghosts")));
        IamException invalid = catchThrowableOfType(IamException.class, () -> iam.getGroup(r -> r.groupName("a b")));

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("The group with name ghosts cannot be found.");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
    }

    @Test
    void updateGroup_renamesAndMoves_andListGroupsPagesByPathPrefix() {
        iam.createGroup(r -> r.groupName("lg-one").path("/listing/"));
        iam.createGroup(r -> r.groupName("lg-two").path("/listing/"));
        iam.createGroup(r -> r.groupName("lg-three").path("/listing/"));

        iam.updateGroup(r -> r.groupName("lg-three").newGroupName("lg-0").newPath("/listing/moved/"));

        var names = new ArrayList<String>();
        ListGroupsResponse page = iam.listGroups(r -> r.pathPrefix("/listing/").maxItems(2));
        page.groups().forEach(group -> names.add(group.groupName()));
        assertThat(page.isTruncated()).isTrue();
        String marker = page.marker();
        page = iam.listGroups(r -> r.pathPrefix("/listing/").marker(marker));
        page.groups().forEach(group -> names.add(group.groupName()));
        assertThat(names).containsExactly("lg-0", "lg-one", "lg-two");
        assertThat(page.isTruncated()).isFalse();
        assertThat(iam.listGroups(r -> r.pathPrefix("/listing/moved/")).groups()).extracting(Group::arn)
                .containsExactly("arn:aws:iam::123456789012:group/listing/moved/lg-0");
    }

    @Test
    void deleteGroup_withAMember_isDeleteConflict409_thenSucceedsOnceItIsEmpty() {
        iam.createGroup(r -> r.groupName("leaving"));
        createUser("leaver");
        iam.addUserToGroup(r -> r.groupName("leaving").userName("leaver"));

        DeleteConflictException e = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deleteGroup(r -> r.groupName("leaving")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete entity, must remove users from group first.");
        iam.removeUserFromGroup(r -> r.groupName("leaving").userName("leaver"));
        iam.deleteGroup(r -> r.groupName("leaving"));
        assertThat(iam.listGroupsForUser(r -> r.userName("leaver")).groups()).isEmpty();
    }

    @Test
    void listGroupsForUser_pagesTheUsersGroups_andAddingTwiceIsOneMembership() {
        createUser("joiner");
        for (String name : List.of("jg-b", "jg-a")) {
            iam.createGroup(r -> r.groupName(name));
            iam.addUserToGroup(r -> r.groupName(name).userName("joiner"));
        }
        iam.addUserToGroup(r -> r.groupName("JG-A").userName("JOINER"));

        var first = iam.listGroupsForUser(r -> r.userName("joiner").maxItems(1));
        var rest = iam.listGroupsForUser(r -> r.userName("joiner").marker(first.marker()));

        assertThat(first.groups()).extracting(Group::groupName).containsExactly("jg-a");
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.groups()).extracting(Group::groupName).containsExactly("jg-b");
        assertThat(catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.addUserToGroup(r -> r.groupName("jg-a").userName("nobody-at-all"))).statusCode())
                .isEqualTo(404);
    }

    // ---- inline policies

    @Test
    void groupPolicies_putGetListDelete_documentComesBackUrlEncoded() {
        iam.createGroup(r -> r.groupName("policied"));

        iam.putGroupPolicy(r -> r.groupName("policied").policyName("s3").policyDocument(ALLOW_S3));
        iam.putGroupPolicy(r -> r.groupName("policied").policyName("a-first").policyDocument(ALLOW_S3));
        GetGroupPolicyResponse got = iam.getGroupPolicy(r -> r.groupName("POLICIED").policyName("s3"));

        assertThat(got.groupName()).isEqualTo("policied");
        assertThat(got.policyName()).isEqualTo("s3");
        assertThat(got.policyDocument()).contains("%22Effect%22");
        assertThat(URLDecoder.decode(got.policyDocument(), UTF_8)).isEqualTo(ALLOW_S3);
        var first = iam.listGroupPolicies(r -> r.groupName("policied").maxItems(1));
        assertThat(first.policyNames()).containsExactly("a-first");
        assertThat(iam.listGroupPolicies(r -> r.groupName("policied").marker(first.marker())).policyNames())
                .containsExactly("s3");

        iam.deleteGroupPolicy(r -> r.groupName("policied").policyName("s3"));
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getGroupPolicy(r -> r.groupName("policied").policyName("s3")));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The group policy with name s3 cannot be found.");
        assertThat(catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deleteGroup(r -> r.groupName("policied"))).awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete entity, must delete policies first.");
    }

    @Test
    void putGroupPolicy_malformedOrBeyond5120_isMalformedPolicyDocument400OrLimitExceeded409() {
        iam.createGroup(r -> r.groupName("quota"));
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(2600) + "\"}]}";
        iam.putGroupPolicy(r -> r.groupName("quota").policyName("one").policyDocument(large));

        LimitExceededException tooLarge = catchThrowableOfType(LimitExceededException.class,
                () -> iam.putGroupPolicy(r -> r.groupName("quota").policyName("two").policyDocument(large)));
        MalformedPolicyDocumentException malformed = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.putGroupPolicy(r -> r.groupName("quota").policyName("bad").policyDocument("[]")));

        assertThat(tooLarge.statusCode()).isEqualTo(409);
        assertThat(tooLarge.awsErrorDetails().errorMessage())
                .isEqualTo("Maximum policy size of 5120 bytes exceeded for group quota");
        assertThat(malformed.statusCode()).isEqualTo(400);
    }

    // ---- a group's policies speak for its members

    @Test
    void aGroupsPolicy_allowsItsMembers_throughRenames_andNoLongerOnceTheyLeave() {
        iam.createGroup(r -> r.groupName("listers"));
        iam.putGroupPolicy(r -> r.groupName("listers").policyName("list").policyDocument(ALLOW_LIST_GROUPS));
        try (IamClient asMember = client(member)) {
            assertThat(catchThrowableOfType(IamException.class, asMember::listGroups).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDenied");

            iam.addUserToGroup(r -> r.groupName("listers").userName("member"));
            assertThat(asMember.listGroups().groups()).extracting(Group::groupName).contains("listers");

            iam.updateGroup(r -> r.groupName("listers").newGroupName("lister-renamed"));
            iam.updateUser(r -> r.userName("member").newPath("/renamed/"));
            assertThat(asMember.listGroups().groups()).extracting(Group::groupName).contains("lister-renamed");

            iam.removeUserFromGroup(r -> r.groupName("lister-renamed").userName("member"));
            assertThat(catchThrowableOfType(IamException.class, asMember::listGroups).awsErrorDetails().errorCode())
                    .isEqualTo("AccessDenied");
        }
    }

    // ---- authorization

    @Test
    void aUserWithoutPolicies_isAccessDenied403_forEveryGroupAction() {
        try (IamClient denied = client(nobody)) {
            for (Runnable call : List.<Runnable>of(
                    denied::listGroups,
                    () -> denied.createGroup(r -> r.groupName("intruders")),
                    () -> denied.getGroup(r -> r.groupName("readable")),
                    () -> denied.addUserToGroup(r -> r.groupName("readable").userName("nobody")),
                    () -> denied.listGroupsForUser(r -> r.userName("nobody")),
                    () -> denied.putGroupPolicy(r -> r.groupName("readable").policyName("p")
                            .policyDocument(ALLOW_S3)))) {
                IamException e = catchThrowableOfType(IamException.class, call::run);
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            }
            IamException e = catchThrowableOfType(IamException.class,
                    () -> denied.getGroup(r -> r.groupName("readable")));
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/nobody "
                    + "is not authorized to perform: iam:GetGroup on resource: group readable because no "
                    + "identity-based policy allows the iam:GetGroup action. Encoded authorization failure message: ");
        }
    }

    @Test
    void aPolicyAllowingGetGroupOnOneGroup_allowsThatAndNothingElse() {
        iam.createGroup(r -> r.groupName("unreadable").path("/shared/"));
        try (IamClient limited = client(reader)) {
            assertThat(limited.getGroup(r -> r.groupName("readable")).group().arn())
                    .isEqualTo("arn:aws:iam::123456789012:group/shared/readable");

            for (Runnable call : List.<Runnable>of(
                    () -> limited.getGroup(r -> r.groupName("unreadable")),
                    limited::listGroups,
                    () -> limited.listGroupPolicies(r -> r.groupName("readable")),
                    () -> limited.deleteGroup(r -> r.groupName("readable")))) {
                assertThat(catchThrowableOfType(IamException.class, call::run).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDenied");
            }
        }
    }
}
