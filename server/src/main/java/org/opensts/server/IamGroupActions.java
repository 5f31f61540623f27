package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.Group;
import org.opensts.iam.GroupOperations;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.Page;
import org.opensts.iam.User;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on groups, their members and their inline policies. Each is authorized against the ARN of the group
 * it touches (path included, read from the store), except ListGroupsForUser, which is about a user.
 */
final class IamGroupActions {
    static final StructureShape CREATE_GROUP_REQUEST = StructureShape.builder("CreateGroupRequest")
            .optional("Path", IamShapes.PATH)
            .required("GroupName", IamShapes.GROUP_NAME)
            .build();
    static final StructureShape GET_GROUP_REQUEST = StructureShape.builder("GetGroupRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape UPDATE_GROUP_REQUEST = StructureShape.builder("UpdateGroupRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .optional("NewPath", IamShapes.PATH)
            .optional("NewGroupName", IamShapes.GROUP_NAME)
            .build();
    static final StructureShape DELETE_GROUP_REQUEST = StructureShape.builder("DeleteGroupRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .build();
    static final StructureShape LIST_GROUPS_REQUEST = StructureShape.builder("ListGroupsRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape ADD_USER_TO_GROUP_REQUEST = StructureShape.builder("AddUserToGroupRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape REMOVE_USER_FROM_GROUP_REQUEST = StructureShape.builder("RemoveUserFromGroupRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape LIST_GROUPS_FOR_USER_REQUEST = StructureShape.builder("ListGroupsForUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape PUT_GROUP_POLICY_REQUEST = StructureShape.builder("PutGroupPolicyRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .build();
    static final StructureShape GET_GROUP_POLICY_REQUEST = StructureShape.builder("GetGroupPolicyRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape DELETE_GROUP_POLICY_REQUEST = StructureShape.builder("DeleteGroupPolicyRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape LIST_GROUP_POLICIES_REQUEST = StructureShape.builder("ListGroupPoliciesRequest")
            .required("GroupName", IamShapes.GROUP_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();

    private final GroupOperations groups;

    private IamGroupActions(IamService iam) {
        this.groups = iam.groups();
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamGroupActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateGroup", CREATE_GROUP_REQUEST,
                        (account, input) -> IamArns.group(account, input.string("Path"),
                                input.requiredString("GroupName")),
                        actions::createGroup),
                IamAction.of(authorizer, "GetGroup", GET_GROUP_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::getGroup),
                IamAction.of(authorizer, "UpdateGroup", UPDATE_GROUP_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::updateGroup)
                        .alsoAuthorizedOn((input, group) -> IamArns.moved(group.arn(), input.string("NewPath"),
                                input.string("NewGroupName"))),
                IamAction.of(authorizer, "DeleteGroup", DELETE_GROUP_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::deleteGroup),
                IamAction.of(authorizer, "ListGroups", LIST_GROUPS_REQUEST,
                        (account, input) -> IamArns.group(account, input.string("PathPrefix"), ""),
                        actions::listGroups),
                IamAction.of(authorizer, "AddUserToGroup", ADD_USER_TO_GROUP_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::addUserToGroup),
                IamAction.of(authorizer, "RemoveUserFromGroup", REMOVE_USER_FROM_GROUP_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::removeUserFromGroup),
                IamAction.on(authorizer, "ListGroupsForUser", LIST_GROUPS_FOR_USER_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::listGroupsForUser),
                IamAction.of(authorizer, "PutGroupPolicy", PUT_GROUP_POLICY_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::putGroupPolicy),
                IamAction.of(authorizer, "GetGroupPolicy", GET_GROUP_POLICY_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::getGroupPolicy),
                IamAction.of(authorizer, "DeleteGroupPolicy", DELETE_GROUP_POLICY_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::deleteGroupPolicy),
                IamAction.of(authorizer, "ListGroupPolicies", LIST_GROUP_POLICIES_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::listGroupPolicies));
    }

    private ActionResult createGroup(IamCall call, Struct input) {
        Group group = groups.createGroup(call.accountId(), input.requiredString("GroupName"),
                input.string("Path"));
        return ActionResult.of(xml -> IamXml.group(xml, "Group", group),
                Map.of("group", AuditElements.of("groupName", group.groupName(),
                        "groupId", group.groupId(), "arn", group.arn())));
    }

    private ActionResult getGroup(IamCall call, Struct input) {
        String groupName = input.requiredString("GroupName");
        Group group = groups.getGroup(call.accountId(), groupName);
        Page<User> page = groups.listUsersInGroup(call.accountId(), groupName,
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            IamXml.group(xml, "Group", group);
            xml.startList("Users");
            page.items().forEach(user -> IamXml.user(xml, "member", user, false));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult updateGroup(IamCall call, Struct input) {
        groups.updateGroup(call.accountId(), input.requiredString("GroupName"),
                input.string("NewGroupName"), input.string("NewPath"));
        return ActionResult.empty();
    }

    private ActionResult deleteGroup(IamCall call, Struct input) {
        groups.deleteGroup(call.accountId(), input.requiredString("GroupName"));
        return ActionResult.empty();
    }

    private ActionResult listGroups(IamCall call, Struct input) {
        Page<Group> page = groups.listGroups(call.accountId(), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> groupList(xml, page), Map.of());
    }

    private ActionResult addUserToGroup(IamCall call, Struct input) {
        groups.addUserToGroup(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("UserName"));
        return ActionResult.empty();
    }

    private ActionResult removeUserFromGroup(IamCall call, Struct input) {
        groups.removeUserFromGroup(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("UserName"));
        return ActionResult.empty();
    }

    private ActionResult listGroupsForUser(IamCall call, Struct input) {
        Page<Group> page = groups.listGroupsForUser(call.accountId(),
                input.requiredString("UserName"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> groupList(xml, page), Map.of());
    }

    private ActionResult putGroupPolicy(IamCall call, Struct input) {
        groups.putGroupPolicy(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("PolicyName"), input.requiredString("PolicyDocument"));
        return ActionResult.empty();
    }

    private ActionResult getGroupPolicy(IamCall call, Struct input) {
        GroupOperations.GroupPolicy found = groups.getGroupPolicy(call.accountId(),
                input.requiredString("GroupName"), input.requiredString("PolicyName"));
        return ActionResult.of(xml -> xml
                .element("GroupName", found.group().groupName())
                .element("PolicyName", found.policy().policyName())
                .element("PolicyDocument", IamXml.urlEncode(found.policy().policyDocument())),
                Map.of());
    }

    private ActionResult deleteGroupPolicy(IamCall call, Struct input) {
        groups.deleteGroupPolicy(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("PolicyName"));
        return ActionResult.empty();
    }

    private ActionResult listGroupPolicies(IamCall call, Struct input) {
        Page<String> page = groups.listGroupPolicies(call.accountId(),
                input.requiredString("GroupName"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> IamXml.policyNames(xml, page), Map.of());
    }

    /** {@code <Groups>} of a page, then its {@code <IsTruncated>} and marker. */
    private static void groupList(ResultWriter xml, Page<Group> page) {
        xml.startList("Groups");
        page.items().forEach(group -> IamXml.group(xml, "member", group));
        xml.end();
        IamXml.pagination(xml, page);
    }

    /** The ARN of a group, path included when the group exists. */
    private static String groupArn(IamService iam, String account, String groupName) {
        return iam.store().findGroup(account, groupName).map(Group::arn)
                .orElseGet(() -> IamArns.group(account, Optional.empty(), groupName));
    }
}
