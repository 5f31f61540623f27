package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;

/**
 * The IAM users, roles and managed policies behind verified callers, as {@link SessionAuthorizer} needs them. The
 * embedding service implements it over its (cached) identity store: every authorization reads it, so each method
 * should answer from memory.
 *
 * <p>Users and roles are found by unique id, never by name: a session of a role deleted and created again under the
 * same name must not inherit the new role's permissions.
 */
public interface PrincipalDirectory {

    /** The role with this unique id ({@code AROA…}), while it exists. */
    Optional<Principal> role(String roleId);

    /** The IAM user with this unique id ({@code AIDA…}), while it exists. */
    Optional<Principal> user(String userId);

    /**
     * The identity policies of a role (its inline and attached policies) or of a user (its own, then those of each of
     * its groups), compiled and labelled as the policy simulator names them.
     */
    List<LabeledPolicy> identityPolicies(Principal principal);

    /** The managed policy an ARN names (customer managed, or AWS managed), with the document of its default version. */
    Optional<ManagedPolicy> managedPolicy(String policyArn);

    /**
     * Compiles a document that was validated when it was stored or sealed into a session token — a managed policy's
     * version, a session policy. Implementations cache: documents arrive as text on every request.
     *
     * @throws RuntimeException if it no longer parses; the authorization then fails rather than skip a Deny
     */
    Policy compile(String document, PolicyType type);

    /** Whether a principal is a role or an IAM user. */
    enum Kind {
        ROLE, USER
    }

    /**
     * A role or an IAM user.
     *
     * @param uniqueId the role's {@code AROA…} or the user's {@code AIDA…} id
     * @param permissionsBoundaryArn the managed policy set as its permissions boundary, if any
     * @param tags its tags, in order (keys are unique regardless of case, as IAM keeps them)
     */
    record Principal(Kind kind, String accountId, String arn, String uniqueId, Optional<String> permissionsBoundaryArn,
            Map<String, String> tags) {
        public Principal {
            requireNonNull(kind, "kind");
            requireNonNull(accountId, "accountId");
            requireNonNull(arn, "arn");
            requireNonNull(uniqueId, "uniqueId");
            requireNonNull(permissionsBoundaryArn, "permissionsBoundaryArn");
            // Most principals have no tags, and one is made for every request.
            tags = tags.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        }
    }

    /** A managed policy and the document of its default version. */
    record ManagedPolicy(String arn, String name, String defaultVersionDocument) {
        public ManagedPolicy {
            requireNonNull(arn, "arn");
            requireNonNull(name, "name");
            requireNonNull(defaultVersionDocument, "defaultVersionDocument");
        }
    }
}
