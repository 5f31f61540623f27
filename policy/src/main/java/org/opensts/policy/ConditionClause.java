package org.opensts.policy;

import java.util.List;
import java.util.Set;

/**
 * One condition key tested by one operator: {@code "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": [...]}}
 * contributes one clause per key. A statement's conditions hold when all its clauses do (AND); a clause holds
 * when the request's value matches any of its values (OR).
 *
 * <p>AWS rules followed (IAM User Guide, "Condition operators", "Single-valued vs. multivalued context keys"):
 * <ul>
 *   <li>Key missing from the request: positive operators are false, negated operators true; with
 *       {@code ...IfExists} the clause is true; {@code ForAllValues} is true and {@code ForAnyValue} false
 *       (also for a key present with no values, the "empty data set").</li>
 *   <li>{@code ForAllValues:op}: every request value satisfies {@code op} against the policy values;
 *       {@code ForAnyValue:op}: at least one does. For a negated operator "satisfies" means "matches none of
 *       the policy values", so {@code ForAllValues:StringNotLike} says no request value is like any of
 *       them.</li>
 *   <li>Without a qualifier, a positive operator matches when any request value matches any policy value, and
 *       a negated operator is the complement of its positive partner.</li>
 *   <li>{@code Null}: {@code true} holds when the key is absent, {@code false} when it is present.</li>
 *   <li>A policy value that cannot be read as the operator's type (a number, date, address, boolean) matches
 *       nothing; so does a request value that cannot.</li>
 *   <li>A value whose variable has no value (and no default) is dropped; a clause left with no values is
 *       false, whatever the operator.</li>
 * </ul>
 * What the operator's family compares, and how it reads the policy values, is its {@link ConditionMatcher},
 * compiled here once; the clause applies the rules above, which all families share.
 */
final class ConditionClause {
    /** The set qualifier written before the operator. */
    enum SetQualifier {
        NONE(""), FOR_ALL_VALUES("ForAllValues:"), FOR_ANY_VALUE("ForAnyValue:");

        private final String prefix;

        SetQualifier(String prefix) {
            this.prefix = prefix;
        }
    }

    private static final String IF_EXISTS = "IfExists";

    private final String operatorText;
    private final boolean negated;
    private final SetQualifier qualifier;
    private final boolean ifExists;
    private final String key;
    private final String lowerKey;
    private final List<String> rawValues;
    private final ConditionMatcher matcher;

    private ConditionClause(String operatorText, ConditionOperator operator, SetQualifier qualifier,
            boolean ifExists, String key, List<String> rawValues, boolean variablesEnabled) {
        this.operatorText = operatorText;
        this.negated = operator.negated();
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = key;
        this.lowerKey = RequestContext.lower(key);
        this.rawValues = List.copyOf(rawValues);
        this.matcher = ConditionMatcher.compile(operator, this.rawValues, variablesEnabled);
    }

    /**
     * Compiles one clause.
     *
     * @param operatorText the operator as written, with any qualifier and {@code IfExists} suffix
     * @throws MalformedPolicyException if the operator or qualifier is not one IAM knows
     */
    static ConditionClause compile(String operatorText, String key, List<String> values, boolean variablesEnabled)
            throws MalformedPolicyException {
        Parsed parsed = parse(operatorText);
        return new ConditionClause(operatorText, parsed.operator(), parsed.qualifier(), parsed.ifExists(), key, values,
                variablesEnabled);
    }

    /**
     * The operator a condition block names, without its qualifier and {@code IfExists} suffix.
     *
     * @throws MalformedPolicyException if the operator or qualifier is not one IAM knows: a syntax error
     */
    static ConditionOperator operator(String operatorText) throws MalformedPolicyException {
        return parse(operatorText).operator();
    }

    private record Parsed(ConditionOperator operator, SetQualifier qualifier, boolean ifExists) {
    }

    private static Parsed parse(String operatorText) throws MalformedPolicyException {
        SetQualifier qualifier = SetQualifier.NONE;
        String rest = operatorText;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            String prefix = rest.substring(0, colon + 1);
            if (prefix.equalsIgnoreCase(SetQualifier.FOR_ALL_VALUES.prefix)) {
                qualifier = SetQualifier.FOR_ALL_VALUES;
            } else if (prefix.equalsIgnoreCase(SetQualifier.FOR_ANY_VALUE.prefix)) {
                qualifier = SetQualifier.FOR_ANY_VALUE;
            } else {
                throw PolicyErrors.invalidConditionType(operatorText);
            }
            rest = rest.substring(colon + 1);
        }
        boolean ifExists = false;
        if (rest.length() > IF_EXISTS.length()
                && rest.regionMatches(true, rest.length() - IF_EXISTS.length(), IF_EXISTS, 0, IF_EXISTS.length())) {
            ifExists = true;
            rest = rest.substring(0, rest.length() - IF_EXISTS.length());
        }
        var operator = ConditionOperator.named(rest).orElse(null);
        if (operator == null || operator == ConditionOperator.NULL && ifExists) {
            throw PolicyErrors.invalidConditionType(operatorText);
        }
        return new Parsed(operator, qualifier, ifExists);
    }

    /** Adds the condition key and the keys of any variables in the values to {@code keys}. */
    void collectKeys(Set<String> keys) {
        keys.add(key);
        matcher.collectKeys(keys);
    }

    /** Notes the key in {@code scope} if the request lacks it, without evaluating the clause. */
    void noteIfMissing(EvaluationScope scope) {
        if (scope.lookup(lowerKey) == null) {
            scope.noteMissing(key);
        }
    }

    /** Whether the request satisfies this clause; notes the key in {@code scope} if the request lacks it. */
    boolean evaluate(EvaluationScope scope) {
        ContextValues values = scope.lookup(lowerKey);
        if (values == null) {
            scope.noteMissing(key);
        }
        boolean absent = values == null || values.size() == 0
                || qualifier != SetQualifier.NONE && onlyEmptyStrings(values);
        if (matcher instanceof ConditionMatcher.Null nullCheck) {
            // Null tests the key's presence itself: no qualifier or missing-key rule applies.
            return nullCheck.holds(absent);
        }
        if (absent) {
            if (ifExists) {
                return true;
            }
            switch (qualifier) {
                case FOR_ALL_VALUES:
                    return true;
                case FOR_ANY_VALUE:
                    return false;
                default:
                    return negated;
            }
        }
        ConditionMatcher resolved = matcher.resolve(scope);
        if (resolved == null) {
            // Every policy value names a variable with no value: "effectively null", so no request value equals or is
            // like it. A positive operator does not match; "inverted condition operators like StringNotEquals or
            // StringNotLike do match against a null value" (IAM User Guide, "Policy variables with no value"), with or
            // without a set qualifier.
            return negated;
        }
        switch (qualifier) {
            case FOR_ALL_VALUES:
                for (int i = 0; i < values.size(); i++) {
                    if (resolved.matches(values, i) == negated) {
                        return false;
                    }
                }
                return true;
            case FOR_ANY_VALUE:
                for (int i = 0; i < values.size(); i++) {
                    if (resolved.matches(values, i) != negated) {
                        return true;
                    }
                }
                return false;
            default:
                for (int i = 0; i < values.size(); i++) {
                    if (resolved.matches(values, i)) {
                        return !negated;
                    }
                }
                return negated;
        }
    }

    /**
     * Whether every value is the empty string: for a set qualifier that is "a null data set, such as an empty string"
     * ({@code ForAllValues} true, {@code ForAnyValue} false: IAM User Guide, "Creating a condition with multiple keys
     * or values"). A single-valued operator still compares it as a value, as AWS's {@code s3:prefix} example of
     * {@code ""} for a bucket's root shows.
     */
    private static boolean onlyEmptyStrings(ContextValues values) {
        for (int i = 0; i < values.size(); i++) {
            if (!values.get(i).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return operatorText + "{" + key + ": " + rawValues + "}";
    }
}
