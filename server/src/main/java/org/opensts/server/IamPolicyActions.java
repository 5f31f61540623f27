package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.CreatePolicyRequest;
import org.opensts.iam.Group;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.ManagedPolicyOperations;
import org.opensts.iam.Page;
import org.opensts.iam.PolicyEntity;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.PolicyVersion;
import org.opensts.iam.Tag;
import org.opensts.protocol.Arn;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on managed policies — the policies, their versions and tags, who uses them — and on attaching them
 * to users, groups and roles.
 *
 * <p>Policy actions are authorized against the policy's ARN as given; attachment actions against the ARN of the
 * user, group or role, path included (read from the store), as IAM does. Every action that names a policy by ARN checks
 * that ARN before it is authorized. Version documents go out URL-encoded.
 */
final class IamPolicyActions {
    static final StructureShape CREATE_POLICY_REQUEST = StructureShape.builder("CreatePolicyRequest")
            .required("PolicyName", IamShapes.POLICY_NAME)
            .optional("Path", IamShapes.POLICY_PATH)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .optional("Description", IamShapes.POLICY_DESCRIPTION)
            .optional("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape GET_POLICY_REQUEST = StructureShape.builder("GetPolicyRequest")
            .required("PolicyArn", IamShapes.ARN)
            .build();
    static final StructureShape DELETE_POLICY_REQUEST = StructureShape.builder("DeletePolicyRequest")
            .required("PolicyArn", IamShapes.ARN)
            .build();
    static final StructureShape LIST_POLICIES_REQUEST = StructureShape.builder("ListPoliciesRequest")
            .optional("Scope", IamShapes.POLICY_SCOPE)
            .optional("OnlyAttached", IamShapes.BOOLEAN)
            .optional("PathPrefix", IamShapes.POLICY_PATH)
            .optional("PolicyUsageFilter", IamShapes.POLICY_USAGE)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape CREATE_POLICY_VERSION_REQUEST = StructureShape.builder("CreatePolicyVersionRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .optional("SetAsDefault", IamShapes.BOOLEAN)
            .build();
    static final StructureShape GET_POLICY_VERSION_REQUEST = StructureShape.builder("GetPolicyVersionRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("VersionId", IamShapes.POLICY_VERSION_ID)
            .build();
    static final StructureShape DELETE_POLICY_VERSION_REQUEST = StructureShape.builder("DeletePolicyVersionRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("VersionId", IamShapes.POLICY_VERSION_ID)
            .build();
    static final StructureShape LIST_POLICY_VERSIONS_REQUEST = StructureShape.builder("ListPolicyVersionsRequest")
            .required("PolicyArn", IamShapes.ARN)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape SET_DEFAULT_POLICY_VERSION_REQUEST = StructureShape
            .builder("SetDefaultPolicyVersionRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("VersionId", IamShapes.POLICY_VERSION_ID)
            .build();
    static final StructureShape TAG_POLICY_REQUEST = StructureShape.builder("TagPolicyRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_POLICY_REQUEST = StructureShape.builder("UntagPolicyRequest")
            .required("PolicyArn", IamShapes.ARN)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_POLICY_TAGS_REQUEST = StructureShape.builder("ListPolicyTagsRequest")
            .required("PolicyArn", IamShapes.ARN)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape LIST_ENTITIES_FOR_POLICY_REQUEST = StructureShape
            .builder("ListEntitiesForPolicyRequest")
            .required("PolicyArn", IamShapes.ARN)
            .optional("EntityFilter", IamShapes.ENTITY_TYPE)
            .optional("PathPrefix", IamShapes.PATH)
            .optional("PolicyUsageFilter", IamShapes.POLICY_USAGE)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape ATTACH_USER_POLICY_REQUEST = attachment("AttachUserPolicyRequest", "UserName");
    static final StructureShape DETACH_USER_POLICY_REQUEST = attachment("DetachUserPolicyRequest", "UserName");
    static final StructureShape ATTACH_GROUP_POLICY_REQUEST = attachment("AttachGroupPolicyRequest", "GroupName");
    static final StructureShape DETACH_GROUP_POLICY_REQUEST = attachment("DetachGroupPolicyRequest", "GroupName");
    static final StructureShape ATTACH_ROLE_POLICY_REQUEST = attachment("AttachRolePolicyRequest", "RoleName");
    static final StructureShape DETACH_ROLE_POLICY_REQUEST = attachment("DetachRolePolicyRequest", "RoleName");
    static final StructureShape LIST_ATTACHED_USER_POLICIES_REQUEST =
            listAttached("ListAttachedUserPoliciesRequest", "UserName");
    static final StructureShape LIST_ATTACHED_GROUP_POLICIES_REQUEST =
            listAttached("ListAttachedGroupPoliciesRequest", "GroupName");
    static final StructureShape LIST_ATTACHED_ROLE_POLICIES_REQUEST =
            listAttached("ListAttachedRolePoliciesRequest", "RoleName");

    private final ManagedPolicyOperations policies;

    private IamPolicyActions(IamService iam) {
        this.policies = iam.managedPolicies();
    }

    /** {@code {Attach,Detach}{User,Group,Role}PolicyRequest}: the identity's name, then the policy's ARN. */
    private static StructureShape attachment(String shapeName, String ownerMember) {
        return StructureShape.builder(shapeName)
                .required(ownerMember, ownerNameShape(ownerMember))
                .required("PolicyArn", IamShapes.ARN)
                .build();
    }

    private static StructureShape listAttached(String shapeName, String ownerMember) {
        return StructureShape.builder(shapeName)
                .required(ownerMember, ownerNameShape(ownerMember))
                .optional("PathPrefix", IamShapes.POLICY_PATH)
                .optional("Marker", IamShapes.MARKER)
                .optional("MaxItems", IamShapes.MAX_ITEMS)
                .build();
    }

    private static ScalarShape ownerNameShape(String ownerMember) {
        return switch (ownerMember) {
            case "UserName" -> IamShapes.USER_NAME;
            case "GroupName" -> IamShapes.GROUP_NAME;
            default -> IamShapes.ROLE_NAME;
        };
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamPolicyActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreatePolicy", CREATE_POLICY_REQUEST,
                        (account, input) -> IamArns.policy(account, input.string("Path"),
                                input.requiredString("PolicyName")),
                        actions::createPolicy).withRequestKeys(IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagPolicy", IamRequestKeys::hasTags),
                IamAction.on(authorizer, "GetPolicy", GET_POLICY_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::getPolicy).validatedBy(IamPolicyActions::checkPolicyArn),
                IamAction.on(authorizer, "DeletePolicy", DELETE_POLICY_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::deletePolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself(),
                IamAction.of(authorizer, "ListPolicies", LIST_POLICIES_REQUEST,
                        (account, input) -> IamArns.policy(account, input.string("PathPrefix"), "*"),
                        actions::listPolicies),
                IamAction.on(authorizer, "CreatePolicyVersion", CREATE_POLICY_VERSION_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::createPolicyVersion).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself(),
                IamAction.on(authorizer, "GetPolicyVersion", GET_POLICY_VERSION_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::getPolicyVersion).validatedBy(IamPolicyActions::checkPolicyArn),
                IamAction.on(authorizer, "DeletePolicyVersion", DELETE_POLICY_VERSION_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::deletePolicyVersion).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself(),
                IamAction.on(authorizer, "ListPolicyVersions", LIST_POLICY_VERSIONS_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::listPolicyVersions).validatedBy(IamPolicyActions::checkPolicyArn),
                IamAction.on(authorizer, "SetDefaultPolicyVersion", SET_DEFAULT_POLICY_VERSION_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::setDefaultPolicyVersion).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself(),
                IamAction.on(authorizer, "TagPolicy", TAG_POLICY_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::tagPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself().withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagPolicy", UNTAG_POLICY_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::untagPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .refusingAwsOwnedResourcesItself().withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListPolicyTags", LIST_POLICY_TAGS_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::listPolicyTags).validatedBy(IamPolicyActions::checkPolicyArn),
                IamAction.on(authorizer, "ListEntitiesForPolicy", LIST_ENTITIES_FOR_POLICY_REQUEST,
                        (account, input) -> policy(iam, account, input.requiredString("PolicyArn")),
                        actions::listEntitiesForPolicy).validatedBy(IamPolicyActions::checkPolicyArn),
                IamAction.on(authorizer, "AttachUserPolicy", ATTACH_USER_POLICY_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::attachUserPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam), IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "DetachUserPolicy", DETACH_USER_POLICY_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::detachUserPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam), IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "ListAttachedUserPolicies", LIST_ATTACHED_USER_POLICIES_REQUEST,
                        (account, input) -> IamUserActions.user(iam, account, input.requiredString("UserName")),
                        actions::listAttachedUserPolicies),
                IamAction.of(authorizer, "AttachGroupPolicy", ATTACH_GROUP_POLICY_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::attachGroupPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam)),
                IamAction.of(authorizer, "DetachGroupPolicy", DETACH_GROUP_POLICY_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::detachGroupPolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam)),
                IamAction.of(authorizer, "ListAttachedGroupPolicies", LIST_ATTACHED_GROUP_POLICIES_REQUEST,
                        (account, input) -> groupArn(iam, account, input.requiredString("GroupName")),
                        actions::listAttachedGroupPolicies),
                IamAction.on(authorizer, "AttachRolePolicy", ATTACH_ROLE_POLICY_REQUEST,
                        (account, input) -> IamRoleActions.role(iam, account, input.requiredString("RoleName")),
                        actions::attachRolePolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam), IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "DetachRolePolicy", DETACH_ROLE_POLICY_REQUEST,
                        (account, input) -> IamRoleActions.role(iam, account, input.requiredString("RoleName")),
                        actions::detachRolePolicy).validatedBy(IamPolicyActions::checkPolicyArn)
                        .withRequestKeys(IamRequestKeys.policyArnOfRequest(iam), IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "ListAttachedRolePolicies", LIST_ATTACHED_ROLE_POLICIES_REQUEST,
                        (account, input) -> IamRoleActions.role(iam, account, input.requiredString("RoleName")),
                        actions::listAttachedRolePolicies));
    }

    private ActionResult createPolicy(IamCall call, Struct input) {
        ManagedPolicy policy = policies.createPolicy(call.accountId(), new CreatePolicyRequest(
                input.requiredString("PolicyName"), input.string("Path"),
                input.requiredString("PolicyDocument"), input.string("Description"),
                IamUserActions.tags(input)));
        return ActionResult.of(xml -> policy(xml, "Policy", policy, PolicyForm.CREATED),
                Map.of("policy", AuditElements.of("policyName", policy.policyName(),
                        "policyId", policy.policyId(), "arn", policy.arn())));
    }

    private ActionResult getPolicy(IamCall call, Struct input) {
        ManagedPolicy policy = policies.getPolicy(call.accountId(),
                input.requiredString("PolicyArn"));
        return ActionResult.of(xml -> policy(xml, "Policy", policy, PolicyForm.DESCRIBED),
                Map.of());
    }

    private ActionResult deletePolicy(IamCall call, Struct input) {
        policies.deletePolicy(call.accountId(), input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult listPolicies(IamCall call, Struct input) {
        Page<ManagedPolicy> page = policies.listPolicies(call.accountId(), input.string("Scope"),
                input.bool("OnlyAttached").orElse(false), input.string("PathPrefix"),
                input.string("PolicyUsageFilter"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("Policies");
            page.items().forEach(policy -> policy(xml, "member", policy, PolicyForm.LISTED));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult createPolicyVersion(IamCall call, Struct input) {
        PolicyVersion version = policies.createPolicyVersion(call.accountId(),
                input.requiredString("PolicyArn"), input.requiredString("PolicyDocument"),
                input.bool("SetAsDefault").orElse(false));
        return ActionResult.of(xml -> policyVersion(xml, "PolicyVersion", version, false),
                Map.of("policyVersion", AuditElements.of("versionId", version.versionId(),
                        "isDefaultVersion", version.isDefaultVersion())));
    }

    private ActionResult getPolicyVersion(IamCall call, Struct input) {
        PolicyVersion version = policies.getPolicyVersion(call.accountId(),
                input.requiredString("PolicyArn"), input.requiredString("VersionId"));
        return ActionResult.of(xml -> policyVersion(xml, "PolicyVersion", version, true),
                Map.of());
    }

    private ActionResult deletePolicyVersion(IamCall call, Struct input) {
        policies.deletePolicyVersion(call.accountId(), input.requiredString("PolicyArn"),
                input.requiredString("VersionId"));
        return ActionResult.empty();
    }

    private ActionResult listPolicyVersions(IamCall call, Struct input) {
        Page<PolicyVersion> page = policies.listPolicyVersions(call.accountId(),
                input.requiredString("PolicyArn"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("Versions");
            page.items().forEach(version -> policyVersion(xml, "member", version, false));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult setDefaultPolicyVersion(IamCall call, Struct input) {
        policies.setDefaultPolicyVersion(call.accountId(), input.requiredString("PolicyArn"),
                input.requiredString("VersionId"));
        return ActionResult.empty();
    }

    private ActionResult tagPolicy(IamCall call, Struct input) {
        policies.tagPolicy(call.accountId(), input.requiredString("PolicyArn"),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagPolicy(IamCall call, Struct input) {
        policies.untagPolicy(call.accountId(), input.requiredString("PolicyArn"),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listPolicyTags(IamCall call, Struct input) {
        Page<Tag> page = policies.listPolicyTags(call.accountId(),
                input.requiredString("PolicyArn"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> IamRoleActions.tagPage(xml, page), Map.of());
    }

    private ActionResult listEntitiesForPolicy(IamCall call, Struct input) {
        Page<PolicyEntity> page = policies.listEntitiesForPolicy(call.accountId(),
                input.requiredString("PolicyArn"), input.string("EntityFilter"),
                input.string("PathPrefix"), input.string("PolicyUsageFilter"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> entities(xml, page), Map.of());
    }

    private ActionResult attachUserPolicy(IamCall call, Struct input) {
        policies.attachUserPolicy(call.accountId(), input.requiredString("UserName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult detachUserPolicy(IamCall call, Struct input) {
        policies.detachUserPolicy(call.accountId(), input.requiredString("UserName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult listAttachedUserPolicies(IamCall call, Struct input) {
        Page<ManagedPolicy> page = policies.listAttachedUserPolicies(call.accountId(),
                input.requiredString("UserName"), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> attachedPolicies(xml, page), Map.of());
    }

    private ActionResult attachGroupPolicy(IamCall call, Struct input) {
        policies.attachGroupPolicy(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult detachGroupPolicy(IamCall call, Struct input) {
        policies.detachGroupPolicy(call.accountId(), input.requiredString("GroupName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult listAttachedGroupPolicies(IamCall call, Struct input) {
        Page<ManagedPolicy> page = policies.listAttachedGroupPolicies(call.accountId(),
                input.requiredString("GroupName"), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> attachedPolicies(xml, page), Map.of());
    }

    private ActionResult attachRolePolicy(IamCall call, Struct input) {
        policies.attachRolePolicy(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult detachRolePolicy(IamCall call, Struct input) {
        policies.detachRolePolicy(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PolicyArn"));
        return ActionResult.empty();
    }

    private ActionResult listAttachedRolePolicies(IamCall call, Struct input) {
        Page<ManagedPolicy> page = policies.listAttachedRolePolicies(call.accountId(),
                input.requiredString("RoleName"), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> attachedPolicies(xml, page), Map.of());
    }

    /** The {@code PolicyArn} an action acts on and is authorized against, checked before it is authorized. */
    private static void checkPolicyArn(Struct input) {
        ManagedPolicyOperations.checkPolicyArn(input.requiredString("PolicyArn"));
    }

    /**
     * The {@code PermissionsBoundary} of CreateUser, CreateRole and Put*PermissionsBoundary, checked before the call is
     * authorized as every policy ARN is.
     */
    static void checkPermissionsBoundary(Struct input) {
        input.string("PermissionsBoundary").ifPresent(ManagedPolicyOperations::checkPolicyArn);
    }

    /**
     * The managed policy a request names, as the store has it: its ARN as stored (the operations find a policy
     * whatever the case of its name, so a policy must be authorized under the one spelling a policy's
     * {@code Resource} names it by) and, for the account's own, its tags; else the ARN as sent, for a policy that does
     * not exist. Its ARN has been checked ({@link #checkPolicyArn}).
     */
    private static IamResource policy(IamService iam, String account, String policyArn) {
        return storedPolicy(iam, policyArn)
                .filter(policy -> policy.accountId().equals(account) || policy.isAwsManaged())
                .map(policy -> policy.isAwsManaged() ? IamResource.of(policy.arn())
                        : IamResource.tagged(policy.arn(), policy.tags()))
                .orElseGet(() -> IamResource.of(policyArn));
    }

    /** The ARN of the managed policy {@code policyArn} names in any case, as the store spells it; else as sent. */
    static String storedPolicyArn(IamService iam, String policyArn) {
        return storedPolicy(iam, policyArn).map(ManagedPolicy::arn).orElse(policyArn);
    }

    private static Optional<ManagedPolicy> storedPolicy(IamService iam, String policyArn) {
        return Arn.tryParse(policyArn)
                .filter(arn -> arn.service().equals("iam") && arn.resourceType().equals("policy"))
                .flatMap(arn -> iam.store().findManagedPolicy(arn.accountId(), arn.resourceName()))
                .filter(policy -> policy.arn().equalsIgnoreCase(policyArn));
    }

    private static String groupArn(IamService iam, String account, String groupName) {
        return iam.store().findGroup(account, groupName)
                .map(Group::arn)
                .orElseGet(() -> IamArns.group(account, Optional.empty(), groupName));
    }

    /**
     * Which members of a {@code Policy} an action answers with, as AWS's real responses show them: ListPolicies leaves
     * out the description and the tags, CreatePolicy the description (and the tags when there are none), GetPolicy
     * has both, its {@code <Tags>} there even when empty.
     */
    enum PolicyForm {
        LISTED, CREATED, DESCRIBED
    }

    /** A {@code Policy} in the model's member order. */
    static void policy(ResultWriter xml, String element, ManagedPolicy policy, PolicyForm form) {
        xml.start(element)
                .element("PolicyName", policy.policyName())
                .element("PolicyId", policy.policyId())
                .element("Arn", policy.arn())
                .element("Path", policy.path())
                .element("DefaultVersionId", policy.defaultVersionId())
                .element("AttachmentCount", policy.attachmentCount())
                .element("PermissionsBoundaryUsageCount", policy.permissionsBoundaryUsageCount())
                .element("IsAttachable", true);
        if (form == PolicyForm.DESCRIBED) {
            policy.description().ifPresent(description -> xml.element("Description", description));
        }
        xml.element("CreateDate", policy.createDate())
                .element("UpdateDate", policy.updateDate());
        switch (form) {
            case CREATED -> IamXml.tags(xml, policy.tags());
            case DESCRIBED -> IamXml.tagList(xml, policy.tags());
            case LISTED -> {
                // ListPolicies leaves the tags out.
            }
        }
        xml.end();
    }

    /** A {@code PolicyVersion}; only GetPolicyVersion answers with the document, URL-encoded. */
    static void policyVersion(ResultWriter xml, String element, PolicyVersion version, boolean withDocument) {
        xml.start(element);
        if (withDocument) {
            xml.element("Document", IamXml.urlEncode(version.document()));
        }
        xml.element("VersionId", version.versionId())
                .element("IsDefaultVersion", version.isDefaultVersion())
                .element("CreateDate", version.createDate())
                .end();
    }

    /** {@code <AttachedPolicies>} of {@code AttachedPolicy} members, then paging. */
    private static void attachedPolicies(ResultWriter xml, Page<ManagedPolicy> page) {
        xml.startList("AttachedPolicies");
        page.items().forEach(policy -> xml.start("member")
                .element("PolicyName", policy.policyName())
                .element("PolicyArn", policy.arn())
                .end());
        xml.end();
        IamXml.pagination(xml, page);
    }

    /** ListEntitiesForPolicy's three lists, groups, users and roles, in the model's order, then paging. */
    private static void entities(ResultWriter xml, Page<PolicyEntity> page) {
        entityList(xml, page, PolicyOwner.Kind.GROUP, "PolicyGroups", "GroupName", "GroupId");
        entityList(xml, page, PolicyOwner.Kind.USER, "PolicyUsers", "UserName", "UserId");
        entityList(xml, page, PolicyOwner.Kind.ROLE, "PolicyRoles", "RoleName", "RoleId");
        IamXml.pagination(xml, page);
    }

    private static void entityList(ResultWriter xml, Page<PolicyEntity> page, PolicyOwner.Kind kind, String element,
            String nameElement, String idElement) {
        xml.startList(element);
        page.items().stream().filter(entity -> entity.kind() == kind).forEach(entity -> xml.start("member")
                .element(nameElement, entity.name())
                .element(idElement, entity.id())
                .end());
        xml.end();
    }
}
