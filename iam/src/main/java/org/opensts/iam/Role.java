package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An IAM role (IAM API Reference, "Role"): its trust policy is the resource policy that {@code sts:AssumeRole*}
 * reads, with the users and roles it names bound to their unique ids (see {@link TrustPolicy}).
 */
public record Role(String accountId, String roleId, String roleName, String path, TrustPolicy trustPolicy,
        Optional<String> description, int maxSessionDuration, Optional<String> permissionsBoundaryArn, List<Tag> tags,
        Instant createDate) {
    /** The default and minimum of MaxSessionDuration, in seconds. */
    public static final int DEFAULT_MAX_SESSION_DURATION = 3600;
    public static final int MAX_MAX_SESSION_DURATION = 43200;

    public Role {
        requireNonNull(accountId, "accountId");
        requireNonNull(roleId, "roleId");
        requireNonNull(roleName, "roleName");
        requireNonNull(path, "path");
        requireNonNull(trustPolicy, "trustPolicy");
        requireNonNull(description, "description");
        requireNonNull(permissionsBoundaryArn, "permissionsBoundaryArn");
        requireNonNull(createDate, "createDate");
        tags = List.copyOf(tags);
    }

    /** {@code arn:aws:iam::ACCOUNT:role/path/name}. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":role" + path + roleName;
    }

    public Role withTrustPolicy(TrustPolicy newTrustPolicy) {
        return new Role(accountId, roleId, roleName, path, newTrustPolicy, description, maxSessionDuration,
                permissionsBoundaryArn, tags, createDate);
    }

    public Role withDescriptionAndMaxSessionDuration(Optional<String> newDescription, int newMaxSessionDuration) {
        return new Role(accountId, roleId, roleName, path, trustPolicy, newDescription,
                newMaxSessionDuration, permissionsBoundaryArn, tags, createDate);
    }

    public Role withTags(List<Tag> newTags) {
        return new Role(accountId, roleId, roleName, path, trustPolicy, description, maxSessionDuration,
                permissionsBoundaryArn, newTags, createDate);
    }
}
