package org.opensts.sts;

import static java.util.Objects.requireNonNull;

/** The output of GetCallerIdentity (STS API Reference). */
public record GetCallerIdentityResponse(String userId, String account, String arn) {
    public GetCallerIdentityResponse {
        requireNonNull(userId, "userId");
        requireNonNull(account, "account");
        requireNonNull(arn, "arn");
    }
}
