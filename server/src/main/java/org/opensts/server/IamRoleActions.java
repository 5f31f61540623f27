package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.CreateRoleRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.Page;
import org.opensts.iam.Role;
import org.opensts.iam.RoleLastUsed;
import org.opensts.iam.RoleOperations;
import org.opensts.iam.Tag;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on roles: the roles, their trust policies, tags, permissions boundaries and inline policies.
 * (Managed policies are attached to roles by {@link IamPolicyActions}.)
 *
 * <p>Each action is authorized against the ARN of the role it touches, path included, as IAM does; the path is read
 * from the (cached) store, since requests name roles without it. Policy documents go out URL-encoded, as IAM sends
 * them.
 */
final class IamRoleActions {
    static final StructureShape CREATE_ROLE_REQUEST = StructureShape.builder("CreateRoleRequest")
            .optional("Path", IamShapes.PATH)
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("AssumeRolePolicyDocument", IamShapes.POLICY_DOCUMENT)
            .optional("Description", IamShapes.ROLE_DESCRIPTION)
            .optional("MaxSessionDuration", IamShapes.ROLE_MAX_SESSION_DURATION)
            .optional("PermissionsBoundary", IamShapes.ARN)
            .optional("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape GET_ROLE_REQUEST = StructureShape.builder("GetRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .build();
    static final StructureShape UPDATE_ROLE_REQUEST = StructureShape.builder("UpdateRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .optional("Description", IamShapes.ROLE_DESCRIPTION)
            .optional("MaxSessionDuration", IamShapes.ROLE_MAX_SESSION_DURATION)
            .build();
    static final StructureShape UPDATE_ROLE_DESCRIPTION_REQUEST = StructureShape.builder("UpdateRoleDescriptionRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("Description", IamShapes.ROLE_DESCRIPTION)
            .build();
    static final StructureShape DELETE_ROLE_REQUEST = StructureShape.builder("DeleteRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .build();
    static final StructureShape LIST_ROLES_REQUEST = StructureShape.builder("ListRolesRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape UPDATE_ASSUME_ROLE_POLICY_REQUEST = StructureShape
            .builder("UpdateAssumeRolePolicyRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .build();
    static final StructureShape TAG_ROLE_REQUEST = StructureShape.builder("TagRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_ROLE_REQUEST = StructureShape.builder("UntagRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_ROLE_TAGS_REQUEST = StructureShape.builder("ListRoleTagsRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape PUT_ROLE_PERMISSIONS_BOUNDARY_REQUEST = StructureShape
            .builder("PutRolePermissionsBoundaryRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("PermissionsBoundary", IamShapes.ARN)
            .build();
    static final StructureShape DELETE_ROLE_PERMISSIONS_BOUNDARY_REQUEST = StructureShape
            .builder("DeleteRolePermissionsBoundaryRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .build();
    static final StructureShape PUT_ROLE_POLICY_REQUEST = StructureShape.builder("PutRolePolicyRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .build();
    static final StructureShape GET_ROLE_POLICY_REQUEST = StructureShape.builder("GetRolePolicyRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape DELETE_ROLE_POLICY_REQUEST = StructureShape.builder("DeleteRolePolicyRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape LIST_ROLE_POLICIES_REQUEST = StructureShape.builder("ListRolePoliciesRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();

    private final RoleOperations roles;

    private IamRoleActions(IamService iam) {
        this.roles = iam.roles();
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamRoleActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateRole", CREATE_ROLE_REQUEST,
                        (account, input) -> IamArns.role(account, input.string("Path"),
                                input.requiredString("RoleName")),
                        actions::createRole).validatedBy(IamPolicyActions::checkPermissionsBoundary)
                        .withRequestKeys(IamRequestKeys.requestedBoundary(iam), IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagRole", IamRequestKeys::hasTags)
                        .alsoRequiring("PutRolePermissionsBoundary", IamRequestKeys::hasPermissionsBoundary),
                IamAction.on(authorizer, "GetRole", GET_ROLE_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::getRole),
                IamAction.on(authorizer, "UpdateRole", UPDATE_ROLE_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::updateRole),
                IamAction.on(authorizer, "UpdateRoleDescription", UPDATE_ROLE_DESCRIPTION_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::updateRoleDescription),
                IamAction.on(authorizer, "DeleteRole", DELETE_ROLE_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::deleteRole),
                IamAction.of(authorizer, "ListRoles", LIST_ROLES_REQUEST,
                        (account, input) -> IamArns.role(account, input.string("PathPrefix"), ""),
                        actions::listRoles),
                IamAction.on(authorizer, "UpdateAssumeRolePolicy", UPDATE_ASSUME_ROLE_POLICY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::updateAssumeRolePolicy),
                IamAction.on(authorizer, "TagRole", TAG_ROLE_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::tagRole).withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagRole", UNTAG_ROLE_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::untagRole).withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListRoleTags", LIST_ROLE_TAGS_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::listRoleTags),
                IamAction.on(authorizer, "PutRolePermissionsBoundary", PUT_ROLE_PERMISSIONS_BOUNDARY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::putRolePermissionsBoundary).validatedBy(IamPolicyActions::checkPermissionsBoundary)
                        .withRequestKeys(IamRequestKeys.requestedBoundary(iam)),
                IamAction.on(authorizer, "DeleteRolePermissionsBoundary", DELETE_ROLE_PERMISSIONS_BOUNDARY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::deleteRolePermissionsBoundary).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "PutRolePolicy", PUT_ROLE_POLICY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::putRolePolicy).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "GetRolePolicy", GET_ROLE_POLICY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::getRolePolicy),
                IamAction.on(authorizer, "DeleteRolePolicy", DELETE_ROLE_POLICY_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::deleteRolePolicy).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "ListRolePolicies", LIST_ROLE_POLICIES_REQUEST,
                        (account, input) -> role(iam, account, input.requiredString("RoleName")),
                        actions::listRolePolicies));
    }

    private ActionResult createRole(IamCall call, Struct input) {
        Role role = roles.createRole(call.accountId(), new CreateRoleRequest(
                input.requiredString("RoleName"), input.string("Path"),
                input.requiredString("AssumeRolePolicyDocument"), input.string("Description"),
                input.integer("MaxSessionDuration"), input.string("PermissionsBoundary"),
                IamUserActions.tags(input)));
        String trustPolicy = roles.trustPolicyDocument(role);
        return ActionResult.of(xml -> role(xml, "Role", role, trustPolicy, RoleForm.CREATED,
                Optional.empty()),
                Map.of("role", AuditElements.of("roleName", role.roleName(), "roleId", role.roleId(),
                        "arn", role.arn())));
    }

    private ActionResult getRole(IamCall call, Struct input) {
        Role role = roles.getRole(call.accountId(), input.requiredString("RoleName"));
        Optional<RoleLastUsed> lastUsed = roles.lastUsed(role);
        String trustPolicy = roles.trustPolicyDocument(role);
        return ActionResult.of(xml -> role(xml, "Role", role, trustPolicy,
                RoleForm.DESCRIBED, lastUsed), Map.of());
    }

    private ActionResult updateRole(IamCall call, Struct input) {
        roles.updateRole(call.accountId(), input.requiredString("RoleName"),
                input.string("Description"), input.integer("MaxSessionDuration"));
        // UpdateRole has an output shape without members: an empty result element.
        return ActionResult.of(xml -> { }, Map.of());
    }

    private ActionResult updateRoleDescription(IamCall call, Struct input) {
        Role role = roles.updateRoleDescription(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("Description"));
        String trustPolicy = roles.trustPolicyDocument(role);
        return ActionResult.of(xml -> role(xml, "Role", role, trustPolicy,
                RoleForm.DESCRIPTION_UPDATED,
                Optional.empty()), Map.of());
    }

    private ActionResult deleteRole(IamCall call, Struct input) {
        roles.deleteRole(call.accountId(), input.requiredString("RoleName"));
        return ActionResult.empty();
    }

    private ActionResult listRoles(IamCall call, Struct input) {
        Page<Role> page = roles.listRoles(call.accountId(), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        List<String> trustPolicies = page.items().stream().map(roles::trustPolicyDocument).toList();
        return ActionResult.of(xml -> {
            xml.startList("Roles");
            for (int i = 0; i < page.items().size(); i++) {
                role(xml, "member", page.items().get(i), trustPolicies.get(i), RoleForm.LISTED,
                        Optional.empty());
            }
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult updateAssumeRolePolicy(IamCall call, Struct input) {
        roles.updateAssumeRolePolicy(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PolicyDocument"));
        return ActionResult.empty();
    }

    private ActionResult tagRole(IamCall call, Struct input) {
        roles.tagRole(call.accountId(), input.requiredString("RoleName"),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagRole(IamCall call, Struct input) {
        roles.untagRole(call.accountId(), input.requiredString("RoleName"),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listRoleTags(IamCall call, Struct input) {
        Page<Tag> page = roles.listRoleTags(call.accountId(), input.requiredString("RoleName"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> tagPage(xml, page), Map.of());
    }

    private ActionResult putRolePermissionsBoundary(IamCall call, Struct input) {
        roles.putRolePermissionsBoundary(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PermissionsBoundary"));
        return ActionResult.empty();
    }

    private ActionResult deleteRolePermissionsBoundary(IamCall call, Struct input) {
        roles.deleteRolePermissionsBoundary(call.accountId(), input.requiredString("RoleName"));
        return ActionResult.empty();
    }

    private ActionResult putRolePolicy(IamCall call, Struct input) {
        roles.putRolePolicy(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PolicyName"), input.requiredString("PolicyDocument"));
        return ActionResult.empty();
    }

    private ActionResult getRolePolicy(IamCall call, Struct input) {
        Role role = roles.getRole(call.accountId(), input.requiredString("RoleName"));
        InlinePolicy policy = roles.getRolePolicy(call.accountId(), role.roleName(),
                input.requiredString("PolicyName"));
        return ActionResult.of(xml -> xml
                .element("RoleName", role.roleName())
                .element("PolicyName", policy.policyName())
                .element("PolicyDocument", IamXml.urlEncode(policy.policyDocument())), Map.of());
    }

    private ActionResult deleteRolePolicy(IamCall call, Struct input) {
        roles.deleteRolePolicy(call.accountId(), input.requiredString("RoleName"),
                input.requiredString("PolicyName"));
        return ActionResult.empty();
    }

    private ActionResult listRolePolicies(IamCall call, Struct input) {
        Page<String> page = roles.listRolePolicies(call.accountId(),
                input.requiredString("RoleName"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("PolicyNames");
            page.items().forEach(name -> xml.element("member", name));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    /**
     * The role a role action is authorized against, as the store has it, or — for a role that does not exist — the
     * ARN it would have at the root path, so that the caller learns it is missing only if allowed to ask.
     */
    static IamResource role(IamService iam, String account, String roleName) {
        return iam.store().findRole(account, roleName)
                .map(IamResource::of)
                .orElseGet(() -> IamResource.of(IamArns.role(account, Optional.empty(), roleName)));
    }

    /**
     * Which members of a {@code Role} an action answers with, as AWS's real responses show them (the model marks them
     * all optional): CreateRole leaves out the description and the maximum session duration, UpdateRoleDescription
     * the maximum session duration, ListRoles the permissions boundary, the tags and the last use; only GetRole has
     * them all.
     */
    enum RoleForm {
        /** ListRoles. */
        LISTED(/* description= */ true, /* maxSessionDuration= */ true, /* boundaryAndTags= */ false,
                /* lastUsed= */ false),
        /** CreateRole. */
        CREATED(false, false, true, false),
        /** UpdateRoleDescription. */
        DESCRIPTION_UPDATED(true, false, true, false),
        /** GetRole: the last use included, an empty element when the role was never used. */
        DESCRIBED(true, true, true, true),
        /** The role in an instance profile's {@code Roles}: the members AWS's recorded answers show there. */
        IN_INSTANCE_PROFILE(false, false, false, false);

        private final boolean description;
        private final boolean maxSessionDuration;
        private final boolean boundaryAndTags;
        private final boolean lastUsed;

        RoleForm(boolean description, boolean maxSessionDuration, boolean boundaryAndTags, boolean lastUsed) {
            this.description = description;
            this.maxSessionDuration = maxSessionDuration;
            this.boundaryAndTags = boundaryAndTags;
            this.lastUsed = lastUsed;
        }
    }

    /**
     * A {@code Role}, in the model's member order, with its trust policy as IAM shows it (see
     * {@link RoleOperations#trustPolicyDocument}), URL-encoded.
     */
    static void role(ResultWriter xml, String element, Role role, String trustPolicyDocument, RoleForm form,
            Optional<RoleLastUsed> lastUsed) {
        xml.start(element)
                .element("Path", role.path())
                .element("RoleName", role.roleName())
                .element("RoleId", role.roleId())
                .element("Arn", role.arn())
                .element("CreateDate", role.createDate())
                .element("AssumeRolePolicyDocument", IamXml.urlEncode(trustPolicyDocument));
        if (form.description) {
            role.description().ifPresent(description -> xml.element("Description", description));
        }
        if (form.maxSessionDuration) {
            xml.element("MaxSessionDuration", role.maxSessionDuration());
        }
        if (form.boundaryAndTags) {
            role.permissionsBoundaryArn().ifPresent(arn -> IamXml.permissionsBoundary(xml, arn));
            IamXml.tags(xml, role.tags());
        }
        if (form.lastUsed) {
            xml.start("RoleLastUsed");
            lastUsed.ifPresent(use -> xml.element("LastUsedDate", use.lastUsedDate()).element("Region", use.region()));
            xml.end();
        }
        xml.end();
    }

    /** {@code <Tags>} of a page of tags (the element is there even when empty: the model requires it), then paging. */
    static void tagPage(ResultWriter xml, Page<Tag> page) {
        xml.startList("Tags");
        page.items().forEach(tag -> xml.start("member").element("Key", tag.key()).element("Value", tag.value()).end());
        xml.end();
        IamXml.pagination(xml, page);
    }
}
