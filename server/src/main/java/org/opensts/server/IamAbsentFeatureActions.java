package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.Page;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The read and clean-up actions of IAM features OpenSTS does not have: instance profiles, console passwords (login
 * profiles), SSH public keys, signing certificates, service-specific credentials, account aliases and the account
 * password policy. A node never holds any of these, so each action gives the answer AWS gives an account that has
 * none: an empty list, or {@code NoSuchEntity} in IAM's words.
 *
 * <p>Tools call these actions whatever they manage: deleting a role lists its instance profiles first, deleting a user
 * with {@code force_destroy} lists its SSH keys, signing certificates and service-specific credentials and deletes its
 * login profile. An {@code InvalidAction} answer breaks them; the truthful empty answer lets them go on.
 *
 * <p>Like every IAM action, each call has its parameters checked against the IAM model, is authorized for
 * {@code iam:<Action>} on the resource IAM names (the user, the role, the instance profile, or {@code *} for the
 * account as a whole), and only then looks at the user or role it names, which must exist. Lists page as every IAM
 * list does, so a {@code Marker} that is not one of ours is refused. The actions that would create these things
 * (CreateInstanceProfile, CreateLoginProfile, UploadSSHPublicKey, …) are not served.
 */
final class IamAbsentFeatureActions {
    /** The model's {@code instanceProfileNameType}. */
    private static final ScalarShape INSTANCE_PROFILE_NAME = ScalarShape.string("instanceProfileNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
    /** The model's {@code serviceName}: any string. */
    private static final ScalarShape SERVICE_NAME = ScalarShape.string("serviceName").build();
    /** The model's {@code allUsers}. */
    private static final ScalarShape ALL_USERS = ScalarShape.builder("allUsers", ScalarType.BOOLEAN).build();

    static final StructureShape LIST_INSTANCE_PROFILES_FOR_ROLE_REQUEST =
            StructureShape.builder("ListInstanceProfilesForRoleRequest")
                    .required("RoleName", IamShapes.ROLE_NAME)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape LIST_INSTANCE_PROFILES_REQUEST = StructureShape.builder("ListInstanceProfilesRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape GET_INSTANCE_PROFILE_REQUEST = StructureShape.builder("GetInstanceProfileRequest")
            .required("InstanceProfileName", INSTANCE_PROFILE_NAME)
            .build();
    static final StructureShape LIST_SSH_PUBLIC_KEYS_REQUEST = StructureShape.builder("ListSSHPublicKeysRequest")
            .optional("UserName", IamShapes.USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape LIST_SIGNING_CERTIFICATES_REQUEST =
            StructureShape.builder("ListSigningCertificatesRequest")
                    .optional("UserName", IamShapes.EXISTING_USER_NAME)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape LIST_SERVICE_SPECIFIC_CREDENTIALS_REQUEST =
            StructureShape.builder("ListServiceSpecificCredentialsRequest")
                    .optional("UserName", IamShapes.USER_NAME)
                    .optional("ServiceName", SERVICE_NAME)
                    .optional("AllUsers", ALL_USERS)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape GET_LOGIN_PROFILE_REQUEST = StructureShape.builder("GetLoginProfileRequest")
            .optional("UserName", IamShapes.USER_NAME)
            .build();
    static final StructureShape DELETE_LOGIN_PROFILE_REQUEST = StructureShape.builder("DeleteLoginProfileRequest")
            .optional("UserName", IamShapes.USER_NAME)
            .build();
    static final StructureShape LIST_ACCOUNT_ALIASES_REQUEST = StructureShape.builder("ListAccountAliasesRequest")
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    /** GetAccountPasswordPolicy takes no input; the model declares none. */
    static final StructureShape GET_ACCOUNT_PASSWORD_POLICY_REQUEST =
            StructureShape.empty("GetAccountPasswordPolicyRequest");

    private final IamService iam;

    private IamAbsentFeatureActions(IamService iam) {
        this.iam = iam;
    }

    static List<QueryAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamAbsentFeatureActions(iam);
        return List.of(
                IamAction.on(authorizer, "ListInstanceProfilesForRole", LIST_INSTANCE_PROFILES_FOR_ROLE_REQUEST,
                        (account, input) -> IamRoleActions.role(iam, account, input.requiredString("RoleName")),
                        actions::listInstanceProfilesForRole),
                IamAction.of(authorizer, "ListInstanceProfiles", LIST_INSTANCE_PROFILES_REQUEST,
                        (account, input) -> IamArns.instanceProfile(account, input.string("PathPrefix"), "*"),
                        actions::listInstanceProfiles),
                IamAction.of(authorizer, "GetInstanceProfile", GET_INSTANCE_PROFILE_REQUEST,
                        (account, input) -> IamArns.instanceProfile(account, Optional.empty(),
                                input.requiredString("InstanceProfileName")),
                        actions::getInstanceProfile),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "ListSSHPublicKeys", LIST_SSH_PUBLIC_KEYS_REQUEST,
                        actions::listSshPublicKeys),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "ListSigningCertificates", LIST_SIGNING_CERTIFICATES_REQUEST,
                        actions::listSigningCertificates),
                // With AllUsers the action is on every user of the account.
                IamAction.onCaller(authorizer, "ListServiceSpecificCredentials",
                        LIST_SERVICE_SPECIFIC_CREDENTIALS_REQUEST,
                        (caller, input) -> input.bool("AllUsers").orElse(false)
                                ? IamResource.of(IamArns.user(caller.accountId(), Optional.empty(), "*"))
                                : IamUserActions.userOrCaller(iam, caller, input),
                        actions::listServiceSpecificCredentials)
                        .validatedBy(IamAbsentFeatureActions::checkAllUsersWithoutUserName),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "GetLoginProfile", GET_LOGIN_PROFILE_REQUEST,
                        actions::getLoginProfile),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "DeleteLoginProfile", DELETE_LOGIN_PROFILE_REQUEST,
                        actions::deleteLoginProfile),
                // IAM names no resource for the account's alias or its password policy.
                IamAction.of(authorizer, "ListAccountAliases", LIST_ACCOUNT_ALIASES_REQUEST,
                        (account, input) -> "*",
                        actions::listAccountAliases),
                IamAction.of(authorizer, "GetAccountPasswordPolicy", GET_ACCOUNT_PASSWORD_POLICY_REQUEST,
                        (account, input) -> "*",
                        actions::getAccountPasswordPolicy));
    }

    private ActionResult listInstanceProfilesForRole(IamCall call, Struct input) {
        iam.roles().getRole(call.accountId(), input.requiredString("RoleName"));
        return emptyList("InstanceProfiles", input);
    }

    private ActionResult listInstanceProfiles(IamCall call, Struct input) {
        return emptyList("InstanceProfiles", input);
    }

    private ActionResult getInstanceProfile(IamCall call, Struct input) {
        throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "Instance Profile " + input.requiredString("InstanceProfileName") + " cannot be found.");
    }

    private ActionResult listSshPublicKeys(IamCall call, Struct input) {
        existingUser(call, input);
        return emptyList("SSHPublicKeys", input);
    }

    private ActionResult listSigningCertificates(IamCall call, Struct input) {
        existingUser(call, input);
        return emptyList("Certificates", input);
    }

    private ActionResult listServiceSpecificCredentials(IamCall call, Struct input) {
        if (!input.bool("AllUsers").orElse(false)) {
            existingUser(call, input);
        }
        return emptyList("ServiceSpecificCredentials", input);
    }

    private ActionResult getLoginProfile(IamCall call, Struct input) {
        throw noLoginProfile(existingUser(call, input));
    }

    private ActionResult deleteLoginProfile(IamCall call, Struct input) {
        throw noLoginProfile(existingUser(call, input));
    }

    private ActionResult listAccountAliases(IamCall call, Struct input) {
        return emptyList("AccountAliases", input);
    }

    private ActionResult getAccountPasswordPolicy(IamCall call, Struct input) {
        // IAM's words for an account whose password policy was never set: it names the account as a "domain".
        throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "The Password Policy with domain name " + call.accountId() + " cannot be found.");
    }

    /** The user the request names, or the calling IAM user; {@code NoSuchEntity} if there is none of that name. */
    private User existingUser(IamCall call, Struct input) {
        return iam.users().getUser(call.accountId(), IamUserActions.userNameOrCaller(call, input));
    }

    private static ApiException noLoginProfile(User user) {
        return new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "Login Profile for User " + user.userName() + " cannot be found.");
    }

    /**
     * A list with nothing in it, paged as every IAM list is: the element is there and empty, {@code IsTruncated} is
     * false, and a {@code Marker} that is not one of ours is a {@code ValidationError}.
     */
    private static ActionResult emptyList(String listName, Struct input) {
        Page<String> page = Page.of(List.of(), Function.identity(), input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.start(listName);
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    /**
     * {@code AllUsers} lists every user's credentials and so cannot name one user too, as the IAM API Reference says
     * (ListServiceSpecificCredentials); the wording of the refusal is ours.
     */
    private static void checkAllUsersWithoutUserName(Struct input) {
        if (input.bool("AllUsers").orElse(false) && input.has("UserName")) {
            throw ApiException.validationError("AllUsers cannot be specified together with UserName.");
        }
    }
}
