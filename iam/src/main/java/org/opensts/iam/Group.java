package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An IAM group: users that share the group's policies. */
public record Group(String accountId, String groupId, String groupName, String path, Instant createDate) {
    public Group {
        requireNonNull(accountId, "accountId");
        requireNonNull(groupId, "groupId");
        requireNonNull(groupName, "groupName");
        requireNonNull(path, "path");
        requireNonNull(createDate, "createDate");
    }

    /** {@code arn:aws:iam::ACCOUNT:group/path/name}. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":group" + path + groupName;
    }

    public Group renamed(String newName, String newPath) {
        return new Group(accountId, groupId, newName, newPath, createDate);
    }
}
