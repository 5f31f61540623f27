package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.OptionalInt;
import org.opensts.token.TemporaryCredentials;

/** The output of GetFederationToken: credentials, the federated user, and the packed size when policies or tags went in. */
public record GetFederationTokenResponse(TemporaryCredentials credentials, String federatedUserId, String arn,
        OptionalInt packedPolicySize) {
    public GetFederationTokenResponse {
        requireNonNull(credentials, "credentials");
        requireNonNull(federatedUserId, "federatedUserId");
        requireNonNull(arn, "arn");
        requireNonNull(packedPolicySize, "packedPolicySize");
    }
}
