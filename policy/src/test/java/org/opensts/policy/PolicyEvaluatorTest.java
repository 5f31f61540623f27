package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
                        EvalDecision.ALLOWED),
                new Case("trust policy naming the OIDC provider lets its web identity caller in",
                        AuthorizationRequest.builder(RequestPrincipal.webIdentity(
                                        "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
                                        Optional.of("111122223333")), "sts:AssumeRoleWithWebIdentity", ROLE)
                                .context(RequestContext.builder()
                                        .put("token.actions.githubusercontent.com:sub",
                                                "repo:org/app:ref:refs/heads/main")
                                        .build())
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:"
                                        + "oidc-provider/token.actions.githubusercontent.com\"},\"Action\":"
                                        + "\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringLike\":{"
                                        + "\"token.actions.githubusercontent.com:sub\":\"repo:org/app:*\"}}}}"))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("trust policy naming another SAML provider keeps the caller out",
                        AuthorizationRequest.builder(RequestPrincipal.saml(
                                        "arn:aws:iam::111122223333:saml-provider/Other"),
                                        "sts:AssumeRoleWithSAML", ROLE)
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::111122223333:"
                                        + "saml-provider/Corp\"},\"Action\":\"sts:AssumeRoleWithSAML\"}}"))
                                .build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("same account trust policy naming the user lets the user assume the role",
                        request(ALICE, "sts:AssumeRole", ROLE)
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"AWS\":\"" + ALICE + "\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("same account trust policy naming the account needs an identity allow",
                        request(ALICE, "sts:AssumeRole", ROLE)
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("same account trust policy naming the account plus an identity allow",
                        request(ALICE, "sts:AssumeRole", ROLE)
                                .identityPolicy(identity(allow("sts:AssumeRole", ROLE)))
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("cross account trust: trusted account plus the caller's identity allow",
                        request(BOB_OTHER_ACCOUNT, "sts:AssumeRole", ROLE)
                                .identityPolicy(identity(allow("sts:AssumeRole", ROLE)))
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("cross account trust without the caller's identity allow",
                        request(BOB_OTHER_ACCOUNT, "sts:AssumeRole", ROLE)
                                .resourcePolicy(trust("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"Principal\":{\"AWS\":\"" + BOB_OTHER_ACCOUNT + "\"},"
                                        + "\"Action\":\"sts:AssumeRole\"}}"))
                                .build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a resource policy deny naming the account denies its users",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource(resourcePolicy("Deny", "{\"AWS\":\"111122223333\"}",
                                        "s3:*", "*"))).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("NotPrincipal deny applies to everyone not listed",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" + BOB_OTHER_ACCOUNT + "\","
                                        + "\"arn:aws:iam::444455556666:root\"]},\"Action\":\"s3:*\","
                                        + "\"Resource\":\"*\"}}")).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("NotPrincipal deny exempts a user listed with its account",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" + ALICE + "\","
                                        + "\"arn:aws:iam::111122223333:root\"]},\"Action\":\"s3:*\","
                                        + "\"Resource\":\"*\"}}")).build(),
                        EvalDecision.ALLOWED),
                new Case("NotPrincipal deny naming the user alone exempts it",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"NotPrincipal\":{\"AWS\":\"" + ALICE + "\"},"
                                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}")).build(),
                        EvalDecision.ALLOWED),
                new Case("NotPrincipal deny naming only the account still denies its users",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},"
                                        + "\"Action\":\"s3:*\",\"Resource\":\"*\"}}")).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("NotPrincipal deny exempts a role session listed with role and account",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"NotPrincipal\":{\"AWS\":[\"" + SESSION + "\",\"" + ROLE
                                        + "\",\"arn:aws:iam::111122223333:root\"]},\"Action\":\"s3:*\","
                                        + "\"Resource\":\"*\"}}")).build(),
                        EvalDecision.ALLOWED),
                new Case("NotAction allows everything else",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}}")).build(),
                        EvalDecision.ALLOWED),
                new Case("NotAction does not allow what it lists",
                        request(ALICE, "iam:CreateUser", "arn:aws:iam::111122223333:user/x")
                                .identityPolicy(identity("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Allow\",\"NotAction\":\"iam:*\",\"Resource\":\"*\"}}")).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("NotResource deny spares the listed resource",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .identityPolicy(identity("{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":"
                                        + "\"Deny\",\"Action\":\"s3:*\",\"NotResource\":\"arn:aws:s3:::bucket/*\"}}"))
                                .build(),
                        EvalDecision.ALLOWED),
                new Case("actions match case-insensitively",
                        request(ALICE, "S3:GETOBJECT", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:Get*", "*"))).build(),
                        EvalDecision.ALLOWED),
                new Case("resources match case-sensitively",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::Bucket/key")
                                .identityPolicy(identity(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a resource wildcard crosses slashes",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/a/b/c")
                                .identityPolicy(identity(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))).build(),
                        EvalDecision.ALLOWED),
                new Case("a trailing resource wildcard spans the remaining segments",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:GetObject", "arn:aws:s3:*"))).build(),
                        EvalDecision.ALLOWED),
                new Case("a region wildcard does not swallow the account",
                        request(ALICE, "sqs:SendMessage", "arn:aws:sqs:us-east-1:444455556666:queue")
                                .identityPolicy(identity(allow("sqs:*", "arn:aws:sqs:*:111122223333:*"))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a specific resource does not match the simulator's * resource",
                        request(ALICE, "s3:GetObject", "*")
                                .identityPolicy(identity(allow("s3:GetObject", "arn:aws:s3:::bucket/*"))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("the account root needs no identity policy in its own account",
                        request("arn:aws:iam::111122223333:root", "s3:GetObject", BUCKET_OBJECT).build(),
                        EvalDecision.ALLOWED),
                new Case("an anonymous caller needs a public resource policy",
                        AuthorizationRequest.builder(RequestPrincipal.anonymous(), "s3:GetObject", BUCKET_OBJECT)
                                .resourcePolicy(resource(resourcePolicy("Allow", "\"*\"", "s3:GetObject",
                                        "arn:aws:s3:::bucket/*"))).build(),
                        EvalDecision.ALLOWED),
                new Case("an anonymous caller is not an account member",
                        AuthorizationRequest.builder(RequestPrincipal.anonymous(), "s3:GetObject", BUCKET_OBJECT)
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"111122223333\"}",
                                        "s3:GetObject", "arn:aws:s3:::bucket/*"))).build(),
                        EvalDecision.IMPLICIT_DENY),
                new Case("a federated user is limited by its session policy",
                        request("arn:aws:sts::111122223333:federated-user/Carol", "s3:GetObject", BUCKET_OBJECT)
                                .identityPolicy(identity(allow("s3:*", "*")))
                                .sessionPolicies(List.of(session(allow("s3:GetObject", "*")))).build(),
                        EvalDecision.ALLOWED),
                new Case("a resource policy naming the federated user grants beyond its session policy",
                        request("arn:aws:sts::111122223333:federated-user/Carol", "s3:GetObject", BUCKET_OBJECT)
                                .sessionPolicies(List.of())
                                .resourcePolicy(resource(resourcePolicy("Allow",
                                        "{\"AWS\":\"arn:aws:sts::111122223333:federated-user/Carol\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.ALLOWED),
                new Case("a resource policy naming the federating user stays within the session policy",
                        AuthorizationRequest.builder(RequestPrincipal.federatedUser(
                                        "arn:aws:sts::111122223333:federated-user/Carol", ALICE),
                                        "s3:GetObject", BUCKET_OBJECT)
                                .sessionPolicies(List.of())
                                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ALICE + "\"}",
                                        "s3:GetObject", BUCKET_OBJECT))).build(),
                        EvalDecision.IMPLICIT_DENY));
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
            assertThat(m.startPosition()).isEqualTo(new Position(4, 6));
            assertThat(m.source().id()).isEqualTo("PolicyInputList.1");
        });
    }

    static Stream<Case> policyVariables() {
        String home = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/home/${aws:username}/*\"}}";
        String withDefault = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/${aws:userid, 'anonymous'}/*\"}}";
        String tag = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::${aws:PrincipalTag/department}/*\"}}";
        String legacy = "{\"Version\":\"2008-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/home/${aws:username}/*\"}}";
        String condition = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":"
                + "\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::bucket\",\"Condition\":{\"StringLike\":{"
                + "\"s3:prefix\":[\"\",\"home/\",\"home/${aws:username}/*\"]}}}}";
        String saml = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::bucket/${saml:sub}/*\"}}";
        RequestContext alice = RequestContext.builder().principal(RequestPrincipal.fromArn(ALICE)).build();
        return Stream.of(
                new Case("${aws:username} resolves to the user's name",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/home/Alice/notes.txt").context(alice)
                                .identityPolicy(identity(home)).build(), EvalDecision.ALLOWED),
                new Case("${aws:username} does not open another user's folder",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/home/Bob/notes.txt").context(alice)
                                .identityPolicy(identity(home)).build(), EvalDecision.IMPLICIT_DENY),
                new Case("a variable without a value makes the resource not match",
                        request(SESSION, "s3:GetObject", "arn:aws:s3:::bucket/home//x")
                                .identityPolicy(identity(home)).build(), EvalDecision.IMPLICIT_DENY),
                new Case("a default stands in for a missing variable",
                        request(SESSION, "s3:GetObject", "arn:aws:s3:::bucket/anonymous/x")
                                .identityPolicy(identity(withDefault)).build(), EvalDecision.ALLOWED),
                new Case("a principal tag variable",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::finance/report")
                                .context(RequestContext.builder().put("aws:PrincipalTag/department", "finance").build())
                                .identityPolicy(identity(tag)).build(), EvalDecision.ALLOWED),
                new Case("a variable is literal text in a 2008-10-17 policy",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/home/${aws:username}/x").context(alice)
                                .identityPolicy(identity(legacy)).build(), EvalDecision.ALLOWED),
                new Case("a variable in a condition value",
                        request(ALICE, "s3:ListBucket", "arn:aws:s3:::bucket")
                                .context(RequestContext.builder().principal(RequestPrincipal.fromArn(ALICE))
                                        .put("s3:prefix", "home/Alice/docs").build())
                                .identityPolicy(identity(condition)).build(), EvalDecision.ALLOWED),
                new Case("a substituted value is literal, not a wildcard",
                        request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/home/Alice/x")
                                .context(RequestContext.builder().put("aws:username", "*").build())
                                .identityPolicy(identity(home)).build(), EvalDecision.IMPLICIT_DENY),
                new Case("${saml:sub} from the context",
                        request(SESSION, "s3:GetObject", "arn:aws:s3:::bucket/jdoe/x")
                                .context(RequestContext.builder().put("saml:sub", "jdoe").build())
                                .identityPolicy(identity(saml)).build(), EvalDecision.ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policyVariables")
    void evaluate_substitutesPolicyVariables(Case c) {
        assertThat(EVALUATOR.evaluate(c.request()).decision()).isEqualTo(c.expected());
    }

    /** AWS's resource perimeter: deny every action on a resource outside the caller's own account. */
    private static final String RESOURCE_PERIMETER = "{\"Version\":\"2012-10-17\",\"Statement\":["
            + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringNotEquals\":"
            + "{\"aws:ResourceAccount\":\"111122223333\"}}}]}";

    static Stream<Case> resourceAccount() {
        var perimeter = identity(RESOURCE_PERIMETER);
        return Stream.of(
                new Case("a resource of the caller's account, from its ARN, is inside the perimeter",
                        request(ALICE, "iam:GetRole", ROLE).identityPolicy(perimeter).build(),
                        EvalDecision.ALLOWED),
                new Case("a resource of another account, from its ARN, is outside",
                        request(ALICE, "iam:GetRole", "arn:aws:iam::444455556666:role/Dev")
                                .identityPolicy(perimeter).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("a bucket's owner, named by the request, is the resource account",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).resourceAccount("444455556666")
                                .identityPolicy(perimeter).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("the context's own value wins over the ARN's",
                        request(ALICE, "iam:GetRole", ROLE).identityPolicy(perimeter)
                                .context(RequestContext.builder().put("aws:ResourceAccount", "444455556666").build())
                                .build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("a resource with no known owner has no resource account (StringNotEquals holds)",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(perimeter).build(),
                        EvalDecision.EXPLICIT_DENY),
                new Case("the key is case-insensitive, as every condition key",
                        request(ALICE, "iam:GetRole", ROLE).identityPolicy(identity(
                                RESOURCE_PERIMETER.replace("aws:ResourceAccount", "AWS:resourceaccount"))).build(),
                        EvalDecision.ALLOWED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resourceAccount")
    void evaluate_resourceAccount_isTheResourcesOwner(Case c) {
        assertThat(EVALUATOR.evaluate(c.request()).decision()).isEqualTo(c.expected());
    }

    @Test
    void evaluate_reportsKeysThatRelevantStatementsLacked() {
        var policy = identity("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"s3:*\",\"Resource\":\"arn:aws:s3:::bucket/${aws:username}/*\",\"Condition\":{"
                + "\"Bool\":{\"aws:MultiFactorAuthPresent\":\"true\"},\"IpAddress\":{\"aws:SourceIp\":"
                + "\"10.0.0.0/8\"}}},{\"Effect\":\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"ec2:Region\":\"us-east-1\"}}}]}");
        Decision decision = EVALUATOR.evaluate(request(SESSION, "s3:GetObject", "arn:aws:s3:::bucket/a/b")
                .context(RequestContext.builder().put("aws:SourceIp", "10.1.2.3").build())
                .identityPolicy(policy).build());
        assertThat(decision.decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decision.missingContextValues()).containsExactly("aws:username");

        decision = EVALUATOR.evaluate(request(ALICE, "s3:GetObject", "arn:aws:s3:::bucket/Alice/b")
                .context(RequestContext.builder().principal(RequestPrincipal.fromArn(ALICE)).build())
                .identityPolicy(policy).build());
        assertThat(decision.missingContextValues()).containsExactly("aws:MultiFactorAuthPresent", "aws:SourceIp");
    }

    @Test
    void evaluate_allowed_reportsTheGrantingStatementsAndBoundaryDetail() {
        var grant = identity("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Read\",\"Effect\":"
                + "\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"},{\"Sid\":\"Other\",\"Effect\":"
                + "\"Allow\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}]}");
        Decision decision = EVALUATOR.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                .identityPolicy(grant)
                .permissionsBoundary(List.of(boundary(allow("s3:*", "*")))).build());
        assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decision.matchedStatements()).extracting(MatchedStatement::sid).containsExactly(Optional.of("Read"));
        assertThat(decision.allowedByPermissionsBoundary()).contains(true);
        assertThat(decision.crossAccount()).isFalse();
        assertThat(decision.resourcePolicyDecision()).isEmpty();

        decision = EVALUATOR.evaluate(request(ALICE, "s3:GetObject", BUCKET_OBJECT)
                .identityPolicy(grant)
                .permissionsBoundary(List.of(boundary(allow("ec2:*", "*")))).build());
        assertThat(decision.decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(decision.matchedStatements()).isEmpty();
        assertThat(decision.allowedByPermissionsBoundary()).contains(false);
    }

    @Test
    void evaluate_crossAccount_reportsEachSide() {
        Decision decision = EVALUATOR.evaluate(request(BOB_OTHER_ACCOUNT, "s3:GetObject", BUCKET_OBJECT)
                .resourceAccount("111122223333")
                .identityPolicy(identity(allow("s3:*", "*")))
                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + BOB_OTHER_ACCOUNT + "\"}",
                        "s3:GetObject", BUCKET_OBJECT)))
                .build());
        assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decision.crossAccount()).isTrue();
        assertThat(decision.identityPolicyDecision()).isEqualTo(EvalDecision.ALLOWED);
        assertThat(decision.resourcePolicyDecision()).contains(EvalDecision.ALLOWED);
        assertThat(decision.matchedStatements()).extracting(m -> m.source().type())
                .containsExactly(SourcePolicyType.USER, SourcePolicyType.RESOURCE);
    }

    @Test
    void evaluate_resourceAccount_defaultsToTheArnsAccountField() {
        Decision decision = EVALUATOR.evaluate(request(ALICE, "sqs:SendMessage",
                        "arn:aws:sqs:us-east-1:444455556666:queue")
                .identityPolicy(identity(allow("sqs:*", "*")))
                .resourcePolicy(resource(resourcePolicy("Allow", "{\"AWS\":\"" + ALICE + "\"}", "sqs:*", "*")))
                .build());
        assertThat(decision.crossAccount()).isTrue();
        assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
    }

    record RefusalCase(String name, AuthorizationRequest request, EvalDecision decision,
            Optional<PolicyType> refusingType) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RefusalCase> refusals() {
        String orgDenies = deny("s3:*", "*");
        return Stream.of(
                new RefusalCase("an allowed request names no refusing policy",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .build(), EvalDecision.ALLOWED, Optional.empty()),
                new RefusalCase("no identity policy allows: identity-based",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("ec2:*", "*")))
                                .build(), EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.IDENTITY)),
                new RefusalCase("a deny in an identity policy: identity-based",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .identityPolicy(identity(deny("s3:GetObject", "*"))).build(),
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.IDENTITY)),
                new RefusalCase("identity allows, the boundary does not: permissions boundary",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .permissionsBoundary(List.of(boundary(allow("ec2:*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.PERMISSIONS_BOUNDARY)),
                new RefusalCase("neither identity nor boundary allows: identity-based, the first step that fails",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("ec2:*", "*")))
                                .permissionsBoundary(List.of(boundary(allow("ec2:*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.IDENTITY)),
                new RefusalCase("a deny in the boundary: permissions boundary",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .permissionsBoundary(List.of(boundary("{\"Version\":\"2012-10-17\",\"Statement\":["
                                        + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"},"
                                        + "{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\","
                                        + "\"Resource\":\"*\"}]}"))).build(),
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.PERMISSIONS_BOUNDARY)),
                new RefusalCase("identity allows, the session policy does not: session policy",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .sessionPolicies(List.of(session(allow("ec2:*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.SESSION)),
                new RefusalCase("a deny in a session policy: session policy",
                        request(SESSION, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .sessionPolicies(List.of(session(deny("s3:*", "*")))).build(),
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.SESSION)),
                new RefusalCase("a deny in a resource policy: resource-based",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .resourcePolicy(resource(resourcePolicy("Deny", "\"*\"", "s3:*", "*"))).build(),
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.RESOURCE)),
                new RefusalCase("across accounts, identity allows and the resource policy does not: resource-based",
                        request(BOB_OTHER_ACCOUNT, "s3:GetObject", BUCKET_OBJECT).resourceAccount("111122223333")
                                .identityPolicy(identity(allow("s3:*", "*"))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.RESOURCE)),
                new RefusalCase("no service control policy allows: service control policy",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(allow("s3:*", "*")))
                                .serviceControlPolicyLevel(List.of(identity(allow("ec2:*", "*")))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.of(PolicyType.SERVICE_CONTROL)),
                new RefusalCase("a deny in a service control policy wins the report over an identity deny",
                        request(ALICE, "s3:GetObject", BUCKET_OBJECT).identityPolicy(identity(deny("s3:*", "*")))
                                .serviceControlPolicyLevel(List.of(identity(orgDenies))).build(),
                        EvalDecision.EXPLICIT_DENY, Optional.of(PolicyType.SERVICE_CONTROL)),
                new RefusalCase("a change to an AWS managed policy that policies allow: no refusing policy",
                        request(ALICE, "iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/ReadOnlyAccess")
                                .identityPolicy(identity(allow("iam:*", "*"))).build(),
                        EvalDecision.IMPLICIT_DENY, Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void evaluate_refusal_namesThePolicyTypeAwsBlames(RefusalCase c) {
        Decision decision = EVALUATOR.evaluate(c.request());

        assertThat(decision.decision()).isEqualTo(c.decision());
        assertThat(decision.refusingPolicyType()).isEqualTo(c.refusingType());
    }

    // Properties over a small universe of actions, resources, principals and conditions, so that random
    // statements match the random requests often.

    /** A request's parts, to be evaluated with and without an extra policy. */
    record Scenario(String caller, String action, String resource, boolean otherResourceAccount, boolean blueTeam,
            List<String> identityPolicies, Optional<String> resourceStatement) {
        AuthorizationRequest.Builder builder() {
            var b = request(caller, action, resource)
                    .resourceAccount(otherResourceAccount ? "999988887777" : "111122223333")
                    .context(blueTeam ? RequestContext.builder().put("aws:PrincipalTag/team", "blue").build()
                            : RequestContext.empty());
            identityPolicies.forEach(json -> b.identityPolicy(PolicyEvaluatorTest.identity(json)));
            resourceStatement.ifPresent(json -> b.resourcePolicy(PolicyEvaluatorTest.resource(json)));
            return b;
        }
    }

    @Property
    void anExplicitDenyWinsWhateverElseMatches(@ForAll("scenarios") Scenario scenario,
            @ForAll("matchingDenyPlacement") int placement) {
        String deny = deny("*", "*");
        var b = scenario.builder();
        switch (placement) {
            case 0:
                b.identityPolicy(identity(deny));
                break;
            case 1:
                b.permissionsBoundary(List.of(boundary(allow("*", "*")), boundary(deny)));
                break;
            case 2:
                b.sessionPolicies(List.of(session(deny)));
                break;
            default:
                b.resourcePolicy(resource(resourcePolicy("Deny", "\"*\"", "*", "*")));
                break;
        }
        Decision decision = EVALUATOR.evaluate(b.build());
        assertThat(decision.decision()).isEqualTo(EvalDecision.EXPLICIT_DENY);
        assertThat(decision.matchedStatements()).allMatch(m -> m.effect() == Effect.DENY).isNotEmpty();
    }

    @Property
    void addingASessionPolicyNeverWidensADecision(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") List<String> sessionPolicies) {
        Decision without = EVALUATOR.evaluate(scenario.builder().build());
        Decision with = EVALUATOR.evaluate(scenario.builder()
                .sessionPolicies(sessionPolicies.stream().map(PolicyEvaluatorTest::session).toList()).build());
        assertNeverWider(without, with);
    }

    @Property
    void aPermissionsBoundaryNeverWidensADecision(@ForAll("scenarios") Scenario scenario,
            @ForAll("policies") List<String> boundaryPolicies) {
        Decision without = EVALUATOR.evaluate(scenario.builder().build());
        Decision with = EVALUATOR.evaluate(scenario.builder()
                .permissionsBoundary(boundaryPolicies.stream().map(PolicyEvaluatorTest::boundary).toList()).build());
        assertNeverWider(without, with);
    }

    private static void assertNeverWider(Decision without, Decision with) {
        if (with.isAllowed()) {
            assertThat(without.decision()).isEqualTo(EvalDecision.ALLOWED);
        }
        if (without.decision() == EvalDecision.EXPLICIT_DENY) {
            assertThat(with.decision()).isEqualTo(EvalDecision.EXPLICIT_DENY);
        }
    }

    @Provide
    Arbitrary<Integer> matchingDenyPlacement() {
        return Arbitraries.integers().between(0, 3);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> callers = Arbitraries.of(ALICE, SESSION, "arn:aws:sts::111122223333:federated-user/Carol",
                BOB_OTHER_ACCOUNT);
        Arbitrary<String> actions = Arbitraries.of("s3:GetObject", "s3:PutObject", "ec2:RunInstances");
        Arbitrary<String> resources = Arbitraries.of(BUCKET_OBJECT, "arn:aws:s3:::other/key");
        Arbitrary<Optional<String>> resourceStatements = Combinators.combine(
                        Arbitraries.of("Allow", "Deny"),
                        Arbitraries.of("\"*\"", "{\"AWS\":\"111122223333\"}", "{\"AWS\":\"" + ALICE + "\"}",
                                "{\"AWS\":\"" + ROLE + "\"}", "{\"AWS\":\"" + SESSION + "\"}",
                                "{\"AWS\":\"444455556666\"}"),
                        actionPatterns(), resourcePatterns())
                .as(PolicyEvaluatorTest::resourcePolicy)
                .optional();
        return Combinators.combine(callers, actions, resources, Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        policies(), resourceStatements)
                .as(Scenario::new);
    }

    @Provide
    Arbitrary<List<String>> policies() {
        Arbitrary<String> statements = Combinators.combine(Arbitraries.of("Allow", "Allow", "Deny"), actionPatterns(),
                        resourcePatterns(), Arbitraries.of("", ",\"Condition\":{\"StringEquals\":"
                                + "{\"aws:PrincipalTag/team\":\"blue\"}}", ",\"Condition\":{\"StringNotEquals\":"
                                + "{\"aws:PrincipalTag/team\":\"blue\"}}"))
                .as((effect, action, resource, condition) -> "{\"Effect\":\"" + effect + "\",\"Action\":\""
                        + action + "\",\"Resource\":\"" + resource + "\"" + condition + "}");
        return statements.list().ofMinSize(1).ofMaxSize(3)
                .map(list -> "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", list) + "]}")
                .list().ofMaxSize(3);
    }

    private static Arbitrary<String> actionPatterns() {
        return Arbitraries.of("*", "s3:*", "s3:Get*", "ec2:*", "s3:GetObject", "s3:PutObject");
    }

    private static Arbitrary<String> resourcePatterns() {
        return Arbitraries.of("*", "arn:aws:s3:::bucket/*", "arn:aws:s3:::other/*", "arn:aws:s3:::*");
    }
}
