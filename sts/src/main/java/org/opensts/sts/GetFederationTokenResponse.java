package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import org.opensts.token.TemporaryCredentials;

/**
 * The output of GetFederationToken: credentials, the federated user, and the packed size of its session policies and
 * tags — always there, 0 when none went in, as in AWS's real responses (AssumeRole reports it only when some did).
 */
public record GetFederationTokenResponse(TemporaryCredentials credentials, String federatedUserId, String arn,
        int packedPolicySize) {
    public GetFederationTokenResponse {
        requireNonNull(credentials, "credentials");
        requireNonNull(federatedUserId, "federatedUserId");
        requireNonNull(arn, "arn");
    }
}
