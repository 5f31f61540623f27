package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * An IAM instance profile (IAM API Reference, "InstanceProfile"): a container that hands one role to the EC2
 * instances launched with it. It holds at most one role, a quota AWS does not raise.
 *
 * @param roles the role it holds, or none
 */
public record InstanceProfile(String accountId, String instanceProfileId, String instanceProfileName, String path,
        Instant createDate, List<Role> roles, List<Tag> tags) {
    /** "An instance profile can contain only one role, and this quota cannot be increased." */
    public static final int MAX_ROLES = 1;

    public InstanceProfile {
        requireNonNull(accountId, "accountId");
        requireNonNull(instanceProfileId, "instanceProfileId");
        requireNonNull(instanceProfileName, "instanceProfileName");
        requireNonNull(path, "path");
        requireNonNull(createDate, "createDate");
        roles = List.copyOf(roles);
        tags = List.copyOf(tags);
    }

    /** {@code arn:aws:iam::ACCOUNT:instance-profile/path/name}. */
    public String arn() {
        return "arn:aws:iam::" + accountId + ":instance-profile" + path + instanceProfileName;
    }

    public InstanceProfile withTags(List<Tag> newTags) {
        return new InstanceProfile(accountId, instanceProfileId, instanceProfileName, path, createDate, roles,
                newTags);
    }
}
