package org.opensts.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opensts.policy.AuthorizationRequest;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.policy.SourcePolicyType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Evaluating a request of a realistic role session: four identity policies (16 statements with wildcards, policy
 * variables, string, IP, date, boolean and set-qualified conditions), a permissions boundary and a session policy.
 * One request is allowed, one is denied by an explicit {@code Deny}. The baseline, measured in the same run, is
 * the same caller evaluated against a single allow-all statement, so the ratio is the cost of the policies
 * themselves rather than of the evaluator's fixed work.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar PolicyEvaluationBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PolicyEvaluationBenchmark {
    private static final String ACCOUNT = "111122223333";
    private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/DataEngineer";
    private static final String SESSION = "arn:aws:sts::" + ACCOUNT + ":assumed-role/DataEngineer/alice";

    // The role's policies are package-visible: ResourceRequestBenchmark authorizes requests of the same role.
    static final String S3_HOME = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "ListOwnPrefix", "Effect": "Allow", "Action": "s3:ListBucket",
               "Resource": "arn:aws:s3:::data-lake",
               "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:PrincipalTag/user}/*"]}}},
              {"Sid": "OwnObjects", "Effect": "Allow", "Action": ["s3:GetObject*", "s3:PutObject*", "s3:DeleteObject"],
               "Resource": "arn:aws:s3:::data-lake/home/${aws:PrincipalTag/user}/*"},
              {"Sid": "SharedRead", "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
               "Resource": ["arn:aws:s3:::data-lake/shared/*", "arn:aws:s3:::reference-*/*"],
               "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["analytics", "data"]}}},
              {"Sid": "TaggedWrites", "Effect": "Allow", "Action": "s3:PutObjectTagging",
               "Resource": "arn:aws:s3:::data-lake/*",
               "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["project", "owner", "cost-center"]}}}
            ]}""";
    static final String COMPUTE = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Describe", "Effect": "Allow", "Action": ["ec2:Describe*", "ecs:Describe*", "ecs:List*"],
               "Resource": "*"},
              {"Sid": "RunInRegion", "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:StartInstances"],
               "Resource": "arn:aws:ec2:*:111122223333:*",
               "Condition": {"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]},
                             "StringLikeIfExists": {"ec2:InstanceType": ["t3.*", "m6i.*"]}}},
              {"Sid": "PassOwnRoles", "Effect": "Allow", "Action": "iam:PassRole",
               "Resource": "arn:aws:iam::111122223333:role/service/*"}
            ]}""";
    static final String GUARDRAILS = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "NoIamWrites", "Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*", "iam:PassRole"],
               "Resource": "arn:aws:iam::*:*"},
              {"Sid": "CorporateNetwork", "Effect": "Deny", "Action": "*", "Resource": "*",
               "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24", "2001:db8::/32"]},
                             "Bool": {"aws:ViaAWSService": "false"}}},
              {"Sid": "RevokeOldSessions", "Effect": "Deny", "Action": "*", "Resource": "*",
               "Condition": {"DateLessThan": {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"}}},
              {"Sid": "SecureTransport", "Effect": "Deny", "Action": "s3:*", "Resource": "*",
               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            ]}""";
    static final String ANALYTICS = """
            {"Version": "2012-10-17", "Statement": [
              {"Sid": "Athena", "Effect": "Allow", "Action": ["athena:*", "glue:Get*", "glue:BatchGet*"],
               "Resource": "*"},
              {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
               "Resource": "arn:aws:logs:*:111122223333:log-group:/analytics/*"},
              {"Sid": "Kms", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
               "Resource": "arn:aws:kms:eu-west-1:111122223333:key/*",
               "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}
            ]}""";
    static final String BOUNDARY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:*", "ec2:*", "ecs:*", "athena:*", "glue:*", "logs:*", "kms:*",
                                             "iam:Get*", "iam:List*", "iam:PassRole"], "Resource": "*"},
              {"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::audit-*"}
            ]}""";
    private static final String SESSION_POLICY = """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["s3:*", "athena:*", "glue:*", "ec2:Describe*", "iam:*"],
               "Resource": "*"}
            ]}""";
    private static final String ALLOW_ALL = """
            {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}""";

    private final PolicyEvaluator evaluator = new PolicyEvaluator();
    private AuthorizationRequest allowedRequest;
    private AuthorizationRequest deniedRequest;
    private AuthorizationRequest baselineRequest;

    @Setup
    public void setUp() throws MalformedPolicyException {
        var principal = RequestPrincipal.assumedRole(SESSION, ROLE).withUserId("AROAEXAMPLEID:alice");
        RequestContext context = RequestContext.builder()
                .principal(principal)
                .put("aws:PrincipalTag/user", "alice")
                .put("aws:PrincipalTag/team", "analytics")
                .put("aws:SourceIp", "203.0.113.42")
                .put("aws:SecureTransport", "true")
                .put("aws:ViaAWSService", "false")
                .put("aws:TokenIssueTime", "2025-06-01T08:00:00Z")
                .put("aws:CurrentTime", "2025-06-01T09:30:00Z")
                .put("aws:RequestedRegion", "eu-west-1")
                .put("aws:MultiFactorAuthPresent", "true")
                .build();
        List<LabeledPolicy> identity = List.of(
                labeled("S3Home", SourcePolicyType.ROLE, S3_HOME, PolicyType.IDENTITY),
                labeled("arn:aws:iam::111122223333:policy/Compute", SourcePolicyType.USER_MANAGED, COMPUTE,
                        PolicyType.IDENTITY),
                labeled("arn:aws:iam::111122223333:policy/Guardrails", SourcePolicyType.USER_MANAGED, GUARDRAILS,
                        PolicyType.IDENTITY),
                labeled("arn:aws:iam::111122223333:policy/Analytics", SourcePolicyType.USER_MANAGED, ANALYTICS,
                        PolicyType.IDENTITY));
        List<LabeledPolicy> boundary = List.of(labeled("arn:aws:iam::111122223333:policy/Boundary",
                SourcePolicyType.USER_MANAGED, BOUNDARY, PolicyType.PERMISSIONS_BOUNDARY));
        List<LabeledPolicy> session = List.of(labeled("SessionPolicy", SourcePolicyType.NONE, SESSION_POLICY,
                PolicyType.SESSION));

        allowedRequest = AuthorizationRequest.builder(principal, "s3:GetObject",
                        "arn:aws:s3:::data-lake/home/alice/2025/06/report.parquet")
                .context(context).identityPolicies(identity).permissionsBoundary(boundary).sessionPolicies(session)
                .build();
        deniedRequest = AuthorizationRequest.builder(principal, "iam:CreateUser",
                        "arn:aws:iam::111122223333:user/mallory")
                .context(context).identityPolicies(identity).permissionsBoundary(boundary).sessionPolicies(session)
                .build();
        baselineRequest = AuthorizationRequest.builder(principal, "s3:GetObject",
                        "arn:aws:s3:::data-lake/home/alice/2025/06/report.parquet")
                .context(context)
                .identityPolicy(labeled("AllowAll", SourcePolicyType.ROLE, ALLOW_ALL, PolicyType.IDENTITY))
                .build();
        check(allowedRequest, EvalDecision.ALLOWED);
        check(deniedRequest, EvalDecision.EXPLICIT_DENY);
        check(baselineRequest, EvalDecision.ALLOWED);
    }

    private static LabeledPolicy labeled(String id, SourcePolicyType source, String json, PolicyType type)
            throws MalformedPolicyException {
        return LabeledPolicy.of(id, source, Policy.parse(json, type));
    }

    private void check(AuthorizationRequest request, EvalDecision expected) {
        EvalDecision actual = evaluator.evaluate(request).decision();
        if (actual != expected) {
            throw new IllegalStateException(request.action() + " should be " + expected + " but is " + actual);
        }
    }

    @Benchmark
    public Decision baselineAllowAll() {
        return evaluator.evaluate(baselineRequest);
    }

    @Benchmark
    public Decision realisticRoleAllowed() {
        return evaluator.evaluate(allowedRequest);
    }

    @Benchmark
    public Decision realisticRoleExplicitDeny() {
        return evaluator.evaluate(deniedRequest);
    }
}
