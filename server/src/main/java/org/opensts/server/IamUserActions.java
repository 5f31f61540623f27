package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.Page;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.iam.UserOperations;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;
import org.opensts.sts.CallerIdentity;

/**
 * The IAM actions on users: the users, their tags, permissions boundaries and inline policies, and their access keys.
 *
 * <p>Each action is authorized against the ARN of the user it touches, path included, as IAM does; the path is read
 * from the (cached) store, since requests name users without it. Where IAM lets the user name out (CreateAccessKey,
 * ListAccessKeys, UpdateAccessKey, DeleteAccessKey, GetUser) the operation acts on, and is authorized against, the
 * calling IAM user.
 */
final class IamUserActions {
    static final StructureShape CREATE_USER_REQUEST = StructureShape.builder("CreateUserRequest")
            .optional("Path", IamShapes.PATH)
            .required("UserName", IamShapes.USER_NAME)
            .optional("PermissionsBoundary", IamShapes.ARN)
            .optional("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape GET_USER_REQUEST = StructureShape.builder("GetUserRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape UPDATE_USER_REQUEST = StructureShape.builder("UpdateUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("NewPath", IamShapes.PATH)
            .optional("NewUserName", IamShapes.USER_NAME)
            .build();
    static final StructureShape DELETE_USER_REQUEST = StructureShape.builder("DeleteUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape LIST_USERS_REQUEST = StructureShape.builder("ListUsersRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape TAG_USER_REQUEST = StructureShape.builder("TagUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_USER_REQUEST = StructureShape.builder("UntagUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("TagKeys", IamShapes.TAG_KEY_LIST)
            .build();
    static final StructureShape LIST_USER_TAGS_REQUEST = StructureShape.builder("ListUserTagsRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape PUT_USER_PERMISSIONS_BOUNDARY_REQUEST =
            StructureShape.builder("PutUserPermissionsBoundaryRequest")
                    .required("UserName", IamShapes.USER_NAME)
                    .required("PermissionsBoundary", IamShapes.ARN)
                    .build();
    static final StructureShape DELETE_USER_PERMISSIONS_BOUNDARY_REQUEST =
            StructureShape.builder("DeleteUserPermissionsBoundaryRequest")
                    .required("UserName", IamShapes.USER_NAME)
                    .build();
    static final StructureShape PUT_USER_POLICY_REQUEST = StructureShape.builder("PutUserPolicyRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .required("PolicyDocument", IamShapes.POLICY_DOCUMENT)
            .build();
    static final StructureShape GET_USER_POLICY_REQUEST = StructureShape.builder("GetUserPolicyRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape DELETE_USER_POLICY_REQUEST = StructureShape.builder("DeleteUserPolicyRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .required("PolicyName", IamShapes.POLICY_NAME)
            .build();
    static final StructureShape LIST_USER_POLICIES_REQUEST = StructureShape.builder("ListUserPoliciesRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape CREATE_ACCESS_KEY_REQUEST = StructureShape.builder("CreateAccessKeyRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape UPDATE_ACCESS_KEY_REQUEST = StructureShape.builder("UpdateAccessKeyRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .required("AccessKeyId", IamShapes.ACCESS_KEY_ID)
            .required("Status", IamShapes.ACCESS_KEY_STATUS)
            .build();
    static final StructureShape DELETE_ACCESS_KEY_REQUEST = StructureShape.builder("DeleteAccessKeyRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .required("AccessKeyId", IamShapes.ACCESS_KEY_ID)
            .build();
    static final StructureShape LIST_ACCESS_KEYS_REQUEST = StructureShape.builder("ListAccessKeysRequest")
            .optional("UserName", IamShapes.EXISTING_USER_NAME)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape GET_ACCESS_KEY_LAST_USED_REQUEST =
            StructureShape.builder("GetAccessKeyLastUsedRequest")
                    .required("AccessKeyId", IamShapes.ACCESS_KEY_ID)
                    .build();

    /** What GetAccessKeyLastUsed reports for a key that never signed a request, as IAM does. */
    static final String NEVER_USED = "N/A";

    private final UserOperations users;

    private IamUserActions(IamService iam) {
        this.users = iam.users();
    }

    static List<QueryAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamUserActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateUser", CREATE_USER_REQUEST,
                        (account, input) -> IamArns.user(account, input.string("Path"),
                                input.requiredString("UserName")),
                        actions::createUser).validatedBy(IamPolicyActions::checkPermissionsBoundary)
                        .withRequestKeys(IamRequestKeys.requestedBoundary(iam), IamRequestKeys.REQUEST_TAGS)
                        .alsoRequiring("TagUser", IamRequestKeys::hasTags)
                        .alsoRequiring("PutUserPermissionsBoundary", IamRequestKeys::hasPermissionsBoundary),
                aboutUserOrCaller(authorizer, iam, "GetUser", GET_USER_REQUEST,
                        actions::getUser),
                IamAction.on(authorizer, "UpdateUser", UPDATE_USER_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::updateUser)
                        .alsoAuthorizedOn((input, user) -> IamArns.moved(user.arn(), input.string("NewPath"),
                                input.string("NewUserName"))),
                IamAction.on(authorizer, "DeleteUser", DELETE_USER_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::deleteUser),
                IamAction.of(authorizer, "ListUsers", LIST_USERS_REQUEST,
                        (account, input) -> IamArns.user(account, input.string("PathPrefix"), ""),
                        actions::listUsers),
                IamAction.on(authorizer, "TagUser", TAG_USER_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::tagUser).withRequestKeys(IamRequestKeys.REQUEST_TAGS),
                IamAction.on(authorizer, "UntagUser", UNTAG_USER_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::untagUser).withRequestKeys(IamRequestKeys.TAG_KEYS_OF_REQUEST),
                IamAction.on(authorizer, "ListUserTags", LIST_USER_TAGS_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::listUserTags),
                IamAction.on(authorizer, "PutUserPermissionsBoundary", PUT_USER_PERMISSIONS_BOUNDARY_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::putUserPermissionsBoundary).validatedBy(IamPolicyActions::checkPermissionsBoundary)
                        .withRequestKeys(IamRequestKeys.requestedBoundary(iam)),
                IamAction.on(authorizer, "DeleteUserPermissionsBoundary", DELETE_USER_PERMISSIONS_BOUNDARY_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::deleteUserPermissionsBoundary).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "PutUserPolicy", PUT_USER_POLICY_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::putUserPolicy).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "GetUserPolicy", GET_USER_POLICY_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::getUserPolicy),
                IamAction.on(authorizer, "DeleteUserPolicy", DELETE_USER_POLICY_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::deleteUserPolicy).withRequestKeys(IamRequestKeys.CURRENT_BOUNDARY),
                IamAction.on(authorizer, "ListUserPolicies", LIST_USER_POLICIES_REQUEST,
                        (account, input) -> user(iam, account, input.requiredString("UserName")),
                        actions::listUserPolicies),
                aboutUserOrCaller(authorizer, iam, "CreateAccessKey", CREATE_ACCESS_KEY_REQUEST,
                        actions::createAccessKey),
                aboutUserOrCaller(authorizer, iam, "UpdateAccessKey", UPDATE_ACCESS_KEY_REQUEST,
                        actions::updateAccessKey),
                aboutUserOrCaller(authorizer, iam, "DeleteAccessKey", DELETE_ACCESS_KEY_REQUEST,
                        actions::deleteAccessKey),
                aboutUserOrCaller(authorizer, iam, "ListAccessKeys", LIST_ACCESS_KEYS_REQUEST,
                        actions::listAccessKeys),
                IamAction.of(authorizer, "GetAccessKeyLastUsed", GET_ACCESS_KEY_LAST_USED_REQUEST,
                        (account, input) -> accessKeyOwnerArn(iam, account, input.requiredString("AccessKeyId")),
                        actions::getAccessKeyLastUsed));
    }

    private ActionResult createUser(IamCall call, Struct input) {
        User user = users.createUser(call.accountId(), new CreateUserRequest(
                input.requiredString("UserName"), input.string("Path"),
                input.string("PermissionsBoundary"), tags(input)));
        return ActionResult.of(xml -> IamXml.user(xml, "User", user, true), auditUser(user));
    }

    private ActionResult getUser(IamCall call, Struct input) {
        User user = users.getUser(call.accountId(), userNameOrCaller(call, input));
        return ActionResult.of(xml -> IamXml.user(xml, "User", user, true), Map.of());
    }

    private ActionResult updateUser(IamCall call, Struct input) {
        users.updateUser(call.accountId(), input.requiredString("UserName"),
                input.string("NewUserName"), input.string("NewPath"));
        return ActionResult.empty();
    }

    private ActionResult deleteUser(IamCall call, Struct input) {
        users.deleteUser(call.accountId(), input.requiredString("UserName"));
        return ActionResult.empty();
    }

    private ActionResult listUsers(IamCall call, Struct input) {
        Page<User> page = users.listUsers(call.accountId(), input.string("PathPrefix"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("Users");
            page.items().forEach(user -> IamXml.user(xml, "member", user, false));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult tagUser(IamCall call, Struct input) {
        users.tagUser(call.accountId(), input.requiredString("UserName"), tags(input));
        return ActionResult.empty();
    }

    private ActionResult untagUser(IamCall call, Struct input) {
        users.untagUser(call.accountId(), input.requiredString("UserName"),
                input.strings("TagKeys"));
        return ActionResult.empty();
    }

    private ActionResult listUserTags(IamCall call, Struct input) {
        Page<Tag> page = users.listUserTags(call.accountId(), input.requiredString("UserName"),
                input.string("Marker"), input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            // Tags is required in this response: an untagged user has an empty list.
            xml.startList("Tags");
            page.items().forEach(tag -> xml.start("member")
                    .element("Key", tag.key())
                    .element("Value", tag.value())
                    .end());
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult putUserPermissionsBoundary(IamCall call, Struct input) {
        users.putUserPermissionsBoundary(call.accountId(), input.requiredString("UserName"),
                input.requiredString("PermissionsBoundary"));
        return ActionResult.empty();
    }

    private ActionResult deleteUserPermissionsBoundary(IamCall call, Struct input) {
        users.deleteUserPermissionsBoundary(call.accountId(), input.requiredString("UserName"));
        return ActionResult.empty();
    }

    private ActionResult putUserPolicy(IamCall call, Struct input) {
        users.putUserPolicy(call.accountId(), input.requiredString("UserName"),
                input.requiredString("PolicyName"), input.requiredString("PolicyDocument"));
        return ActionResult.empty();
    }

    private ActionResult getUserPolicy(IamCall call, Struct input) {
        UserOperations.UserPolicy found = users.getUserPolicy(call.accountId(),
                input.requiredString("UserName"), input.requiredString("PolicyName"));
        return ActionResult.of(xml -> xml
                .element("UserName", found.user().userName())
                .element("PolicyName", found.policy().policyName())
                .element("PolicyDocument", IamXml.urlEncode(found.policy().policyDocument())),
                Map.of());
    }

    private ActionResult deleteUserPolicy(IamCall call, Struct input) {
        users.deleteUserPolicy(call.accountId(), input.requiredString("UserName"),
                input.requiredString("PolicyName"));
        return ActionResult.empty();
    }

    private ActionResult listUserPolicies(IamCall call, Struct input) {
        Page<String> page = users.listUserPolicies(call.accountId(),
                input.requiredString("UserName"), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> IamXml.policyNames(xml, page), Map.of());
    }

    private ActionResult createAccessKey(IamCall call, Struct input) {
        AccessKeyCredentials created = users.createAccessKey(call.accountId(),
                userNameOrCaller(call, input));
        AccessKey key = created.accessKey();
        return ActionResult.of(xml -> xml.start("AccessKey")
                .element("UserName", key.userName())
                .element("AccessKeyId", key.accessKeyId())
                .element("Status", key.status().wireName())
                .element("SecretAccessKey", created.secretAccessKey().revealUtf8())
                .element("CreateDate", key.createDate())
                .end(),
                // The secret is shown to the caller this once, and never to the audit log.
                Map.of("accessKey", AuditElements.of("userName", key.userName(),
                        "accessKeyId", key.accessKeyId(), "status", key.status().wireName())));
    }

    private ActionResult updateAccessKey(IamCall call, Struct input) {
        users.updateAccessKey(call.accountId(), userNameOrCaller(call, input),
                input.requiredString("AccessKeyId"), input.requiredString("Status"));
        return ActionResult.empty();
    }

    private ActionResult deleteAccessKey(IamCall call, Struct input) {
        users.deleteAccessKey(call.accountId(), userNameOrCaller(call, input),
                input.requiredString("AccessKeyId"));
        return ActionResult.empty();
    }

    private ActionResult listAccessKeys(IamCall call, Struct input) {
        Page<AccessKey> page = users.listAccessKeys(call.accountId(),
                userNameOrCaller(call, input), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("AccessKeyMetadata");
            page.items().forEach(key -> xml.start("member")
                    .element("UserName", key.userName())
                    .element("AccessKeyId", key.accessKeyId())
                    .element("Status", key.status().wireName())
                    .element("CreateDate", key.createDate())
                    .end());
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    private ActionResult getAccessKeyLastUsed(IamCall call, Struct input) {
        String accessKeyId = input.requiredString("AccessKeyId");
        // A key the account does not have is AccessDenied, worded as in AWS's real responses.
        UserOperations.AccessKeyUsage usage = users.getAccessKeyLastUsed(call.accountId(),
                accessKeyId).orElseThrow(() -> new ApiException(ErrorCode.ACCESS_DENIED,
                        "User: " + call.caller().arn() + " is not authorized to perform "
                                + "iam:GetAccessKeyLastUsed on resource: access key "
                                + accessKeyId));
        return ActionResult.of(xml -> {
            xml.element("UserName", usage.userName());
            xml.start("AccessKeyLastUsed");
            usage.lastUsed().ifPresent(use -> xml.element("LastUsedDate", use.lastUsedDate()));
            xml.element("ServiceName",
                    usage.lastUsed().map(AccessKeyLastUsed::serviceName).orElse(NEVER_USED));
            xml.element("Region",
                    usage.lastUsed().map(AccessKeyLastUsed::region).orElse(NEVER_USED));
            xml.end();
        }, Map.of());
    }

    /** The {@code Tags} member of a request. */
    static List<Tag> tags(Struct input) {
        return input.structs("Tags").stream()
                .map(tag -> new Tag(tag.requiredString("Key"), tag.requiredString("Value")))
                .toList();
    }

    /**
     * The user a request names, or else the IAM user who signed it. A role session or federated user has no user to
     * stand for, and must name one.
     */
    static String userNameOrCaller(IamCall call, Struct input) {
        return input.string("UserName").orElseGet(() -> call.caller().user()
                .orElseThrow(() -> ApiException.validationError(
                        "Must specify userName when calling with non-User credentials"))
                .userName());
    }

    /**
     * An action on the user the request names or, when it names none, on the calling IAM user (see
     * {@link #userOrCaller}).
     */
    static IamAction aboutUserOrCaller(Authorizer authorizer, IamService iam, String name, StructureShape input,
            IamAction.Handler handler) {
        return IamAction.onCaller(authorizer, name, input, (caller, struct) -> userOrCaller(iam, caller, struct),
                handler);
    }

    /**
     * The user the request's {@code UserName} names, as the store has it, or when it names none the calling IAM user,
     * authorized against as IAM does — so that a policy on {@code user/${aws:username}} lets users manage their own
     * keys. A caller who is no IAM user is authorized against {@code user/*}, and the handler then asks for a name.
     */
    static IamResource userOrCaller(IamService iam, CallerIdentity caller, Struct input) {
        return input.string("UserName")
                .map(userName -> user(iam, caller.accountId(), userName))
                .orElseGet(() -> caller.user().map(IamResource::of)
                        .orElseGet(() -> IamResource.of(IamArns.user(caller.accountId(), Optional.empty(), "*"))));
    }

    /** The user a request names, as the store has it; one that does not exist is its ARN at the root path. */
    static IamResource user(IamService iam, String account, String userName) {
        return iam.store().findUser(account, userName).map(IamResource::of)
                .orElseGet(() -> IamResource.of(IamArns.user(account, Optional.empty(), userName)));
    }

    /** The ARN of the user who owns an access key of this account; {@code user/*} for a key it does not have. */
    private static String accessKeyOwnerArn(IamService iam, String account, String accessKeyId) {
        return iam.store().findAccessKey(accessKeyId)
                .map(AccessKeyCredentials::accessKey)
                .filter(key -> key.accountId().equals(account))
                .flatMap(key -> iam.store().findUserById(key.userId()))
                .map(User::arn)
                .orElseGet(() -> IamArns.user(account, Optional.empty(), "*"));
    }

    private static Map<String, Object> auditUser(User user) {
        return Map.of("user", AuditElements.of("userName", user.userName(), "userId", user.userId(),
                "arn", user.arn()));
    }
}
