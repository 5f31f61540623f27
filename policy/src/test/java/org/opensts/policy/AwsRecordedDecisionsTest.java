package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decisions the engine must give because AWS gives them — each case cites the AWS page or the recorded AWS response it
 * follows. These are the situations a review of the evaluation rules found the engine answering otherwise.
 */
class AwsRecordedDecisionsTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();
    private static final String ACCOUNT = "111111111111";
    private static final String OTHER_ACCOUNT = "222222222222";
    private static final String ALICE = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":\"*\",\"Resource\":\"*\"}}";
    private static final String SERVICE_LINKED_ROLE = "arn:aws:iam::" + ACCOUNT
            + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_probe";

    record Case(String name, String evidence, AuthorizationRequest request, EvalDecision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws MalformedPolicyException {
        return Stream.of(
                // A real IAM response: a caller allowed everything tagged an Auto Scaling service-linked role (the
                // probe's tag-role step succeeded, while UpdateAssumeRolePolicy, PutRolePolicy, AttachRolePolicy and
                // DeleteRole answered UnmodifiableEntity).
                new Case("iam:TagRole on a service-linked role is allowed by an identity policy",
                        "real IAM response recorded for a custom-suffix AWSServiceRoleForAutoScaling role",
                        AuthorizationRequest.builder(RequestPrincipal.fromArn(ALICE), "iam:TagRole",
                                SERVICE_LINKED_ROLE).identityPolicy(identity(ALLOW_ALL)).build(),
                        EvalDecision.ALLOWED),
                // IAM API Reference, SimulateCustomPolicy, ResourceOwner: "the owner of any simulated resource that
                // does not identify its owner in the resource ARN". An AWS managed policy's ARN names its owner, aws,
                // and every account may read AWS managed policies.
                new Case("an AWS managed policy read with another ResourceOwner is not a cross-account request",
                        "IAM API Reference, SimulateCustomPolicy (ResourceOwner)",
                        AuthorizationRequest.builder(RequestPrincipal.fromArn(ALICE), "iam:GetPolicy",
                                "arn:aws:iam::aws:policy/ReadOnlyAccess").resourceAccount(OTHER_ACCOUNT)
                                .identityPolicy(identity(ALLOW_ALL)).build(),
                        EvalDecision.ALLOWED),
                // A real STS response: "Roles may not be assumed by root accounts." (AccessDenied), and the STS API
                // Reference, AssumeRole: "You cannot use AWS account root user credentials to call AssumeRole".
                new Case("the root user may not assume a role, even one whose trust policy names its account",
                        "real STS AccessDenied: Roles may not be assumed by root accounts.",
                        AuthorizationRequest.builder(RequestPrincipal.account(ACCOUNT), "sts:AssumeRole",
                                "arn:aws:iam::" + ACCOUNT + ":role/Admin")
                                .resourceAccount(ACCOUNT)
                                .resourcePolicy(LabeledPolicy.of("AssumeRolePolicyDocument", SourcePolicyType.ROLE,
                                        Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                                                + "\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"},"
                                                + "\"Action\":\"sts:AssumeRole\"}}", PolicyType.TRUST)))
                                .build(),
                        EvalDecision.IMPLICIT_DENY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluate_decidesAsAwsAnswered(Case c) {
        assertThat(EVALUATOR.evaluate(c.request()).decision()).as(c.evidence()).isEqualTo(c.expected());
    }

    private static LabeledPolicy identity(String document) throws MalformedPolicyException {
        return LabeledPolicy.of("PolicyInputList.1", SourcePolicyType.NONE, Policy.parse(document, PolicyType.IDENTITY));
    }
}
