package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An S3 request understood: which S3 API operation it is, on which bucket and key, and every authorization S3 checks
 * for it (Amazon S3 User Guide, "Required permissions for Amazon S3 API operations").
 *
 * <p>Some operations are not complete when classified, and say so:
 * <ul>
 *   <li>{@code DeleteObjects} names its keys in the body: {@link #needsDeleteObjectsBody()} is true and
 *       {@link #authorizations()} throws until {@link #withDeleteObjects} has been given the parsed body, so that an
 *       unread body can never authorize as "nothing to check".
 *   <li>{@code PutObjectTagging} carries its tags, the {@code s3:RequestObjectTag/<key>} and
 *       {@code s3:RequestObjectTagKeys} keys, in the body: {@link #needsTaggingBody()} is true and
 *       {@link #authorizations()} throws until {@link #withTaggingBody} — else a policy that denies some tags would
 *       not see them. {@link #needsBody()} says whether either applies, i.e. whether to buffer the body first.
 *   <li>Actions that take {@code s3:ExistingObjectTag/<key>} need the object's current tags, which only the upstream
 *       knows: {@link #existingObjectTagsNeeded()} names the objects; {@link #withExistingObjectTags} adds their tags.
 *       A gateway may skip the fetch when no policy that applies mentions those keys.
 * </ul>
 *
 * @param name the S3 API operation, as the API reference names it ({@code GetObject}, {@code ListObjectsV2} …)
 * @param bucket the bucket, for every operation but {@code ListBuckets}
 * @param key the object key, decoded, for object operations
 * @param versionId the {@code versionId} the request names, if any
 * @param copySource for {@code CopyObject} and {@code UploadPartCopy}, the object copied from
 * @param authorizations what S3 checks; see {@link #authorizations()}
 * @param needsDeleteObjectsBody whether the authorizations still wait for the DeleteObjects body
 * @param needsTaggingBody whether the authorizations still wait for the PutObjectTagging body
 */
public record S3Operation(String name, Optional<String> bucket, Optional<String> key, Optional<String> versionId,
        Optional<S3ObjectRef> copySource, List<S3Authorization> authorizations, boolean needsDeleteObjectsBody,
        boolean needsTaggingBody) {
    /** The operation whose authorizations come from the keys in its body. */
    public static final String DELETE_OBJECTS = "DeleteObjects";
    /** The operation whose condition keys come from the tags in its body. */
    public static final String PUT_OBJECT_TAGGING = "PutObjectTagging";

    public S3Operation {
        requireNonNull(name, "name");
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        requireNonNull(versionId, "versionId");
        requireNonNull(copySource, "copySource");
        authorizations = List.copyOf(authorizations);
        if (!needsDeleteObjectsBody && authorizations.isEmpty()) {
            throw new IllegalArgumentException("Every operation S3 serves checks at least one permission: " + name);
        }
    }

    /** An operation that waits for no {@code PutObjectTagging} body. */
    public S3Operation(String name, Optional<String> bucket, Optional<String> key, Optional<String> versionId,
            Optional<S3ObjectRef> copySource, List<S3Authorization> authorizations, boolean needsDeleteObjectsBody) {
        this(name, bucket, key, versionId, copySource, authorizations, needsDeleteObjectsBody, false);
    }

    /** Whether the body must be read (and parsed) before the request can be authorized. */
    public boolean needsBody() {
        return needsDeleteObjectsBody || needsTaggingBody;
    }

    /**
     * Every permission S3 checks for this request; never empty.
     *
     * @throws IllegalStateException for {@code DeleteObjects} before {@link #withDeleteObjects}, and for
     *     {@code PutObjectTagging} before {@link #withTaggingBody}
     */
    @Override
    public List<S3Authorization> authorizations() {
        if (needsDeleteObjectsBody) {
            throw new IllegalStateException("DeleteObjects is authorized per key: parse the body first");
        }
        if (needsTaggingBody) {
            throw new IllegalStateException("PutObjectTagging is authorized with its tags: parse the body first");
        }
        return authorizations;
    }

    /** The actions of {@link #authorizations()}, in order, for logs and tests. */
    public List<String> actions() {
        return authorizations().stream().map(S3Authorization::action).toList();
    }

    /** Whether some authorization still waits for an object's current tags. */
    public boolean needsExistingObjectTags() {
        return !existingObjectTagsNeeded().isEmpty();
    }

    /**
     * The objects whose current tags the authorizations take as {@code s3:ExistingObjectTag/<key>}, once each. Known
     * before any body is read, so the tags can be fetched in either order.
     */
    public List<S3ObjectRef> existingObjectTagsNeeded() {
        var objects = new LinkedHashSet<S3ObjectRef>();
        for (S3Authorization authorization : authorizations) {
            authorization.existingTagsOf().ifPresent(objects::add);
        }
        return List.copyOf(objects);
    }

    /**
     * The same operation with an object's current tags added as {@code s3:ExistingObjectTag/<key>} to the
     * authorizations that take them. An object with no tags is given as an empty map.
     */
    public S3Operation withExistingObjectTags(S3ObjectRef object, Map<String, String> tags) {
        requireNonNull(object, "object");
        requireNonNull(tags, "tags");
        var updated = new ArrayList<S3Authorization>(authorizations.size());
        for (S3Authorization authorization : authorizations) {
            updated.add(authorization.existingTagsOf().filter(object::equals).isPresent()
                    ? authorization.withExistingTags(tags) : authorization);
        }
        return new S3Operation(name, bucket, key, versionId, copySource, updated, needsDeleteObjectsBody,
                needsTaggingBody);
    }

    /**
     * {@code PutObjectTagging} with its body read: the tags become {@code s3:RequestObjectTag/<key>} and
     * {@code s3:RequestObjectTagKeys} on its authorization.
     *
     * @throws IllegalStateException if this is not a {@code PutObjectTagging} waiting for its body
     */
    public S3Operation withTaggingBody(TaggingBody body) {
        requireNonNull(body, "body");
        if (!needsTaggingBody) {
            throw new IllegalStateException(name + " takes no Tagging body");
        }
        var updated = new ArrayList<S3Authorization>(authorizations.size());
        for (S3Authorization authorization : authorizations) {
            var context = new LinkedHashMap<>(authorization.context());
            body.tags().forEach((tagKey, value) ->
                    context.put(S3ConditionKeys.REQUEST_OBJECT_TAG_PREFIX + tagKey, List.of(value)));
            context.put(S3ConditionKeys.REQUEST_OBJECT_TAG_KEYS, List.copyOf(body.tags().keySet()));
            updated.add(new S3Authorization(authorization.action(), authorization.resourceArn(), context,
                    authorization.existingTagsOf()));
        }
        return new S3Operation(name, bucket, key, versionId, copySource, updated, false, false);
    }

    /**
     * {@code DeleteObjects} with its body read: one {@code s3:DeleteObject} per key, or {@code s3:DeleteObjectVersion}
     * with {@code s3:versionid} for an entry that names a version (Amazon S3 API Reference, "DeleteObjects").
     *
     * @throws IllegalStateException if this is not a {@code DeleteObjects} waiting for its body
     */
    public S3Operation withDeleteObjects(DeleteObjectsBody body) {
        requireNonNull(body, "body");
        if (!needsDeleteObjectsBody) {
            throw new IllegalStateException(name + " takes no DeleteObjects body");
        }
        String bucketName = bucket.orElseThrow();
        // The request-wide keys were classified into this one template authorization.
        S3Authorization template = authorizations.get(0);
        var perKey = new LinkedHashSet<S3Authorization>();
        for (DeleteObjectsBody.ObjectIdentifier object : body.objects()) {
            var context = new LinkedHashMap<>(template.context());
            String action = "s3:DeleteObject";
            if (object.versionId().isPresent()) {
                action = "s3:DeleteObjectVersion";
                context.put(S3ConditionKeys.VERSION_ID, List.of(object.versionId().get()));
            }
            perKey.add(new S3Authorization(action, S3Arns.object(bucketName, object.key()), context,
                    Optional.empty()));
        }
        return new S3Operation(name, bucket, key, versionId, copySource, List.copyOf(perKey), false, false);
    }
}
