package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;

/** What GetFederationToken returned. {@link #toString()} hides the secrets (see {@link StsCredentials}). */
public record GetFederationTokenResult(StsCredentials credentials, FederatedUser federatedUser,
        OptionalInt packedPolicySize, String requestId) {
    public GetFederationTokenResult {
        requireNonNull(credentials, "credentials");
        requireNonNull(federatedUser, "federatedUser");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(requestId, "requestId");
    }
}
