package org.opensts.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opensts.policy.EvaluationCost;
import org.opensts.policy.LabeledPolicy;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * A bound on the work of one simulator call, checked before any evaluation, so that one caller cannot hold a core
 * for long however large the call: every input is caller-supplied, and the policy simulator is open to any caller
 * with read-only IAM access. The estimate is {@link EvaluationCost}'s for one evaluation, times the evaluations of the
 * page asked for; a legitimate simulation over the budget can ask for fewer results per page with {@code MaxItems}.
 */
final class SimulationCost {
    private SimulationCost() {
    }

    /**
     * @param evaluations the (action, resource) pairs the page will evaluate
     * @param contextCharacters the characters of every context value, the caller's and resources' ARNs included
     * @param requestCharacters the characters of the longest action and resource and of the caller's ARN
     * @throws ApiException {@code InvalidInput} if the estimate is over {@link EvaluationCost#MAX_UNITS}
     */
    static void check(int evaluations, List<LabeledPolicy> identity, Optional<List<LabeledPolicy>> boundary,
            List<List<LabeledPolicy>> organization, Optional<LabeledPolicy> resourcePolicy, long contextCharacters,
            long requestCharacters) {
        List<LabeledPolicy> policies = all(identity, boundary, organization, resourcePolicy);
        long units = EvaluationCost.saturatedMultiply(evaluations,
                EvaluationCost.ofOneEvaluation(policies, contextCharacters, requestCharacters));
        if (units > EvaluationCost.MAX_UNITS) {
            long policyCharacters = policies.stream().mapToLong(policy -> policy.policy().document().length()).sum();
            throw new ApiException(ErrorCode.INVALID_INPUT, "The simulation is too large for one call: " + evaluations
                    + " evaluations of policies of " + policyCharacters + " characters with context values of "
                    + contextCharacters + " characters. Request fewer results per page with MaxItems, or simulate "
                    + "fewer actions, resources or context values.");
        }
    }

    private static List<LabeledPolicy> all(List<LabeledPolicy> identity, Optional<List<LabeledPolicy>> boundary,
            List<List<LabeledPolicy>> organization, Optional<LabeledPolicy> resourcePolicy) {
        var all = new ArrayList<>(identity);
        boundary.ifPresent(all::addAll);
        organization.forEach(all::addAll);
        resourcePolicy.ifPresent(all::add);
        return all;
    }
}
