package org.opensts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks IAM makes on each value of a statement's {@code Resource} or {@code NotResource}, with IAM's messages,
 * as IAM CreatePolicy answers them:
 *
 * <ul>
 *   <li>a value without a colon is not an ARN: {@code Resource my-bucket must be in ARN format or "*".};</li>
 *   <li>the second segment must be a partition AWS has, or {@code *}; IAM names the value with {@code arn} as its
 *       first segment and {@code *} for each missing one: {@code Partition "s3" is not valid for resource
 *       "arn:s3:::example_bucket:*".};</li>
 *   <li>there must be a service segment: {@code Resource vendor must be fully qualified and cannot contain
 *       regexes.};</li>
 *   <li>an IAM resource has no region ({@code IAM resource … cannot contain region information.}) and its resource
 *       part is {@code *}, {@code root} or starts with an IAM resource type ({@link #IAM_RESOURCE_TYPES});</li>
 *   <li>an S3 bucket or object has no region ({@code Resource … can not contain region information.}); the S3
 *       resource types that have one ({@link #S3_REGIONAL_TYPES}, from the Service Authorization Reference, "Actions,
 *       resources, and condition keys for Amazon S3") may.</li>
 * </ul>
 *
 * <p>IAM's older parser then refuses, as {@code The policy failed legacy parsing}, a value with an empty segment
 * among fewer than six, or an empty service segment ({@link #failsLegacyParsing}). Every check is a scan of the
 * value; none uses a regular expression.
 */
final class ResourceArnRules {
    /** The partitions AWS has (AWS General Reference, "Amazon Resource Names"). */
    private static final Set<String> PARTITIONS = Set.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
            "aws-iso-e", "aws-iso-f", "aws-eusc");
    /** What an IAM resource part starts with, in the order IAM's message lists them. */
    static final List<String> IAM_RESOURCE_TYPES = List.of("user/", "federated-user/", "role/", "group/",
            "instance-profile/", "mfa/", "server-certificate/", "policy/", "sms-mfa/", "saml-provider/",
            "oidc-provider/", "report/", "access-report/");
    /** The S3 resource types whose ARNs name a region: access points, batch jobs, Storage Lens, Access Grants. */
    private static final List<String> S3_REGIONAL_TYPES = List.of("accesspoint/", "job/", "storage-lens/",
            "storage-lens-group/", "access-grants/", "async-request/");
    /**
     * The resource part of an account's root user, which IAM accepts and its message names: AWS managed policies such
     * as {@code IAMAuditRootUserCredentials} name {@code arn:aws:iam::*:root}.
     */
    private static final String ROOT_USER = "root";
    private static final int ARN_SEGMENTS = 6;

    private ResourceArnRules() {
    }

    /** What IAM reports about {@code resource}, or null if it reports nothing. */
    static MalformedPolicyException problem(String resource) {
        if (resource.equals("*")) {
            return null;
        }
        if (resource.indexOf(':') < 0) {
            return PolicyErrors.resourceNotArn(resource);
        }
        List<String> segments = split(resource);
        String partition = segments.get(1);
        if (!partition.equals("*") && !PARTITIONS.contains(partition)) {
            return PolicyErrors.invalidPartition(partition, asIamNamesIt(segments));
        }
        if (!segments.get(0).equals("arn")) {
            return PolicyErrors.resourceNotArn(resource);
        }
        if (segments.size() < 3) {
            return PolicyErrors.of(PolicyErrors.RESOURCE_VENDOR);
        }
        String service = segments.get(2);
        boolean region = segments.size() > 3 && namesRegion(segments.get(3));
        String resourcePart = segments.size() == ARN_SEGMENTS ? segments.get(5) : "";
        if (service.equals("iam")) {
            if (region) {
                return PolicyErrors.iamResourceRegion(resource);
            }
            if (!resourcePart.equals("*") && !resourcePart.equals(ROOT_USER)
                    && IAM_RESOURCE_TYPES.stream().noneMatch(resourcePart::startsWith)) {
                return PolicyErrors.iamResourcePath(IAM_RESOURCE_TYPES);
            }
        } else if (service.equals("s3") && region
                && S3_REGIONAL_TYPES.stream().noneMatch(type -> mayStartWith(resourcePart, type))) {
            return PolicyErrors.resourceRegion(resource);
        }
        return null;
    }

    /**
     * Whether IAM's legacy parser refuses {@code resource}: an empty segment in a value of fewer than six segments
     * ({@code arn:aws:s3::example_bucket}), or an empty service segment ({@code arn:aws::::example_bucket}).
     */
    static boolean failsLegacyParsing(String resource) {
        if (resource.equals("*")) {
            return false;
        }
        List<String> segments = split(resource);
        if (segments.size() < ARN_SEGMENTS && resource.contains("::")) {
            return true;
        }
        return segments.size() >= 3 && segments.get(2).isEmpty();
    }

    /**
     * Whether a region segment holds region information. A segment of wildcards alone may match the empty region,
     * so {@code arn:aws:s3:*}, which spans every S3 resource, is accepted: our reading, as IAM's answers show only
     * named regions refused.
     */
    private static boolean namesRegion(String region) {
        for (int i = 0; i < region.length(); i++) {
            if (region.charAt(i) != '*') {
                return true;
            }
        }
        return false;
    }

    /** The value as IAM names it in its partition message: {@code arn} first, {@code *} for each missing segment. */
    private static String asIamNamesIt(List<String> segments) {
        var named = new StringBuilder("arn");
        for (int i = 1; i < ARN_SEGMENTS; i++) {
            // A service segment left empty at the very end is missing too: "a:b:" is named "arn:b:*:*:*:*".
            boolean missing = i >= segments.size() || i == 2 && segments.size() == 3 && segments.get(2).isEmpty();
            named.append(':').append(missing ? "*" : segments.get(i));
        }
        return named.toString();
    }

    /**
     * Whether a resource part that may hold wildcards can start with {@code prefix}: its text before the first
     * wildcard starts with the prefix, or is the start of the prefix and a wildcard follows.
     */
    private static boolean mayStartWith(String part, String prefix) {
        int wildcard = firstWildcard(part);
        if (wildcard < 0 || wildcard >= prefix.length()) {
            return part.startsWith(prefix);
        }
        return prefix.startsWith(part.substring(0, wildcard));
    }

    private static int firstWildcard(String part) {
        for (int i = 0; i < part.length(); i++) {
            if (part.charAt(i) == '*' || part.charAt(i) == '?') {
                return i;
            }
        }
        return -1;
    }

    /** The value split at its first five colons: at most six segments, the last holding any further colons. */
    private static List<String> split(String resource) {
        var segments = new ArrayList<String>(ARN_SEGMENTS);
        int start = 0;
        while (segments.size() < ARN_SEGMENTS - 1) {
            int colon = resource.indexOf(':', start);
            if (colon < 0) {
                break;
            }
            segments.add(resource.substring(start, colon));
            start = colon + 1;
        }
        segments.add(resource.substring(start));
        return segments;
    }
}
