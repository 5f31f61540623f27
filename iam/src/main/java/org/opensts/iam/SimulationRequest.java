package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.policy.ContextKeyType;

/**
 * The inputs SimulateCustomPolicy and SimulatePrincipalPolicy share: the policies to add, the actions and resources
 * to try, the resource's policy and owner, the simulated caller, the request's context keys, and the service control
 * policies of the caller's organization ({@code OrderedOrganizationPolicyInputList}: one list of documents per level
 * of the organization, root first), and the stored policies to leave out ({@code PolicyExclusionList}, which only
 * SimulatePrincipalPolicy takes).
 */
public record SimulationRequest(List<String> policyInputList, List<String> permissionsBoundaryPolicyInputList,
        List<String> actionNames, List<String> resourceArns, Optional<String> resourcePolicy,
        Optional<String> resourceOwner, Optional<String> callerArn, List<ContextEntry> contextEntries,
        List<List<String>> serviceControlPolicyLevels, List<PolicyExclusion> policyExclusions) {
    public SimulationRequest {
        policyInputList = List.copyOf(policyInputList);
        permissionsBoundaryPolicyInputList = List.copyOf(permissionsBoundaryPolicyInputList);
        actionNames = List.copyOf(actionNames);
        resourceArns = List.copyOf(resourceArns);
        requireNonNull(resourcePolicy, "resourcePolicy");
        requireNonNull(resourceOwner, "resourceOwner");
        requireNonNull(callerArn, "callerArn");
        contextEntries = List.copyOf(contextEntries);
        serviceControlPolicyLevels = serviceControlPolicyLevels.stream().map(List::copyOf).toList();
        policyExclusions = List.copyOf(policyExclusions);
    }

    /** A simulation that excludes none of the principal's policies. */
    public SimulationRequest(List<String> policyInputList, List<String> permissionsBoundaryPolicyInputList,
            List<String> actionNames, List<String> resourceArns, Optional<String> resourcePolicy,
            Optional<String> resourceOwner, Optional<String> callerArn, List<ContextEntry> contextEntries,
            List<List<String>> serviceControlPolicyLevels) {
        this(policyInputList, permissionsBoundaryPolicyInputList, actionNames, resourceArns, resourcePolicy,
                resourceOwner, callerArn, contextEntries, serviceControlPolicyLevels, List.of());
    }

    /** A simulation outside any organization. */
    public SimulationRequest(List<String> policyInputList, List<String> permissionsBoundaryPolicyInputList,
            List<String> actionNames, List<String> resourceArns, Optional<String> resourcePolicy,
            Optional<String> resourceOwner, Optional<String> callerArn, List<ContextEntry> contextEntries) {
        this(policyInputList, permissionsBoundaryPolicyInputList, actionNames, resourceArns, resourcePolicy,
                resourceOwner, callerArn, contextEntries, List.of(), List.of());
    }

    /** One {@code ContextEntry}: a key, its values, and how to read them. */
    public record ContextEntry(String key, List<String> values, Optional<ContextKeyType> type) {
        public ContextEntry {
            requireNonNull(key, "key");
            values = List.copyOf(values);
            requireNonNull(type, "type");
        }
    }
}
