package org.opensts.federation.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/** AWS's attributes and condition keys, read from a verified assertion (IAM User Guide). */
class AwsSamlAttributesTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/dev";
    private static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/corp";
    private static final String P = "https://aws.amazon.com/SAML/Attributes/";

    private static VerifiedSamlAssertion assertion(Map<String, List<String>> attributes) {
        return new VerifiedSamlAssertion("_a1", "https://idp.example.com/saml", "ross@example.com",
                Optional.of("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"),
                "https://signin.aws.amazon.com/saml", Instant.parse("2026-03-01T12:05:00Z"), Optional.empty(),
                attributes);
    }

    private static Map<String, List<String>> attributes(Object... nameAndValues) {
        var map = new LinkedHashMap<String, List<String>>();
        map.put(P + "Role", List.of(ROLE + "," + PROVIDER));
        map.put(P + "RoleSessionName", List.of("ross@example.com"));
        for (int i = 0; i < nameAndValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) nameAndValues[i + 1];
            if (values == null) {
                map.remove((String) nameAndValues[i]);
            } else {
                map.put((String) nameAndValues[i], values);
            }
        }
        return map;
    }

    @Test
    void of_readsEveryAwsAttribute() {
        var read = AwsSamlAttributes.of(assertion(attributes(
                P + "Role", List.of(ROLE + "," + PROVIDER, " " + PROVIDER + " , arn:aws:iam::123456789012:role/ops "),
                P + "SessionDuration", List.of("3600"),
                P + "PrincipalTag:Team", List.of("blue"),
                P + "PrincipalTag:CostCenter", List.of("42"),
                P + "TransitiveTagKeys", List.of("Team", "CostCenter"),
                P + "SourceIdentity", List.of("ross"))));

        assertThat(read.roles()).containsExactly(new AwsSamlAttributes.RolePair(ROLE, PROVIDER),
                new AwsSamlAttributes.RolePair("arn:aws:iam::123456789012:role/ops", PROVIDER));
        assertThat(read.allows("arn:aws:iam::123456789012:role/ops", PROVIDER)).isTrue();
        assertThat(read.allows(ROLE, "arn:aws:iam::123456789012:saml-provider/other")).isFalse();
        assertThat(read.roleSessionName()).isEqualTo("ross@example.com");
        assertThat(read.sessionDuration()).isEqualTo(OptionalInt.of(3600));
        assertThat(read.tags()).containsExactly(Map.entry("Team", "blue"), Map.entry("CostCenter", "42"));
        assertThat(read.transitiveTagKeys()).containsExactly("Team", "CostCenter");
        assertThat(read.sourceIdentity()).contains("ross");
    }

    @Test
    void of_optionalAttributesAbsent_areEmpty() {
        var read = AwsSamlAttributes.of(assertion(attributes()));
        assertThat(read.sessionDuration()).isEmpty();
        assertThat(read.tags()).isEmpty();
        assertThat(read.transitiveTagKeys()).isEmpty();
        assertThat(read.sourceIdentity()).isEmpty();
    }

    record Case(String name, Map<String, List<String>> attributes, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalid() {
        String sessionName = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}";
        String sourceIdentity = "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"";
        return Stream.of(
                new Case("no RoleSessionName", attributes(P + "RoleSessionName", null),
                        "RoleSessionName is required in AuthnResponse"),
                new Case("RoleSessionName of one character", attributes(P + "RoleSessionName", List.of("r")),
                        sessionName),
                new Case("RoleSessionName of 65 characters", attributes(P + "RoleSessionName",
                        List.of("r".repeat(65))), sessionName),
                new Case("RoleSessionName with a space", attributes(P + "RoleSessionName", List.of("ross kinder")),
                        sessionName),
                new Case("two RoleSessionName values", attributes(P + "RoleSessionName", List.of("ross", "admin")),
                        sessionName),
                new Case("no Role", attributes(P + "Role", null), "Role is required in AuthnResponse"),
                new Case("Role with one ARN", attributes(P + "Role", List.of(ROLE)), SamlMessages.ROLE_INVALID),
                new Case("Role with two role ARNs", attributes(P + "Role", List.of(ROLE + "," + ROLE)),
                        SamlMessages.ROLE_INVALID),
                new Case("Role with three parts", attributes(P + "Role", List.of(ROLE + "," + PROVIDER + ",x")),
                        SamlMessages.ROLE_INVALID),
                new Case("SessionDuration below 900", attributes(P + "SessionDuration", List.of("899")),
                        SamlMessages.SESSION_DURATION_INVALID),
                new Case("SessionDuration above 43200", attributes(P + "SessionDuration", List.of("43201")),
                        SamlMessages.SESSION_DURATION_INVALID),
                new Case("SessionDuration not a number", attributes(P + "SessionDuration", List.of("1h")),
                        SamlMessages.SESSION_DURATION_INVALID),
                new Case("PrincipalTag with two values", attributes(P + "PrincipalTag:Team", List.of("a", "b")),
                        SamlMessages.PRINCIPAL_TAG_INVALID),
                new Case("SourceIdentity starting with aws:", attributes(P + "SourceIdentity", List.of("aws:ross")),
                        sourceIdentity),
                new Case("SourceIdentity of one character", attributes(P + "SourceIdentity", List.of("r")),
                        sourceIdentity),
                new Case("SourceIdentity with a slash", attributes(P + "SourceIdentity", List.of("ross/admin")),
                        sourceIdentity));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void of_invalidAttribute_isInvalidIdentityToken(Case c) {
        assertThatThrownBy(() -> AwsSamlAttributes.of(assertion(c.attributes())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
                    assertThat(e.getMessage()).isEqualTo(c.message());
                });
    }

    @Test
    void of_boundaryValues_areAccepted() {
        var read = AwsSamlAttributes.of(assertion(attributes(P + "RoleSessionName", List.of("r".repeat(64)),
                P + "SessionDuration", List.of("900"), P + "SourceIdentity", List.of("a+=,.@-_"))));
        assertThat(read.roleSessionName()).hasSize(64);
        assertThat(read.sessionDuration()).isEqualTo(OptionalInt.of(900));
        assertThat(AwsSamlAttributes.of(assertion(attributes(P + "SessionDuration", List.of("43200"))))
                .sessionDuration()).isEqualTo(OptionalInt.of(43_200));
    }

    @Test
    void nameQualifier_isBase64OfSha1OverIssuerAccountAndProvider() {
        // the inputs of the STS API Reference's AssumeRoleWithSAML example
        assertThat(AwsSamlAttributes.nameQualifier("https://example.com/saml", "123456789012", "MySAMLIdP"))
                .isEqualTo("1uAJanUnBc2XeUkHURMht+xam2c=");
    }

    @Test
    void conditionKeys_areAwsSamlKeys() {
        var keys = AwsSamlAttributes.conditionKeys(assertion(attributes(
                "urn:oid:1.3.6.1.4.1.5923.1.1.1.1", List.of("staff", "member"),
                "urn:oid:1.3.6.1.4.1.5923.1.1.1.6", List.of("ross@example.edu"),
                "urn:oid:2.5.4.3", List.of("Ross"),
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", List.of("ross@example.com"),
                "urn:oid:0.9.2342.19200300.100.1.1", List.of("ross"),
                "https://example.com/unmapped", List.of("x"))), "123456789012", "corp");

        assertThat(keys).containsEntry("saml:aud", List.of("https://signin.aws.amazon.com/saml"))
                .containsEntry("saml:iss", List.of("https://idp.example.com/saml"))
                .containsEntry("saml:sub", List.of("ross@example.com"))
                .containsEntry("saml:sub_type", List.of("persistent"))
                .containsEntry("saml:namequalifier", List.of(AwsSamlAttributes.nameQualifier(
                        "https://idp.example.com/saml", "123456789012", "corp")))
                .containsEntry("saml:doc", List.of("123456789012/corp"))
                .containsEntry("saml:edupersonaffiliation", List.of("staff", "member"))
                .containsEntry("saml:edupersonprincipalname", List.of("ross@example.edu"))
                .containsEntry("saml:cn", List.of("Ross"))
                .containsEntry("saml:commonName", List.of("Ross"))
                .containsEntry("saml:mail", List.of("ross@example.com"))
                .containsEntry("saml:uid", List.of("ross"));
        assertThat(keys.keySet()).allMatch(key -> key.startsWith("saml:"));
    }

    @Test
    void subjectType_stripsTheSaml2PrefixOnly() {
        assertThat(AwsSamlAttributes.subjectType("urn:oasis:names:tc:SAML:2.0:nameid-format:transient"))
                .isEqualTo("transient");
        assertThat(AwsSamlAttributes.subjectType("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"))
                .isEqualTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    }
}
