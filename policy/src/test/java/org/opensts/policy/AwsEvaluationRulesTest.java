package org.opensts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.policy.testing.EvaluationRuleCases;
import org.opensts.policy.testing.EvaluationRuleCases.Case;

/**
 * The table of AWS evaluation rules ({@link EvaluationRuleCases}) run straight through the engine, with the inputs
 * mapped as the policy simulator maps them. The same table runs through {@code SimulateCustomPolicy} over HTTP in the
 * server's tests, so the engine and the simulator answer alike.
 */
class AwsEvaluationRulesTest {
    private static final PolicyEvaluator EVALUATOR = new PolicyEvaluator();

    static List<Case> cases() {
        return EvaluationRuleCases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluate_decidesAsAwsDocuments(Case c) throws MalformedPolicyException {
        Decision decision = EVALUATOR.evaluate(request(c));

        assertThat(decision.decision().wireName()).as(c.page()).isEqualTo(c.expected());
    }

    @Test
    void table_namesAnAwsPageForEveryCase_andCoversEveryDecision() {
        List<Case> cases = cases();

        assertThat(cases).allSatisfy(c -> assertThat(c.page()).contains("https://docs.aws.amazon.com/"));
        assertThat(cases).extracting(Case::expected).contains("allowed", "implicitDeny", "explicitDeny");
        assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
    }

    private static AuthorizationRequest request(Case c) throws MalformedPolicyException {
        RequestPrincipal principal = RequestPrincipal.fromArn(c.caller());
        var context = RequestContext.builder().principal(principal);
        c.context().forEach(context::put);
        var builder = AuthorizationRequest.builder(principal, c.action(), c.resource())
                .context(context.build())
                .identityPolicies(labeled("PolicyInputList", c.identity(), PolicyType.IDENTITY))
                .resourceIsPattern(EVALUATOR.actionCatalog().namesSetOfResources(c.action(), c.resource()));
        Optional<String> owner = c.resourceOwner().or(principal::accountId);
        owner.ifPresent(builder::resourceAccount);
        if (c.boundary().isPresent()) {
            builder.permissionsBoundary(labeled("PermissionsBoundaryPolicyInputList", c.boundary().get(),
                    PolicyType.PERMISSIONS_BOUNDARY));
        }
        if (c.resourcePolicy().isPresent()) {
            builder.resourcePolicy(LabeledPolicy.of("ResourcePolicy", SourcePolicyType.RESOURCE,
                    Policy.parse(c.resourcePolicy().get(), PolicyType.SIMULATED_RESOURCE)));
        }
        for (List<String> level : c.serviceControlPolicies()) {
            builder.serviceControlPolicyLevel(labeled("ServiceControlPolicyInputList", level,
                    PolicyType.SERVICE_CONTROL));
        }
        return builder.build();
    }

    private static List<LabeledPolicy> labeled(String prefix, List<String> documents, PolicyType type)
            throws MalformedPolicyException {
        var labeled = new ArrayList<LabeledPolicy>();
        for (int i = 0; i < documents.size(); i++) {
            labeled.add(LabeledPolicy.of(prefix + "." + (i + 1), SourcePolicyType.NONE,
                    Policy.parse(documents.get(i), type)));
        }
        return labeled;
    }
}
