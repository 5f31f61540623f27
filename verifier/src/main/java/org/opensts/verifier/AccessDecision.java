package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;

/**
 * The answer to an {@link AccessRequest}.
 *
 * @param decision the policy engine's decision, with the statements that decided it
 * @param reasons the decision explained in sentences, for logs and the authorization API
 * @param encodedMessage for a refusal, the encoded authorization message a service returns with its
 *     {@code AccessDenied} (decoded by {@code sts:DecodeAuthorizationMessage}); empty when allowed
 */
public record AccessDecision(Decision decision, List<String> reasons, Optional<String> encodedMessage) {
    public AccessDecision {
        requireNonNull(decision, "decision");
        reasons = List.copyOf(reasons);
        requireNonNull(encodedMessage, "encodedMessage");
    }

    /** Whether the action is allowed. */
    public boolean allowed() {
        return decision.decision() == EvalDecision.ALLOWED;
    }
}
