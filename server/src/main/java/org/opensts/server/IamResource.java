package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.opensts.iam.Role;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.RequestContext;

/**
 * The resource an IAM call is authorized against, as the store has it: its ARN, its tags and, for a user or role, its
 * permissions boundary. A resource that does not exist (yet), or that IAM does not tag (a group, a list), is its ARN
 * alone.
 *
 * <p>The tags become the request's {@code aws:ResourceTag/<key>} and, for users and roles only,
 * {@code iam:ResourceTag/<key>}, as the Service Authorization Reference for IAM lists those keys for the user and role
 * resource types and {@code aws:ResourceTag} alone for policies, providers and MFA devices (IAM User Guide,
 * "Controlling access to and for IAM users and roles using tags").
 *
 * @param iamResourceTags whether the tags are also {@code iam:ResourceTag/<key>}
 * @param permissionsBoundary the user's or role's permissions boundary, which the actions that change its permissions
 *     report as {@code iam:PermissionsBoundary}
 */
record IamResource(String arn, List<Tag> tags, boolean iamResourceTags, Optional<String> permissionsBoundary) {
    static final String IAM_RESOURCE_TAG_PREFIX = "iam:ResourceTag/";

    IamResource {
        requireNonNull(arn, "arn");
        tags = List.copyOf(tags);
        requireNonNull(permissionsBoundary, "permissionsBoundary");
    }

    /** A resource known by its ARN alone. */
    static IamResource of(String arn) {
        return new IamResource(arn, List.of(), false, Optional.empty());
    }

    static IamResource of(User user) {
        return new IamResource(user.arn(), user.tags(), true, user.permissionsBoundaryArn());
    }

    static IamResource of(Role role) {
        return new IamResource(role.arn(), role.tags(), true, role.permissionsBoundaryArn());
    }

    /** A managed policy, provider or MFA device: tagged, but only {@code aws:ResourceTag} names its tags. */
    static IamResource tagged(String arn, List<Tag> tags) {
        return new IamResource(arn, tags, false, Optional.empty());
    }

    /** Puts the resource's tags into a request's context. */
    void addTagsTo(RequestContext.Builder context) {
        for (Tag tag : tags) {
            context.put(GlobalConditionKeys.RESOURCE_TAG_PREFIX + tag.key(), tag.value());
            if (iamResourceTags) {
                context.put(IAM_RESOURCE_TAG_PREFIX + tag.key(), tag.value());
            }
        }
    }
}
