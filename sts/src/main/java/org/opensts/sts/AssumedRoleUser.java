package org.opensts.sts;

import static java.util.Objects.requireNonNull;

/** The role session an assume-role call created: {@code AROA…:session} and its assumed-role ARN. */
public record AssumedRoleUser(String assumedRoleId, String arn) {
    public AssumedRoleUser {
        requireNonNull(assumedRoleId, "assumedRoleId");
        requireNonNull(arn, "arn");
    }
}
