package org.opensts.policy;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The condition operators of the IAM policy language, without their {@code IfExists} suffix or set
 * qualifier. Each negated operator ({@code StringNotEquals}, {@code NotIpAddress}, ...) is the complement of
 * its positive partner, which is what {@link #positive()} names.
 */
enum ConditionOperator {
    STRING_EQUALS("StringEquals", Family.STRING, false),
    STRING_NOT_EQUALS("StringNotEquals", Family.STRING, true),
    STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Family.STRING, false),
    STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Family.STRING, true),
    STRING_LIKE("StringLike", Family.STRING, false),
    STRING_NOT_LIKE("StringNotLike", Family.STRING, true),
    NUMERIC_EQUALS("NumericEquals", Family.NUMERIC, false),
    NUMERIC_NOT_EQUALS("NumericNotEquals", Family.NUMERIC, true),
    NUMERIC_LESS_THAN("NumericLessThan", Family.NUMERIC, false),
    NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN("NumericGreaterThan", Family.NUMERIC, false),
    NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Family.NUMERIC, false),
    DATE_EQUALS("DateEquals", Family.DATE, false),
    DATE_NOT_EQUALS("DateNotEquals", Family.DATE, true),
    DATE_LESS_THAN("DateLessThan", Family.DATE, false),
    DATE_LESS_THAN_EQUALS("DateLessThanEquals", Family.DATE, false),
    DATE_GREATER_THAN("DateGreaterThan", Family.DATE, false),
    DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Family.DATE, false),
    BOOL("Bool", Family.BOOL, false),
    BINARY_EQUALS("BinaryEquals", Family.BINARY, false),
    IP_ADDRESS("IpAddress", Family.IP, false),
    NOT_IP_ADDRESS("NotIpAddress", Family.IP, true),
    ARN_EQUALS("ArnEquals", Family.ARN, false),
    ARN_LIKE("ArnLike", Family.ARN, false),
    ARN_NOT_EQUALS("ArnNotEquals", Family.ARN, true),
    ARN_NOT_LIKE("ArnNotLike", Family.ARN, true),
    NULL("Null", Family.NULL, false);

    /** How an operator reads its values. Variables are allowed only in the string, boolean and ARN families. */
    enum Family {
        STRING(true), NUMERIC(false), DATE(false), BOOL(true), BINARY(false), IP(false), ARN(true), NULL(false);

        private final boolean variables;

        Family(boolean variables) {
            this.variables = variables;
        }

        boolean allowsVariables() {
            return variables;
        }
    }

    private static final Map<String, ConditionOperator> BY_NAME = new HashMap<>();

    static {
        for (ConditionOperator op : values()) {
            BY_NAME.put(op.wireName.toLowerCase(Locale.ROOT), op);
        }
    }

    private final String wireName;
    private final Family family;
    private final boolean negated;

    ConditionOperator(String wireName, Family family, boolean negated) {
        this.wireName = wireName;
        this.family = family;
        this.negated = negated;
    }

    String wireName() {
        return wireName;
    }

    Family family() {
        return family;
    }

    /** Whether the operator is the complement of {@link #positive()}. */
    boolean negated() {
        return negated;
    }

    /** The non-negated operator whose result this one complements (itself if not negated). */
    ConditionOperator positive() {
        switch (this) {
            case STRING_NOT_EQUALS:
                return STRING_EQUALS;
            case STRING_NOT_EQUALS_IGNORE_CASE:
                return STRING_EQUALS_IGNORE_CASE;
            case STRING_NOT_LIKE:
                return STRING_LIKE;
            case NUMERIC_NOT_EQUALS:
                return NUMERIC_EQUALS;
            case DATE_NOT_EQUALS:
                return DATE_EQUALS;
            case NOT_IP_ADDRESS:
                return IP_ADDRESS;
            case ARN_NOT_EQUALS:
            case ARN_NOT_LIKE:
                return ARN_LIKE;
            case ARN_EQUALS:
                // "The ArnEquals and ArnLike condition operators behave identically."
                return ARN_LIKE;
            default:
                return this;
        }
    }

    /** The operator named {@code name}; names are compared case-insensitively. */
    static Optional<ConditionOperator> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }
}
