package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyTest {
    private static final String V = "\"Version\":\"2012-10-17\",";

    record Rejected(String name, PolicyType type, String json, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Rejected rejected(String name, PolicyType type, String json, String message) {
        return new Rejected(name, type, json, message);
    }

    private static String identity(String statementBody) {
        return "{" + V + "\"Statement\":{" + statementBody + "}}";
    }

    static Stream<Rejected> malformedDocuments() {
        String allowAll = "\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"";
        String trustBody = "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"";
        return Stream.of(
                rejected("text that is not JSON", PolicyType.IDENTITY, "{\"Version\":", "Syntax errors in policy."),
                rejected("an empty document", PolicyType.IDENTITY, "", "Syntax errors in policy."),
                rejected("the JSON literal null", PolicyType.IDENTITY, "null", "Syntax errors in policy."),
                rejected("an array at top level", PolicyType.IDENTITY, "[]", "Syntax errors in policy."),
                rejected("trailing content", PolicyType.IDENTITY, identity(allowAll) + "{}",
                        "Syntax errors in policy."),
                rejected("an unknown top-level element", PolicyType.IDENTITY,
                        "{" + V + "\"Statment\":[],\"Statement\":{" + allowAll + "}}", "Syntax errors in policy."),
                rejected("an unknown statement element", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Resources\":\"*\""), "Syntax errors in policy."),
                rejected("a duplicate element", PolicyType.IDENTITY, identity(allowAll + ",\"Effect\":\"Deny\""),
                        "Syntax errors in policy."),
                rejected("an unknown Version", PolicyType.IDENTITY,
                        "{\"Version\":\"2013-10-17\",\"Statement\":{" + allowAll + "}}",
                        "Syntax errors in policy."),
                rejected("a Version that is not a string", PolicyType.IDENTITY,
                        "{\"Version\":2012,\"Statement\":{" + allowAll + "}}", "Syntax errors in policy."),
                rejected("no Statement", PolicyType.IDENTITY, "{" + V + "\"Id\":\"x\"}",
                        "Syntax errors in policy."),
                rejected("an empty list of statements", PolicyType.IDENTITY, "{" + V + "\"Statement\":[]}",
                        "Syntax errors in policy."),
                rejected("a statement that is not an object", PolicyType.IDENTITY, "{" + V + "\"Statement\":[\"x\"]}",
                        "Syntax errors in policy."),
                rejected("no Effect", PolicyType.IDENTITY, identity("\"Action\":\"*\",\"Resource\":\"*\""),
                        "Syntax errors in policy."),
                rejected("an Effect that is neither word", PolicyType.IDENTITY,
                        identity("\"Effect\":\"invalid\",\"Action\":\"*\",\"Resource\":\"*\""),
                        "Syntax errors in policy."),
                rejected("a mixed-case Effect before a repeated Sid", PolicyType.IDENTITY, "{" + V + "\"Statement\":[{"
                        + "\"Sid\":\"a\",\"Effect\":\"aLLow\",\"Action\":\"*\",\"Resource\":\"*\"},{\"Sid\":\"a\","
                        + "\"Effect\":\"Allow\"}]}", "The policy failed legacy parsing"),
                rejected("a repeated Sid before a statement without actions", PolicyType.IDENTITY, "{" + V
                        + "\"Statement\":[{\"Sid\":\"a\"," + allowAll + "},{\"Sid\":\"a\",\"Effect\":\"Allow\"}]}",
                        "Statement IDs (SID) in a single policy must be unique."),
                rejected("no actions before no resources", PolicyType.IDENTITY, identity("\"Effect\":\"Allow\""),
                        "Policy statement must contain actions."),
                rejected("no resources before an action without a vendor", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"invalid\""),
                        "Policy statement must contain resources."),
                rejected("a resource that is no ARN before an action with two colons", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"s:3:ListBucket\",\"Resource\":\"sdfsadf\""),
                        "Resource sdfsadf must be in ARN format or \"*\"."),
                rejected("a malformed action before another statement's missing resources", PolicyType.IDENTITY,
                        "{" + V + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get:Object\","
                                + "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}]}",
                        "Policy statement must contain resources."),
                rejected("a faulty resource before another statement's malformed action", PolicyType.IDENTITY,
                        "{" + V + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get:Object\","
                                + "\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                                + "\"Resource\":\"arn:aws:s4::b\"}]}",
                        "The policy failed legacy parsing"),
                rejected("a date that is no date in a trust policy", PolicyType.TRUST,
                        identity(trustBody + ",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-13\"}}"),
                        "The policy failed legacy parsing"),
                rejected("an unknown condition operator before no actions", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Resource\":\"*\","
                                + "\"Condition\":{\"StringEqualz\":{\"a\":\"b\"}}"),
                        "Syntax errors in policy."),
                rejected("a condition value that is an object before no actions", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":"
                                + "{\"a\":{}}}"),
                        "Syntax errors in policy."),
                rejected("a service prefix with a space", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"a a:ListBucket\",\"Resource\":\"*\""),
                        "Vendor a a is not valid"),
                rejected("a lower-case Effect", PolicyType.IDENTITY,
                        identity("\"Effect\":\"allow\",\"Action\":\"*\",\"Resource\":\"*\""),
                        "The policy failed legacy parsing"),
                rejected("no Action", PolicyType.IDENTITY, identity("\"Effect\":\"Allow\",\"Resource\":\"*\""),
                        "Policy statement must contain actions."),
                rejected("an empty Action list", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\""),
                        "Policy statement must contain actions."),
                rejected("both Action and NotAction", PolicyType.IDENTITY,
                        identity(allowAll + ",\"NotAction\":\"s3:*\""), "Syntax errors in policy."),
                rejected("an action without a vendor", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"GetObject\",\"Resource\":\"*\""),
                        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
                rejected("an action with two colons", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"s3:Get:Object\",\"Resource\":\"*\""),
                        "Actions/Condition can contain only one colon."),
                rejected("an action that is a number", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":3,\"Resource\":\"*\""), "Syntax errors in policy."),
                rejected("no Resource", PolicyType.IDENTITY, identity("\"Effect\":\"Allow\",\"Action\":\"*\""),
                        "Policy statement must contain resources."),
                rejected("a Resource that is not an ARN", PolicyType.IDENTITY,
                        identity("\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"my-bucket\""),
                        "Resource my-bucket must be in ARN format or \"*\"."),
                rejected("both Resource and NotResource", PolicyType.IDENTITY,
                        identity(allowAll + ",\"NotResource\":\"arn:aws:s3:::b\""), "Syntax errors in policy."),
                rejected("a Principal in an identity policy", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Principal\":\"*\""),
                        "Policy document should not specify a principal."),
                rejected("a NotPrincipal in a session policy", PolicyType.SESSION,
                        identity(allowAll + ",\"NotPrincipal\":{\"AWS\":\"111122223333\"}"),
                        "Policy document should not specify a principal."),
                rejected("a Principal in a permissions boundary", PolicyType.PERMISSIONS_BOUNDARY,
                        identity(allowAll + ",\"Principal\":{\"AWS\":\"111122223333\"}"),
                        "Policy document should not specify a principal."),
                rejected("no Principal in a resource policy", PolicyType.RESOURCE, identity(allowAll),
                        "Missing required field Principal"),
                rejected("a trust policy that is not JSON", PolicyType.TRUST, "not valid json",
                        "This policy contains invalid Json"),
                rejected("a trust policy with a trailing comma", PolicyType.TRUST,
                        "{" + V + "\"Statement\":[{" + trustBody + ",}]}", "This policy contains invalid Json"),
                rejected("no Principal in a trust policy", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\""),
                        "Missing required field Principal"),
                rejected("a Resource in a trust policy", PolicyType.TRUST,
                        identity(trustBody + ",\"Resource\":\"*\""), "Has prohibited field Resource"),
                rejected("a NotResource in a trust policy", PolicyType.TRUST,
                        identity(trustBody + ",\"NotResource\":\"*\""), "Has prohibited field NotResource"),
                rejected("a NotPrincipal in a trust policy", PolicyType.TRUST,
                        identity("\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"111122223333\"},"
                                + "\"Action\":\"sts:AssumeRole\""),
                        "Has prohibited field NotPrincipal"),
                rejected("a Principal in a service control policy", PolicyType.SERVICE_CONTROL,
                        identity(allowAll + ",\"Principal\":\"*\""),
                        "Policy document should not specify a principal."),
                rejected("no Resource in a resource policy", PolicyType.RESOURCE,
                        identity("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\""),
                        "Policy statement must contain resources."),
                rejected("no Principal in the simulator's resource policy", PolicyType.SIMULATED_RESOURCE,
                        identity(allowAll), "Missing required field Principal"),
                rejected("a non-STS action in a trust policy", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                                + "\"Action\":\"s3:GetObject\""),
                        "AssumeRole policy may only specify STS AssumeRole actions."),
                rejected("sts:GetCallerIdentity in a trust policy", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                                + "\"Action\":[\"sts:AssumeRole\",\"sts:GetCallerIdentity\"]"),
                        "AssumeRole policy may only specify STS AssumeRole actions."),
                rejected("an unknown principal type", PolicyType.RESOURCE,
                        identity(allowAll + ",\"Principal\":{\"Users\":\"bob\"}"),
                        "Invalid principal in policy: \"Users\":\"bob\""),
                rejected("an AWS principal that is no principal", PolicyType.RESOURCE,
                        identity(allowAll + ",\"Principal\":{\"AWS\":\"bob\"}"),
                        "Invalid principal in policy: \"AWS\":\"bob\""),
                rejected("an account root whose account is not 12 digits", PolicyType.RESOURCE,
                        identity(allowAll + ",\"Principal\":{\"AWS\":\"arn:aws:iam::12345:root\"}"),
                        "Invalid principal in policy: \"AWS\":\"arn:aws:iam::12345:root\""),
                rejected("a group ARN as principal", PolicyType.RESOURCE,
                        identity(allowAll + ",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:group/g\"}"),
                        "Invalid principal in policy: \"AWS\":\"arn:aws:iam::111122223333:group/g\""),
                rejected("a service principal that is not a service's name", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"amazonaws.com\"},"
                                + "\"Action\":\"sts:AssumeRole\""),
                        "Invalid principal in policy: \"SERVICE\":\"amazonaws.com\""),
                rejected("a service principal outside amazonaws.com", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"ec2.amazonaws.com\","
                                + "\"ec2.amazonaws\"]},\"Action\":\"sts:AssumeRole\""),
                        "Invalid principal in policy: \"SERVICE\":\"ec2.amazonaws\""),
                rejected("a Federated principal that is a role ARN", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                                + "\"arn:aws:iam::111122223333:role/eks-cluster\"},"
                                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\""),
                        "Federated principals must be valid domain names or SAML metadata ARNs"),
                rejected("a Federated principal that is no domain name", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"my idp\"},"
                                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\""),
                        "Federated principals must be valid domain names or SAML metadata ARNs"),
                rejected("a Federated provider ARN without a name", PolicyType.TRUST,
                        identity("\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                                + "\"arn:aws:iam::111122223333:saml-provider/\"},"
                                + "\"Action\":\"sts:AssumeRoleWithSAML\""),
                        "Federated principals must be valid domain names or SAML metadata ARNs"),
                rejected("a Principal string other than *", PolicyType.RESOURCE,
                        identity(allowAll + ",\"Principal\":\"111122223333\""), "Syntax errors in policy."),
                rejected("an unknown condition operator", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"StringEqualz\":{\"aws:username\":\"a\"}}"),
                        "Syntax errors in policy."),
                rejected("an unknown set qualifier", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"ForSomeValues:StringEquals\":{\"aws:TagKeys\":\"a\"}}"),
                        "Syntax errors in policy."),
                rejected("NullIfExists", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"NullIfExists\":{\"aws:TokenIssueTime\":\"true\"}}"),
                        "Syntax errors in policy."),
                rejected("an operator with two colons", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"ForAnyValue::StringEqualsIfExists\":{\"a\":\"asf\"}}"),
                        "Syntax errors in policy."),
                rejected("a condition without an operator block", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"servicecatalog:accountLevel\":\"self\"}"),
                        "Syntax errors in policy."),
                rejected("a null condition value", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"StringEquals\":{\"aws:username\":null}}"),
                        "Syntax errors in policy."),
                rejected("an object as condition value", PolicyType.IDENTITY,
                        identity(allowAll + ",\"Condition\":{\"StringEquals\":{\"aws:username\":{\"a\":1}}}"),
                        "Syntax errors in policy."),
                rejected("a Sid with a space in an identity policy", PolicyType.IDENTITY,
                        identity("\"Sid\":\"my sid\"," + allowAll),
                        "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular "
                                + "expression [0-9A-Za-z]*"),
                rejected("a repeated Sid", PolicyType.IDENTITY,
                        "{" + V + "\"Statement\":[{\"Sid\":\"A\"," + allowAll + "},{\"Sid\":\"A\"," + allowAll + "}]}",
                        "Statement IDs (SID) in a single policy must be unique."));
    }

    @Test
    void parseStored_documentThatOnlyFailsTheFormChecksOfNewDocuments_stillCompilesAndEvaluates() throws Exception {
        String trust = identity("\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"amazonaws.com\"},"
                + "\"Action\":\"sts:AssumeRole\"");
        String identity = identity("\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:us-east-1::bucket/*\"");

        assertThatThrownBy(() -> Policy.parse(trust, PolicyType.TRUST)).isInstanceOf(MalformedPolicyException.class);
        assertThatThrownBy(() -> Policy.parse(identity, PolicyType.IDENTITY))
                .isInstanceOf(MalformedPolicyException.class);
        assertThat(Policy.parseStored(trust, PolicyType.TRUST).statements()).hasSize(1);
        assertThat(Policy.parseStored(identity, PolicyType.IDENTITY).statements()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "Service   | ec2.amazonaws.com",
            "Service   | states.us-east-1.amazonaws.com",
            "Service   | ecs-tasks.amazonaws.com",
            "Service   | alexa-appkit.amazon.com",
            "Federated | accounts.google.com",
            "Federated | cognito-identity.amazonaws.com",
            "Federated | arn:aws:iam::111122223333:saml-provider/corporate-idp",
            "Federated | arn:aws:iam::111122223333:oidc-provider/idp.example.com:8443/tenants/apps"})
    void parse_trustPolicyPrincipalOfAForm_isAccepted(String type, String principal) throws Exception {
        String action = type.equals("Service") ? "sts:AssumeRole" : "sts:AssumeRoleWithWebIdentity";
        Policy.parse(identity("\"Effect\":\"Allow\",\"Principal\":{\"" + type + "\":\"" + principal + "\"},"
                + "\"Action\":\"" + action + "\""), PolicyType.TRUST);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedDocuments")
    void parse_malformedDocument_isRejectedWithIamsMessage(Rejected c) {
        assertThatThrownBy(() -> Policy.parse(c.json(), c.type()))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(c.message());
    }

    record ManagedCase(String name, String json, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** CreatePolicy's answers in AWS's real responses: the version is checked after the syntax, before the rest. */
    static Stream<ManagedCase> managedDocuments() {
        String allow = "{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::b\"}";
        String lowerCaseEffect = allow.replace("\"Allow\"", "\"allow\"");
        return Stream.of(
                new ManagedCase("no Version", "{\"Statement\":" + allow + "}",
                        "Policy document must be version 2012-10-17 or greater."),
                new ManagedCase("Version 2008-10-17", "{\"Version\":\"2008-10-17\",\"Statement\":" + allow + "}",
                        "Policy document must be version 2012-10-17 or greater."),
                new ManagedCase("no Version and a lower-case Effect: the version first",
                        "{\"Statement\":" + lowerCaseEffect + "}",
                        "Policy document must be version 2012-10-17 or greater."),
                new ManagedCase("no Version and repeated Sids: the version first",
                        "{\"Statement\":[" + allow.replace("{", "{\"Sid\":\"A\",") + ","
                                + allow.replace("{", "{\"Sid\":\"A\",") + "]}",
                        "Policy document must be version 2012-10-17 or greater."),
                new ManagedCase("no Version and an unknown element: the syntax first",
                        "{\"Statement\":" + allow.replace("{", "{\"Effects\":1,") + "}",
                        "Syntax errors in policy."),
                new ManagedCase("a lower-case Effect, then an unknown element in the next statement: the syntax first",
                        "{" + V + "\"Statement\":[" + lowerCaseEffect + "," + allow.replace("{", "{\"Effects\":1,")
                                + "]}",
                        "Syntax errors in policy."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("managedDocuments")
    void parseManaged_documentIamRefuses_isRejectedWithIamsMessage(ManagedCase c) {
        assertThatThrownBy(() -> Policy.parseManaged(c.json()))
                .isInstanceOf(MalformedPolicyException.class)
                .hasMessage(c.message());
    }

    @Test
    void parse_inlinePolicyWithoutVersion_isAccepted_whereAManagedOneIsNot() throws MalformedPolicyException {
        String document = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}";
        assertThat(Policy.parse(document, PolicyType.IDENTITY).version()).isEqualTo(Policy.VERSION_2008_10_17);
        assertThat(Policy.parseManaged("{" + V + "\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\"}}").version()).isEqualTo(Policy.VERSION_2012_10_17);
        assertThatThrownBy(() -> Policy.parseManaged(document)).isInstanceOf(MalformedPolicyException.class);
    }

    @Test
    void parse_syntaxError_carriesLineAndColumn() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(MalformedPolicyException.class,
                () -> Policy.parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ , ]\n}",
                        PolicyType.IDENTITY));
        assertThat(e.position()).hasValueSatisfying(p -> assertThat(p.line()).isEqualTo(3));
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void parse_conditionKeyWithoutAVendor_andAnEmptyListOfValues_areAccepted() throws MalformedPolicyException {
        Policy policy = Policy.parse(identity("\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":"
                + "\"arn:aws:s3:::example_bucket\",\"Condition\":{\"StringEqualsIfExists\":{\"a\":\"asf\"},"
                + "\"DateGreaterThan\":{\"b\":[]}}"), PolicyType.IDENTITY);

        assertThat(policy.conditionKeys()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void parse_statementObjectOrArray_areBothAccepted() throws MalformedPolicyException {
        String body = "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"*\"}";
        assertThat(Policy.parse("{" + V + "\"Statement\":" + body + "}", PolicyType.IDENTITY).statements()).hasSize(1);
        assertThat(Policy.parse("{" + V + "\"Statement\":[" + body + "," + body + "]}", PolicyType.IDENTITY)
                .statements()).hasSize(2);
    }

    @Test
    void parse_withoutVersion_is2008AndKeepsVariablesLiteral() throws MalformedPolicyException {
        Policy policy = Policy.parse("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::b/${aws:username}/*\"}}", PolicyType.IDENTITY);
        assertThat(policy.version()).isEqualTo(Policy.VERSION_2008_10_17);
        assertThat(policy.conditionKeys()).isEmpty();
    }

    @Test
    void parse_readsEveryElement() throws MalformedPolicyException {
        Policy policy = Policy.parse("{\"Version\":\"2012-10-17\",\"Id\":\"doc1\",\"Statement\":[{\"Sid\":\"S1\","
                + "\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":[\"arn:aws:iam::444455556666:user/Bob\","
                + "\"arn:aws:iam::444455556666:root\"]},\"NotAction\":\"s3:List*\",\"NotResource\":"
                + "[\"arn:aws:s3:::b\",\"arn:aws:s3:::b/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":false},"
                + "\"StringLike\":{\"s3:prefix\":[\"home/${aws:username}/*\"]}}}]}", PolicyType.RESOURCE);
        assertThat(policy.id()).contains("doc1");
        PolicyStatement s = policy.statements().get(0);
        assertThat(s.sid()).contains("S1");
        assertThat(s.effect()).isEqualTo(Effect.DENY);
        assertThat(s.hasNotPrincipal()).isTrue();
        assertThat(s.principal()).containsEntry("AWS",
                List.of("arn:aws:iam::444455556666:user/Bob", "arn:aws:iam::444455556666:root"));
        assertThat(s.hasNotAction()).isTrue();
        assertThat(s.actions()).containsExactly("s3:List*");
        assertThat(s.hasNotResource()).isTrue();
        assertThat(s.resources()).containsExactly("arn:aws:s3:::b", "arn:aws:s3:::b/*");
        assertThat(s.conditions()).containsEntry("Bool", Map.of("aws:SecureTransport", List.of("false")));
        assertThat(policy.conditionKeys()).containsExactly("aws:SecureTransport", "s3:prefix", "aws:username");
    }

    record PrincipalForm(String name, String json, Map<String, List<String>> principal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PrincipalForm> principalForms() {
        String user = "arn:aws:iam::111122223333:user/a/b";
        return Stream.of(
                new PrincipalForm("\"*\" alone is everyone in AWS", "\"*\"", Map.of("AWS", List.of("*"))),
                new PrincipalForm("AWS *", "{\"AWS\":\"*\"}", Map.of("AWS", List.of("*"))),
                new PrincipalForm("an account id", "{\"AWS\":\"111122223333\"}",
                        Map.of("AWS", List.of("111122223333"))),
                new PrincipalForm("root, user, role, role session, federated user and unique id",
                        "{\"AWS\":[\"arn:aws:iam::111122223333:root\",\"" + user + "\","
                                + "\"arn:aws:iam::111122223333:role/r\",\"arn:aws:sts::111122223333:assumed-role/r/s\","
                                + "\"arn:aws:sts::111122223333:federated-user/f\",\"AIDACKCEVSQ6C2EXAMPLE\"]}",
                        Map.of("AWS", List.of("arn:aws:iam::111122223333:root", user,
                                "arn:aws:iam::111122223333:role/r", "arn:aws:sts::111122223333:assumed-role/r/s",
                                "arn:aws:sts::111122223333:federated-user/f", "AIDACKCEVSQ6C2EXAMPLE"))),
                new PrincipalForm("a SAML provider", "{\"Federated\":\"arn:aws:iam::111122223333:saml-provider/idp\"}",
                        Map.of("Federated", List.of("arn:aws:iam::111122223333:saml-provider/idp"))),
                new PrincipalForm("web identity providers",
                        "{\"Federated\":[\"accounts.google.com\",\"cognito-identity.amazonaws.com\"]}",
                        Map.of("Federated", List.of("accounts.google.com", "cognito-identity.amazonaws.com"))),
                new PrincipalForm("services", "{\"Service\":[\"ec2.amazonaws.com\",\"lambda.amazonaws.com\"]}",
                        Map.of("Service", List.of("ec2.amazonaws.com", "lambda.amazonaws.com"))),
                new PrincipalForm("a canonical user",
                        "{\"CanonicalUser\":\"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be\"}",
                        Map.of("CanonicalUser",
                                List.of("79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"))),
                new PrincipalForm("several types at once",
                        "{\"AWS\":\"111122223333\",\"Service\":\"ec2.amazonaws.com\"}",
                        Map.of("AWS", List.of("111122223333"), "Service", List.of("ec2.amazonaws.com"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("principalForms")
    void parse_everyPrincipalForm_readsAsTypeToValues(PrincipalForm c) throws MalformedPolicyException {
        Policy policy = Policy.parse("{" + V + "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":" + c.json()
                + ",\"Action\":\"sts:AssumeRole\"}}", PolicyType.TRUST);

        assertThat(policy.statements()).singleElement().satisfies(s -> {
            assertThat(s.principal()).isEqualTo(c.principal());
            assertThat(s.hasNotPrincipal()).isFalse();
            assertThat(s.effect()).isEqualTo(Effect.ALLOW);
            assertThat(s.actions()).containsExactly("sts:AssumeRole");
            assertThat(s.resources()).isEmpty();
        });
    }

    @Test
    void parse_trustPolicy_acceptsEveryRoleAction() throws MalformedPolicyException {
        Policy policy = Policy.parse("{" + V + "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":"
                + "\"accounts.google.com\"},\"Action\":[\"sts:AssumeRoleWithWebIdentity\",\"sts:TagSession\","
                + "\"sts:SetSourceIdentity\",\"sts:AssumeRoleWithSAML\",\"sts:AssumeRole\",\"sts:SetContext\","
                + "\"sts:AssumeRole*\"]}}", PolicyType.TRUST);

        assertThat(policy.type()).isEqualTo(PolicyType.TRUST);
        assertThat(policy.statements()).singleElement().satisfies(s -> {
            assertThat(s.actions()).containsExactly("sts:AssumeRoleWithWebIdentity", "sts:TagSession",
                    "sts:SetSourceIdentity", "sts:AssumeRoleWithSAML", "sts:AssumeRole", "sts:SetContext",
                    "sts:AssumeRole*");
            assertThat(s.hasNotAction()).isFalse();
            assertThat(s.principal()).isEqualTo(Map.of("Federated", List.of("accounts.google.com")));
            assertThat(s.resources()).isEmpty();
        });
    }

    @Test
    void parse_resourcePolicy_allowsSidsWithSpaces() throws MalformedPolicyException {
        Policy policy = Policy.parse("{" + V + "\"Statement\":{\"Sid\":\"Allow read\",\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}",
                PolicyType.RESOURCE);

        assertThat(policy.statements()).singleElement().satisfies(s -> {
            assertThat(s.sid()).contains("Allow read");
            assertThat(s.effect()).isEqualTo(Effect.ALLOW);
            assertThat(s.principal()).isEqualTo(Map.of("AWS", List.of("*")));
            assertThat(s.actions()).containsExactly("s3:GetObject");
            assertThat(s.resources()).containsExactly("arn:aws:s3:::b/*");
        });
    }

    @Test
    void sizeWithoutWhitespace_countsOnlyWhitespaceOutsideStrings() throws MalformedPolicyException {
        String compact = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"\",\"Effect\":\"Allow\","
                + "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::my bucket\"}}";
        String pretty = "{\n  \"Version\" : \"2012-10-17\",\n\t\"Statement\": {\r\n \"Sid\": \"\", \"Effect\": "
                + "\"Allow\",\n    \"Action\": \"s3:*\",\n    \"Resource\": \"arn:aws:s3:::my bucket\"\n  }\n}\n";
        assertThat(Policy.parse(pretty, PolicyType.IDENTITY).sizeWithoutWhitespace())
                .isEqualTo(compact.length())
                .isEqualTo(Policy.parse(compact, PolicyType.IDENTITY).sizeWithoutWhitespace());
    }

    @Test
    void statementPositions_areJustPastItsBraces() throws MalformedPolicyException {
        Policy policy = Policy.parse("{\n\"Version\":\"2012-10-17\",\n\"Statement\":[\n  {\"Effect\":\"Allow\","
                + "\"Action\":\"*\",\"Resource\":\"*\"},\n  {\"Effect\":\"Deny\",\n   \"Action\":\"*\","
                + "\"Resource\":\"*\"}\n]}", PolicyType.IDENTITY);
        assertThat(policy.statements().get(0).startPosition()).isEqualTo(new Position(4, 4));
        assertThat(policy.statements().get(0).endPosition()).isEqualTo(new Position(4, 49));
        assertThat(policy.statements().get(1).startPosition()).isEqualTo(new Position(5, 4));
        assertThat(policy.statements().get(1).endPosition()).isEqualTo(new Position(6, 32));
    }

    /** The AWS CLI's documented simulate-custom-policy output for this policy: StartPosition 1:38, EndPosition 1:167. */
    @Test
    void statementPositions_matchTheAwsCliSimulatorExample() throws MalformedPolicyException {
        Policy policy = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                + "\"dynamodb:*\",\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":"
                + "\"2018-08-16T12:00:00Z\"}}}}", PolicyType.IDENTITY);

        assertThat(policy.statements().get(0).startPosition()).isEqualTo(new Position(1, 38));
        assertThat(policy.statements().get(0).endPosition()).isEqualTo(new Position(1, 167));
    }

    @Test
    void conditionKeys_listEachKeyOnceWhateverItsCase() throws MalformedPolicyException {
        Policy policy = Policy.parse("{" + V + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                + "\"Resource\":\"arn:aws:s3:::b/${aws:PrincipalTag/team}/*\",\"Condition\":{\"StringEquals\":"
                + "{\"aws:username\":\"a\"}}},{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"Null\":{\"AWS:USERNAME\":\"true\"}}}]}", PolicyType.IDENTITY);
        assertThat(policy.conditionKeys()).containsExactly("aws:PrincipalTag/team", "aws:username");
        assertThat(policy.statements().get(0).sid()).isEqualTo(Optional.empty());
    }

    @Test
    void parse_simulatedResourcePolicyWithoutResource_isATrustPolicyThatCoversTheSimulatedRole()
            throws MalformedPolicyException {
        Policy policy = Policy.parse("{" + V + "\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}}", PolicyType.SIMULATED_RESOURCE);

        PolicyStatement statement = policy.statements().get(0);
        assertThat(policy.type()).isEqualTo(PolicyType.SIMULATED_RESOURCE);
        assertThat(statement.resources()).isEmpty();
        assertThat(statement.principal()).containsExactly(Map.entry("Service", List.of("lambda.amazonaws.com")));
        assertThat(statement.actions()).containsExactly("sts:AssumeRole");
    }
}
