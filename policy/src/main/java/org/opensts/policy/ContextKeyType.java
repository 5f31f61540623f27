package org.opensts.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The type a caller gives a context key, as in the IAM simulator's {@code ContextKeyTypeEnum}. The type is
 * informative: each condition operator reads values as its own family (numbers, dates, addresses...), the
 * way IAM does, and a {@code ...List} type only says the key may have several values.
 */
public enum ContextKeyType {
    STRING("string"),
    STRING_LIST("stringList"),
    NUMERIC("numeric"),
    NUMERIC_LIST("numericList"),
    BOOLEAN("boolean"),
    BOOLEAN_LIST("booleanList"),
    IP("ip"),
    IP_LIST("ipList"),
    BINARY("binary"),
    BINARY_LIST("binaryList"),
    DATE("date"),
    DATE_LIST("dateList");

    private final String wireName;

    ContextKeyType(String wireName) {
        this.wireName = wireName;
    }

    /** The simulator's spelling, such as {@code stringList}. */
    public String wireName() {
        return wireName;
    }

    /** Whether the type admits several values. */
    public boolean isList() {
        return wireName.endsWith("List");
    }

    /** The type spelled {@code wireName} (compared case-insensitively), if there is one. */
    public static Optional<ContextKeyType> fromWireName(String wireName) {
        String wanted = wireName.toLowerCase(Locale.ROOT);
        for (ContextKeyType type : values()) {
            if (type.wireName.toLowerCase(Locale.ROOT).equals(wanted)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
