package org.opensts.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.PolicyType;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.Arn;

/**
 * The policies that speak for an identity, compiled and labelled as the policy simulator reports them: a user's
 * inline and attached policies and those of its groups, a group's, a role's, and permissions boundaries. Request
 * authorization and the simulator both read them here, so both see the same policies.
 */
public final class IdentityPolicies {
    private final IdentityReader identities;
    private final PolicyCache policies;

    public IdentityPolicies(IdentityReader identities, PolicyCache policies) {
        this.identities = identities;
        this.policies = policies;
    }

    public PolicyCache cache() {
        return policies;
    }

    /**
     * A user's own inline and managed policies, then those of each of its groups.
     *
     * <p>Each is labelled as the IAM policy simulator names it in AWS's real responses: a managed policy by its name,
     * an inline policy as {@code user_NAME_POLICY}, {@code group_NAME_POLICY} or {@code role_NAME_POLICY}.
     */
    public List<LabeledPolicy> ofUser(User user) {
        var labeled = new ArrayList<LabeledPolicy>();
        addOwnerPolicies(PolicyOwner.of(user), "user_" + user.userName(), SourcePolicyType.USER, labeled);
        for (Group group : identities.listGroupsForUser(user.userId())) {
            addOwnerPolicies(PolicyOwner.of(group), "group_" + group.groupName(), SourcePolicyType.GROUP, labeled);
        }
        return labeled;
    }

    public List<LabeledPolicy> ofGroup(Group group) {
        var labeled = new ArrayList<LabeledPolicy>();
        addOwnerPolicies(PolicyOwner.of(group), "group_" + group.groupName(), SourcePolicyType.GROUP, labeled);
        return labeled;
    }

    public List<LabeledPolicy> ofRole(Role role) {
        var labeled = new ArrayList<LabeledPolicy>();
        addOwnerPolicies(PolicyOwner.of(role), "role_" + role.roleName(), SourcePolicyType.ROLE, labeled);
        return labeled;
    }

    private void addOwnerPolicies(PolicyOwner owner, String inlinePrefix, SourcePolicyType inlineType,
            List<LabeledPolicy> labeled) {
        for (InlinePolicy inline : identities.listInlinePolicies(owner)) {
            labeled.add(LabeledPolicy.of(inlinePrefix + "_" + inline.policyName(), inlineType,
                    policies.stored(inline.policyDocument(), PolicyType.IDENTITY)));
        }
        for (ManagedPolicy managed : identities.listAttachedPolicies(owner)) {
            defaultVersionDocument(managed).ifPresent(document -> labeled.add(LabeledPolicy.of(managed.policyName(),
                    sourceType(managed), policies.stored(document, PolicyType.IDENTITY))));
        }
    }

    /**
     * A permissions boundary, if the identity has one, labelled with the policy's name. A boundary that no longer
     * resolves allows nothing: IAM does not let a policy in use as a boundary be deleted, and failing closed is the
     * safe reading if one ever goes missing.
     */
    public Optional<List<LabeledPolicy>> boundary(Optional<String> boundaryArn) {
        return boundaryArn.map(arn -> managedPolicy(arn)
                .flatMap(managed -> defaultVersionDocument(managed).map(document -> List.of(LabeledPolicy.of(
                        managed.policyName(), SourcePolicyType.PERMISSIONS_BOUNDARY,
                        policies.stored(document, PolicyType.PERMISSIONS_BOUNDARY)))))
                .orElse(List.of()));
    }

    /** The managed policy an ARN names (customer managed, or AWS managed under {@code arn:aws:iam::aws:policy/}). */
    public Optional<ManagedPolicy> managedPolicy(String policyArn) {
        return Arn.tryParse(policyArn)
                .filter(arn -> arn.service().equals("iam") && arn.resourceType().equals("policy"))
                .flatMap(arn -> identities.findManagedPolicy(arn.accountId(), arn.resourceName()))
                .filter(managed -> managed.arn().equals(policyArn));
    }

    /** The document of the version in force. */
    public Optional<String> defaultVersionDocument(ManagedPolicy managed) {
        return identities.findPolicyVersion(managed.policyId(), managed.defaultVersionId())
                .map(PolicyVersion::document);
    }

    private static SourcePolicyType sourceType(ManagedPolicy managed) {
        return managed.isAwsManaged() ? SourcePolicyType.AWS_MANAGED : SourcePolicyType.USER_MANAGED;
    }
}
