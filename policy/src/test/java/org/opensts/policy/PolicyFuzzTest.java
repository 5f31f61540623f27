package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@link Policy#parse} against any document, of every {@link PolicyType}, and {@link PolicyEvaluator#evaluate} of
 * what parses, for a request whose action, resource and condition keys the fuzzer also chooses.
 *
 * <p>Invariants: parsing throws nothing but {@link MalformedPolicyException} (IAM's 400
 * {@code MalformedPolicyDocument}); evaluating a parsed policy throws nothing; an allowed request names only
 * {@code Allow} statements; and an explicit {@code Deny} of everything added beside the policy denies the request
 * whatever the policy says. Seeds in
 * {@code PolicyFuzzTestInputs/parseAndEvaluate_anyDocument_isMalformedOrADecision}.
 */
class PolicyFuzzTest {
    private static final String ACCOUNT = "123456789012";
    private static final List<RequestPrincipal> PRINCIPALS = List.of(
            RequestPrincipal.user("arn:aws:iam::" + ACCOUNT + ":user/division/alice"),
            RequestPrincipal.assumedRole("arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy/ci-1",
                    "arn:aws:iam::" + ACCOUNT + ":role/deploy"),
            RequestPrincipal.account("111122223333"),
            RequestPrincipal.webIdentity("token.actions.githubusercontent.com", Optional.empty()),
            RequestPrincipal.anonymous());
    private static final List<String> KEYS = List.of("aws:SourceIp", "aws:CurrentTime", "aws:EpochTime",
            "aws:MultiFactorAuthPresent", "aws:PrincipalTag/team", "aws:RequestTag/Project", "aws:TagKeys",
            "s3:prefix", "sts:ExternalId", "aws:username", "aws:SecureTransport", "aws:userid");
    private static final Policy DENY_EVERYTHING = parseOrThrow(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            PolicyType.IDENTITY);
    private static final Policy ALLOW_EVERYTHING = parseOrThrow(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}",
            PolicyType.IDENTITY);

    private final PolicyEvaluator evaluator = new PolicyEvaluator();

    @FuzzTest(maxDuration = "10s")
    void parseAndEvaluate_anyDocument_isMalformedOrADecision(FuzzedDataProvider data) {
        PolicyType type = data.pickValue(PolicyType.values());
        RequestPrincipal principal = data.pickValue(PRINCIPALS);
        int typeSeed = data.consumeInt(0, 255);
        // The text is the document, then NUL-separated the action, the resource and condition entries
        // ("key=value,value", or just values for a well-known key): the document comes first so that seeds read
        // as documents.
        String[] parts = data.consumeRemainingAsString().split("\u0000", -1);
        String document = parts[0];
        String action = parts.length > 1 ? parts[1] : "s3:GetObject";
        String resource = parts.length > 2 ? parts[2] : "arn:aws:s3:::bucket/alice/photo.jpg";
        var context = RequestContext.builder().principal(principal);
        for (int i = 3; i < Math.min(parts.length, 3 + 8); i++) {
            int equals = parts[i].indexOf('=');
            String key = equals < 0 ? KEYS.get((i - 3 + typeSeed) % KEYS.size()) : parts[i].substring(0, equals);
            List<String> values = List.of(parts[i].substring(equals + 1).split(",", -1));
            if ((typeSeed >> (i - 3) & 1) == 1) {
                context.put(key, ContextKeyType.values()[(typeSeed + i) % ContextKeyType.values().length], values);
            } else {
                context.put(key, values);
            }
        }

        Policy policy;
        try {
            policy = Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        var request = requestWith(policy, principal, action, resource, context.build(), /* denyAll= */ false);
        Decision decision = evaluator.evaluate(request);
        if (AwsResourceRules.isAlwaysAllowed(action.toLowerCase(Locale.ROOT))) {
            // GetCallerIdentity needs no permission, whatever any policy says (even a Deny): allowed, by no statement.
            assertThat(decision.decision()).isEqualTo(EvalDecision.ALLOWED);
            assertThat(evaluator.evaluate(requestWith(policy, principal, action, resource, context.build(),
                    /* denyAll= */ true)).decision()).isEqualTo(EvalDecision.ALLOWED);
            return;
        }
        if (decision.isAllowed()) {
            // An account's root user needs no identity policy in its own account: allowed by no statement, as on AWS.
            if (principal.type() != PrincipalType.ACCOUNT) {
                assertThat(decision.matchedStatements()).as("%s beside %s for %s: %s", decision, type, principal,
                        document).isNotEmpty();
            }
            assertThat(decision.matchedStatements())
                    .allSatisfy(matched -> assertThat(matched.effect()).isEqualTo(Effect.ALLOW));
        }
        Decision denied = evaluator.evaluate(
                requestWith(policy, principal, action, resource, context.build(), /* denyAll= */ true));
        assertThat(denied.decision()).as("an explicit Deny of everything beside %s", type)
                .isEqualTo(EvalDecision.EXPLICIT_DENY);
    }

    /** The request with {@code policy} where its type goes, beside identity policies that grant or deny all. */
    private static AuthorizationRequest requestWith(Policy policy, RequestPrincipal principal, String action,
            String resource, RequestContext context, boolean denyAll) {
        var builder = AuthorizationRequest.builder(principal, action, resource).context(context)
                .resourceAccount(ACCOUNT);
        var identity = new ArrayList<LabeledPolicy>();
        switch (policy.type()) {
            case IDENTITY -> identity.add(LabeledPolicy.of("PolicyInputList.1", SourcePolicyType.USER, policy));
            case SESSION -> builder.sessionPolicies(List.of(LabeledPolicy.of("SessionPolicy", SourcePolicyType.NONE,
                    policy)));
            case PERMISSIONS_BOUNDARY -> builder.permissionsBoundary(List.of(LabeledPolicy.of("Boundary",
                    SourcePolicyType.PERMISSIONS_BOUNDARY, policy)));
            case SERVICE_CONTROL -> builder.serviceControlPolicyLevel(List.of(LabeledPolicy.of("Scp",
                    SourcePolicyType.NONE, policy)));
            case RESOURCE, TRUST, SIMULATED_RESOURCE -> builder.resourcePolicy(LabeledPolicy.of("ResourcePolicy",
                    SourcePolicyType.RESOURCE, policy));
        }
        if (policy.type() != PolicyType.IDENTITY) {
            identity.add(LabeledPolicy.of("AllowAll", SourcePolicyType.USER, ALLOW_EVERYTHING));
        }
        if (denyAll) {
            identity.add(LabeledPolicy.of("DenyAll", SourcePolicyType.USER, DENY_EVERYTHING));
        }
        return builder.identityPolicies(identity).build();
    }

    private static Policy parseOrThrow(String json, PolicyType type) {
        try {
            return Policy.parse(json, type);
        } catch (MalformedPolicyException e) {
            throw new IllegalStateException(e);
        }
    }
}
