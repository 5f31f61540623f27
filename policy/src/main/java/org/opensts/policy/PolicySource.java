package org.opensts.policy;

import static java.util.Objects.requireNonNull;

/**
 * Which policy a statement came from: {@code id} is what the simulator reports as {@code SourcePolicyId}
 * (an inline policy's name, a managed policy's ARN, or {@code PolicyInputList.1}), and {@code type} its
 * {@code SourcePolicyType}.
 */
public record PolicySource(String id, SourcePolicyType type) {
    public PolicySource {
        requireNonNull(id, "id");
        requireNonNull(type, "type");
    }
}
