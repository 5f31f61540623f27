package org.opensts.gateway.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyStatement;
import org.opensts.policy.PolicyType;

/**
 * The checks S3 makes on a bucket policy in {@code PutBucketPolicy}, beyond the policy language's own (Amazon S3 User
 * Guide, "Bucket policies for Amazon S3" and "Policies and permissions in Amazon S3"), each refused as S3 refuses it,
 * with {@code MalformedPolicy}:
 * <ul>
 *   <li>at most 20 KB ("Policy exceeds the maximum allowed document size.");
 *   <li>the first byte is {@code {} ("Policies must be valid JSON and the first byte must be '{'");
 *   <li>a {@code Statement} ("Missing required field Statement", S3's recorded answer to {@code {}});
 *   <li>a resource policy by the IAM grammar: every statement names a {@code Principal} ("Missing required field
 *       Principal"), each principal of a form IAM takes ("Invalid principal in policy") — the policy engine's own
 *       validation, with its messages;
 *   <li>every action is an S3 action ("Policy has invalid action"): a pattern must match at least one;
 *   <li>every resource is this bucket or objects in it ("Policy has invalid resource"): an
 *       {@code arn:aws:s3:::} ARN whose bucket part can match this bucket's name;
 *   <li>every action acts on a kind of resource the statement names ("Action does not apply to any resource(s) in
 *       statement"): an object action needs {@code bucket/…}, a bucket action the bucket.
 * </ul>
 */
public final class BucketPolicies {
    /** S3's limit on a bucket policy, in bytes. */
    public static final int MAX_POLICY_BYTES = 20 * 1024;

    static final String TOO_LARGE = "Policy exceeds the maximum allowed document size.";
    static final String FIRST_BYTE = "Policies must be valid JSON and the first byte must be '{'";
    static final String INVALID_ACTION = "Policy has invalid action";
    static final String INVALID_RESOURCE = "Policy has invalid resource";
    static final String INVALID_JSON = "This policy contains invalid Json";
    static final String ACTION_RESOURCE_MISMATCH = "Action does not apply to any resource(s) in statement";
    /** Also what the node answers for a user or role that does not exist, when it binds the policy's principals. */
    public static final String INVALID_PRINCIPAL = "Invalid principal in policy";

    /**
     * The S3 actions whose resource type is the object (Service Authorization Reference, "Actions defined by Amazon
     * S3", resource type {@code object*}), lower-case.
     */
    private static final Set<String> OBJECT_ACTIONS = Set.of("s3:abortmultipartupload",
            "s3:bypassgovernanceretention", "s3:deleteobject", "s3:deleteobjecttagging", "s3:deleteobjectversion",
            "s3:deleteobjectversiontagging", "s3:getobject", "s3:getobjectacl", "s3:getobjectattributes",
            "s3:getobjectlegalhold", "s3:getobjectretention", "s3:getobjecttagging", "s3:getobjecttorrent",
            "s3:getobjectversion", "s3:getobjectversionacl", "s3:getobjectversionattributes",
            "s3:getobjectversionforreplication", "s3:getobjectversiontagging", "s3:getobjectversiontorrent",
            "s3:initiatereplication", "s3:listmultipartuploadparts", "s3:putobject", "s3:putobjectacl",
            "s3:putobjectlegalhold", "s3:putobjectretention", "s3:putobjecttagging", "s3:putobjectversionacl",
            "s3:putobjectversiontagging", "s3:replicatedelete", "s3:replicateobject", "s3:replicatetags",
            "s3:restoreobject", "s3:objectowneroverridetobucketowner");

    private static final class Actions {
        static final List<String> S3 = load();
    }

    private BucketPolicies() {
    }

    /**
     * Checks a policy for a bucket.
     *
     * @return empty if S3 would store it, else the error S3 answers {@code PutBucketPolicy} with
     */
    public static Optional<S3Error> validate(String bucket, String json) {
        try {
            parse(bucket, json);
            return Optional.empty();
        } catch (S3Exception e) {
            return Optional.of(e.error());
        }
    }

    /**
     * Checks a policy for a bucket and compiles it for evaluation.
     *
     * @throws S3Exception {@code MalformedPolicy} with S3's message for the first problem found
     */
    public static Policy parse(String bucket, String json) throws S3Exception {
        requireNonNull(bucket, "bucket");
        requireNonNull(json, "json");
        if (json.getBytes(UTF_8).length > MAX_POLICY_BYTES) {
            throw malformed(TOO_LARGE);
        }
        if (json.isEmpty() || json.charAt(0) != '{') {
            throw malformed(FIRST_BYTE);
        }
        Policy policy;
        try {
            policy = Policy.parse(json, PolicyType.RESOURCE);
        } catch (MalformedPolicyException e) {
            // IAM calls any JSON or grammar error "Syntax errors in policy."; S3 says the document is invalid Json.
            // IAM quotes a principal it refuses; S3 does not.
            String message = e.getMessage();
            if (e.missingElement().isPresent()) {
                throw malformed("Missing required field " + e.missingElement().get());
            }
            throw malformed(message.equals("Syntax errors in policy.") ? INVALID_JSON
                    : message.startsWith(INVALID_PRINCIPAL) ? INVALID_PRINCIPAL : message);
        }
        for (PolicyStatement statement : policy.statements()) {
            for (String action : statement.actions()) {
                if (!isS3Action(action)) {
                    throw malformed(INVALID_ACTION);
                }
            }
            boolean namesBucket = false;
            boolean namesObjects = false;
            for (String resource : statement.resources()) {
                if (!resource.startsWith(S3Arns.PREFIX)) {
                    throw malformed(INVALID_RESOURCE);
                }
                String pattern = resource.substring(S3Arns.PREFIX.length());
                boolean bucketResource = Globs.matches(pattern, bucket);
                boolean objectResource = Globs.matchesSomePrefix(pattern, bucket + '/');
                if (!bucketResource && !objectResource) {
                    throw malformed(INVALID_RESOURCE);
                }
                namesBucket |= bucketResource;
                namesObjects |= objectResource;
            }
            if (!statement.hasNotAction() && !statement.hasNotResource()) {
                for (String action : statement.actions()) {
                    if (!appliesToSome(action.toLowerCase(Locale.ROOT), namesBucket, namesObjects)) {
                        throw malformed(ACTION_RESOURCE_MISMATCH);
                    }
                }
            }
        }
        return policy;
    }

    /**
     * Whether an action pattern names at least one action that acts on a kind of resource the statement names: an
     * object action needs an object resource ({@code bucket/…}), any other S3 action the bucket — as S3 answered
     * {@code s3:GetObject} on a bucket's ARN and {@code s3:ListBucket} on {@code bucket/*}. Actions that act on
     * neither (account-level ones) are taken as bucket actions, which errs towards accepting a policy.
     */
    private static boolean appliesToSome(String pattern, boolean namesBucket, boolean namesObjects) {
        if (pattern.equals("*")) {
            return namesBucket || namesObjects;
        }
        for (String action : Actions.S3) {
            if (Globs.matches(pattern, action)) {
                boolean objectAction = OBJECT_ACTIONS.contains(action);
                if (objectAction ? namesObjects : namesBucket) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code *}, or an {@code s3:} pattern that matches at least one S3 action, case-insensitively. */
    private static boolean isS3Action(String pattern) {
        if (pattern.equals("*")) {
            return true;
        }
        String lower = pattern.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("s3:")) {
            return false;
        }
        for (String action : Actions.S3) {
            if (Globs.matches(lower, action)) {
                return true;
            }
        }
        return false;
    }

    private static S3Exception malformed(String message) {
        return S3Error.of(S3ErrorCode.MALFORMED_POLICY, message).toException();
    }

    private static List<String> load() {
        InputStream raw = BucketPolicies.class.getResourceAsStream("s3-actions.txt");
        if (raw == null) {
            throw new IllegalStateException("s3-actions.txt is missing from the class path");
        }
        var actions = new ArrayList<String>(200);
        try (var reader = new BufferedReader(new InputStreamReader(raw, UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    actions.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read s3-actions.txt", e);
        }
        return List.copyOf(actions);
    }
}
