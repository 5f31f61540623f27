package org.opensts.sts;

import org.opensts.protocol.shape.ListShape;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.StructureShape;

/**
 * The input shapes of the STS model (2011-06-15), declared as {@code service-2.json} declares them; a conformance
 * test compares each with the model. MFA codes are marked sensitive beyond the model, so that no error message
 * echoes one.
 */
public final class StsShapes {
    private StsShapes() {
    }

    /** Model pattern of {@code arnType}: any character but most control characters. */
    private static final String ARN_PATTERN =
            "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+";
    private static final String SESSION_POLICY_PATTERN = "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";

    public static final ScalarShape ARN = ScalarShape.string("arnType").length(20, 2048).pattern(ARN_PATTERN).build();
    public static final ScalarShape ROLE_SESSION_NAME = ScalarShape.string("roleSessionNameType")
            .length(2, 64).pattern("[\\w+=,.@-]*").build();
    public static final ScalarShape UNRESTRICTED_SESSION_POLICY = ScalarShape.string(
            "unrestrictedSessionPolicyDocumentType").min(1).pattern(SESSION_POLICY_PATTERN).build();
    public static final ScalarShape SESSION_POLICY = ScalarShape.string("sessionPolicyDocumentType")
            .length(1, 2048).pattern(SESSION_POLICY_PATTERN).build();
    public static final ScalarShape ROLE_DURATION_SECONDS = ScalarShape.integer("roleDurationSecondsType")
            .range(900, 43200).build();
    public static final ScalarShape DURATION_SECONDS = ScalarShape.integer("durationSecondsType")
            .range(900, 129600).build();
    public static final ScalarShape ROOT_DURATION_SECONDS = ScalarShape.integer("RootDurationSecondsType")
            .range(0, 900).build();
    public static final ScalarShape WEB_IDENTITY_TOKEN_DURATION_SECONDS = ScalarShape.integer(
            "webIdentityTokenDurationSecondsType").range(60, 3600).build();
    public static final ScalarShape EXTERNAL_ID = ScalarShape.string("externalIdType")
            .length(2, 1224).pattern("[\\w+=,.@:\\/-]*").build();
    public static final ScalarShape SERIAL_NUMBER = ScalarShape.string("serialNumberType")
            .length(9, 256).pattern("[\\w+=/:,.@-]*").build();
    public static final ScalarShape TOKEN_CODE = ScalarShape.string("tokenCodeType")
            .length(6, 6).pattern("[\\d]*").sensitive().build();
    public static final ScalarShape SOURCE_IDENTITY = ScalarShape.string("sourceIdentityType")
            .length(2, 64).pattern("[\\w+=,.@-]*").build();
    public static final ScalarShape TAG_KEY = ScalarShape.string("tagKeyType")
            .length(1, 128).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+").build();
    public static final ScalarShape TAG_VALUE = ScalarShape.string("tagValueType")
            .length(0, 256).pattern("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*").build();
    /** A signed assertion a caller presents as proof: a bearer credential, kept out of errors and audit events. */
    public static final ScalarShape CONTEXT_ASSERTION = ScalarShape.string("contextAssertionType")
            .length(4, 2048).sensitive().build();
    public static final ScalarShape SAML_ASSERTION = ScalarShape.string("SAMLAssertionType")
            .length(4, 100000).sensitive().build();
    public static final ScalarShape CLIENT_TOKEN = ScalarShape.string("clientTokenType")
            .length(4, 20000).sensitive().build();
    public static final ScalarShape URL = ScalarShape.string("urlType").length(4, 2048).build();
    public static final ScalarShape USER_NAME = ScalarShape.string("userNameType")
            .length(2, 32).pattern("[\\w+=,.@-]*").build();
    public static final ScalarShape ACCESS_KEY_ID = ScalarShape.string("accessKeyIdType")
            .length(16, 128).pattern("[\\w]*").build();
    public static final ScalarShape ENCODED_MESSAGE = ScalarShape.string("encodedMessageType")
            .length(1, 10240).build();
    public static final ScalarShape TARGET_PRINCIPAL = ScalarShape.string("TargetPrincipalType")
            .length(12, 2048).build();
    public static final ScalarShape TRADE_IN_TOKEN = ScalarShape.string("tradeInTokenType").sensitive().build();
    public static final ScalarShape WEB_IDENTITY_TOKEN_AUDIENCE = ScalarShape.string(
            "webIdentityTokenAudienceStringType").length(1, 1000).build();
    public static final ScalarShape JWT_ALGORITHM = ScalarShape.string("jwtAlgorithmType").length(5, 5).build();

    public static final StructureShape POLICY_DESCRIPTOR = StructureShape.builder("PolicyDescriptorType")
            .optional("arn", ARN)
            .build();
    public static final StructureShape TAG = StructureShape.builder("Tag")
            .required("Key", TAG_KEY)
            .required("Value", TAG_VALUE)
            .build();
    public static final StructureShape PROVIDED_CONTEXT = StructureShape.builder("ProvidedContext")
            .optional("ProviderArn", ARN)
            .optional("ContextAssertion", CONTEXT_ASSERTION)
            .build();
    /**
     * At most ten managed session policies (STS API Reference, AssumeRole, PolicyArns: "you can provide up to 10
     * managed policy ARNs"), which the model does not say: declared here so that an over-long list is reported first,
     * as AWS lists a list's own length before its elements' faults.
     */
    public static final ListShape POLICY_DESCRIPTOR_LIST = ListShape.ofMax("policyDescriptorListType",
            POLICY_DESCRIPTOR, SessionGrants.MAX_POLICY_ARNS);
    public static final ListShape TAG_LIST = ListShape.ofMax("tagListType", TAG, 50);
    public static final ListShape TAG_KEY_LIST = ListShape.ofMax("tagKeyListType", TAG_KEY, 50);
    public static final ListShape PROVIDED_CONTEXTS = ListShape.of("ProvidedContextsListType", PROVIDED_CONTEXT, 1, 5);
    public static final ListShape WEB_IDENTITY_TOKEN_AUDIENCE_LIST = ListShape.of("webIdentityTokenAudienceListType",
            WEB_IDENTITY_TOKEN_AUDIENCE, 1, 10);

    public static final StructureShape ASSUME_ROLE_REQUEST = StructureShape.builder("AssumeRoleRequest")
            .required("RoleArn", ARN)
            .required("RoleSessionName", ROLE_SESSION_NAME)
            .optional("PolicyArns", POLICY_DESCRIPTOR_LIST)
            .optional("Policy", UNRESTRICTED_SESSION_POLICY)
            .optional("DurationSeconds", ROLE_DURATION_SECONDS)
            .optional("Tags", TAG_LIST)
            .optional("TransitiveTagKeys", TAG_KEY_LIST)
            .optional("ExternalId", EXTERNAL_ID)
            .optional("SerialNumber", SERIAL_NUMBER)
            .optional("TokenCode", TOKEN_CODE)
            .optional("SourceIdentity", SOURCE_IDENTITY)
            .optional("ProvidedContexts", PROVIDED_CONTEXTS)
            .build();
    public static final StructureShape ASSUME_ROLE_WITH_SAML_REQUEST = StructureShape.builder(
            "AssumeRoleWithSAMLRequest")
            .required("RoleArn", ARN)
            .required("PrincipalArn", ARN)
            .required("SAMLAssertion", SAML_ASSERTION)
            .optional("PolicyArns", POLICY_DESCRIPTOR_LIST)
            .optional("Policy", SESSION_POLICY)
            .optional("DurationSeconds", ROLE_DURATION_SECONDS)
            .build();
    public static final StructureShape ASSUME_ROLE_WITH_WEB_IDENTITY_REQUEST = StructureShape.builder(
            "AssumeRoleWithWebIdentityRequest")
            .required("RoleArn", ARN)
            .required("RoleSessionName", ROLE_SESSION_NAME)
            .required("WebIdentityToken", CLIENT_TOKEN)
            .optional("ProviderId", URL)
            .optional("PolicyArns", POLICY_DESCRIPTOR_LIST)
            .optional("Policy", SESSION_POLICY)
            .optional("DurationSeconds", ROLE_DURATION_SECONDS)
            .build();
    public static final StructureShape ASSUME_ROOT_REQUEST = StructureShape.builder("AssumeRootRequest")
            .required("TargetPrincipal", TARGET_PRINCIPAL)
            .required("TaskPolicyArn", POLICY_DESCRIPTOR)
            .optional("DurationSeconds", ROOT_DURATION_SECONDS)
            .build();
    public static final StructureShape DECODE_AUTHORIZATION_MESSAGE_REQUEST = StructureShape.builder(
            "DecodeAuthorizationMessageRequest")
            .required("EncodedMessage", ENCODED_MESSAGE)
            .build();
    public static final StructureShape GET_ACCESS_KEY_INFO_REQUEST = StructureShape.builder("GetAccessKeyInfoRequest")
            .required("AccessKeyId", ACCESS_KEY_ID)
            .build();
    public static final StructureShape GET_CALLER_IDENTITY_REQUEST = StructureShape.empty("GetCallerIdentityRequest");
    public static final StructureShape GET_DELEGATED_ACCESS_TOKEN_REQUEST = StructureShape.builder(
            "GetDelegatedAccessTokenRequest")
            .required("TradeInToken", TRADE_IN_TOKEN)
            .build();
    public static final StructureShape GET_FEDERATION_TOKEN_REQUEST = StructureShape.builder(
            "GetFederationTokenRequest")
            .required("Name", USER_NAME)
            .optional("Policy", SESSION_POLICY)
            .optional("PolicyArns", POLICY_DESCRIPTOR_LIST)
            .optional("DurationSeconds", DURATION_SECONDS)
            .optional("Tags", TAG_LIST)
            .build();
    public static final StructureShape GET_SESSION_TOKEN_REQUEST = StructureShape.builder("GetSessionTokenRequest")
            .optional("DurationSeconds", DURATION_SECONDS)
            .optional("SerialNumber", SERIAL_NUMBER)
            .optional("TokenCode", TOKEN_CODE)
            .build();
    public static final StructureShape GET_WEB_IDENTITY_TOKEN_REQUEST = StructureShape.builder(
            "GetWebIdentityTokenRequest")
            .required("Audience", WEB_IDENTITY_TOKEN_AUDIENCE_LIST)
            .optional("DurationSeconds", WEB_IDENTITY_TOKEN_DURATION_SECONDS)
            .required("SigningAlgorithm", JWT_ALGORITHM)
            .optional("Tags", TAG_LIST)
            .build();
}
