package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of GetAccountAuthorizationDetails: the account's users, groups, roles and managed policies, each with what
 * is attached to or embedded in it, and the {@code Marker} of the next page when there is one.
 */
public record AccountAuthorizationDetails(List<UserDetail> users, List<GroupDetail> groups, List<RoleDetail> roles,
        List<ManagedPolicyDetail> policies, Optional<String> marker) {
    public AccountAuthorizationDetails {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        requireNonNull(marker, "marker");
    }

    public boolean isTruncated() {
        return marker.isPresent();
    }

    /** A user, its inline policies, the groups it is in and the managed policies attached to it. */
    public record UserDetail(User user, List<InlinePolicy> inlinePolicies, List<Group> groups,
            List<ManagedPolicy> attachedPolicies) {
        public UserDetail {
            requireNonNull(user, "user");
            inlinePolicies = List.copyOf(inlinePolicies);
            groups = List.copyOf(groups);
            attachedPolicies = List.copyOf(attachedPolicies);
        }
    }

    /** A group, its inline policies and the managed policies attached to it. */
    public record GroupDetail(Group group, List<InlinePolicy> inlinePolicies, List<ManagedPolicy> attachedPolicies) {
        public GroupDetail {
            requireNonNull(group, "group");
            inlinePolicies = List.copyOf(inlinePolicies);
            attachedPolicies = List.copyOf(attachedPolicies);
        }
    }

    /**
     * A role with its trust policy as IAM shows it (see {@link RoleOperations#trustPolicyDocument}), the instance
     * profiles that hold it, its inline policies, the managed policies attached to it and when it was last used.
     */
    public record RoleDetail(Role role, String trustPolicyDocument, List<InstanceProfile> instanceProfiles,
            List<InlinePolicy> inlinePolicies, List<ManagedPolicy> attachedPolicies, Optional<RoleLastUsed> lastUsed) {
        public RoleDetail {
            requireNonNull(role, "role");
            requireNonNull(trustPolicyDocument, "trustPolicyDocument");
            instanceProfiles = List.copyOf(instanceProfiles);
            inlinePolicies = List.copyOf(inlinePolicies);
            attachedPolicies = List.copyOf(attachedPolicies);
            requireNonNull(lastUsed, "lastUsed");
        }
    }

    /** A managed policy, as the account sees its counts, with every version, newest first. */
    public record ManagedPolicyDetail(ManagedPolicy policy, List<PolicyVersion> versions) {
        public ManagedPolicyDetail {
            requireNonNull(policy, "policy");
            versions = List.copyOf(versions);
        }
    }
}
