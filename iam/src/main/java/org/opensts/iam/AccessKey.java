package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** A long-term access key's metadata ({@code AKIA…}); the secret is kept apart, see {@link AccessKeyCredentials}. */
public record AccessKey(String accessKeyId, String accountId, String userId, String userName, AccessKeyStatus status,
        Instant createDate) {
    public AccessKey {
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(accountId, "accountId");
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(status, "status");
        requireNonNull(createDate, "createDate");
    }
}
