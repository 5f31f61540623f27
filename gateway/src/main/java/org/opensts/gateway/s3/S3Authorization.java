package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One permission S3 checks for a request: an IAM action on a resource, with the S3 condition keys the request
 * supplies for it. A request is allowed only if every one of its authorizations is.
 *
 * @param action the IAM action, e.g. {@code s3:GetObject}
 * @param resourceArn {@code arn:aws:s3:::bucket}, {@code arn:aws:s3:::bucket/key}, or {@code *}
 * @param context the condition keys, named as AWS spells them ({@code s3:prefix}, {@code s3:x-amz-acl} …), each with
 *     its values in order
 * @param existingTagsOf the object whose current tags {@code s3:ExistingObjectTag/<key>} is about for this action,
 *     while the gateway has not supplied them (see {@link S3Operation#withExistingObjectTags}); empty when the
 *     action takes no such key or the tags are already in {@code context}
 */
public record S3Authorization(String action, String resourceArn, Map<String, List<String>> context,
        Optional<S3ObjectRef> existingTagsOf) {
    public S3Authorization {
        requireNonNull(action, "action");
        requireNonNull(resourceArn, "resourceArn");
        var copy = new LinkedHashMap<String, List<String>>();
        context.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        context = Collections.unmodifiableMap(copy);
        requireNonNull(existingTagsOf, "existingTagsOf");
    }

    /** The same authorization with the object's current tags as {@code s3:ExistingObjectTag/<key>} keys. */
    public S3Authorization withExistingTags(Map<String, String> tags) {
        var more = new LinkedHashMap<>(context);
        tags.forEach((key, value) -> more.put(S3ConditionKeys.EXISTING_OBJECT_TAG_PREFIX + key, List.of(value)));
        return new S3Authorization(action, resourceArn, more, Optional.empty());
    }
}
