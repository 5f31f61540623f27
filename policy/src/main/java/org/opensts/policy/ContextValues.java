package org.opensts.policy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.opensts.policy.internal.ArnSegments;
import org.opensts.policy.internal.IpRange;
import org.opensts.policy.internal.PolicyDates;

/**
 * The values of one context key, with each value's typed reading (number, date, address, bytes, ARN
 * segments) computed on first use and kept.
 *
 * <p>The caches are filled without locks. That is safe because every cached object is immutable with final
 * fields: a thread sees either nothing (and computes the same value again) or a complete value.
 */
final class ContextValues {
    private static final Object INVALID = new Object();

    private final String name;
    private final Optional<ContextKeyType> type;
    private final String[] values;
    private Object[] numbers;
    private Object[] dates;
    private Object[] addresses;
    private Object[] binaries;
    private ArnSegments[] arns;

    ContextValues(String name, Optional<ContextKeyType> type, List<String> values) {
        this(name, type, values.toArray(new String[0]));
    }

    /** Takes {@code values}, which no one else may hold. */
    ContextValues(String name, Optional<ContextKeyType> type, String[] values) {
        this.name = name;
        this.type = type;
        this.values = values;
    }

    String name() {
        return name;
    }

    Optional<ContextKeyType> type() {
        return type;
    }

    int size() {
        return values.length;
    }

    String get(int i) {
        return values[i];
    }

    List<String> asList() {
        return List.of(values);
    }

    /** Value {@code i} as a number, or null if it is not one. */
    BigDecimal number(int i) {
        Object[] cache = numbers;
        if (cache == null) {
            cache = new Object[values.length];
            numbers = cache;
        }
        Object v = cache[i];
        if (v == null) {
            v = parseNumber(values[i]);
            cache[i] = v;
        }
        return v == INVALID ? null : (BigDecimal) v;
    }

    /** Value {@code i} as epoch milliseconds, or {@link PolicyDates#INVALID}. */
    long epochMillis(int i) {
        Object[] cache = dates;
        if (cache == null) {
            cache = new Object[values.length];
            dates = cache;
        }
        Object v = cache[i];
        if (v == null) {
            v = PolicyDates.parseEpochMillis(values[i]);
            cache[i] = v;
        }
        return (Long) v;
    }

    /** Value {@code i} as an address (or range), or null if it is not one. */
    IpRange address(int i) {
        Object[] cache = addresses;
        if (cache == null) {
            cache = new Object[values.length];
            addresses = cache;
        }
        Object v = cache[i];
        if (v == null) {
            v = IpRange.parse(values[i]).map(Object.class::cast).orElse(INVALID);
            cache[i] = v;
        }
        return v == INVALID ? null : (IpRange) v;
    }

    /** Value {@code i} decoded from base64, or its UTF-8 bytes if it is not base64. */
    byte[] binary(int i) {
        Object[] cache = binaries;
        if (cache == null) {
            cache = new Object[values.length];
            binaries = cache;
        }
        Object v = cache[i];
        if (v == null) {
            v = new Bytes(decodeBinary(values[i]));
            cache[i] = v;
        }
        return ((Bytes) v).bytes;
    }

    /** Value {@code i} split into ARN segments. */
    ArnSegments arn(int i) {
        ArnSegments[] cache = arns;
        if (cache == null) {
            cache = new ArnSegments[values.length];
            arns = cache;
        }
        ArnSegments v = cache[i];
        if (v == null) {
            v = ArnSegments.of(values[i]);
            cache[i] = v;
        }
        return v;
    }

    static Object parseNumber(String text) {
        String s = text.trim();
        if (s.isEmpty() || s.length() > 100) {
            return INVALID;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return INVALID;
        }
    }

    static byte[] decodeBinary(String text) {
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** An immutable holder, so that the cache publishes a final field rather than a bare array. */
    private static final class Bytes {
        private final byte[] bytes;

        Bytes(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    @Override
    public String toString() {
        return name + "=" + Arrays.toString(values);
    }
}
