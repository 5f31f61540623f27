package org.opensts.federation.saml;

/**
 * The messages AssumeRoleWithSAML answers with, in AWS's words where AWS's are known. Sources: IAM User Guide,
 * "Troubleshoot SAML federation with IAM" (the texts marked "AWS"), and AWS's answers quoted by users of SAML
 * command-line tools (marked "AWS, observed"). The others are ours: AWS's wording for those cases is not published.
 */
final class SamlMessages {
    /** Ours: not base64, not XML, a DTD, not a SAML 2.0 Response. */
    static final String INVALID_RESPONSE = "Invalid SAML response";
    /** AWS: any signature that does not verify with the provider's metadata, or no signature over the assertion. */
    static final String SIGNATURE_INVALID = "Response signature invalid";
    /** AWS. */
    static final String ISSUER_NOT_IN_PROVIDER = "Issuer not present in specified provider";
    /** AWS. */
    static final String AUDIENCE_MISSING = "Response does not contain the required audience";
    /** AWS, observed (ExpiredTokenException): the assertion's validity ended. */
    static final String EXPIRED = "Response has expired";
    /** AWS, observed (ExpiredTokenException): the assertion was issued more than five minutes ago. */
    static final String TOO_OLD = "Token must be redeemed within 5 minutes of issuance";
    /** AWS (AccessDenied): the subject has no NameID. */
    static final String NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithSAML";
    /** AWS. */
    static final String ROLE_SESSION_NAME_REQUIRED = "RoleSessionName is required in AuthnResponse";
    /** AWS. */
    static final String ROLE_SESSION_NAME_INVALID =
            "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}";
    /** AWS. */
    static final String SOURCE_IDENTITY_INVALID =
            "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"";
    /** Ours. */
    static final String NOT_YET_VALID = "Response is not yet valid";
    /** Ours. */
    static final String ENCRYPTED_ASSERTION =
            "Encrypted assertions are not supported: configure the identity provider to sign the assertion unencrypted";
    /** Ours. */
    static final String ONE_ASSERTION = "Response must contain exactly one Assertion";
    /** Ours. */
    static final String STATUS_NOT_SUCCESS = "Response status is not Success";
    /** Ours. */
    static final String SUBJECT_CONFIRMATION = "Response must contain exactly one bearer SubjectConfirmation whose"
            + " SubjectConfirmationData has a NotOnOrAfter and the AWS sign-in endpoint as its Recipient";
    /** Ours. */
    static final String CONDITIONS_MISSING = "Response must contain Conditions";
    /** Ours. */
    static final String ROLE_REQUIRED = "Role is required in AuthnResponse";
    /** Ours. */
    static final String ROLE_INVALID =
            "Role in AuthnResponse must be a comma-separated pair of a role ARN and a SAML provider ARN";
    /** Ours. */
    static final String SESSION_DURATION_INVALID =
            "SessionDuration in AuthnResponse must be a whole number of seconds from 900 to 43200";
    /** Ours. */
    static final String PRINCIPAL_TAG_INVALID = "Each PrincipalTag attribute in AuthnResponse must have one value";
    /** Ours: IAM says "Could not parse metadata" when a document is uploaded. */
    static final String METADATA_INVALID = "Could not parse metadata";

    private SamlMessages() {
    }
}
