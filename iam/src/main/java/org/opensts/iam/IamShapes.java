package org.opensts.iam;

import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.StructureShape;

/**
 * The shapes of the IAM model (2010-05-08) that OpenSTS implements, declared as {@code service-2.json} declares them;
 * a conformance test compares each with the model. {@link IamService} validates with them, and the IAM Query API
 * binds requests with them, so both report the same {@code ValidationError}.
 */
public final class IamShapes {
    private IamShapes() {
    }

    public static final ScalarShape USER_NAME = ScalarShape.string("userNameType")
            .length(1, 64).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape EXISTING_USER_NAME = ScalarShape.string("existingUserNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape ROLE_NAME = ScalarShape.string("roleNameType")
            .length(1, 64).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape POLICY_NAME = ScalarShape.string("policyNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape PATH = ScalarShape.string("pathType")
            .length(1, 512).pattern("(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)").build();
    /**
     * CreateVirtualMFADevice's {@code Path}: the model's {@code pathType} without its pattern, which IAM checks itself
     * with a message of its own, as AWS's real responses show ({@code MfaOperations.createVirtualMfaDevice}).
     */
    public static final ScalarShape VIRTUAL_MFA_DEVICE_PATH = ScalarShape.string("pathType").length(1, 512).build();
    /** The model's {@code accountAliasType}: DeleteAccountAlias's {@code AccountAlias}. */
    public static final ScalarShape ACCOUNT_ALIAS = ScalarShape.string("accountAliasType")
            .length(3, 63).pattern("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$").build();
    /**
     * CreateAccountAlias's {@code AccountAlias}: the model's {@code accountAliasType} without its pattern, which IAM
     * checks itself with a message of its own ({@code AccountOperations.createAccountAlias}).
     */
    public static final ScalarShape NEW_ACCOUNT_ALIAS = ScalarShape.string("accountAliasType").length(3, 63).build();
    public static final ScalarShape POLICY_DOCUMENT = ScalarShape.string("policyDocumentType")
            .length(1, 131072).pattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+").build();
    public static final ScalarShape ROLE_DESCRIPTION = ScalarShape.string("roleDescriptionType")
            .max(1000).pattern("[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*").build();
    public static final ScalarShape ROLE_MAX_SESSION_DURATION = ScalarShape.integer("roleMaxSessionDurationType")
            .range(3600, 43200).build();
    public static final ScalarShape ARN = ScalarShape.string("arnType").length(20, 2048).build();
    public static final ScalarShape ACCESS_KEY_ID = ScalarShape.string("accessKeyIdType")
            .length(16, 128).pattern("[\\w]+").build();
    /** Non-null in a list, as AWS's real responses to UntagRole and UntagPolicy show. */
    public static final ScalarShape TAG_KEY = ScalarShape.string("tagKeyType")
            .length(1, 128).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+").nonNull().build();
    public static final ScalarShape TAG_VALUE = ScalarShape.string("tagValueType")
            .length(0, 256).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*").build();
    public static final StructureShape TAG = StructureShape.builder("Tag")
            .required("Key", TAG_KEY)
            .required("Value", TAG_VALUE)
            .build();
    public static final ListShape TAG_LIST = ListShape.ofMax("tagListType", TAG, 50);
    public static final ListShape TAG_KEY_LIST = ListShape.ofMax("tagKeyListType", TAG_KEY, 50);
    public static final ScalarShape MARKER = ScalarShape.string("markerType")
            .length(1, 320).pattern("[\\u0020-\\u00FF]+").build();
    public static final ScalarShape MAX_ITEMS = ScalarShape.integer("maxItemsType").range(1, 1000).build();
    public static final ScalarShape PATH_PREFIX = ScalarShape.string("pathPrefixType")
            .length(1, 512).pattern("\\u002F[\\u0021-\\u007F]*").build();
    public static final ScalarShape GROUP_NAME = ScalarShape.string("groupNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape POLICY_PATH = ScalarShape.string("policyPathType")
            .length(1, 512).pattern("((/[A-Za-z0-9\\.,\\+@=_-]+)*)/").build();
    public static final ScalarShape POLICY_DESCRIPTION = ScalarShape.string("policyDescriptionType").max(1000).build();
    public static final ScalarShape POLICY_VERSION_ID = ScalarShape.string("policyVersionIdType")
            .pattern("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?").build();
    public static final ScalarShape POLICY_SCOPE = ScalarShape.string("policyScopeType")
            .enumValues("All", "AWS", "Local").build();
    public static final ScalarShape POLICY_USAGE = ScalarShape.string("PolicyUsageType")
            .enumValues("PermissionsPolicy", "PermissionsBoundary").build();
    public static final ScalarShape ENTITY_TYPE = ScalarShape.string("EntityType")
            .enumValues("User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy").build();
    public static final ScalarShape BOOLEAN = ScalarShape.builder("booleanType", ScalarType.BOOLEAN).build();
    public static final ScalarShape ACCESS_KEY_STATUS = ScalarShape.string("statusType")
            .enumValues("Active", "Inactive", "Expired").build();
    // Identity providers and MFA devices.
    public static final ScalarShape OPEN_ID_CONNECT_PROVIDER_URL = ScalarShape.string("OpenIDConnectProviderUrlType")
            .length(1, 255).build();
    public static final ScalarShape CLIENT_ID = ScalarShape.string("clientIDType").length(1, 255).build();
    public static final ListShape CLIENT_ID_LIST = ListShape.of("clientIDListType", CLIENT_ID);
    public static final ScalarShape THUMBPRINT = ScalarShape.string("thumbprintType").length(40, 40).build();
    public static final ListShape THUMBPRINT_LIST = ListShape.of("thumbprintListType", THUMBPRINT);
    public static final ScalarShape SAML_METADATA_DOCUMENT = ScalarShape.string("SAMLMetadataDocumentType")
            .length(1000, 10_000_000).build();
    public static final ScalarShape SAML_PROVIDER_NAME = ScalarShape.string("SAMLProviderNameType")
            .length(1, 128).pattern("[\\w._-]+").build();
    public static final ScalarShape ASSERTION_ENCRYPTION_MODE = ScalarShape.string("assertionEncryptionModeType")
            .enumValues("Required", "Allowed").build();
    public static final ScalarShape PRIVATE_KEY = ScalarShape.string("privateKeyType")
            .length(1, 16384).pattern("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+").sensitive().build();
    public static final ScalarShape PRIVATE_KEY_ID = ScalarShape.string("privateKeyIdType")
            .length(22, 64).pattern("[A-Z0-9]+").build();
    public static final ScalarShape VIRTUAL_MFA_DEVICE_NAME = ScalarShape.string("virtualMFADeviceName")
            .min(1).pattern("[\\w+=,.@-]+").build();
    public static final ScalarShape SERIAL_NUMBER = ScalarShape.string("serialNumberType")
            .length(9, 256).pattern("[\\w+=/:,.@-]+").build();
    /** Sensitive, unlike the model: an MFA code is a secret that no error message may echo. */
    public static final ScalarShape AUTHENTICATION_CODE = ScalarShape.string("authenticationCodeType")
            .length(6, 6).pattern("[\\d]+").sensitive().build();
    public static final ScalarShape ASSIGNMENT_STATUS = ScalarShape.string("assignmentStatusType")
            .enumValues("Assigned", "Unassigned", "Any").build();
    // The account.
    public static final ScalarShape GLOBAL_ENDPOINT_TOKEN_VERSION = ScalarShape.string("globalEndpointTokenVersion")
            .enumValues("v1Token", "v2Token").build();
    public static final ScalarShape INSTANCE_PROFILE_NAME = ScalarShape.string("instanceProfileNameType")
            .length(1, 128).pattern("[\\w+=,.@-]+").build();
}
