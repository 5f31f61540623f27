package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An account: the owner of users, roles and policies, named by a 12-digit id.
 *
 * @param globalEndpointTokenVersion the account's STS preference (IAM {@code SetSecurityTokenServicePreferences})
 */
public record Account(String accountId, Instant createDate, GlobalEndpointTokenVersion globalEndpointTokenVersion) {
    public Account {
        requireNonNull(accountId, "accountId");
        requireNonNull(createDate, "createDate");
        requireNonNull(globalEndpointTokenVersion, "globalEndpointTokenVersion");
        if (!isValidAccountId(accountId)) {
            throw new IllegalArgumentException("An account id is 12 digits");
        }
    }

    /** A new account, with AWS's default preference of version 1 tokens from the global endpoint. */
    public Account(String accountId, Instant createDate) {
        this(accountId, createDate, GlobalEndpointTokenVersion.V1_TOKEN);
    }

    public Account withGlobalEndpointTokenVersion(GlobalEndpointTokenVersion version) {
        return new Account(accountId, createDate, version);
    }

    public static boolean isValidAccountId(String accountId) {
        if (accountId == null || accountId.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            if (accountId.charAt(i) < '0' || accountId.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** {@code arn:aws:iam::ACCOUNT:root}. */
    public String rootArn() {
        return "arn:aws:iam::" + accountId + ":root";
    }
}
