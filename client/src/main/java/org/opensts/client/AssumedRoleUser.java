package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** The session a role assumption created: {@code arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION} and its id. */
public record AssumedRoleUser(String arn, String assumedRoleId) {
    public AssumedRoleUser {
        requireNonNull(arn, "arn");
        requireNonNull(assumedRoleId, "assumedRoleId");
    }
}
