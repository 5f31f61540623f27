package org.opensts.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An estimate of the work of evaluating policies against a request, made before evaluating, so that a caller who
 * supplies the policies or the context values (the policy simulator's callers, a service asking the authorization API,
 * a client whose request carries long condition key values) cannot hold a core for long.
 *
 * <p>Design note: pattern matching is linear, or nearly so, in pattern + value ({@code Wildcard}), so one evaluation
 * costs at most about the policies' length plus, for each condition value and each policy variable, the length of
 * the context values it may be compared with or replaced by, and for each pattern of an {@code Action},
 * {@code Resource} or {@code Principal} element (or its {@code Not} form), the length of the request's action,
 * resource and principal ARN it is matched with: {@code policy characters + weighted condition values × (context
 * characters + 1) + weighted patterns × (request characters + 1)} units. A value longer than {@value #SHORT_PATTERN}
 * characters holding {@code ?} weighs {@value #TRANSFORM_WEIGHT}: it is matched by a number-theoretic transform that
 * costs about that many times a plain comparison per character. {@link #MAX_UNITS} is tens of milliseconds of one
 * core for literal patterns and about a second at most for the costliest ones ({@code WildcardBenchmark}: a
 * 65,000-character segment holding {@code ?} against a 1,000,000-character value, 0.65–0.9 s on a shared 2-core
 * machine).
 */
public final class EvaluationCost {
    /** The most one call may ask for: its callers refuse more, before evaluating anything. */
    public static final long MAX_UNITS = 1L << 26;
    /**
     * Above this an evaluation is costly (a few milliseconds of a core or more), and callers that take requests from
     * anyone run only a few such at once; an ordinary request (a bucket policy of 20 KB with a hundred condition
     * values, a kilobyte of context) costs a few hundred thousand units.
     */
    public static final long COSTLY_UNITS = 1L << 20;
    static final int SHORT_PATTERN = 32;
    static final int TRANSFORM_WEIGHT = 64;

    private EvaluationCost() {
    }

    /**
     * The units of one evaluation of {@code policies}; {@link Long#MAX_VALUE} rather than an overflow.
     *
     * @param contextCharacters the characters of the context values, in all ({@link RequestContext#characters()})
     * @param requestCharacters the characters of the action, the resource and the principal's ARN, in all: what the
     *     statements' {@code Action}, {@code Resource} and {@code Principal} patterns are matched with
     */
    public static long ofOneEvaluation(List<LabeledPolicy> policies, long contextCharacters, long requestCharacters) {
        long policyCharacters = 0;
        long conditionValues = 0;
        long patterns = 0;
        for (LabeledPolicy policy : policies) {
            policyCharacters += policy.policy().document().length();
            conditionValues = saturatedAdd(conditionValues, policy.policy().conditionWeights().values());
            patterns += policy.policy().patternWeight();
        }
        return saturatedAdd(policyCharacters, saturatedAdd(
                saturatedMultiply(conditionValues, contextCharacters + 1),
                saturatedMultiply(patterns, requestCharacters + 1)));
    }

    /**
     * The units of one evaluation of {@code policies} in {@code context}, each condition value weighed against the
     * values of the key it tests rather than against every value of the context: a value is matched with each of its
     * key's values, which costs its own length once per context value plus their characters. Keys named through a
     * policy variable, and the variables themselves, are weighed against the whole context. Tighter than
     * {@link #ofOneEvaluation(List, long, long)} for a request whose context holds values its policies do not test.
     *
     * @param requestCharacters the characters of the action, the resource and the principal's ARN, in all
     */
    public static long ofOneEvaluation(List<LabeledPolicy> policies, RequestContext context, long requestCharacters) {
        long units = 0;
        long patterns = 0;
        long anyKeyValues = 0;
        long anyKeyCharacters = 0;
        for (LabeledPolicy policy : policies) {
            units = saturatedAdd(units, policy.policy().document().length());
            patterns = saturatedAdd(patterns, policy.policy().patternWeight());
            ConditionWeights weights = policy.policy().conditionWeights();
            for (Map.Entry<String, KeyWeight> tested : weights.byKey().entrySet()) {
                units = saturatedAdd(units, tested.getValue().against(context.characters(tested.getKey()),
                        context.valueCount(tested.getKey())));
            }
            anyKeyValues = saturatedAdd(anyKeyValues, weights.anyKey().values());
            anyKeyCharacters = saturatedAdd(anyKeyCharacters, weights.anyKey().characters());
        }
        if (anyKeyValues > 0) { // the whole context is counted only for policies that may reach any of it
            units = saturatedAdd(units, new KeyWeight(anyKeyValues, anyKeyCharacters).against(context.characters(),
                    context.valueCount()));
        }
        return saturatedAdd(units, saturatedMultiply(patterns, requestCharacters + 1));
    }

    /**
     * What the condition values testing one key weigh: their count and their characters, each value weighted by how
     * it is matched.
     */
    record KeyWeight(long values, long characters) {
        static final KeyWeight NONE = new KeyWeight(0, 0);

        KeyWeight plus(KeyWeight other) {
            return new KeyWeight(saturatedAdd(values, other.values), saturatedAdd(characters, other.characters));
        }

        /** Matched with {@code count} context values of {@code contextCharacters} characters in all. */
        long against(long contextCharacters, long count) {
            return saturatedAdd(saturatedMultiply(values, contextCharacters + 1),
                    saturatedMultiply(characters, count + 1));
        }
    }

    /**
     * A policy's condition values by the key they test (lower case), and those weighed against the whole context:
     * the values of keys named through a policy variable, and one value of a character per variable in the document.
     */
    record ConditionWeights(Map<String, KeyWeight> byKey, KeyWeight anyKey) {
        /** Every condition value and variable, weighted: what the context is weighed against when known by length. */
        long values() {
            long values = anyKey.values();
            for (KeyWeight weight : byKey.values()) {
                values = saturatedAdd(values, weight.values());
            }
            return values;
        }
    }

    static ConditionWeights conditionWeights(String document, List<PolicyStatement> statements) {
        var byKey = new HashMap<String, KeyWeight>();
        KeyWeight anyKey = KeyWeight.NONE;
        for (PolicyStatement statement : statements) {
            for (Map<String, List<String>> keys : statement.conditions().values()) {
                for (Map.Entry<String, List<String>> tested : keys.entrySet()) {
                    KeyWeight weight = weighWithCharacters(tested.getValue());
                    if (tested.getKey().contains("${")) {
                        anyKey = anyKey.plus(weight);
                    } else {
                        byKey.merge(RequestContext.lower(tested.getKey()), weight, KeyWeight::plus);
                    }
                }
            }
        }
        for (int at = document.indexOf("${"); at >= 0; at = document.indexOf("${", at + 2)) {
            anyKey = anyKey.plus(new KeyWeight(1, 1));
        }
        return new ConditionWeights(Map.copyOf(byKey), anyKey);
    }

    private static KeyWeight weighWithCharacters(List<String> values) {
        long count = 0;
        long characters = 0;
        for (String value : values) {
            long weight = weightOf(value);
            count += weight;
            characters = saturatedAdd(characters, saturatedMultiply(weight, value.length()));
        }
        return new KeyWeight(count, characters);
    }

    /** {@code a × b} for non-negative numbers, or {@link Long#MAX_VALUE} if that overflows. */
    public static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    /** The patterns of the statements' action, resource and principal elements, each weighted as it is matched. */
    static long weightedPatterns(List<PolicyStatement> statements) {
        long weighted = 0;
        for (PolicyStatement statement : statements) {
            weighted += weigh(statement.actions()) + weigh(statement.resources());
            for (List<String> principals : statement.principal().values()) {
                weighted += weigh(principals);
            }
        }
        return weighted;
    }

    private static long weigh(List<String> values) {
        long weighted = 0;
        for (String value : values) {
            weighted += weightOf(value);
        }
        return weighted;
    }

    /** How a pattern or condition value is matched: a long one holding {@code ?} by the transform. */
    private static long weightOf(String value) {
        return value.length() > SHORT_PATTERN && value.indexOf('?') >= 0 ? TRANSFORM_WEIGHT : 1;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
