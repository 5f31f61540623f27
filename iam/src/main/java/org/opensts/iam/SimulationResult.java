package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.MatchedStatement;

/**
 * One {@code EvaluationResult} of the policy simulator: an action tried on a resource, the decision, and why.
 *
 * @param missingContextValues reported here when the resource is {@code *}; for a named resource they are in its
 *     {@link ResourceResult}, as AWS reports them
 * @param allowedByOrganizations the {@code OrganizationsDecisionDetail}: whether organization policies allow the
 *     action; empty when a {@code PolicyExclusionList} excludes them ({@code scp}), and the detail is then left out,
 *     as AWS answers
 * @param evalDecisionDetails for a cross-account simulation, the decision of each side; for one within the account,
 *     an empty map when a resource is named and nothing when the resource is {@code *}, as AWS answers
 */
public record SimulationResult(String actionName, String resourceName, EvalDecision decision,
        List<MatchedStatement> matchedStatements, Set<String> missingContextValues,
        Optional<Boolean> allowedByOrganizations, Optional<Boolean> allowedByPermissionsBoundary,
        Optional<Map<String, EvalDecision>> evalDecisionDetails, List<ResourceResult> resourceSpecificResults) {
    public SimulationResult {
        requireNonNull(actionName, "actionName");
        requireNonNull(resourceName, "resourceName");
        requireNonNull(decision, "decision");
        matchedStatements = List.copyOf(matchedStatements);
        missingContextValues = Set.copyOf(missingContextValues);
        requireNonNull(allowedByOrganizations, "allowedByOrganizations");
        requireNonNull(allowedByPermissionsBoundary, "allowedByPermissionsBoundary");
        requireNonNull(evalDecisionDetails, "evalDecisionDetails");
        resourceSpecificResults = List.copyOf(resourceSpecificResults);
    }

    /**
     * A {@code ResourceSpecificResult}; its {@code evalDecisionDetails} are there for a cross-account simulation only.
     */
    public record ResourceResult(String resourceName, EvalDecision decision, List<MatchedStatement> matchedStatements,
            Set<String> missingContextValues, Optional<Boolean> allowedByPermissionsBoundary,
            Optional<Map<String, EvalDecision>> evalDecisionDetails) {
        public ResourceResult {
            requireNonNull(resourceName, "resourceName");
            requireNonNull(decision, "decision");
            matchedStatements = List.copyOf(matchedStatements);
            missingContextValues = Set.copyOf(missingContextValues);
            requireNonNull(allowedByPermissionsBoundary, "allowedByPermissionsBoundary");
            requireNonNull(evalDecisionDetails, "evalDecisionDetails");
        }
    }
}
