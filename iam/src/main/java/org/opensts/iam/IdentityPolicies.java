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
        return labeled(PolicyOwner.of(user), user.userName());
    }

    public List<LabeledPolicy> ofGroup(Group group) {
        return labeled(PolicyOwner.of(group), group.groupName());
    }

    public List<LabeledPolicy> ofRole(Role role) {
        return labeled(PolicyOwner.of(role), role.roleName());
    }

    /**
     * The policies {@link #ofUser}, {@link #ofGroup} or {@link #ofRole} gives for the user, group or role
     * {@code owner} is, in the same order, each with the entity an inline one is embedded in: its label alone cannot
     * say, since names may hold the underscores that join it.
     */
    public List<Held> held(PolicyOwner owner, String ownerName) {
        var held = new ArrayList<Held>();
        addPolicies(owner, ownerName, (policy, ownerKind, holderName, inlineName) -> held.add(new Held(policy,
                Optional.ofNullable(inlineName).map(name -> new InlineOrigin(ownerKind, holderName, name)))));
        return held;
    }

    /** A policy of an identity, and for an inline policy the entity that holds it. */
    public record Held(LabeledPolicy policy, Optional<InlineOrigin> inline) {
    }

    /** Where an inline policy is embedded: the kind and name of its user, group or role, and its own name. */
    public record InlineOrigin(PolicyOwner.Kind ownerKind, String ownerName, String policyName) {
    }

    /**
     * Takes the policies as they are found. Request authorization reads them on every call and needs only the policy,
     * so where an inline one is embedded comes in parts, to be made an {@link InlineOrigin} only by {@link #held}.
     */
    private interface PolicySink {
        /**
         * @param inlineName the inline policy's own name, embedded in the {@code ownerKind} {@code ownerName}; null for
         *     a managed policy
         */
        void add(LabeledPolicy policy, PolicyOwner.Kind ownerKind, String ownerName, String inlineName);
    }

    private List<LabeledPolicy> labeled(PolicyOwner owner, String ownerName) {
        var labeled = new ArrayList<LabeledPolicy>();
        addPolicies(owner, ownerName, (policy, ownerKind, holderName, inlineName) -> labeled.add(policy));
        return labeled;
    }

    /** The owner's own inline and managed policies, then, for a user, those of each of its groups. */
    private void addPolicies(PolicyOwner owner, String ownerName, PolicySink sink) {
        addOwnerPolicies(owner, ownerName, sink);
        if (owner.kind() == PolicyOwner.Kind.USER) {
            for (Group group : identities.listGroupsForUser(owner.ownerId())) {
                addOwnerPolicies(PolicyOwner.of(group), group.groupName(), sink);
            }
        }
    }

    private void addOwnerPolicies(PolicyOwner owner, String ownerName, PolicySink sink) {
        SourcePolicyType inlineType;
        String inlinePrefix;
        switch (owner.kind()) {
            case USER -> {
                inlineType = SourcePolicyType.USER;
                inlinePrefix = "user_" + ownerName + "_";
            }
            case GROUP -> {
                inlineType = SourcePolicyType.GROUP;
                inlinePrefix = "group_" + ownerName + "_";
            }
            default -> {
                inlineType = SourcePolicyType.ROLE;
                inlinePrefix = "role_" + ownerName + "_";
            }
        }
        for (InlinePolicy inline : identities.listInlinePolicies(owner)) {
            sink.add(LabeledPolicy.of(inlinePrefix + inline.policyName(), inlineType,
                    policies.stored(inline.policyDocument(), PolicyType.IDENTITY)), owner.kind(), ownerName,
                    inline.policyName());
        }
        for (ManagedPolicy managed : identities.listAttachedPolicies(owner)) {
            defaultVersionDocument(managed).ifPresent(document -> sink.add(LabeledPolicy.of(managed.policyName(),
                    sourceType(managed), policies.stored(document, PolicyType.IDENTITY)), owner.kind(), ownerName,
                    null));
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
