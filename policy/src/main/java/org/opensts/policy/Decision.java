package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The answer to one {@link AuthorizationRequest}, with what the IAM policy simulator's
 * {@code EvaluationResult} reports about it.
 *
 * @param decision the outcome
 * @param matchedStatements the statements that decided it: every matching {@code Deny} for an explicit deny;
 *     the {@code Allow} statements that granted the request when allowed; none for an implicit deny
 * @param missingContextValues condition keys that a statement matching the action and resource referred to
 *     (in a condition or a policy variable) and the request context lacked
 * @param allowedByPermissionsBoundary present when a permissions boundary applies: whether it allows the
 *     request (an {@code Allow} matches and no {@code Deny} does) — {@code PermissionsBoundaryDecisionDetail}
 * @param crossAccount whether the resource's account differs from the caller's, which is when the simulator
 *     reports {@code EvalDecisionDetails}
 * @param identityPolicyDecision the caller's side alone: identity policies within the boundary and session
 *     policies
 * @param resourcePolicyDecision the resource policy alone, when there is one
 * @param allowedByOrganizations whether the service control policies allow the request (no level denies it and
 *     every level allows it); true when the caller belongs to no organization — {@code OrganizationsDecisionDetail}
 * @param refusedAsAwsOwned whether the request is an implicit deny only because it would change a resource that
 *     belongs to AWS (an AWS managed policy, a reserved role, an AWS managed key's alias): the policies alone would
 *     have allowed it. A service that refuses such changes itself answers with its own error instead
 * @param refusingPolicyType for a refusal, the kind of policy AWS names as its cause in an {@code AccessDenied}
 *     ("with an explicit deny in a session policy", "because no permissions boundary allows …"): for an explicit
 *     deny, the kind of a denying statement's policy; for an implicit deny, the first kind of policy that lacked an
 *     allow in the order of AWS's evaluation logic. Empty when allowed, and when no policy refused (a resource that
 *     belongs to AWS, the root user assuming a role)
 */
public record Decision(
        EvalDecision decision,
        List<MatchedStatement> matchedStatements,
        Set<String> missingContextValues,
        Optional<Boolean> allowedByPermissionsBoundary,
        boolean crossAccount,
        EvalDecision identityPolicyDecision,
        Optional<EvalDecision> resourcePolicyDecision,
        boolean allowedByOrganizations,
        boolean refusedAsAwsOwned,
        Optional<PolicyType> refusingPolicyType) {

    public Decision {
        requireNonNull(decision, "decision");
        matchedStatements = List.copyOf(matchedStatements);
        missingContextValues = java.util.Collections.unmodifiableSet(
                new java.util.LinkedHashSet<>(missingContextValues));
        requireNonNull(allowedByPermissionsBoundary, "allowedByPermissionsBoundary");
        requireNonNull(identityPolicyDecision, "identityPolicyDecision");
        requireNonNull(resourcePolicyDecision, "resourcePolicyDecision");
        requireNonNull(refusingPolicyType, "refusingPolicyType");
    }

    /** A decision that names no refusing policy, for callers that build decisions without one. */
    public Decision(EvalDecision decision, List<MatchedStatement> matchedStatements, Set<String> missingContextValues,
            Optional<Boolean> allowedByPermissionsBoundary, boolean crossAccount, EvalDecision identityPolicyDecision,
            Optional<EvalDecision> resourcePolicyDecision, boolean allowedByOrganizations,
            boolean refusedAsAwsOwned) {
        this(decision, matchedStatements, missingContextValues, allowedByPermissionsBoundary, crossAccount,
                identityPolicyDecision, resourcePolicyDecision, allowedByOrganizations, refusedAsAwsOwned,
                Optional.empty());
    }

    /** Whether the request is allowed. */
    public boolean isAllowed() {
        return decision == EvalDecision.ALLOWED;
    }
}
