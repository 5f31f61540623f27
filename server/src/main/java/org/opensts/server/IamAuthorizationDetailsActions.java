package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.AccountAuthorizationDetails;
import org.opensts.iam.AccountAuthorizationDetails.GroupDetail;
import org.opensts.iam.AccountAuthorizationDetails.ManagedPolicyDetail;
import org.opensts.iam.AccountAuthorizationDetails.RoleDetail;
import org.opensts.iam.AccountAuthorizationDetails.UserDetail;
import org.opensts.iam.AuthorizationDetailsOperations;
import org.opensts.iam.Group;
import org.opensts.iam.IamShapes;
import org.opensts.iam.IamService;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.InstanceProfile;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.PolicyVersion;
import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * GetAccountAuthorizationDetails: the account's users, groups, roles and managed policies with their relationships,
 * one page at a time (IAM API Reference, "GetAccountAuthorizationDetails"). Every policy document in the answer is
 * URL-encoded, as IAM returns documents.
 */
final class IamAuthorizationDetailsActions {
    static final StructureShape GET_ACCOUNT_AUTHORIZATION_DETAILS_REQUEST =
            StructureShape.builder("GetAccountAuthorizationDetailsRequest")
                    .optional("Filter", ListShape.of("entityListType", IamShapes.ENTITY_TYPE))
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .optional("Marker", IamShapes.MARKER)
                    .build();

    private final AuthorizationDetailsOperations details;

    private IamAuthorizationDetailsActions(AuthorizationDetailsOperations details) {
        this.details = details;
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamAuthorizationDetailsActions(new AuthorizationDetailsOperations(iam.store()));
        return List.of(
                // Like GetAccountSummary, a read of the account as a whole: IAM names no resource for it.
                IamAction.of(authorizer, "GetAccountAuthorizationDetails", GET_ACCOUNT_AUTHORIZATION_DETAILS_REQUEST,
                        (account, input) -> "*",
                        actions::getAccountAuthorizationDetails));
    }

    private ActionResult getAccountAuthorizationDetails(IamCall call, Struct input) {
        AccountAuthorizationDetails page = details.getAccountAuthorizationDetails(call.accountId(),
                input.strings("Filter"), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("UserDetailList");
            page.users().forEach(user -> userDetail(xml, user));
            xml.end();
            xml.startList("GroupDetailList");
            page.groups().forEach(group -> groupDetail(xml, group));
            xml.end();
            xml.startList("RoleDetailList");
            page.roles().forEach(role -> roleDetail(xml, role));
            xml.end();
            xml.startList("Policies");
            page.policies().forEach(policy -> managedPolicyDetail(xml, policy));
            xml.end();
            xml.element("IsTruncated", page.isTruncated());
            page.marker().ifPresent(marker -> xml.element("Marker", marker));
        }, Map.of());
    }

    /**
     * A {@code UserDetail} in the model's member order. As in AWS's real answers, {@code UserPolicyList} is left out
     * when the user has no inline policy, while {@code GroupList}, {@code AttachedManagedPolicies} and {@code Tags}
     * are there even when empty.
     */
    private static void userDetail(ResultWriter xml, UserDetail detail) {
        var user = detail.user();
        xml.start("member")
                .element("Path", user.path())
                .element("UserName", user.userName())
                .element("UserId", user.userId())
                .element("Arn", user.arn())
                .element("CreateDate", user.createDate());
        if (!detail.inlinePolicies().isEmpty()) {
            policyDetails(xml, "UserPolicyList", detail.inlinePolicies());
        }
        xml.startList("GroupList");
        detail.groups().stream().map(Group::groupName).forEach(name -> xml.element("member", name));
        xml.end();
        attachedPolicies(xml, detail.attachedPolicies());
        user.permissionsBoundaryArn().ifPresent(arn -> IamXml.permissionsBoundary(xml, arn));
        IamXml.tagList(xml, user.tags());
        xml.end();
    }

    /** A {@code GroupDetail}: a group has no tags; its two policy lists are there even when empty. */
    private static void groupDetail(ResultWriter xml, GroupDetail detail) {
        var group = detail.group();
        xml.start("member")
                .element("Path", group.path())
                .element("GroupName", group.groupName())
                .element("GroupId", group.groupId())
                .element("Arn", group.arn())
                .element("CreateDate", group.createDate());
        policyDetails(xml, "GroupPolicyList", detail.inlinePolicies());
        attachedPolicies(xml, detail.attachedPolicies());
        xml.end();
    }

    /**
     * A {@code RoleDetail}, with the instance profiles that hold the role in {@code InstanceProfileList} (each with
     * this role in its {@code Roles}); a role never used has an empty {@code RoleLastUsed}, as in AWS's real answers.
     */
    private static void roleDetail(ResultWriter xml, RoleDetail detail) {
        var role = detail.role();
        xml.start("member")
                .element("Path", role.path())
                .element("RoleName", role.roleName())
                .element("RoleId", role.roleId())
                .element("Arn", role.arn())
                .element("CreateDate", role.createDate())
                .element("AssumeRolePolicyDocument", IamXml.urlEncode(detail.trustPolicyDocument()));
        xml.startList("InstanceProfileList");
        for (InstanceProfile profile : detail.instanceProfiles()) {
            // The profile's one role is this one, its trust policy shown as the detail shows it.
            IamInstanceProfileActions.instanceProfile(xml, "member", profile,
                    IamInstanceProfileActions.ProfileForm.LISTED, held -> detail.trustPolicyDocument());
        }
        xml.end();
        policyDetails(xml, "RolePolicyList", detail.inlinePolicies());
        attachedPolicies(xml, detail.attachedPolicies());
        role.permissionsBoundaryArn().ifPresent(arn -> IamXml.permissionsBoundary(xml, arn));
        IamXml.tagList(xml, role.tags());
        xml.start("RoleLastUsed");
        detail.lastUsed().ifPresent(use -> xml.element("LastUsedDate", use.lastUsedDate())
                .element("Region", use.region()));
        xml.end();
        xml.end();
    }

    /** A {@code ManagedPolicyDetail}: a {@code Policy}'s members without tags, then every version with its document. */
    private static void managedPolicyDetail(ResultWriter xml, ManagedPolicyDetail detail) {
        ManagedPolicy policy = detail.policy();
        xml.start("member")
                .element("PolicyName", policy.policyName())
                .element("PolicyId", policy.policyId())
                .element("Arn", policy.arn())
                .element("Path", policy.path())
                .element("DefaultVersionId", policy.defaultVersionId())
                .element("AttachmentCount", policy.attachmentCount())
                .element("PermissionsBoundaryUsageCount", policy.permissionsBoundaryUsageCount())
                .element("IsAttachable", true);
        policy.description().ifPresent(description -> xml.element("Description", description));
        xml.element("CreateDate", policy.createDate())
                .element("UpdateDate", policy.updateDate());
        xml.startList("PolicyVersionList");
        for (PolicyVersion version : detail.versions()) {
            IamPolicyActions.policyVersion(xml, "member", version, /* withDocument= */ true);
        }
        xml.end();
        xml.end();
    }

    /** A list of {@code PolicyDetail}: inline policies, each with its document URL-encoded. */
    private static void policyDetails(ResultWriter xml, String element, List<InlinePolicy> policies) {
        xml.startList(element);
        for (InlinePolicy policy : policies) {
            xml.start("member")
                    .element("PolicyName", policy.policyName())
                    .element("PolicyDocument", IamXml.urlEncode(policy.policyDocument()))
                    .end();
        }
        xml.end();
    }

    /** {@code <AttachedManagedPolicies>} of {@code AttachedPolicy} members. */
    private static void attachedPolicies(ResultWriter xml, List<ManagedPolicy> policies) {
        xml.startList("AttachedManagedPolicies");
        for (ManagedPolicy policy : policies) {
            xml.start("member")
                    .element("PolicyName", policy.policyName())
                    .element("PolicyArn", policy.arn())
                    .end();
        }
        xml.end();
    }
}
