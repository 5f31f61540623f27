package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An IAM user (IAM API Reference, "User"). {@code userId} ({@code AIDA…}) is stable; the name may change. */
public record User(String accountId, String userId, String userName, String path, Instant createDate,
        Optional<String> permissionsBoundaryArn, List<Tag> tags) {
    public User {
        requireNonNull(accountId, "accountId");
        requireNonNull(userId, "userId");
        requireNonNull(userName, "userName");
        requireNonNull(path, "path");
        requireNonNull(createDate, "createDate");
        requireNonNull(permissionsBoundaryArn, "permissionsBoundaryArn");
        tags = List.copyOf(tags);
    }

    /** {@code arn:aws:iam::ACCOUNT:user/path/name}. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":user" + path + userName;
    }

    public User withTags(List<Tag> newTags) {
        return new User(accountId, userId, userName, path, createDate, permissionsBoundaryArn, newTags);
    }
}
