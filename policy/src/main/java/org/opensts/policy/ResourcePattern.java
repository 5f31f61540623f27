package org.opensts.policy;

import java.util.List;
import java.util.Set;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.Wildcard;

/**
 * One value of a {@code Resource} or {@code NotResource} element, compiled: {@code "*"}, or an ARN pattern
 * matched segment by segment (see {@link ArnSegments}). Policy variables are read in the resource part alone, and
 * a pattern without variables is compiled once.
 */
final class ResourcePattern {
    /** The index of the first segment of the resource portion: arn, partition, service, region and account precede. */
    private static final int RESOURCE_PART = 5;
    private final String raw;
    private final ValueTemplate[] segments;
    private final Wildcard[] compiled;

    private ResourcePattern(String raw, ValueTemplate[] segments, Wildcard[] compiled) {
        this.raw = raw;
        this.segments = segments;
        this.compiled = compiled;
    }

    static ResourcePattern compile(String raw, boolean variablesEnabled) {
        List<String> parts = ArnSegments.splitPattern(raw, variablesEnabled);
        var templates = new ValueTemplate[parts.size()];
        boolean variables = false;
        for (int i = 0; i < templates.length; i++) {
            // "You can use a policy variable in the Resource element, but only in the resource portion of the ARN
            // [after the fifth colon]. You can't use a variable to replace parts of the ARN before the fifth colon,
            // such as the service or account" (IAM User Guide, "IAM policy elements: Variables and tags"): there a
            // variable is its literal text, which no partition, service, region or account is.
            templates[i] = ValueTemplate.compile(parts.get(i), variablesEnabled && i >= RESOURCE_PART);
            variables |= templates[i].hasVariables();
        }
        Wildcard[] compiled = null;
        if (!variables) {
            compiled = new Wildcard[templates.length];
            for (int i = 0; i < templates.length; i++) {
                compiled[i] = templates[i].pattern(null);
            }
        }
        return new ResourcePattern(raw, templates, compiled);
    }

    String raw() {
        return raw;
    }

    void collectKeys(Set<String> keys) {
        for (ValueTemplate t : segments) {
            t.collectKeys(keys);
        }
    }

    /**
     * Whether the request's resource matches; false when a policy variable of the pattern has no value ("will not
     * match any resource").
     */
    boolean matches(EvaluationScope scope) {
        Wildcard[] pattern = resolve(scope);
        return pattern != null && scope.resource().matches(pattern);
    }

    /**
     * For a request that names a set of resources by a pattern ({@link EvaluationScope#resourcePattern()}): whether
     * some resource of the set matches this pattern ({@code covers} false), or every one does ({@code covers} true).
     * False when a policy variable has no value.
     *
     * <p>Both patterns are compared segment by segment as IAM splits ARNs; when either has fewer than six segments,
     * the rest of each is compared as one piece, colons included, as {@link ArnSegments#matches} does for text. The
     * request {@code *} alone is every resource: any pattern matches some of it, and only {@code *} (or
     * {@code arn:*}, every segment a wildcard) matches all of it.
     */
    boolean relatesToSet(EvaluationScope scope, boolean covers) {
        Wildcard[] policy = resolve(scope);
        if (policy == null) {
            return false;
        }
        Wildcard[] request = scope.resourcePattern();
        if (policy.length == 1 && policy[0].matchesEverything()) {
            return true;
        }
        if (request.length == 1 && request[0].matchesEverything()) {
            return !covers || isEveryArn(policy);
        }
        int shared = Math.min(policy.length, request.length);
        for (int i = 0; i < shared - 1; i++) {
            if (!relate(policy[i], request[i], covers)) {
                return false;
            }
        }
        return relate(Wildcard.join(policy, shared - 1, policy.length, ':'),
                Wildcard.join(request, shared - 1, request.length, ':'), covers);
    }

    private static boolean relate(Wildcard policy, Wildcard request, boolean covers) {
        return covers ? policy.covers(request) : policy.intersects(request);
    }

    /** Whether every segment but the first ({@code arn}, as every resource pattern starts) is a lone wildcard. */
    private static boolean isEveryArn(Wildcard[] policy) {
        for (int i = 1; i < policy.length; i++) {
            if (!policy[i].matchesEverything()) {
                return false;
            }
        }
        return true;
    }

    /** The pattern's segments, its policy variables replaced by the request's values; null if one has none. */
    private Wildcard[] resolve(EvaluationScope scope) {
        if (compiled != null) {
            return compiled;
        }
        var pattern = new Wildcard[segments.length];
        for (int i = 0; i < segments.length; i++) {
            pattern[i] = segments[i].pattern(scope);
            if (pattern[i] == null) {
                return null;
            }
        }
        return pattern;
    }

    @Override
    public String toString() {
        return raw;
    }
}
