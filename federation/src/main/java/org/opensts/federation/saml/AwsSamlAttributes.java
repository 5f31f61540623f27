package org.opensts.federation.saml;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The attributes AWS reads from a verified assertion ({@code https://aws.amazon.com/SAML/Attributes/…}; IAM User
 * Guide, "Configure SAML assertions for the authentication response") and the {@code saml:*} condition keys it
 * derives from the assertion.
 *
 * @param roles the {@code Role} values as (role ARN, provider ARN) pairs, whichever order each value names them in
 * @param roleSessionName the {@code RoleSessionName} value
 * @param sessionDuration the {@code SessionDuration} value, seconds
 * @param tags the {@code PrincipalTag:KEY} values, by key, in document order
 * @param transitiveTagKeys the {@code TransitiveTagKeys} values
 * @param sourceIdentity the {@code SourceIdentity} value
 */
public record AwsSamlAttributes(List<RolePair> roles, String roleSessionName, OptionalInt sessionDuration,
        Map<String, String> tags, List<String> transitiveTagKeys, Optional<String> sourceIdentity) {

    /** One value of the {@code Role} attribute. */
    public record RolePair(String roleArn, String principalArn) {
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} with AWS's messages when a required
     *     attribute is missing or malformed
     */
    public static AwsSamlAttributes of(VerifiedSamlAssertion assertion) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }

    /**
     * The {@code saml:*} keys of the trust-policy evaluation: {@code saml:aud}, {@code saml:iss}, {@code saml:sub},
     * {@code saml:sub_type}, {@code saml:namequalifier}, {@code saml:doc} and the mapped attribute keys.
     */
    public static Map<String, List<String>> conditionKeys(VerifiedSamlAssertion assertion, String accountId,
            String providerName) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }

    /** {@code NameQualifier}: base64 of SHA-1 over issuer + account id + "/" + provider name (STS API Reference). */
    public static String nameQualifier(String issuer, String accountId, String providerName) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }
}
