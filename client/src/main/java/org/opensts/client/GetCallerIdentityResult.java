package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** Who signed the call: GetCallerIdentity's user id, account and ARN. */
public record GetCallerIdentityResult(String userId, String account, String arn, String requestId) {
    public GetCallerIdentityResult {
        requireNonNull(userId, "userId");
        requireNonNull(account, "account");
        requireNonNull(arn, "arn");
        requireNonNull(requestId, "requestId");
    }
}
