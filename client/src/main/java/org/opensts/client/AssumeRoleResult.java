package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/** What AssumeRole returned. {@link #toString()} hides the secrets (see {@link StsCredentials}). */
public record AssumeRoleResult(StsCredentials credentials, AssumedRoleUser assumedRoleUser,
        OptionalInt packedPolicySize, Optional<String> sourceIdentity, String requestId) {
    public AssumeRoleResult {
        requireNonNull(credentials, "credentials");
        requireNonNull(assumedRoleUser, "assumedRoleUser");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(sourceIdentity, "sourceIdentity");
        requireNonNull(requestId, "requestId");
    }
}
