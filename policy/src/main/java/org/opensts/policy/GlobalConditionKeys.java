package org.opensts.policy;

import org.opensts.policy.internal.IpRange;

/**
 * The names of the condition keys OpenSTS sets or evaluates, spelled as AWS documents them. Keys are
 * case-insensitive when evaluated; these spellings are what callers should write into a
 * {@link RequestContext} and what a decision reports back.
 */
public final class GlobalConditionKeys {
    public static final String CURRENT_TIME = "aws:CurrentTime";
    public static final String EPOCH_TIME = "aws:EpochTime";
    public static final String FEDERATED_PROVIDER = "aws:FederatedProvider";
    public static final String MULTI_FACTOR_AUTH_AGE = "aws:MultiFactorAuthAge";
    public static final String MULTI_FACTOR_AUTH_PRESENT = "aws:MultiFactorAuthPresent";
    public static final String PRINCIPAL_ACCOUNT = "aws:PrincipalAccount";
    public static final String PRINCIPAL_ARN = "aws:PrincipalArn";
    /** {@code false} in every signed request: no AWS service principal calls OpenSTS. */
    public static final String PRINCIPAL_IS_AWS_SERVICE = "aws:PrincipalIsAWSService";
    public static final String PRINCIPAL_TYPE = "aws:PrincipalType";
    /** Prefix of {@code aws:PrincipalTag/<key>}. */
    public static final String PRINCIPAL_TAG_PREFIX = "aws:PrincipalTag/";
    public static final String REQUESTED_REGION = "aws:RequestedRegion";
    /** Prefix of {@code aws:RequestTag/<key>}. */
    public static final String REQUEST_TAG_PREFIX = "aws:RequestTag/";
    /**
     * The account that owns the request's resource. When the context does not carry it, the evaluator takes the
     * account field of the resource's ARN, or the request's resource account ({@link AuthorizationRequest}).
     */
    public static final String RESOURCE_ACCOUNT = "aws:ResourceAccount";
    /** Prefix of {@code aws:ResourceTag/<key>}. */
    public static final String RESOURCE_TAG_PREFIX = "aws:ResourceTag/";
    public static final String SECURE_TRANSPORT = "aws:SecureTransport";
    public static final String SOURCE_ACCOUNT = "aws:SourceAccount";
    public static final String SOURCE_ARN = "aws:SourceArn";
    public static final String SOURCE_IDENTITY = "aws:SourceIdentity";
    /** Holds one IPv4 or IPv6 address ({@link #isSourceIp}). */
    public static final String SOURCE_IP = "aws:SourceIp";
    public static final String TAG_KEYS = "aws:TagKeys";
    public static final String TOKEN_ISSUE_TIME = "aws:TokenIssueTime";
    public static final String USER_AGENT = "aws:UserAgent";
    public static final String USERID = "aws:userid";
    public static final String USERNAME = "aws:username";
    /** {@code false} in every request: no AWS service calls OpenSTS on a principal's behalf. */
    public static final String VIA_AWS_SERVICE = "aws:ViaAWSService";

    public static final String STS_EXTERNAL_ID = "sts:ExternalId";
    public static final String STS_ROLE_SESSION_NAME = "sts:RoleSessionName";
    public static final String STS_SOURCE_IDENTITY = "sts:SourceIdentity";
    public static final String STS_TRANSITIVE_TAG_KEYS = "sts:TransitiveTagKeys";
    public static final String STS_DURATION_SECONDS = "sts:DurationSeconds";

    public static final String SAML_AUD = "saml:aud";
    public static final String SAML_ISS = "saml:iss";
    public static final String SAML_SUB = "saml:sub";
    public static final String SAML_SUB_TYPE = "saml:sub_type";
    public static final String SAML_NAME_QUALIFIER = "saml:namequalifier";
    public static final String SAML_DOC = "saml:doc";

    private GlobalConditionKeys() {
    }

    /**
     * Whether {@code value} is an address {@value #SOURCE_IP} can hold: one IPv4 or IPv6 address, without a prefix
     * (an IPv4-mapped IPv6 address counts as the IPv4 address it maps).
     */
    public static boolean isSourceIp(String value) {
        return IpRange.isAddress(value);
    }
}
