package org.opensts.sts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IdentityPolicies;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Tag;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.verifier.PrincipalDirectory;

/**
 * The verifier's view of the node's identity store: users and roles by unique id, their policies as
 * {@link IdentityPolicies} gathers them (the policy simulator reads the same), managed policies, and documents
 * compiled once by {@link PolicyCache}. Reads go through the node's cached store, which the change feed keeps fresh
 * across nodes.
 */
public final class IamPrincipalDirectory implements PrincipalDirectory {
    private final IdentityReader identities;
    private final IdentityPolicies policies;

    public IamPrincipalDirectory(IdentityReader identities, IdentityPolicies policies) {
        this.identities = identities;
        this.policies = policies;
    }

    @Override
    public Optional<Principal> role(String roleId) {
        return identities.findRoleById(roleId).map(role -> new Principal(Kind.ROLE, role.accountId(), role.arn(),
                role.roleId(), role.permissionsBoundaryArn(), tags(role.tags())));
    }

    @Override
    public Optional<Principal> user(String userId) {
        return identities.findUserById(userId).map(user -> new Principal(Kind.USER, user.accountId(), user.arn(),
                user.userId(), user.permissionsBoundaryArn(), tags(user.tags())));
    }

    @Override
    public List<LabeledPolicy> identityPolicies(Principal principal) {
        return switch (principal.kind()) {
            case ROLE -> identities.findRoleById(principal.uniqueId()).map(policies::ofRole).orElse(List.of());
            case USER -> identities.findUserById(principal.uniqueId()).map(policies::ofUser).orElse(List.of());
        };
    }

    @Override
    public Optional<ManagedPolicy> managedPolicy(String policyArn) {
        return policies.managedPolicy(policyArn).flatMap(managed -> policies.defaultVersionDocument(managed)
                .map(document -> new ManagedPolicy(managed.arn(), managed.policyName(), document)));
    }

    @Override
    public Policy compile(String document, PolicyType type) {
        return policies.cache().stored(document, type);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        if (tags.isEmpty()) {
            return Map.of();
        }
        var map = new LinkedHashMap<String, String>();
        tags.forEach(tag -> map.put(tag.key(), tag.value()));
        return map;
    }
}
