package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A managed policy: customer managed (owned by an account) or AWS managed ({@code accountId} is {@code aws}).
 * Its document lives in its versions; {@code defaultVersionId} names the one in force. The two counts are read from
 * the attachments, not stored.
 */
public record ManagedPolicy(String accountId, String policyId, String policyName, String path,
        String defaultVersionId, Optional<String> description, Instant createDate, Instant updateDate,
        List<Tag> tags, int attachmentCount, int permissionsBoundaryUsageCount) {
    /** The owner of AWS managed policies in their ARNs: {@code arn:aws:iam::aws:policy/…}. */
    public static final String AWS_MANAGED_ACCOUNT = "aws";

    public ManagedPolicy {
        requireNonNull(accountId, "accountId");
        requireNonNull(policyId, "policyId");
        requireNonNull(policyName, "policyName");
        requireNonNull(path, "path");
        requireNonNull(defaultVersionId, "defaultVersionId");
        requireNonNull(description, "description");
        requireNonNull(createDate, "createDate");
        requireNonNull(updateDate, "updateDate");
        tags = List.copyOf(tags);
    }

    /** {@code arn:aws:iam::ACCOUNT:policy/path/name}. */
    public String arn() {
        return arn(accountId, path, policyName);
    }

    /** The ARN of the policy {@code policyName} at {@code path} of {@code accountId} ({@code aws}: AWS managed). */
    public static String arn(String accountId, String path, String policyName) {
        return "arn:aws:iam::" + accountId + ":policy" + path + policyName;
    }

    public boolean isAwsManaged() {
        return AWS_MANAGED_ACCOUNT.equals(accountId);
    }

    /**
     * An AWS managed policy for a service-linked role ({@code arn:aws:iam::aws:policy/aws-service-role/…}): AWS
     * reserves it for the roles its services create, so no identity of an account may have it attached.
     */
    public boolean isAwsServiceRolePolicy() {
        return isAwsManaged() && path.equals("/aws-service-role/");
    }

    public ManagedPolicy withDefaultVersion(String versionId, Instant updatedAt) {
        return new ManagedPolicy(accountId, policyId, policyName, path, versionId, description, createDate, updatedAt,
                tags, attachmentCount, permissionsBoundaryUsageCount);
    }

    public ManagedPolicy withTags(List<Tag> newTags) {
        return new ManagedPolicy(accountId, policyId, policyName, path, defaultVersionId, description, createDate,
                updateDate, newTags, attachmentCount, permissionsBoundaryUsageCount);
    }
}
