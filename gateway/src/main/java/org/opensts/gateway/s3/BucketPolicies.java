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
 *   <li>a resource policy by the IAM grammar: every statement names a {@code Principal} ("Missing required field
 *       Principal") — the policy engine's own validation, with its messages;
 *   <li>every action is an S3 action ("Policy has invalid action"): a pattern must match at least one;
 *   <li>every resource is this bucket or objects in it ("Policy has invalid resource"): an
 *       {@code arn:aws:s3:::} ARN whose bucket part can match this bucket's name.
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
            throw malformed(e.getMessage().equals("Syntax errors in policy.") ? INVALID_JSON : e.getMessage());
        }
        for (PolicyStatement statement : policy.statements()) {
            for (String action : statement.actions()) {
                if (!isS3Action(action)) {
                    throw malformed(INVALID_ACTION);
                }
            }
            for (String resource : statement.resources()) {
                if (!isInBucket(bucket, resource)) {
                    throw malformed(INVALID_RESOURCE);
                }
            }
        }
        return policy;
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

    /**
     * Whether a resource can name this bucket or an object in it: {@code arn:aws:s3:::} followed by a pattern that
     * matches the bucket's name, or that can match the name, a {@code /} and anything after it.
     */
    private static boolean isInBucket(String bucket, String resource) {
        if (!resource.startsWith(S3Arns.PREFIX)) {
            return false;
        }
        String pattern = resource.substring(S3Arns.PREFIX.length());
        return Globs.matches(pattern, bucket) || Globs.matchesSomePrefix(pattern, bucket + '/');
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
