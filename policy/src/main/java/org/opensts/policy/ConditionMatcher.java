package org.opensts.policy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.IpRange;
import org.opensts.policy.internal.PolicyDates;
import org.opensts.policy.internal.Wildcard;

/**
 * How one family of condition operators compares a request value with a clause's policy values: one
 * implementation per family, and two for the String family, whose equality and wildcard operators compile their
 * values into different things (literals, patterns). The {@link ConditionClause} keeps what every family shares
 * (the key, the set qualifier, {@code IfExists}, negation, the missing-key rules) and asks its matcher one
 * question: does request value {@code i} match at least one policy value under the positive operator?
 *
 * <p>Design note: each matcher compiles its policy values once, into the form it compares — literals, wildcard
 * patterns, decimals, epoch milliseconds, address ranges, bytes, per-segment ARN patterns — and drops values
 * that cannot be read as its type, since those match nothing ("Condition operators"). Values of the String,
 * Bool and Arn families may hold policy variables; such a matcher is {@link #resolve resolved} per evaluation
 * into one with the variables substituted, and only the resolved one compares. A matcher without variables
 * resolves to itself, so evaluating it allocates nothing; the typed readings of request values are cached by
 * {@link ContextValues}, not here.
 */
sealed interface ConditionMatcher {
    /**
     * Compiles the policy values of {@code operator}'s family. A negated operator compiles as its positive
     * partner: negation is the clause's business.
     *
     * @param variablesEnabled whether the policy has policy variables at all ({@code 2012-10-17}); only the
     *     String, Bool and Arn families read them
     */
    static ConditionMatcher compile(ConditionOperator operator, List<String> values, boolean variablesEnabled) {
        boolean variables = variablesEnabled && operator.family().allowsVariables();
        ConditionOperator positive = operator.positive();
        return switch (operator.family()) {
            case STRING -> positive == ConditionOperator.STRING_LIKE ? StringLike.compile(values, variables)
                    : StringEquals.compile(values, variables,
                            /* ignoreCase= */ positive == ConditionOperator.STRING_EQUALS_IGNORE_CASE);
            case NUMERIC -> Numeric.compile(values, Ordering.of(positive));
            case DATE -> Date.compile(values, Ordering.of(positive));
            case BOOL -> Bool.compile(values, variables);
            case BINARY -> Binary.compile(values);
            case IP -> IpAddress.compile(values);
            case ARN -> Arn.compile(values, variables);
            case NULL -> Null.compile(values);
        };
    }

    /**
     * This matcher with the policy variables of its values substituted from the request: itself when its
     * values have none. A value whose variable has no value is left out, since nothing equals it. Null when
     * every value is left out; the clause then holds for a negated operator only.
     */
    default ConditionMatcher resolve(EvaluationScope scope) {
        return this;
    }

    /** Whether request value {@code index} of {@code values} matches at least one policy value. */
    boolean matches(ContextValues values, int index);

    /** Adds the keys of the policy variables in the values (as written) to {@code keys}. */
    default void collectKeys(Set<String> keys) {
    }

    /** How a Numeric or Date operator orders the request value against a policy value. */
    enum Ordering {
        EQUAL, LESS, LESS_OR_EQUAL, GREATER, GREATER_OR_EQUAL;

        static Ordering of(ConditionOperator positive) {
            switch (positive) {
                case NUMERIC_EQUALS:
                case DATE_EQUALS:
                    return EQUAL;
                case NUMERIC_LESS_THAN:
                case DATE_LESS_THAN:
                    return LESS;
                case NUMERIC_LESS_THAN_EQUALS:
                case DATE_LESS_THAN_EQUALS:
                    return LESS_OR_EQUAL;
                case NUMERIC_GREATER_THAN:
                case DATE_GREATER_THAN:
                    return GREATER;
                case NUMERIC_GREATER_THAN_EQUALS:
                case DATE_GREATER_THAN_EQUALS:
                    return GREATER_OR_EQUAL;
                default:
                    throw new IllegalArgumentException("not an ordering operator: " + positive);
            }
        }

        /** Whether a comparison result (request value against policy value) satisfies this ordering. */
        boolean admits(int comparison) {
            switch (this) {
                case EQUAL:
                    return comparison == 0;
                case LESS:
                    return comparison < 0;
                case LESS_OR_EQUAL:
                    return comparison <= 0;
                case GREATER:
                    return comparison > 0;
                default:
                    return comparison >= 0;
            }
        }
    }

    /** {@code StringEquals}, {@code StringEqualsIgnoreCase} and their negations: whole values, no wildcards. */
    final class StringEquals implements ConditionMatcher {
        private final ValueTemplate[] templates;
        private final boolean variables;
        private final boolean ignoreCase;
        private final String[] literals;

        private StringEquals(ValueTemplate[] templates, boolean variables, boolean ignoreCase, String[] literals) {
            this.templates = templates;
            this.variables = variables;
            this.ignoreCase = ignoreCase;
            this.literals = literals;
        }

        static StringEquals compile(List<String> values, boolean variablesEnabled, boolean ignoreCase) {
            ValueTemplate[] templates = templates(values, variablesEnabled);
            boolean variables = anyVariables(templates);
            // With variables, the literals exist only in the matcher that resolve() makes.
            return new StringEquals(templates, variables, ignoreCase,
                    variables ? new String[0] : literals(templates, null));
        }

        @Override
        public StringEquals resolve(EvaluationScope scope) {
            if (!variables) {
                return this;
            }
            String[] resolved = literals(templates, scope);
            return resolved.length == 0 ? null : new StringEquals(templates, false, ignoreCase, resolved);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            String value = values.get(index);
            for (String literal : literals) {
                if (ignoreCase ? value.equalsIgnoreCase(literal) : value.equals(literal)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void collectKeys(Set<String> keys) {
            collectTemplateKeys(templates, keys);
        }
    }

    /** {@code StringLike} and {@code StringNotLike}: {@code *} and {@code ?} are wildcards, case-sensitive. */
    final class StringLike implements ConditionMatcher {
        private final ValueTemplate[] templates;
        private final boolean variables;
        private final Wildcard[] patterns;

        private StringLike(ValueTemplate[] templates, boolean variables, Wildcard[] patterns) {
            this.templates = templates;
            this.variables = variables;
            this.patterns = patterns;
        }

        static StringLike compile(List<String> values, boolean variablesEnabled) {
            ValueTemplate[] templates = templates(values, variablesEnabled);
            boolean variables = anyVariables(templates);
            return new StringLike(templates, variables, variables ? new Wildcard[0] : patterns(templates, null));
        }

        @Override
        public StringLike resolve(EvaluationScope scope) {
            if (!variables) {
                return this;
            }
            Wildcard[] resolved = patterns(templates, scope);
            return resolved.length == 0 ? null : new StringLike(templates, false, resolved);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            String value = values.get(index);
            for (Wildcard pattern : patterns) {
                if (pattern.matches(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void collectKeys(Set<String> keys) {
            collectTemplateKeys(templates, keys);
        }
    }

    /** The {@code Numeric*} operators: values compared as decimals, so {@code 10} equals {@code 10.0}. */
    final class Numeric implements ConditionMatcher {
        private final BigDecimal[] numbers;
        private final Ordering ordering;

        private Numeric(BigDecimal[] numbers, Ordering ordering) {
            this.numbers = numbers;
            this.ordering = ordering;
        }

        static Numeric compile(List<String> values, Ordering ordering) {
            var numbers = new BigDecimal[values.size()];
            int count = 0;
            for (String value : values) {
                if (ContextValues.parseNumber(value) instanceof BigDecimal number) {
                    numbers[count++] = number;
                }
            }
            return new Numeric(Arrays.copyOf(numbers, count), ordering);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            BigDecimal value = values.number(index);
            if (value == null) {
                return false;
            }
            for (BigDecimal number : numbers) {
                if (ordering.admits(value.compareTo(number))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The {@code Date*} operators: ISO 8601 dates and times or epoch seconds, compared as instants. */
    final class Date implements ConditionMatcher {
        private final long[] epochMillis;
        private final Ordering ordering;

        private Date(long[] epochMillis, Ordering ordering) {
            this.epochMillis = epochMillis;
            this.ordering = ordering;
        }

        static Date compile(List<String> values, Ordering ordering) {
            var millis = new long[values.size()];
            int count = 0;
            for (String value : values) {
                long parsed = PolicyDates.parseEpochMillis(value);
                if (parsed != PolicyDates.INVALID) {
                    millis[count++] = parsed;
                }
            }
            return new Date(Arrays.copyOf(millis, count), ordering);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            long value = values.epochMillis(index);
            if (value == PolicyDates.INVALID) {
                return false;
            }
            for (long millis : epochMillis) {
                if (ordering.admits(Long.compare(value, millis))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code Bool}: {@code true} or {@code false}, ignoring case and surrounding spaces. */
    final class Bool implements ConditionMatcher {
        private final ValueTemplate[] templates;
        private final boolean variables;
        private final boolean acceptsTrue;
        private final boolean acceptsFalse;

        private Bool(ValueTemplate[] templates, boolean variables, boolean acceptsTrue, boolean acceptsFalse) {
            this.templates = templates;
            this.variables = variables;
            this.acceptsTrue = acceptsTrue;
            this.acceptsFalse = acceptsFalse;
        }

        static Bool compile(List<String> values, boolean variablesEnabled) {
            ValueTemplate[] templates = templates(values, variablesEnabled);
            boolean variables = anyVariables(templates);
            // With variables, what the values accept is known only in the matcher that resolve() makes.
            return variables ? new Bool(templates, true, false, false) : read(templates, null);
        }

        /** Reads the values; null if none resolves. Reads without an intermediate array: this runs per request. */
        private static Bool read(ValueTemplate[] templates, EvaluationScope scope) {
            boolean acceptsTrue = false;
            boolean acceptsFalse = false;
            int resolved = 0;
            for (ValueTemplate template : templates) {
                String literal = template.literal(scope);
                if (literal != null) {
                    resolved++;
                    Boolean value = parseBoolean(literal);
                    acceptsTrue |= value == Boolean.TRUE;
                    acceptsFalse |= value == Boolean.FALSE;
                }
            }
            return resolved == 0 && templates.length > 0 ? null : new Bool(templates, false, acceptsTrue, acceptsFalse);
        }

        @Override
        public Bool resolve(EvaluationScope scope) {
            return variables ? read(templates, scope) : this;
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            Boolean value = parseBoolean(values.get(index));
            return value != null && (value ? acceptsTrue : acceptsFalse);
        }

        @Override
        public void collectKeys(Set<String> keys) {
            collectTemplateKeys(templates, keys);
        }
    }

    /** {@code BinaryEquals}: base64 values compared byte for byte (text that is not base64 as its UTF-8). */
    final class Binary implements ConditionMatcher {
        private final byte[][] bytes;

        private Binary(byte[][] bytes) {
            this.bytes = bytes;
        }

        static Binary compile(List<String> values) {
            var bytes = new byte[values.size()][];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = ContextValues.decodeBinary(values.get(i));
            }
            return new Binary(bytes);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            byte[] value = values.binary(index);
            for (byte[] b : bytes) {
                // Condition values are not secrets: a plain comparison is fine here.
                if (Arrays.equals(value, b)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code IpAddress} and {@code NotIpAddress}: IPv4 or IPv6 CIDR ranges. */
    final class IpAddress implements ConditionMatcher {
        private final IpRange[] ranges;

        private IpAddress(IpRange[] ranges) {
            this.ranges = ranges;
        }

        static IpAddress compile(List<String> values) {
            var ranges = new IpRange[values.size()];
            int count = 0;
            for (String value : values) {
                IpRange range = IpRange.parse(value).orElse(null);
                if (range != null) {
                    ranges[count++] = range;
                }
            }
            return new IpAddress(Arrays.copyOf(ranges, count));
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            IpRange value = values.address(index);
            if (value == null) {
                return false;
            }
            for (IpRange range : ranges) {
                if (range.contains(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The {@code Arn*} operators: segment by segment, a wildcard staying within its segment. {@code ArnEquals}
     * and {@code ArnLike} are one: "The ArnEquals and ArnLike condition operators behave identically."
     */
    final class Arn implements ConditionMatcher {
        private final ValueTemplate[][] templates;
        private final boolean variables;
        private final Wildcard[][] patterns;

        private Arn(ValueTemplate[][] templates, boolean variables, Wildcard[][] patterns) {
            this.templates = templates;
            this.variables = variables;
            this.patterns = patterns;
        }

        static Arn compile(List<String> values, boolean variablesEnabled) {
            var templates = new ValueTemplate[values.size()][];
            boolean variables = false;
            for (int i = 0; i < templates.length; i++) {
                List<String> segments = ArnSegments.splitPattern(values.get(i), variablesEnabled);
                templates[i] = templates(segments, variablesEnabled);
                variables |= anyVariables(templates[i]);
            }
            return new Arn(templates, variables, variables ? new Wildcard[0][] : patterns(templates, null));
        }

        @Override
        public Arn resolve(EvaluationScope scope) {
            if (!variables) {
                return this;
            }
            Wildcard[][] resolved = patterns(templates, scope);
            return resolved.length == 0 ? null : new Arn(templates, false, resolved);
        }

        /** One wildcard per segment for each value; a value with a segment that does not resolve is dropped. */
        private static Wildcard[][] patterns(ValueTemplate[][] templates, EvaluationScope scope) {
            var out = new Wildcard[templates.length][];
            int count = 0;
            outer:
            for (ValueTemplate[] segments : templates) {
                var compiled = new Wildcard[segments.length];
                for (int s = 0; s < segments.length; s++) {
                    compiled[s] = segments[s].pattern(scope);
                    if (compiled[s] == null) {
                        continue outer;
                    }
                }
                out[count++] = compiled;
            }
            return count == out.length ? out : Arrays.copyOf(out, count);
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            ArnSegments value = values.arn(index);
            for (Wildcard[] pattern : patterns) {
                if (value.matches(pattern)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void collectKeys(Set<String> keys) {
            for (ValueTemplate[] segments : templates) {
                collectTemplateKeys(segments, keys);
            }
        }
    }

    /**
     * {@code Null}: {@code true} holds when the key is absent (or has no values), {@code false} when it is
     * present. It tests the key's presence rather than its values, so the clause asks {@link #holds} instead
     * of applying its missing-key rules; {@link #matches} answers for a value that is there.
     */
    record Null(boolean acceptsAbsent, boolean acceptsPresent) implements ConditionMatcher {
        static Null compile(List<String> values) {
            boolean acceptsAbsent = false;
            boolean acceptsPresent = false;
            for (String value : values) {
                Boolean expectAbsent = parseBoolean(value);
                acceptsAbsent |= expectAbsent == Boolean.TRUE;
                acceptsPresent |= expectAbsent == Boolean.FALSE;
            }
            return new Null(acceptsAbsent, acceptsPresent);
        }

        /** Whether the condition holds for a key that is absent (or has no values), or present. */
        boolean holds(boolean absent) {
            return absent ? acceptsAbsent : acceptsPresent;
        }

        @Override
        public boolean matches(ContextValues values, int index) {
            return acceptsPresent;
        }
    }

    private static ValueTemplate[] templates(List<String> values, boolean variablesEnabled) {
        var templates = new ValueTemplate[values.size()];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = ValueTemplate.compile(values.get(i), variablesEnabled);
        }
        return templates;
    }

    private static boolean anyVariables(ValueTemplate[] templates) {
        for (ValueTemplate template : templates) {
            if (template.hasVariables()) {
                return true;
            }
        }
        return false;
    }

    private static void collectTemplateKeys(ValueTemplate[] templates, Set<String> keys) {
        for (ValueTemplate template : templates) {
            template.collectKeys(keys);
        }
    }

    /** The values as literal text, dropping those with a variable that has no value. */
    private static String[] literals(ValueTemplate[] templates, EvaluationScope scope) {
        var out = new String[templates.length];
        int count = 0;
        for (ValueTemplate template : templates) {
            String literal = template.literal(scope);
            if (literal != null) {
                out[count++] = literal;
            }
        }
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    /** The values as wildcard patterns, dropping those with a variable that has no value. */
    private static Wildcard[] patterns(ValueTemplate[] templates, EvaluationScope scope) {
        var out = new Wildcard[templates.length];
        int count = 0;
        for (ValueTemplate template : templates) {
            Wildcard pattern = template.pattern(scope);
            if (pattern != null) {
                out[count++] = pattern;
            }
        }
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    /** {@code true} or {@code false}, ignoring case and surrounding spaces; null for anything else. */
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
}
