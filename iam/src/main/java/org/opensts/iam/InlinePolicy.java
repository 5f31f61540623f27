package org.opensts.iam;

import static java.util.Objects.requireNonNull;

/** A policy embedded in one user, group or role, as its JSON text. */
public record InlinePolicy(String policyName, String policyDocument) {
    public InlinePolicy {
        requireNonNull(policyName, "policyName");
        requireNonNull(policyDocument, "policyDocument");
    }
}
