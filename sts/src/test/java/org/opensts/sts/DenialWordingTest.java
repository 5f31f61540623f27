package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.PolicyType;

class DenialWordingTest {

    record ResourceCase(String name, String action, String resource, Optional<String> printed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ResourceCase> resources() {
        String account = "arn:aws:iam::123456789012:";
        return Stream.of(
                new ResourceCase("IAM prints a user by its name", "iam:AttachUserPolicy",
                        account + "user/eng/DevUser0002", Optional.of("user DevUser0002")),
                new ResourceCase("IAM prints a role by its name", "iam:GetRole", account + "role/Test-role",
                        Optional.of("role Test-role")),
                new ResourceCase("IAM prints a group by its name", "iam:GetGroup", account + "group/deploy-group",
                        Optional.of("group deploy-group")),
                new ResourceCase("IAM prints an instance profile by its name", "iam:GetInstanceProfile",
                        account + "instance-profile/web", Optional.of("instance profile web")),
                new ResourceCase("IAM prints a server certificate by its name", "iam:DeleteServerCertificate",
                        account + "server-certificate/example.com", Optional.of("server certificate example.com")),
                new ResourceCase("IAM prints an AWS managed policy by its ARN", "iam:GetPolicy",
                        "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        Optional.of("policy arn:aws:iam::aws:policy/ReadOnlyAccess")),
                new ResourceCase("IAM prints a customer managed policy with a path by its ARN", "iam:GetPolicy",
                        account + "policy/team/Reader", Optional.of("policy " + account + "policy/team/Reader")),
                new ResourceCase("IAM prints a list's path prefix as its ARN", "iam:ListUsers", account + "user/",
                        Optional.of(account + "user/")),
                new ResourceCase("IAM prints a deeper path prefix as its ARN", "iam:ListRoles",
                        account + "role/aws-service-role/", Optional.of(account + "role/aws-service-role/")),
                new ResourceCase("IAM prints a name pattern as its ARN", "iam:ListMFADevices", account + "user/*",
                        Optional.of(account + "user/*")),
                new ResourceCase("IAM prints an MFA device as its ARN", "iam:CreateVirtualMFADevice",
                        account + "mfa/phone", Optional.of(account + "mfa/phone")),
                new ResourceCase("IAM prints an OIDC provider as its ARN", "iam:CreateOpenIDConnectProvider",
                        account + "oidc-provider/example.com", Optional.of(account + "oidc-provider/example.com")),
                new ResourceCase("IAM prints a SAML provider as its ARN", "iam:GetSAMLProvider",
                        account + "saml-provider/corp", Optional.of(account + "saml-provider/corp")),
                new ResourceCase("IAM prints * as *", "iam:GetAccountSummary", "*", Optional.of("*")),
                new ResourceCase("IAM prints a name in another partition alike", "iam:GetUser",
                        "arn:aws-cn:iam::123456789012:user/bob", Optional.of("user bob")),
                new ResourceCase("STS names no resource for an action on *", "sts:DecodeAuthorizationMessage", "*",
                        Optional.empty()),
                new ResourceCase("STS prints a role by its ARN", "sts:AssumeRole", account + "role/demo",
                        Optional.of(account + "role/demo")),
                new ResourceCase("STS prints a federated user by its ARN", "sts:GetFederationToken",
                        "arn:aws:sts::123456789012:federated-user/Bob",
                        Optional.of("arn:aws:sts::123456789012:federated-user/Bob")),
                new ResourceCase("the node's own actions keep * as *", "opensts:DescribeNode", "*",
                        Optional.of("*")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resources")
    void resource_isPrintedAsTheServicePrintsIt(ResourceCase c) {
        assertThat(DenialWording.resource(c.action(), c.resource())).isEqualTo(c.printed());
    }

    record ReasonCase(String name, String action, EvalDecision decision, Optional<PolicyType> type,
            Optional<String> reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ReasonCase> reasons() {
        return Stream.of(
                new ReasonCase("an explicit deny in an identity policy", "iam:ListUsers", EvalDecision.EXPLICIT_DENY,
                        Optional.of(PolicyType.IDENTITY),
                        Optional.of("with an explicit deny in an identity-based policy")),
                new ReasonCase("an explicit deny in a permissions boundary", "iam:GetRole",
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.PERMISSIONS_BOUNDARY),
                        Optional.of("with an explicit deny in a permissions boundary")),
                new ReasonCase("an explicit deny in a session policy", "iam:GetRole", EvalDecision.EXPLICIT_DENY,
                        Optional.of(PolicyType.SESSION), Optional.of("with an explicit deny in a session policy")),
                new ReasonCase("an explicit deny in a resource policy", "s3:GetObject", EvalDecision.EXPLICIT_DENY,
                        Optional.of(PolicyType.RESOURCE),
                        Optional.of("with an explicit deny in a resource-based policy")),
                new ReasonCase("an explicit deny in a service control policy", "iam:GetRole",
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.SERVICE_CONTROL),
                        Optional.of("with an explicit deny in a service control policy")),
                new ReasonCase("no identity policy allows", "iam:GetRole", EvalDecision.IMPLICIT_DENY,
                        Optional.of(PolicyType.IDENTITY),
                        Optional.of("because no identity-based policy allows the iam:GetRole action")),
                new ReasonCase("no permissions boundary allows", "iam:GetRole", EvalDecision.IMPLICIT_DENY,
                        Optional.of(PolicyType.PERMISSIONS_BOUNDARY),
                        Optional.of("because no permissions boundary allows the iam:GetRole action")),
                new ReasonCase("no session policy allows", "sts:GetFederationToken", EvalDecision.IMPLICIT_DENY,
                        Optional.of(PolicyType.SESSION),
                        Optional.of("because no session policy allows the sts:GetFederationToken action")),
                new ReasonCase("no resource policy allows", "s3:GetObject", EvalDecision.IMPLICIT_DENY,
                        Optional.of(PolicyType.RESOURCE),
                        Optional.of("because no resource-based policy allows the s3:GetObject action")),
                new ReasonCase("no service control policy allows", "iam:GetRole", EvalDecision.IMPLICIT_DENY,
                        Optional.of(PolicyType.SERVICE_CONTROL),
                        Optional.of("because no service control policy allows the iam:GetRole action")),
                new ReasonCase("AssumeRole gives no reason, as AWS's answers give none", "sts:AssumeRole",
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.IDENTITY), Optional.empty()),
                new ReasonCase("a session tag on AssumeRole gives no reason", "sts:TagSession",
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.IDENTITY), Optional.empty()),
                new ReasonCase("a refusal no policy made gives no reason", "iam:CreatePolicyVersion",
                        EvalDecision.IMPLICIT_DENY, Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasons")
    void reason_namesThePolicyTypeTheDecisionBlames(ReasonCase c) {
        Decision decision = new Decision(c.decision(), List.of(), Set.of(), Optional.empty(), false, c.decision(),
                Optional.empty(), true, false, c.type());

        assertThat(DenialWording.reason(c.action(), Optional.of(decision))).isEqualTo(c.reason());
    }

    @Test
    void reason_withoutADecision_isNone() {
        assertThat(DenialWording.reason("sts:AssumeRole", Optional.empty())).isEmpty();
    }
}
