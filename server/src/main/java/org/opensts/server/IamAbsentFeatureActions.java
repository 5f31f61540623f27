package org.opensts.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.MfaOperations;
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
 * The read and clean-up actions of IAM features OpenSTS does not have: console passwords (login profiles), SSH public
 * keys, signing certificates, server certificates, service-specific credentials and FIDO security keys (GetMFADevice,
 * which takes only a FIDO key's serial number; virtual MFA devices are served in full). A node never holds any of
 * these, so each action gives the answer AWS gives an account that has none: an empty list, or {@code NoSuchEntity} in
 * IAM's words (as AWS's recorded answers word them).
 *
 * <p>Tools call these actions whatever they manage: deleting a user with {@code force_destroy} lists its SSH keys,
 * signing certificates and service-specific credentials and deletes its login profile, treating {@code NoSuchEntity}
 * as done. An {@code InvalidAction} answer breaks them; the truthful answer lets them go on.
 *
 * <p>Like every IAM action, each call has its parameters checked against the IAM model, is authorized for
 * {@code iam:<Action>} on the resource IAM names (the user or the server certificate), and only then looks at the user
 * it names, which must exist: a per-user action on an unknown user is GetUser's {@code NoSuchEntity}, as AWS answers
 * it, before the key, certificate or credential it names. Lists page as every IAM list does, so a {@code Marker} that
 * is not one of ours is refused. The actions that would create these things (CreateLoginProfile, UploadSSHPublicKey,
 * …) are not served. Instance profiles ({@link IamInstanceProfileActions}), account aliases and the password policy
 * ({@link IamAccountSettingsActions}) are served in full.
 */
final class IamAbsentFeatureActions {
    /** The model's {@code serverCertificateNameType}. */
    private static final ScalarShape SERVER_CERTIFICATE_NAME = ScalarShape.string("serverCertificateNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
    /** The model's {@code publicKeyIdType}. */
    private static final ScalarShape SSH_PUBLIC_KEY_ID = ScalarShape.string("publicKeyIdType")
            .length(20, 128).pattern("[\\w]+").build();
    /** The model's {@code encodingType}. */
    private static final ScalarShape SSH_PUBLIC_KEY_ENCODING = ScalarShape.string("encodingType")
            .enumValues("SSH", "PEM").build();
    /** The model's {@code certificateIdType}. */
    private static final ScalarShape CERTIFICATE_ID = ScalarShape.string("certificateIdType")
            .length(24, 128).pattern("[\\w]+").build();
    /** The model's {@code serviceSpecificCredentialId}. */
    private static final ScalarShape SERVICE_SPECIFIC_CREDENTIAL_ID = ScalarShape.string("serviceSpecificCredentialId")
            .length(20, 128).pattern("[\\w]+").build();
    /** The model's {@code passwordType}: a secret, never quoted or logged. */
    private static final ScalarShape PASSWORD = ScalarShape.string("passwordType")
            .length(1, 128).pattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+").sensitive().build();
    /** The model's {@code booleanObjectType}. */
    private static final ScalarShape BOOLEAN_OBJECT = ScalarShape.builder("booleanObjectType", ScalarType.BOOLEAN)
            .build();
    /** The model's {@code serviceName}: any string. */
    private static final ScalarShape SERVICE_NAME = ScalarShape.string("serviceName").build();
    /** The model's {@code allUsers}. */
    private static final ScalarShape ALL_USERS = ScalarShape.builder("allUsers", ScalarType.BOOLEAN).build();

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
    static final StructureShape LIST_SERVER_CERTIFICATES_REQUEST =
            StructureShape.builder("ListServerCertificatesRequest")
                    .optional("PathPrefix", IamShapes.PATH_PREFIX)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape GET_SERVER_CERTIFICATE_REQUEST = StructureShape.builder("GetServerCertificateRequest")
            .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
            .build();
    static final StructureShape DELETE_SERVER_CERTIFICATE_REQUEST =
            StructureShape.builder("DeleteServerCertificateRequest")
                    .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
                    .build();
    static final StructureShape LIST_SERVER_CERTIFICATE_TAGS_REQUEST =
            StructureShape.builder("ListServerCertificateTagsRequest")
                    .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
                    .optional("Marker", IamShapes.MARKER)
                    .optional("MaxItems", IamShapes.MAX_ITEMS)
                    .build();
    static final StructureShape TAG_SERVER_CERTIFICATE_REQUEST = StructureShape.builder("TagServerCertificateRequest")
            .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
            .required("Tags", IamShapes.TAG_LIST)
            .build();
    static final StructureShape UNTAG_SERVER_CERTIFICATE_REQUEST =
            StructureShape.builder("UntagServerCertificateRequest")
                    .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
                    .required("TagKeys", IamShapes.TAG_KEY_LIST)
                    .build();
    static final StructureShape UPDATE_SERVER_CERTIFICATE_REQUEST =
            StructureShape.builder("UpdateServerCertificateRequest")
                    .required("ServerCertificateName", SERVER_CERTIFICATE_NAME)
                    .optional("NewPath", IamShapes.PATH)
                    .optional("NewServerCertificateName", SERVER_CERTIFICATE_NAME)
                    .build();
    static final StructureShape GET_MFA_DEVICE_REQUEST = StructureShape.builder("GetMFADeviceRequest")
            .required("SerialNumber", IamShapes.SERIAL_NUMBER)
            .optional("UserName", IamShapes.USER_NAME)
            .build();
    static final StructureShape GET_SSH_PUBLIC_KEY_REQUEST = StructureShape.builder("GetSSHPublicKeyRequest")
            .required("UserName", IamShapes.USER_NAME)
            .required("SSHPublicKeyId", SSH_PUBLIC_KEY_ID)
            .required("Encoding", SSH_PUBLIC_KEY_ENCODING)
            .build();
    static final StructureShape DELETE_SSH_PUBLIC_KEY_REQUEST = StructureShape.builder("DeleteSSHPublicKeyRequest")
            .required("UserName", IamShapes.USER_NAME)
            .required("SSHPublicKeyId", SSH_PUBLIC_KEY_ID)
            .build();
    static final StructureShape UPDATE_SSH_PUBLIC_KEY_REQUEST = StructureShape.builder("UpdateSSHPublicKeyRequest")
            .required("UserName", IamShapes.USER_NAME)
            .required("SSHPublicKeyId", SSH_PUBLIC_KEY_ID)
            .required("Status", IamShapes.ACCESS_KEY_STATUS)
            .build();
    static final StructureShape DELETE_SIGNING_CERTIFICATE_REQUEST =
            StructureShape.builder("DeleteSigningCertificateRequest")
                    .optional("UserName", IamShapes.EXISTING_USER_NAME)
                    .required("CertificateId", CERTIFICATE_ID)
                    .build();
    static final StructureShape UPDATE_SIGNING_CERTIFICATE_REQUEST =
            StructureShape.builder("UpdateSigningCertificateRequest")
                    .optional("UserName", IamShapes.EXISTING_USER_NAME)
                    .required("CertificateId", CERTIFICATE_ID)
                    .required("Status", IamShapes.ACCESS_KEY_STATUS)
                    .build();
    static final StructureShape DELETE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST =
            StructureShape.builder("DeleteServiceSpecificCredentialRequest")
                    .optional("UserName", IamShapes.USER_NAME)
                    .required("ServiceSpecificCredentialId", SERVICE_SPECIFIC_CREDENTIAL_ID)
                    .build();
    static final StructureShape RESET_SERVICE_SPECIFIC_CREDENTIAL_REQUEST =
            StructureShape.builder("ResetServiceSpecificCredentialRequest")
                    .optional("UserName", IamShapes.USER_NAME)
                    .required("ServiceSpecificCredentialId", SERVICE_SPECIFIC_CREDENTIAL_ID)
                    .build();
    static final StructureShape UPDATE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST =
            StructureShape.builder("UpdateServiceSpecificCredentialRequest")
                    .optional("UserName", IamShapes.USER_NAME)
                    .required("ServiceSpecificCredentialId", SERVICE_SPECIFIC_CREDENTIAL_ID)
                    .required("Status", IamShapes.ACCESS_KEY_STATUS)
                    .build();
    static final StructureShape UPDATE_LOGIN_PROFILE_REQUEST = StructureShape.builder("UpdateLoginProfileRequest")
            .required("UserName", IamShapes.USER_NAME)
            .optional("Password", PASSWORD)
            .optional("PasswordResetRequired", BOOLEAN_OBJECT)
            .build();

    /**
     * The services IAM issues service-specific credentials for: "You can create service-specific credentials for
     * Amazon Bedrock, Amazon CloudWatch Logs, CodeCommit and Amazon Keyspaces (for Apache Cassandra)" (IAM API
     * Reference, CreateServiceSpecificCredential,
     * https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceSpecificCredential.html), named by their
     * service principals. Any other name is refused, as AWS refuses it.
     */
    static final Set<String> SERVICE_SPECIFIC_CREDENTIAL_SERVICES = Set.of("bedrock.amazonaws.com",
            "logs.amazonaws.com", "codecommit.amazonaws.com", "cassandra.amazonaws.com");

    private final IamService iam;

    private IamAbsentFeatureActions(IamService iam) {
        this.iam = iam;
    }

    static List<QueryAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamAbsentFeatureActions(iam);
        return List.of(
                IamUserActions.aboutUserOrCaller(authorizer, iam, "ListSSHPublicKeys", LIST_SSH_PUBLIC_KEYS_REQUEST,
                        actions::listSshPublicKeys),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "ListSigningCertificates",
                        LIST_SIGNING_CERTIFICATES_REQUEST,
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
                        actions::noLoginProfile),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "DeleteLoginProfile", DELETE_LOGIN_PROFILE_REQUEST,
                        actions::noLoginProfile),
                IamAction.of(authorizer, "ListServerCertificates", LIST_SERVER_CERTIFICATES_REQUEST,
                        (account, input) -> IamArns.serverCertificate(account, input.string("PathPrefix"), "*"),
                        actions::listServerCertificates),
                onServerCertificate(authorizer, "GetServerCertificate", GET_SERVER_CERTIFICATE_REQUEST),
                onServerCertificate(authorizer, "DeleteServerCertificate", DELETE_SERVER_CERTIFICATE_REQUEST),
                onServerCertificate(authorizer, "ListServerCertificateTags", LIST_SERVER_CERTIFICATE_TAGS_REQUEST),
                onServerCertificate(authorizer, "TagServerCertificate", TAG_SERVER_CERTIFICATE_REQUEST),
                onServerCertificate(authorizer, "UntagServerCertificate", UNTAG_SERVER_CERTIFICATE_REQUEST),
                onServerCertificate(authorizer, "UpdateServerCertificate", UPDATE_SERVER_CERTIFICATE_REQUEST),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "GetMFADevice", GET_MFA_DEVICE_REQUEST,
                        actions::noSecurityKey),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "GetSSHPublicKey", GET_SSH_PUBLIC_KEY_REQUEST,
                        actions::noSshPublicKey),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "DeleteSSHPublicKey", DELETE_SSH_PUBLIC_KEY_REQUEST,
                        actions::noSshPublicKey),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "UpdateSSHPublicKey", UPDATE_SSH_PUBLIC_KEY_REQUEST,
                        actions::noSshPublicKey),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "DeleteSigningCertificate",
                        DELETE_SIGNING_CERTIFICATE_REQUEST, actions::noSigningCertificate),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "UpdateSigningCertificate",
                        UPDATE_SIGNING_CERTIFICATE_REQUEST, actions::noSigningCertificate),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "DeleteServiceSpecificCredential",
                        DELETE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST, actions::noServiceSpecificCredential),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "ResetServiceSpecificCredential",
                        RESET_SERVICE_SPECIFIC_CREDENTIAL_REQUEST, actions::noServiceSpecificCredential),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "UpdateServiceSpecificCredential",
                        UPDATE_SERVICE_SPECIFIC_CREDENTIAL_REQUEST, actions::noServiceSpecificCredential),
                IamUserActions.aboutUserOrCaller(authorizer, iam, "UpdateLoginProfile", UPDATE_LOGIN_PROFILE_REQUEST,
                        actions::noLoginProfile));
    }

    /** An action on one server certificate, which a node never has. */
    private static IamAction onServerCertificate(Authorizer authorizer, String name, StructureShape input) {
        return IamAction.of(authorizer, name, input,
                (account, struct) -> IamArns.serverCertificate(account, Optional.empty(),
                        struct.requiredString("ServerCertificateName")),
                (call, struct) -> {
                    throw new ApiException(ErrorCode.NO_SUCH_ENTITY, "The Server Certificate with name "
                            + struct.requiredString("ServerCertificateName") + " cannot be found.");
                });
    }

    private ActionResult listServerCertificates(IamCall call, Struct input) {
        return emptyList("ServerCertificateMetadataList", input);
    }

    /** GetSSHPublicKey, DeleteSSHPublicKey and UpdateSSHPublicKey: the user first, then the key it does not have. */
    private ActionResult noSshPublicKey(IamCall call, Struct input) {
        existingUser(call, input);
        throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "The Public Key with id " + input.requiredString("SSHPublicKeyId") + " cannot be found.");
    }

    /** DeleteSigningCertificate and UpdateSigningCertificate: the user (or caller) first, as AWS checks it. */
    private ActionResult noSigningCertificate(IamCall call, Struct input) {
        existingUser(call, input);
        throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "The Certificate with id " + input.requiredString("CertificateId") + " cannot be found.");
    }

    /**
     * GetMFADevice: the user (or caller) first, then the FIDO security key it names, which no one has here (a virtual
     * MFA device's serial number names no security key either), in the words IAM uses for a missing MFA device.
     */
    private ActionResult noSecurityKey(IamCall call, Struct input) {
        existingUser(call, input);
        throw MfaOperations.noSuchDevice(input.requiredString("SerialNumber"));
    }

    /** Delete-, Reset- and UpdateServiceSpecificCredential: the user (or caller) first, as AWS checks it. */
    private ActionResult noServiceSpecificCredential(IamCall call, Struct input) {
        existingUser(call, input);
        throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                "No such credential " + input.requiredString("ServiceSpecificCredentialId") + " exists");
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
        input.string("ServiceName").filter(service -> !SERVICE_SPECIFIC_CREDENTIAL_SERVICES.contains(service))
                .ifPresent(service -> {
                    throw new ApiException(ErrorCode.NO_SUCH_ENTITY,
                            "No such service " + service + " is supported for Service Specific Credentials");
                });
        return emptyList("ServiceSpecificCredentials", input);
    }

    /** Get-, Delete- and UpdateLoginProfile: the user (or caller) first, then the login profile it does not have. */
    private ActionResult noLoginProfile(IamCall call, Struct input) {
        throw noLoginProfile(existingUser(call, input));
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
            xml.startList(listName);
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
