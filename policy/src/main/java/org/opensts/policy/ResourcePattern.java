package org.opensts.policy;

import java.util.List;
import java.util.Set;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.Wildcard;

/**
 * One value of a {@code Resource} or {@code NotResource} element, compiled: {@code "*"}, or an ARN pattern
 * matched segment by segment (see {@link ArnSegments}). Policy variables are allowed in the resource part, and
 * a pattern without variables is compiled once.
 */
final class ResourcePattern {
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
            templates[i] = ValueTemplate.compile(parts.get(i), variablesEnabled);
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
     * Whether the request's resource matches: {@code TRUE}, {@code FALSE}, or null when a policy variable has
     * no value and the pattern cannot be resolved.
     */
    Boolean matches(EvaluationScope scope) {
        Wildcard[] pattern = compiled;
        if (pattern == null) {
            pattern = new Wildcard[segments.length];
            for (int i = 0; i < segments.length; i++) {
                pattern[i] = segments[i].pattern(scope);
                if (pattern[i] == null) {
                    return null;
                }
            }
        }
        return scope.resource().matches(pattern);
    }

    @Override
    public String toString() {
        return raw;
    }
}
