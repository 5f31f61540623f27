package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** The input of CreatePolicy: a customer managed policy and its first version's document. */
public record CreatePolicyRequest(String policyName, Optional<String> path, String policyDocument,
        Optional<String> description, List<Tag> tags) {
    public CreatePolicyRequest {
        requireNonNull(policyName, "policyName");
        requireNonNull(path, "path");
        requireNonNull(policyDocument, "policyDocument");
        requireNonNull(description, "description");
        tags = List.copyOf(tags);
    }

    public static CreatePolicyRequest of(String policyName, String policyDocument) {
        return new CreatePolicyRequest(policyName, Optional.empty(), policyDocument, Optional.empty(), List.of());
    }
}
