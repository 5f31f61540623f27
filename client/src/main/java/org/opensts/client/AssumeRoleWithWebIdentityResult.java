package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;

/** What AssumeRoleWithWebIdentity returned. {@link #toString()} hides the secrets (see {@link StsCredentials}). */
public record AssumeRoleWithWebIdentityResult(StsCredentials credentials, AssumedRoleUser assumedRoleUser,
        String subjectFromWebIdentityToken, Optional<String> audience, Optional<String> provider,
        OptionalInt packedPolicySize, Optional<String> sourceIdentity, String requestId) {
    public AssumeRoleWithWebIdentityResult {
        requireNonNull(credentials, "credentials");
        requireNonNull(assumedRoleUser, "assumedRoleUser");
        requireNonNull(subjectFromWebIdentityToken, "subjectFromWebIdentityToken");
        requireNonNull(audience, "audience");
        requireNonNull(provider, "provider");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(sourceIdentity, "sourceIdentity");
        requireNonNull(requestId, "requestId");
    }
}
