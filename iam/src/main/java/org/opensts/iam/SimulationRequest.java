package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.policy.ContextKeyType;

/**
 * The inputs SimulateCustomPolicy and SimulatePrincipalPolicy share: the policies to add, the actions and resources
 * to try, the resource's policy and owner, the simulated caller, and the request's context keys.
 */
public record SimulationRequest(List<String> policyInputList, List<String> permissionsBoundaryPolicyInputList,
        List<String> actionNames, List<String> resourceArns, Optional<String> resourcePolicy,
        Optional<String> resourceOwner, Optional<String> callerArn, List<ContextEntry> contextEntries) {
    public SimulationRequest {
        policyInputList = List.copyOf(policyInputList);
        permissionsBoundaryPolicyInputList = List.copyOf(permissionsBoundaryPolicyInputList);
        actionNames = List.copyOf(actionNames);
        resourceArns = List.copyOf(resourceArns);
        requireNonNull(resourcePolicy, "resourcePolicy");
        requireNonNull(resourceOwner, "resourceOwner");
        requireNonNull(callerArn, "callerArn");
        contextEntries = List.copyOf(contextEntries);
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
