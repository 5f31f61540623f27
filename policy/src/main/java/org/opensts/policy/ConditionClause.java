package org.opensts.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.IpRange;
import org.opensts.policy.internal.PolicyDates;
import org.opensts.policy.internal.Wildcard;

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
 * Everything that can be compiled is compiled here, once: patterns, numbers, dates, address ranges, bytes.
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
    private final ConditionOperator operator;
    private final ConditionOperator positive;
    private final SetQualifier qualifier;
    private final boolean ifExists;
    private final String key;
    private final String lowerKey;
    private final List<String> rawValues;
    private final boolean variables;

    private final ValueTemplate[] templates;
    private final ValueTemplate[][] arnTemplates;
    private final String[] literals;
    private final Wildcard[] patterns;
    private final Wildcard[][] arnPatterns;
    private final BigDecimal[] numbers;
    private final long[] dates;
    private final IpRange[] ranges;
    private final byte[][] binaries;
    private final Boolean[] nullChecks;
    private final Resolved compiledValues;

    private ConditionClause(String operatorText, ConditionOperator operator, SetQualifier qualifier,
            boolean ifExists, String key, List<String> rawValues, boolean variablesEnabled) {
        this.operatorText = operatorText;
        this.operator = operator;
        this.positive = operator.positive();
        this.qualifier = qualifier;
        this.ifExists = ifExists;
        this.key = key;
        this.lowerKey = RequestContext.lower(key);
        this.rawValues = List.copyOf(rawValues);
        int n = rawValues.size();
        boolean useVariables = variablesEnabled && operator.family().allowsVariables();
        ValueTemplate[] t = null;
        ValueTemplate[][] a = null;
        BigDecimal[] num = null;
        long[] d = null;
        IpRange[] r = null;
        byte[][] b = null;
        Boolean[] nc = null;
        boolean anyVariable = false;
        switch (operator.family()) {
            case STRING:
            case BOOL:
                t = new ValueTemplate[n];
                for (int i = 0; i < n; i++) {
                    t[i] = ValueTemplate.compile(rawValues.get(i), useVariables);
                    anyVariable |= t[i].hasVariables();
                }
                break;
            case ARN:
                a = new ValueTemplate[n][];
                for (int i = 0; i < n; i++) {
                    List<String> segments = ArnSegments.splitPattern(rawValues.get(i), useVariables);
                    a[i] = new ValueTemplate[segments.size()];
                    for (int s = 0; s < segments.size(); s++) {
                        a[i][s] = ValueTemplate.compile(segments.get(s), useVariables);
                        anyVariable |= a[i][s].hasVariables();
                    }
                }
                break;
            case NUMERIC:
                num = new BigDecimal[n];
                for (int i = 0; i < n; i++) {
                    Object parsed = ContextValues.parseNumber(rawValues.get(i));
                    num[i] = parsed instanceof BigDecimal ? (BigDecimal) parsed : null;
                }
                break;
            case DATE:
                d = new long[n];
                for (int i = 0; i < n; i++) {
                    d[i] = PolicyDates.parseEpochMillis(rawValues.get(i));
                }
                break;
            case IP:
                r = new IpRange[n];
                for (int i = 0; i < n; i++) {
                    r[i] = IpRange.parse(rawValues.get(i)).orElse(null);
                }
                break;
            case BINARY:
                b = new byte[n][];
                for (int i = 0; i < n; i++) {
                    b[i] = ContextValues.decodeBinary(rawValues.get(i));
                }
                break;
            case NULL:
                nc = new Boolean[n];
                for (int i = 0; i < n; i++) {
                    nc[i] = parseBoolean(rawValues.get(i));
                }
                break;
            default:
                throw new AssertionError(operator);
        }
        this.variables = anyVariable;
        this.templates = t;
        this.arnTemplates = a;
        this.numbers = num;
        this.dates = d;
        this.ranges = r;
        this.binaries = b;
        this.nullChecks = nc;
        // Values without variables are resolved now, once.
        this.literals = t != null && !anyVariable ? literals(null) : null;
        this.patterns = t != null && !anyVariable && positive == ConditionOperator.STRING_LIKE ? patterns(null)
                : null;
        this.arnPatterns = a != null && !anyVariable ? arnPatterns(null) : null;
        this.compiledValues = new Resolved(literals, patterns, arnPatterns);
    }

    /**
     * Compiles one clause.
     *
     * @param operatorText the operator as written, with any qualifier and {@code IfExists} suffix
     * @throws MalformedPolicyException if the operator or qualifier is not one IAM knows
     */
    static ConditionClause compile(String operatorText, String key, List<String> values, boolean variablesEnabled)
            throws MalformedPolicyException {
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
        return new ConditionClause(operatorText, operator, qualifier, ifExists, key, values, variablesEnabled);
    }

    /** Adds the condition key and the keys of any variables in the values to {@code keys}. */
    void collectKeys(Set<String> keys) {
        keys.add(key);
        if (templates != null) {
            for (ValueTemplate t : templates) {
                t.collectKeys(keys);
            }
        }
        if (arnTemplates != null) {
            for (ValueTemplate[] segments : arnTemplates) {
                for (ValueTemplate t : segments) {
                    t.collectKeys(keys);
                }
            }
        }
    }

    /** Notes the key in {@code scope} if the request lacks it, without evaluating the clause. */
    void noteIfMissing(EvaluationScope scope) {
        if (scope.context().lookup(lowerKey) == null) {
            scope.noteMissing(key);
        }
    }

    /** Whether the request satisfies this clause; notes the key in {@code scope} if the request lacks it. */
    boolean evaluate(EvaluationScope scope) {
        ContextValues values = scope.context().lookup(lowerKey);
        if (values == null) {
            scope.noteMissing(key);
        }
        boolean absent = values == null || values.size() == 0;
        if (operator == ConditionOperator.NULL) {
            for (Boolean expectAbsent : nullChecks) {
                if (expectAbsent != null && expectAbsent == absent) {
                    return true;
                }
            }
            return false;
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
                    return operator.negated();
            }
        }
        Resolved resolved = resolve(scope);
        if (resolved == null) {
            return false;
        }
        switch (qualifier) {
            case FOR_ALL_VALUES:
                for (int i = 0; i < values.size(); i++) {
                    if (matches(values, i, resolved) == operator.negated()) {
                        return false;
                    }
                }
                return true;
            case FOR_ANY_VALUE:
                for (int i = 0; i < values.size(); i++) {
                    if (matches(values, i, resolved) != operator.negated()) {
                        return true;
                    }
                }
                return false;
            default:
                for (int i = 0; i < values.size(); i++) {
                    if (matches(values, i, resolved)) {
                        return !operator.negated();
                    }
                }
                return operator.negated();
        }
    }

    /** The policy values with variables substituted; null if every value had an unresolved variable. */
    private Resolved resolve(EvaluationScope scope) {
        if (!variables) {
            return compiledValues;
        }
        if (arnTemplates != null) {
            Wildcard[][] resolved = arnPatterns(scope);
            return resolved.length == 0 && arnTemplates.length > 0 ? null : new Resolved(null, null, resolved);
        }
        String[] resolvedLiterals = literals(scope);
        if (resolvedLiterals.length == 0 && templates.length > 0) {
            return null;
        }
        Wildcard[] resolvedPatterns = positive == ConditionOperator.STRING_LIKE ? patterns(scope) : null;
        return new Resolved(resolvedLiterals, resolvedPatterns, null);
    }

    /** Policy values ready to compare: one of the three arrays is set, per family. */
    private record Resolved(String[] literals, Wildcard[] patterns, Wildcard[][] arnPatterns) {
    }

    private String[] literals(EvaluationScope scope) {
        var out = new ArrayList<String>(templates.length);
        for (ValueTemplate t : templates) {
            String v = t.literal(scope);
            if (v != null) {
                out.add(v);
            }
        }
        return out.toArray(new String[0]);
    }

    private Wildcard[] patterns(EvaluationScope scope) {
        var out = new ArrayList<Wildcard>(templates.length);
        for (ValueTemplate t : templates) {
            Wildcard w = t.pattern(scope);
            if (w != null) {
                out.add(w);
            }
        }
        return out.toArray(new Wildcard[0]);
    }

    private Wildcard[][] arnPatterns(EvaluationScope scope) {
        var out = new ArrayList<Wildcard[]>(arnTemplates.length);
        outer:
        for (ValueTemplate[] segments : arnTemplates) {
            var compiled = new Wildcard[segments.length];
            for (int s = 0; s < segments.length; s++) {
                compiled[s] = segments[s].pattern(scope);
                if (compiled[s] == null) {
                    continue outer;
                }
            }
            out.add(compiled);
        }
        return out.toArray(new Wildcard[0][]);
    }

    /** Whether request value {@code i} matches any policy value under the positive operator. */
    private boolean matches(ContextValues values, int i, Resolved resolved) {
        switch (positive) {
            case STRING_EQUALS: {
                String v = values.get(i);
                for (String p : resolved.literals()) {
                    if (v.equals(p)) {
                        return true;
                    }
                }
                return false;
            }
            case STRING_EQUALS_IGNORE_CASE: {
                String v = values.get(i);
                for (String p : resolved.literals()) {
                    if (v.equalsIgnoreCase(p)) {
                        return true;
                    }
                }
                return false;
            }
            case STRING_LIKE: {
                String v = values.get(i);
                for (Wildcard p : resolved.patterns()) {
                    if (p.matches(v)) {
                        return true;
                    }
                }
                return false;
            }
            case BOOL: {
                Boolean v = parseBoolean(values.get(i));
                if (v == null) {
                    return false;
                }
                for (String p : resolved.literals()) {
                    if (v.equals(parseBoolean(p))) {
                        return true;
                    }
                }
                return false;
            }
            case ARN_LIKE: {
                ArnSegments v = values.arn(i);
                for (Wildcard[] p : resolved.arnPatterns()) {
                    if (v.matches(p)) {
                        return true;
                    }
                }
                return false;
            }
            case NUMERIC_EQUALS:
            case NUMERIC_LESS_THAN:
            case NUMERIC_LESS_THAN_EQUALS:
            case NUMERIC_GREATER_THAN:
            case NUMERIC_GREATER_THAN_EQUALS: {
                BigDecimal v = values.number(i);
                if (v == null) {
                    return false;
                }
                for (BigDecimal p : numbers) {
                    if (p != null && ordered(v.compareTo(p))) {
                        return true;
                    }
                }
                return false;
            }
            case DATE_EQUALS:
            case DATE_LESS_THAN:
            case DATE_LESS_THAN_EQUALS:
            case DATE_GREATER_THAN:
            case DATE_GREATER_THAN_EQUALS: {
                long v = values.epochMillis(i);
                if (v == PolicyDates.INVALID) {
                    return false;
                }
                for (long p : dates) {
                    if (p != PolicyDates.INVALID && ordered(Long.compare(v, p))) {
                        return true;
                    }
                }
                return false;
            }
            case IP_ADDRESS: {
                IpRange v = values.address(i);
                if (v == null) {
                    return false;
                }
                for (IpRange p : ranges) {
                    if (p != null && p.contains(v)) {
                        return true;
                    }
                }
                return false;
            }
            case BINARY_EQUALS: {
                byte[] v = values.binary(i);
                for (byte[] p : binaries) {
                    if (Arrays.equals(v, p)) {
                        return true;
                    }
                }
                return false;
            }
            default:
                throw new AssertionError(positive);
        }
    }

    /** Whether a comparison result (request value against policy value) satisfies the ordering operator. */
    private boolean ordered(int comparison) {
        switch (positive) {
            case NUMERIC_EQUALS:
            case DATE_EQUALS:
                return comparison == 0;
            case NUMERIC_LESS_THAN:
            case DATE_LESS_THAN:
                return comparison < 0;
            case NUMERIC_LESS_THAN_EQUALS:
            case DATE_LESS_THAN_EQUALS:
                return comparison <= 0;
            case NUMERIC_GREATER_THAN:
            case DATE_GREATER_THAN:
                return comparison > 0;
            case NUMERIC_GREATER_THAN_EQUALS:
            case DATE_GREATER_THAN_EQUALS:
                return comparison >= 0;
            default:
                throw new AssertionError(positive);
        }
    }

    private static Boolean parseBoolean(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("true")) {
            return Boolean.TRUE;
        }
        if (s.equals("false")) {
            return Boolean.FALSE;
        }
        return null;
    }

    @Override
    public String toString() {
        return operatorText + "{" + key + ": " + rawValues + "}";
    }
}
