package org.opensts.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One authorization a request needs: S3 authorizes CopyObject as a read of the source and a write of the target, and
 * DeleteObjects as a delete of every key.
 *
 * @param action the IAM action, e.g. {@code s3:GetObject}
 * @param resourceArn the resource, e.g. {@code arn:aws:s3:::bucket/key}, or {@code *}
 * @param context the request's S3 condition keys
 */
record RequiredAccess(String action, String resourceArn, Map<String, List<String>> context) {
    RequiredAccess {
        requireNonNull(action, "action");
        requireNonNull(resourceArn, "resourceArn");
        context = Map.copyOf(context);
    }

    /** The bucket the resource is in, if it names one: its policy is the resource policy of the decision. */
    java.util.Optional<String> bucket() {
        String prefix = "arn:aws:s3:::";
        if (!resourceArn.startsWith(prefix)) {
            return java.util.Optional.empty();
        }
        String rest = resourceArn.substring(prefix.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        return bucket.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(bucket);
    }
}
