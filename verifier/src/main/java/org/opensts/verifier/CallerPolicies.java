package org.opensts.verifier;

import java.util.List;
import java.util.Optional;
import org.opensts.policy.LabeledPolicy;

/**
 * The policies that speak for a caller, as {@link org.opensts.policy.AuthorizationRequest} takes them, and the unique
 * id of the user or role they come from while it exists (see {@link org.opensts.policy.RequestPrincipal#uniqueId()}).
 *
 * @param identity the role's or user's identity policies; for a federated user those of the issuing user
 * @param boundary the permissions boundary, when one applies (present and empty: one that allows nothing)
 * @param session the session policies, when any apply (present and empty: a federated user without one)
 */
public record CallerPolicies(List<LabeledPolicy> identity, Optional<List<LabeledPolicy>> boundary,
        Optional<List<LabeledPolicy>> session, Optional<String> uniqueId) {
    public CallerPolicies {
        identity = List.copyOf(identity);
        boundary = boundary.map(List::copyOf);
        session = session.map(List::copyOf);
        java.util.Objects.requireNonNull(uniqueId, "uniqueId");
    }
}
