package org.opensts.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyStatement;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * A bound on the work of one simulator call, checked before any evaluation, so that one caller cannot hold a core
 * for long however large the call: every input is caller-supplied, and the policy simulator is open to any caller
 * with read-only IAM access.
 *
 * <p>Design note: pattern matching is linear, or nearly so, in pattern + value ({@code Wildcard}), so one evaluation
 * costs at most about the policies' length plus, for each condition value and each policy variable, the length of
 * the context values it may be compared with or replaced by. The estimate is that, times the evaluations of the page
 * asked for: {@code evaluations × (policy characters + weighted condition values × context characters)}. A condition
 * value longer than {@value #SHORT_PATTERN} characters holding {@code ?} weighs {@value #TRANSFORM_WEIGHT}: it is
 * matched by a number-theoretic transform that costs about that many times a plain comparison per character. The
 * budget, {@value #MAX_UNITS} units, is tens of milliseconds of one core for literal patterns and about a second at
 * most for the costliest ones ({@code WildcardBenchmark}: a 65,000-character segment holding {@code ?} against a
 * 1,000,000-character value, 0.65–0.9 s on a shared 2-core machine); a legitimate simulation over it can ask for
 * fewer results per page with {@code MaxItems}.
 */
final class SimulationCost {
    static final long MAX_UNITS = 1L << 26;
    static final int SHORT_PATTERN = 32;
    static final int TRANSFORM_WEIGHT = 64;

    private SimulationCost() {
    }

    /**
     * @param evaluations the (action, resource) pairs the page will evaluate
     * @param contextCharacters the characters of every context value, the caller's and resources' ARNs included
     * @throws ApiException {@code InvalidInput} if the estimate is over the budget
     */
    static void check(int evaluations, List<LabeledPolicy> identity, Optional<List<LabeledPolicy>> boundary,
            List<List<LabeledPolicy>> organization, Optional<LabeledPolicy> resourcePolicy, long contextCharacters) {
        long policyCharacters = 0;
        long conditionValues = 0;
        for (LabeledPolicy policy : all(identity, boundary, organization, resourcePolicy)) {
            policyCharacters += policy.policy().document().length();
            conditionValues += weightedConditionValues(policy.policy());
        }
        long units = Math.multiplyExact((long) evaluations,
                policyCharacters + Math.multiplyExact(conditionValues, contextCharacters + 1));
        if (units > MAX_UNITS) {
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

    /** The condition values of a policy, each weighted by how it is matched, plus its policy variables. */
    static long weightedConditionValues(Policy policy) {
        long weighted = 0;
        for (PolicyStatement statement : policy.statements()) {
            for (Map<String, List<String>> byKey : statement.conditions().values()) {
                for (List<String> values : byKey.values()) {
                    for (String value : values) {
                        weighted += value.length() > SHORT_PATTERN && value.indexOf('?') >= 0 ? TRANSFORM_WEIGHT : 1;
                    }
                }
            }
        }
        String document = policy.document();
        for (int at = document.indexOf("${"); at >= 0; at = document.indexOf("${", at + 2)) {
            weighted++;
        }
        return weighted;
    }
}
