package org.opensts.verifier;

/**
 * Decides whether a verified caller may perform an action on a resource, by AWS's evaluation logic: the caller's
 * identity policies, limited by its permissions boundary and its session policies, combined with the resource's
 * policy by the same-account and cross-account rules (IAM User Guide, "Policy evaluation logic"). A session revoked
 * with a deny on {@code aws:TokenIssueTime} is refused like any other denial.
 */
public interface AccessAuthorizer {

    /**
     * The decision, with its explanation and, when refused, AWS's encoded authorization message.
     *
     * @throws EvaluationRefusedException if the request is not evaluated for what evaluating it would cost
     */
    AccessDecision authorize(AccessRequest request);

    /**
     * Decides one of the several decisions a request asks for (a DeleteObjects: one per key), its work counted in
     * {@code budget} with theirs; by default as a request of its own.
     *
     * @throws EvaluationRefusedException also when the request's decisions together would cost too much
     */
    default AccessDecision authorize(AccessRequest request, DecisionBudget budget) {
        return authorize(request);
    }
}
