package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.Page;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/** The IAM actions on users. */
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
    static final StructureShape DELETE_USER_REQUEST = StructureShape.builder("DeleteUserRequest")
            .required("UserName", IamShapes.EXISTING_USER_NAME)
            .build();
    static final StructureShape LIST_USERS_REQUEST = StructureShape.builder("ListUsersRequest")
            .optional("PathPrefix", IamShapes.PATH_PREFIX)
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();

    private IamUserActions() {
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        return List.of(
                IamAction.of(authorizer, "CreateUser", CREATE_USER_REQUEST,
                        (account, input) -> IamArns.user(account, input.string("Path"),
                                input.requiredString("UserName")),
                        (call, input) -> {
                            User user = iam.users().createUser(call.accountId(), new CreateUserRequest(
                                    input.requiredString("UserName"), input.string("Path"),
                                    input.string("PermissionsBoundary"), tags(input)));
                            return ActionResult.of(xml -> IamXml.user(xml, "User", user, true),
                                    Map.of("user", Map.of("userName", user.userName(), "userId", user.userId(),
                                            "arn", user.arn())));
                        }),
                // GetUser without a name is the caller itself (an IAM user; a role session has no user to get).
                IamAction.of(authorizer, "GetUser", GET_USER_REQUEST,
                        (account, input) -> IamArns.user(account, Optional.empty(),
                                input.string("UserName").orElse("*")),
                        (call, input) -> {
                            String userName = input.string("UserName").orElseGet(() -> call.caller().user()
                                    .orElseThrow(() -> new org.opensts.protocol.ApiException(
                                            org.opensts.protocol.ErrorCode.VALIDATION_ERROR,
                                            "Must specify userName when calling with non-User credentials"))
                                    .userName());
                            User user = iam.users().getUser(call.accountId(), userName);
                            return ActionResult.of(xml -> IamXml.user(xml, "User", user, true), Map.of());
                        }),
                IamAction.of(authorizer, "DeleteUser", DELETE_USER_REQUEST,
                        (account, input) -> IamArns.user(account, Optional.empty(), input.requiredString("UserName")),
                        (call, input) -> {
                            iam.users().deleteUser(call.accountId(), input.requiredString("UserName"));
                            return ActionResult.empty();
                        }),
                IamAction.of(authorizer, "ListUsers", LIST_USERS_REQUEST,
                        (account, input) -> IamArns.user(account, input.string("PathPrefix"), "*"),
                        (call, input) -> {
                            Page<User> page = iam.users().listUsers(call.accountId(), input.string("PathPrefix"),
                                    input.string("Marker"), input.integer("MaxItems"));
                            return ActionResult.of(xml -> {
                                xml.start("Users");
                                page.items().forEach(user -> IamXml.user(xml, "member", user, false));
                                xml.end();
                                IamXml.pagination(xml, page);
                            }, Map.of());
                        }));
    }

    /** The {@code Tags} member of a request. */
    static List<Tag> tags(Struct input) {
        return input.structs("Tags").stream()
                .map(tag -> new Tag(tag.requiredString("Key"), tag.requiredString("Value")))
                .toList();
    }
}
