package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.InstanceProfile;
import org.opensts.iam.InstanceProfileOperations;
import org.opensts.iam.Page;
import org.opensts.iam.Role;
import org.opensts.iam.RoleOperations;
import org.opensts.iam.Tag;
import org.opensts.protocol.Arn;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on instance profiles: the profiles, their tags and the role each holds.
 *
 * <p>Each action is authorized against the ARN of the profile it touches, path included, read from the store since
 * requests name profiles without it; a profile's tags are its {@code aws:ResourceTag} keys. ListInstanceProfiles is
 * authorized on the profiles under its path prefix, ListInstanceProfilesForRole on the role. AddRoleToInstanceProfile
 * also needs {@code iam:PassRole} on the role it adds (IAM API Reference, AddRoleToInstanceProfile).
 *
 * <p>A profile is answered in the forms of AWS's recorded answers: CreateInstanceProfile with its tags only when it has
 * some, GetInstanceProfile always with them, the lists without them; the role in {@code Roles} has its trust policy,
 * URL-encoded, and nothing GetRole alone adds.
 */
final class IamInstanceProfileActions {
    /**
     * {@code iam:PassedToService} of the PassRole that AddRoleToInstanceProfile needs: a role in an instance profile
     * is passed to EC2.
     */
    static final String PASSED_TO_SERVICE = "iam:PassedToService";
    /**
     * {@code iam:AssociatedResourceARN} of that PassRole: "the ARN value must be
     * {@code arn:aws:ec2:*:CallerAccountId:instance/*}" (IAM API Reference, AddRoleToInstanceProfile).
     */
    static final String ASSOCIATED_RESOURCE_ARN = "iam:AssociatedResourceARN";

    static final StructureShape CREATE_INSTANCE_PROFILE_REQUEST = StructureShape
            .builder("CreateInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .optional("Path", IamShapes.PATH)
            .optional("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape GET_INSTANCE_PROFILE_REQUEST = StructureShape.builder("GetInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .build();
    static final StructureShape DELETE_INSTANCE_PROFILE_REQUEST = StructureShape
            .builder("DeleteInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .build();
    static final StructureShape LIST_INSTANCE_PROFILES_REQUEST = StructureShape.builder("ListInstanceProfilesRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape LIST_INSTANCE_PROFILES_FOR_ROLE_REQUEST = StructureShape
            .builder("ListInstanceProfilesForRoleRequest")
            .required("RoleName", IamShapes.ROLE_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape ADD_ROLE_TO_INSTANCE_PROFILE_REQUEST = StructureShape
            .builder("AddRoleToInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .required("RoleName", IamShapes.ROLE_NAME)
            .build();
    static final StructureShape REMOVE_ROLE_FROM_INSTANCE_PROFILE_REQUEST = StructureShape
            .builder("RemoveRoleFromInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .required("RoleName", IamShapes.ROLE_NAME)
            .build();
    static final StructureShape TAG_INSTANCE_PROFILE_REQUEST = StructureShape.builder("TagInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_INSTANCE_PROFILE_REQUEST = StructureShape.builder("UntagInstanceProfileRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_INSTANCE_PROFILE_TAGS_REQUEST = StructureShape
            .builder("ListInstanceProfileTagsRequest")
            .required("InstanceProfileName", IamShapes.INSTANCE_PROFILE_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();

    /** The keys of the PassRole AddRoleToInstanceProfile needs: the role goes to EC2, for the caller's instances. */
    private static final IamRequestKeys PASSED_TO_EC2 = (context, input, role) -> {
        context.put(PASSED_TO_SERVICE, "ec2.amazonaws.com");
        Arn.tryParse(role.arn()).ifPresent(arn -> context.put(ASSOCIATED_RESOURCE_ARN,
                "arn:aws:ec2:*:" + arn.accountId() + ":instance/*"));
    };

    private final InstanceProfileOperations profiles;
    private final RoleOperations roles;

    private IamInstanceProfileActions(IamService iam) {
        this.profiles = iam.instanceProfiles();
        this.roles = iam.roles();
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamInstanceProfileActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateInstanceProfile", CREATE_INSTANCE_PROFILE_REQUEST,
                        (account, input) -> IamArns.instanceProfile(account, input.string("Path"),
                                input.requiredString("InstanceProfileName")),
                        actions::createInstanceProfile)
                        .withRequestKeys(IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagInstanceProfile", IamRequestKeys::hasTags),
                onProfile(authorizer, iam, "GetInstanceProfile", GET_INSTANCE_PROFILE_REQUEST,
                        actions::getInstanceProfile),
                onProfile(authorizer, iam, "DeleteInstanceProfile", DELETE_INSTANCE_PROFILE_REQUEST,
                        actions::deleteInstanceProfile),
                IamAction.of(authorizer, "ListInstanceProfiles", LIST_INSTANCE_PROFILES_REQUEST,
                        (account, input) -> IamArns.instanceProfile(account, input.string("PathPrefix"), "*"),
                        actions::listInstanceProfiles),
                IamAction.on(authorizer, "ListInstanceProfilesForRole", LIST_INSTANCE_PROFILES_FOR_ROLE_REQUEST,
                        (account, input) -> IamRoleActions.role(iam, account, input.requiredString("RoleName")),
                        actions::listInstanceProfilesForRole),
                onProfile(authorizer, iam, "AddRoleToInstanceProfile", ADD_ROLE_TO_INSTANCE_PROFILE_REQUEST,
                        actions::addRoleToInstanceProfile)
                        .alsoRequiringOn("PassRole", (caller, input) -> IamRoleActions.role(iam, caller.accountId(),
                                input.requiredString("RoleName")), PASSED_TO_EC2),
                onProfile(authorizer, iam, "RemoveRoleFromInstanceProfile", REMOVE_ROLE_FROM_INSTANCE_PROFILE_REQUEST,
                        actions::removeRoleFromInstanceProfile),
                onProfile(authorizer, iam, "TagInstanceProfile", TAG_INSTANCE_PROFILE_REQUEST,
                        actions::tagInstanceProfile).withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                onProfile(authorizer, iam, "UntagInstanceProfile", UNTAG_INSTANCE_PROFILE_REQUEST,
                        actions::untagInstanceProfile).withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                onProfile(authorizer, iam, "ListInstanceProfileTags", LIST_INSTANCE_PROFILE_TAGS_REQUEST,
                        actions::listInstanceProfileTags));
    }

    /** An action on the profile the request names (see {@link #instanceProfile}). */
    private static IamAction onProfile(Authorizer authorizer, IamService iam, String name, StructureShape input,
            IamAction.Handler handler) {
        return IamAction.on(authorizer, name, input,
                (account, struct) -> instanceProfile(iam, account, struct.requiredString("InstanceProfileName")),
                handler);
    }

    /**
     * The profile an action is authorized against, as the store has it, or — for one that does not exist — the ARN
     * it would have at the root path, so that the caller learns it is missing only if allowed to ask.
     */
    static IamResource instanceProfile(IamService iam, String account, String instanceProfileName) {
        return iam.store().findInstanceProfile(account, instanceProfileName)
                .map(profile -> IamResource.tagged(profile.arn(), profile.tags()))
                .orElseGet(() -> IamResource.of(IamArns.instanceProfile(account, Optional.empty(),
                        instanceProfileName)));
    }

    private ActionResult createInstanceProfile(IamCall call, Struct input) {
        InstanceProfile profile = profiles.createInstanceProfile(call.accountId(),
                input.requiredString("InstanceProfileName"), input.string("Path"), IamUserActions.tags(input));
        return ActionResult.of(xml -> instanceProfile(xml, "InstanceProfile", profile, ProfileForm.CREATED),
                Map.of("instanceProfile", AuditElements.of("instanceProfileName", profile.instanceProfileName(),
                        "instanceProfileId", profile.instanceProfileId(), "arn", profile.arn())));
    }

    private ActionResult getInstanceProfile(IamCall call, Struct input) {
        InstanceProfile profile = profiles.getInstanceProfile(call.accountId(),
                input.requiredString("InstanceProfileName"));
        return ActionResult.of(xml -> instanceProfile(xml, "InstanceProfile", profile, ProfileForm.DESCRIBED),
                Map.of());
    }

    private ActionResult deleteInstanceProfile(IamCall call, Struct input) {
        profiles.deleteInstanceProfile(call.accountId(), input.requiredString("InstanceProfileName"));
        return ActionResult.empty();
    }

    private ActionResult listInstanceProfiles(IamCall call, Struct input) {
        Page<InstanceProfile> page = profiles.listInstanceProfiles(call.accountId(), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> profilePage(xml, page), Map.of());
    }

    private ActionResult listInstanceProfilesForRole(IamCall call, Struct input) {
        Page<InstanceProfile> page = profiles.listInstanceProfilesForRole(call.accountId(),
                input.requiredString("RoleName"), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> profilePage(xml, page), Map.of());
    }

    private ActionResult addRoleToInstanceProfile(IamCall call, Struct input) {
        profiles.addRoleToInstanceProfile(call.accountId(), input.requiredString("InstanceProfileName"),
                input.requiredString("RoleName"));
        return ActionResult.empty();
    }

    private ActionResult removeRoleFromInstanceProfile(IamCall call, Struct input) {
        profiles.removeRoleFromInstanceProfile(call.accountId(), input.requiredString("InstanceProfileName"),
                input.requiredString("RoleName"));
        return ActionResult.empty();
    }

    private ActionResult tagInstanceProfile(IamCall call, Struct input) {
        profiles.tagInstanceProfile(call.accountId(), input.requiredString("InstanceProfileName"),
                IamUserActions.tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagInstanceProfile(IamCall call, Struct input) {
        profiles.untagInstanceProfile(call.accountId(), input.requiredString("InstanceProfileName"),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listInstanceProfileTags(IamCall call, Struct input) {
        Page<Tag> page = profiles.listInstanceProfileTags(call.accountId(),
                input.requiredString("InstanceProfileName"), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> IamRoleActions.tagPage(xml, page), Map.of());
    }

    /** {@code <InstanceProfiles>} of a page of profiles, then paging. */
    private void profilePage(ResultWriter xml, Page<InstanceProfile> page) {
        xml.startList("InstanceProfiles");
        page.items().forEach(profile -> instanceProfile(xml, "member", profile, ProfileForm.LISTED));
        xml.end();
        IamXml.pagination(xml, page);
    }

    /** Whether an answer's {@code InstanceProfile} carries its tags, as AWS's recorded answers show them. */
    enum ProfileForm {
        /** CreateInstanceProfile: the tags when there are some. */
        CREATED,
        /** GetInstanceProfile: the tags, an empty element when there are none. */
        DESCRIBED,
        /** ListInstanceProfiles, ListInstanceProfilesForRole and GetAccountAuthorizationDetails: no tags. */
        LISTED
    }

    /**
     * An {@code InstanceProfile} in the model's member order, with its role (the {@code Roles} element is there even
     * when empty: the model requires it).
     */
    private void instanceProfile(ResultWriter xml, String element, InstanceProfile profile, ProfileForm form) {
        instanceProfile(xml, element, profile, form, roles::trustPolicyDocument);
    }

    /**
     * {@link #instanceProfile(ResultWriter, String, InstanceProfile, ProfileForm)} with each role's trust policy as
     * {@code trustPolicyDocument} renders it: GetAccountAuthorizationDetails has it rendered already.
     */
    static void instanceProfile(ResultWriter xml, String element, InstanceProfile profile, ProfileForm form,
            Function<Role, String> trustPolicyDocument) {
        xml.start(element)
                .element("Path", profile.path())
                .element("InstanceProfileName", profile.instanceProfileName())
                .element("InstanceProfileId", profile.instanceProfileId())
                .element("Arn", profile.arn())
                .element("CreateDate", profile.createDate());
        xml.startList("Roles");
        for (Role role : profile.roles()) {
            IamRoleActions.role(xml, "member", role, trustPolicyDocument.apply(role),
                    IamRoleActions.RoleForm.IN_INSTANCE_PROFILE, Optional.empty());
        }
        xml.end();
        if (form == ProfileForm.DESCRIBED) {
            IamXml.tagList(xml, profile.tags());
        } else if (form == ProfileForm.CREATED) {
            IamXml.tags(xml, profile.tags());
        }
        xml.end();
    }
}
