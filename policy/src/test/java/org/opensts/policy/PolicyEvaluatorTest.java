package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyEvaluatorTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();
    private static final String ALICE = "arn:aws:iam::111122223333:user/Alice";
    private static final String BOB_OTHER_ACCOUNT = "arn:aws:iam::444455556666:user/Bob";
    private static final String ROLE = "arn:aws:iam::111122223333:role/Dev";
    private static final String SESSION = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
    private static final String BUCKET_OBJECT = "arn:aws:s3:::bucket/key";

    static LabeledPolicy identity(String json) {
        return LabeledPolicy.of("PolicyInputList.1", SourcePolicyType.USER, parse(json, PolicyType.IDENTITY));
    }

    static LabeledPolicy boundary(String json) {
        return LabeledPolicy.of("PermissionsBoundaryPolicyInputList.1", SourcePolicyType.NONE,
                parse(json, PolicyType.PERMISSIONS_BOUNDARY));
    }

    static LabeledPolicy session(String json) {
        return LabeledPolicy.of("SessionPolicy", SourcePolicyType.NONE, parse(json, PolicyType.SESSION));
    }

    static LabeledPolicy resource(String json) {
        return LabeledPolicy.of("ResourcePolicy", SourcePolicyType.RESOURCE, parse(json, PolicyType.RESOURCE));
    }

    static LabeledPolicy trust(String json) {
        return LabeledPolicy.of("AssumeRolePolicyDocument", SourcePolicyType.ROLE, parse(json, PolicyType.TRUST));
    }

    static Policy parse(String json, PolicyType type) {
        try {
            return Policy.parse(json, type);
        } catch (MalformedPolicyException e) {
            throw new AssertionError(e.getMessage() + " in " + json, e);
        }
    }

    static String allow(String action, String resource) {
        return statement("Allow", action, resource);
    }

    static String deny(String action, String resource) {
        return statement("Deny", action, resource);
    }

    static String statement(String effect, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"" + effect + "\",\"Action\":\"" + action
                + "\",\"Resource\":\"" + resource + "\"}}";
    }

    static String resourcePolicy(String effect, String principal, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"" + effect + "\",\"Principal\":" + principal
                + ",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}}";
    }

    record Case(String name, AuthorizationRequest request, EvalDecision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static AuthorizationRequest.Builder request(String caller, String action, String resource) {
        return AuthorizationRequest.builder(RequestPrincipal.fromArn(caller), action, resource);
    }

    static Stream<Case> evaluationRules() {
        return Stream.of(
                new Case("no policy at all is an implicit deny",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).build(), EvalDecision.IMPLICIT_DENY),
                new Case("an identity allow allows",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:GetObject", "*"))).build(),
                        EvalDecision.ALLOWED),
                new Case("an explicit deny beats an allow",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .identityPolicy(identity(deny("s3:GetObject", "*"))).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("a boundary that does not allow limits the identity allow",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .permissionsBoundary(List.of(boundary(allow("ec2:*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a boundary alone grants nothing",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .permissionsBoundary(List.of(boundary(allow("*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("an empty session policy list allows nothing",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .sessionPolicies(List.of()).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a session policy never adds permissions",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("ec2:*", "*")))
                                .sessionPolicies(List.of(session(allow("*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("same account: a resource policy naming the user grants without identity policy",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ALICE + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.ALLOWED),
                new Case("same account: a user grant is not limited by the boundary",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .permissionsBoundary(List.of(boundary(allow("ec2:*", "*"))))
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ALICE + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.ALLOWED),
                new Case("same account: a role ARN grant is limited by the session policy",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .sessionPolicies(List.of(session(allow("ec2:*", "*"))))
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ROLE + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("same account: a role ARN grant needs no identity policy",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ROLE + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.ALLOWED),
                new Case("same account: a session ARN grant is not limited by the session policy",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .sessionPolicies(List.of(session(allow("ec2:*", "*"))))
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + SESSION + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.ALLOWED),
                new Case("same account: naming the account delegates to identity policies",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"111122223333\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("cross account: the resource policy alone is not enough",
                        request(BOB_OTHER_ACCOUNT, "s3:GetObject", BUCKET_OBJECT).resourceAccount("111122223333")
                                .resourcePolicy(resource(resourcePolicy("Allow",
                                        "{\"AWS\":\"" + BOB_OTHER_ACCOUNT + "\"}", "s3:GetObject", BUCKET_OBJECT)))
                                .build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("cross account: both sides allow",
                        request(BOB_OTHER_ACCOUNT, "s3:GetObject", BUCKET_OBJECT).resourceAccount("111122223333")
                                .identityPolicy(identity(allow("s3:GetObject", BUCKET_OBJECT)))
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"444455556666\"}",
                                        "s3:GetObject", BUCKET_OBJECT)))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("same account trust policy: identity allow alone cannot assume a role",
                        request(ALICE, "sts:AssumeRole", ROLE)
                                .identityPolicy(identity(allow("sts:AssumeRole", ROLE)))
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("trust policy naming a service lets the service assume the role",
                        request("ec2.amazonaws.com", "sts:AssumeRole", ROLE)
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("evaluationRules")
    void evaluate_followsAwsEvaluationLogic(Case c) {
        assertThat(EVALUATOR.evaluate(c.request()).decision()).isEqualTo(c.expected());
    }

    @Test
    void evaluate_explicitDeny_reportsTheDenyStatementWithItsPosition() {
        var policy = identity("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"Deny1\", "
                + "\"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  ]\n}");
        Decision decision = EVALUATOR.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                .identityPolicy(policy).build());
        assertThat(decision.matchedStatements()).singleElement().satisfies(m -> {
            assertThat(m.sid()).isEqualTo(Optional.of("Deny1"));
            assertThat(m.startPosition()).isEqualTo(new Position(4, 5));
            assertThat(m.source().id()).isEqualTo("PolicyInputList.1");
        });
    }
}
