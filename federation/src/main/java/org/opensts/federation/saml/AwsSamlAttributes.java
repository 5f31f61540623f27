package org.opensts.federation.saml;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

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

    static final String PREFIX = "https://aws.amazon.com/SAML/Attributes/";
    static final String ROLE = PREFIX + "Role";
    static final String ROLE_SESSION_NAME = PREFIX + "RoleSessionName";
    static final String SESSION_DURATION = PREFIX + "SessionDuration";
    static final String PRINCIPAL_TAG = PREFIX + "PrincipalTag:";
    static final String TRANSITIVE_TAG_KEYS = PREFIX + "TransitiveTagKeys";
    static final String SOURCE_IDENTITY = PREFIX + "SourceIdentity";

    private static final Pattern SESSION_NAME = Pattern.compile("[a-zA-Z_0-9+=,.@-]{2,64}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/\\S+");
    private static final Pattern PROVIDER_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:saml-provider/\\S+");
    private static final Pattern DURATION = Pattern.compile("\\d{1,9}");
    private static final String NAME_ID_FORMAT_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:";

    /**
     * The attributes AWS maps to {@code saml:*} keys (IAM User Guide, "Available keys for SAML-based AWS STS
     * federation"): eduPerson and eduOrg by OID, X.500 by OID, and Active Directory claims by URI.
     */
    private static final Map<String, List<String>> MAPPED_KEYS = mappedKeys();

    public AwsSamlAttributes {
        roles = List.copyOf(roles);
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }

    /** One value of the {@code Role} attribute. */
    public record RolePair(String roleArn, String principalArn) {
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} with AWS's messages when a required
     *     attribute is missing or malformed
     */
    public static AwsSamlAttributes of(VerifiedSamlAssertion assertion) {
        Map<String, List<String>> attributes = assertion.attributes();

        List<String> sessionNames = attributes.getOrDefault(ROLE_SESSION_NAME, List.of());
        if (sessionNames.isEmpty()) {
            throw invalid(SamlMessages.ROLE_SESSION_NAME_REQUIRED);
        }
        String roleSessionName = sessionNames.get(0).strip();
        if (sessionNames.size() != 1 || !SESSION_NAME.matcher(roleSessionName).matches()) {
            throw invalid(SamlMessages.ROLE_SESSION_NAME_INVALID);
        }

        List<String> roleValues = attributes.getOrDefault(ROLE, List.of());
        if (roleValues.isEmpty()) {
            throw invalid(SamlMessages.ROLE_REQUIRED);
        }
        var roles = new ArrayList<RolePair>();
        for (String value : roleValues) {
            roles.add(rolePair(value));
        }

        OptionalInt sessionDuration = OptionalInt.empty();
        List<String> durations = attributes.getOrDefault(SESSION_DURATION, List.of());
        if (!durations.isEmpty()) {
            String value = durations.get(0).strip();
            if (durations.size() != 1 || !DURATION.matcher(value).matches()) {
                throw invalid(SamlMessages.SESSION_DURATION_INVALID);
            }
            int seconds = Integer.parseInt(value);
            if (seconds < 900 || seconds > 43_200) {
                throw invalid(SamlMessages.SESSION_DURATION_INVALID);
            }
            sessionDuration = OptionalInt.of(seconds);
        }

        var tags = new LinkedHashMap<String, String>();
        for (var attribute : attributes.entrySet()) {
            if (attribute.getKey().startsWith(PRINCIPAL_TAG)) {
                if (attribute.getValue().size() != 1) {
                    throw invalid(SamlMessages.PRINCIPAL_TAG_INVALID);
                }
                tags.put(attribute.getKey().substring(PRINCIPAL_TAG.length()), attribute.getValue().get(0));
            }
        }
        var transitiveTagKeys = new ArrayList<String>();
        for (String key : attributes.getOrDefault(TRANSITIVE_TAG_KEYS, List.of())) {
            transitiveTagKeys.add(key.strip());
        }

        Optional<String> sourceIdentity = Optional.empty();
        List<String> sourceIdentities = attributes.getOrDefault(SOURCE_IDENTITY, List.of());
        if (!sourceIdentities.isEmpty()) {
            String value = sourceIdentities.get(0).strip();
            if (sourceIdentities.size() != 1 || !SESSION_NAME.matcher(value).matches()
                    || value.regionMatches(/* ignoreCase= */ true, 0, "aws:", 0, 4)) {
                throw invalid(SamlMessages.SOURCE_IDENTITY_INVALID);
            }
            sourceIdentity = Optional.of(value);
        }
        return new AwsSamlAttributes(roles, roleSessionName, sessionDuration, tags, transitiveTagKeys,
                sourceIdentity);
    }

    /** Whether the assertion lists this pair: the request's {@code RoleArn} and {@code PrincipalArn}. */
    public boolean allows(String roleArn, String principalArn) {
        return roles.contains(new RolePair(roleArn, principalArn));
    }

    /**
     * The {@code saml:*} keys of the trust-policy evaluation: {@code saml:aud}, {@code saml:iss}, {@code saml:sub},
     * {@code saml:sub_type}, {@code saml:namequalifier}, {@code saml:doc} and the mapped attribute keys.
     */
    public static Map<String, List<String>> conditionKeys(VerifiedSamlAssertion assertion, String accountId,
            String providerName) {
        var keys = new LinkedHashMap<String, List<String>>();
        keys.put("saml:aud", List.of(assertion.recipient()));
        keys.put("saml:iss", List.of(assertion.issuer()));
        keys.put("saml:sub", List.of(assertion.nameId()));
        assertion.nameIdFormat().ifPresent(format -> keys.put("saml:sub_type", List.of(subjectType(format))));
        keys.put("saml:namequalifier", List.of(nameQualifier(assertion.issuer(), accountId, providerName)));
        keys.put("saml:doc", List.of(accountId + "/" + providerName));
        for (var attribute : assertion.attributes().entrySet()) {
            if (attribute.getValue().isEmpty()) {
                continue;
            }
            for (String key : MAPPED_KEYS.getOrDefault(attribute.getKey(), List.of())) {
                // one attribute per key, the first in the document, when two names map to one key
                keys.putIfAbsent(key, attribute.getValue());
            }
        }
        return Collections.unmodifiableMap(keys);
    }

    /**
     * AWS's {@code SubjectType}: the NameID format with the SAML 2.0 prefix taken off ({@code persistent},
     * {@code transient}, …), any other format whole.
     */
    public static String subjectType(String nameIdFormat) {
        return nameIdFormat.startsWith(NAME_ID_FORMAT_PREFIX)
                ? nameIdFormat.substring(NAME_ID_FORMAT_PREFIX.length())
                : nameIdFormat;
    }

    /** {@code NameQualifier}: base64 of SHA-1 over issuer + account id + "/" + provider name (STS API Reference). */
    public static String nameQualifier(String issuer, String accountId, String providerName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((issuer + accountId + "/" + providerName).getBytes(UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /**
     * A {@code Role} value: two ARNs separated by a comma, the role's and the provider's in either order, whitespace
     * around each trimmed.
     */
    private static RolePair rolePair(String value) {
        String[] parts = value.split(",", -1);
        if (parts.length != 2) {
            throw invalid(SamlMessages.ROLE_INVALID);
        }
        String first = parts[0].strip();
        String second = parts[1].strip();
        if (ROLE_ARN.matcher(first).matches() && PROVIDER_ARN.matcher(second).matches()) {
            return new RolePair(first, second);
        }
        if (PROVIDER_ARN.matcher(first).matches() && ROLE_ARN.matcher(second).matches()) {
            return new RolePair(second, first);
        }
        throw invalid(SamlMessages.ROLE_INVALID);
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, message);
    }

    private static Map<String, List<String>> mappedKeys() {
        var keys = new LinkedHashMap<String, List<String>>();
        String eduPerson = "urn:oid:1.3.6.1.4.1.5923.1.1.1.";
        keys.put(eduPerson + "1", List.of("saml:edupersonaffiliation"));
        keys.put(eduPerson + "2", List.of("saml:edupersonnickname"));
        keys.put(eduPerson + "3", List.of("saml:edupersonorgdn"));
        keys.put(eduPerson + "4", List.of("saml:edupersonorgunitdn"));
        keys.put(eduPerson + "5", List.of("saml:edupersonprimaryaffiliation"));
        keys.put(eduPerson + "6", List.of("saml:edupersonprincipalname"));
        keys.put(eduPerson + "7", List.of("saml:edupersonentitlement"));
        keys.put(eduPerson + "8", List.of("saml:edupersonprimaryorgunitdn"));
        keys.put(eduPerson + "9", List.of("saml:edupersonscopedaffiliation"));
        keys.put(eduPerson + "10", List.of("saml:edupersontargetedid"));
        keys.put(eduPerson + "11", List.of("saml:edupersonassurance"));
        String eduOrg = "urn:oid:1.3.6.1.4.1.5923.1.2.1.";
        keys.put(eduOrg + "2", List.of("saml:eduorghomepageuri"));
        keys.put(eduOrg + "3", List.of("saml:eduorgidentityauthnpolicyuri"));
        keys.put(eduOrg + "4", List.of("saml:eduorglegalname"));
        keys.put(eduOrg + "5", List.of("saml:eduorgsuperioruri"));
        keys.put(eduOrg + "6", List.of("saml:eduorgwhitepagesuri"));
        keys.put("urn:oid:2.5.4.3", List.of("saml:cn", "saml:commonName"));
        keys.put("http://schemas.xmlsoap.org/claims/CommonName", List.of("saml:commonName"));
        keys.put("urn:oid:2.5.4.42", List.of("saml:givenName"));
        keys.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", List.of("saml:givenName"));
        keys.put("urn:oid:2.5.4.4", List.of("saml:surname"));
        keys.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", List.of("saml:surname"));
        keys.put("urn:oid:0.9.2342.19200300.100.1.3", List.of("saml:mail"));
        keys.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", List.of("saml:mail"));
        keys.put("urn:oid:2.16.840.1.113730.3.1.241", List.of("saml:name"));
        keys.put("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name", List.of("saml:name"));
        keys.put("urn:oid:0.9.2342.19200300.100.1.1", List.of("saml:uid"));
        keys.put("urn:oid:2.5.4.45", List.of("saml:x500UniqueIdentifier"));
        keys.put("urn:oid:2.5.4.10", List.of("saml:organizationStatus"));
        keys.put("http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
                List.of("saml:primaryGroupSID"));
        return Map.copyOf(keys);
    }
}
