package org.opensts.policy;

import static java.util.Objects.requireNonNull;

/** A compiled policy together with where it came from, so that a decision can name its statements. */
public record LabeledPolicy(PolicySource source, Policy policy) {
    public LabeledPolicy {
        requireNonNull(source, "source");
        requireNonNull(policy, "policy");
    }

    /** Labels {@code policy} with {@code id} and {@code type}. */
    public static LabeledPolicy of(String id, SourcePolicyType type, Policy policy) {
        return new LabeledPolicy(new PolicySource(id, type), policy);
    }
}
