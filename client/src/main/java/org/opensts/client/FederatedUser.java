package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** The federated user GetFederationToken created: {@code arn:aws:sts::ACCOUNT:federated-user/NAME} and its id. */
public record FederatedUser(String arn, String federatedUserId) {
    public FederatedUser {
        requireNonNull(arn, "arn");
        requireNonNull(federatedUserId, "federatedUserId");
    }
}
