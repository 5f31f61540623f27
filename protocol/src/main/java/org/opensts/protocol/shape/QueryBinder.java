package org.opensts.protocol.shape;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.opensts.protocol.ApiException;

/**
 * Turns the flat parameters of a Query request into a validated {@link Struct}, following a structure shape.
 *
 * <p>Names follow the awsQuery serialization: a structure member is {@code Parent.Member}, a list element
 * {@code Name.member.N} (N from 1; {@code Name.N} when flattened), a map entry {@code Name.entry.N.key} /
 * {@code Name.entry.N.value}, and an empty list is sent as {@code Name=} (docs/WIRE.md). Unknown parameters are
 * ignored, as AWS does. Every constraint violation is collected and reported in one {@code ValidationError}, worded
 * as AWS words it: {@code 2 validation errors detected: Value 'x' at 'roleSessionName' failed to satisfy constraint:
 * Member must have length greater than or equal to 2; …}.
 */
public final class QueryBinder {
    private QueryBinder() {
    }

    /**
     * Binds and validates.
     *
     * @throws ApiException {@code ValidationError} listing every violated constraint
     */
    public static Struct bind(StructureShape shape, QueryParameters parameters) {
        var violations = new ArrayList<String>();
        Struct struct = bindStructure(shape, "", "", parameters, violations);
        if (!violations.isEmpty()) {
            throw ApiException.validationError(describe(violations));
        }
        return struct;
    }

    /**
     * Validates one value a caller built in Java (not from Query parameters) against its shape, with the same
     * messages as {@link #bind}.
     *
     * @param memberName the member as AWS names it in messages, e.g. {@code roleName}
     * @throws ApiException {@code ValidationError} if the value violates a constraint
     */
    public static void check(ScalarShape shape, String value, String memberName) {
        var violations = new ArrayList<String>();
        if (value == null) {
            violations.add("Value null at '" + memberName + "' failed to satisfy constraint: Member must not be null");
        } else {
            bindScalar(shape, value, memberName, violations);
        }
        if (!violations.isEmpty()) {
            throw ApiException.validationError(describe(violations));
        }
    }

    /** AWS's summary line followed by the violations, separated by {@code "; "}. */
    static String describe(List<String> violations) {
        int count = violations.size();
        return count + (count == 1 ? " validation error detected: " : " validation errors detected: ")
                + String.join("; ", violations);
    }

    private static Struct bindStructure(StructureShape shape, String prefix, String path, QueryParameters parameters,
            List<String> violations) {
        var values = new LinkedHashMap<String, Object>();
        for (Member member : shape.members()) {
            String name = prefix + member.queryName();
            String memberPath = path.isEmpty() ? member.messageName() : path + '.' + member.messageName();
            Object value = bindValue(member.shape(), name, memberPath, parameters, violations);
            if (value != null) {
                values.put(member.name(), value);
            } else if (member.required() && !isPresent(member.shape(), name, parameters)) {
                // A value that was sent but broke a constraint has been reported already; only absence is null.
                violations.add("Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
            }
        }
        return new Struct(shape, values);
    }

    private static boolean isPresent(Shape shape, String name, QueryParameters parameters) {
        return shape instanceof ScalarShape
                ? parameters.contains(name)
                : parameters.contains(name) || parameters.hasPrefix(name + '.');
    }

    private static Object bindValue(Shape shape, String name, String path, QueryParameters parameters,
            List<String> violations) {
        if (shape instanceof ScalarShape scalar) {
            return parameters.get(name).map(text -> bindScalar(scalar, text, path, violations)).orElse(null);
        }
        if (shape instanceof ListShape list) {
            return bindList(list, name, path, parameters, violations);
        }
        if (shape instanceof MapShape map) {
            return bindMap(map, name, path, parameters, violations);
        }
        var structure = (StructureShape) shape;
        return parameters.hasPrefix(name + '.')
                ? bindStructure(structure, name + '.', path, parameters, violations)
                : null;
    }

    private static Object bindScalar(ScalarShape shape, String text, String path, List<String> violations) {
        Object value;
        try {
            value = convert(shape.type(), text);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            violations.add(violation(shape, text, path, "Member must be " + typeDescription(shape.type())));
            return null;
        }
        int before = violations.size();
        switch (shape.type()) {
            case STRING -> checkString(shape, text, path, violations);
            case INTEGER, LONG -> checkRange(shape, ((Number) value).longValue(), text, path, violations);
            default -> {
                // Booleans, timestamps, blobs and floats carry no model constraints that we enforce.
            }
        }
        return violations.size() == before ? value : null;
    }

    private static void checkString(ScalarShape shape, String text, String path, List<String> violations) {
        int length = text.codePointCount(0, text.length());
        shape.min().filter(min -> length < min).ifPresent(min -> violations.add(
                violation(shape, text, path, "Member must have length greater than or equal to " + min)));
        shape.max().filter(max -> length > max).ifPresent(max -> violations.add(
                violation(shape, text, path, "Member must have length less than or equal to " + max)));
        if (!shape.matchesPattern(text)) {
            violations.add(violation(shape, text, path,
                    "Member must satisfy regular expression pattern: " + shape.pattern().orElseThrow()));
        }
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(text)) {
            violations.add(violation(shape, text, path,
                    "Member must satisfy enum value set: " + shape.enumValues()));
        }
    }

    private static void checkRange(ScalarShape shape, long value, String text, String path, List<String> violations) {
        shape.min().filter(min -> value < min).ifPresent(min -> violations.add(
                violation(shape, text, path, "Member must have value greater than or equal to " + min)));
        shape.max().filter(max -> value > max).ifPresent(max -> violations.add(
                violation(shape, text, path, "Member must have value less than or equal to " + max)));
    }

    private static List<Object> bindList(ListShape shape, String name, String path, QueryParameters parameters,
            List<String> violations) {
        String elementPrefix = shape.flattened() ? name + '.' : name + '.' + shape.memberName() + '.';
        SortedSet<Integer> indexes = indexesUnder(elementPrefix, parameters);
        // A client sends an explicitly empty list as "Name=" (docs/WIRE.md): it is present, and it is still
        // checked against the list's minimum length.
        boolean explicitlyEmpty = parameters.get(name).filter(String::isEmpty).isPresent();
        if (indexes.isEmpty() && !explicitlyEmpty) {
            return null;
        }
        var elements = new ArrayList<Object>(indexes.size());
        for (int index : indexes) {
            String elementPath = path + '.' + index + '.' + shape.memberName();
            Object element = bindValue(shape.member(), elementPrefix + index, elementPath, parameters, violations);
            if (element != null) {
                elements.add(element);
            }
        }
        int size = indexes.size();
        shape.min().filter(min -> size < min).ifPresent(min -> violations.add(
                "Value '" + render(shape.member(), elements) + "' at '" + path
                        + "' failed to satisfy constraint: Member must have length greater than or equal to " + min));
        shape.max().filter(max -> size > max).ifPresent(max -> violations.add(
                "Value '" + render(shape.member(), elements) + "' at '" + path
                        + "' failed to satisfy constraint: Member must have length less than or equal to " + max));
        return Collections.unmodifiableList(elements);
    }

    private static Map<String, Object> bindMap(MapShape shape, String name, String path, QueryParameters parameters,
            List<String> violations) {
        String entryPrefix = shape.flattened() ? name + '.' : name + ".entry.";
        SortedSet<Integer> indexes = indexesUnder(entryPrefix, parameters);
        if (indexes.isEmpty()) {
            return parameters.get(name).filter(String::isEmpty).<Map<String, Object>>map(empty -> Map.of())
                    .orElse(null);
        }
        var entries = new LinkedHashMap<String, Object>();
        for (int index : indexes) {
            String entryName = entryPrefix + index + '.';
            String entryPath = path + ".entry." + index;
            Object key = bindValue(shape.key(), entryName + shape.keyName(), entryPath + ".key", parameters,
                    violations);
            Object value = bindValue(shape.value(), entryName + shape.valueName(), entryPath + ".value", parameters,
                    violations);
            if (key != null && value != null) {
                entries.put((String) key, value);
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /**
     * The N of every {@code prefix + N} or {@code prefix + N + ".…"} parameter, where N is written as a client writes
     * it: ASCII digits, from 1, without leading zeros. Any other name ({@code member.0}, {@code member.01}) is an
     * unknown parameter and, like every unknown parameter, ignored.
     */
    private static SortedSet<Integer> indexesUnder(String prefix, QueryParameters parameters) {
        var indexes = new TreeSet<Integer>();
        for (String key : parameters.asMap().tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            int start = prefix.length();
            int end = start;
            while (end < key.length() && key.charAt(end) >= '0' && key.charAt(end) <= '9') {
                end++;
            }
            boolean canonical = end > start && key.charAt(start) != '0' && end - start <= 9;
            if (canonical && (end == key.length() || key.charAt(end) == '.')) {
                indexes.add(Integer.parseInt(key, start, end, 10));
            }
        }
        return indexes;
    }

    private static Object convert(ScalarType type, String text) {
        return switch (type) {
            case STRING -> text;
            case INTEGER -> Integer.parseInt(text.trim());
            case LONG -> Long.parseLong(text.trim());
            case BOOLEAN -> parseBoolean(text);
            case TIMESTAMP -> parseTimestamp(text);
            case BLOB -> Base64.getDecoder().decode(text);
            case FLOAT -> Float.parseFloat(text);
            case DOUBLE -> Double.parseDouble(text);
        };
    }

    private static Boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("Not a boolean");
    }

    /**
     * ISO 8601 with any offset, or epoch seconds (the model's {@code unixTimestamp} format).
     *
     * @throws DateTimeException if the text is neither, or names an instant out of range
     * @throws ArithmeticException if the epoch seconds do not fit in a {@code long}
     */
    private static Instant parseTimestamp(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            var seconds = new BigDecimal(text);
            return Instant.ofEpochSecond(seconds.toBigInteger().longValueExact(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        }
        return OffsetDateTime.parse(text).toInstant();
    }

    private static String typeDescription(ScalarType type) {
        return switch (type) {
            case INTEGER, LONG -> "an integer";
            case BOOLEAN -> "a boolean";
            case TIMESTAMP -> "an ISO 8601 timestamp";
            case BLOB -> "base64 text";
            case FLOAT, DOUBLE -> "a number";
            case STRING -> "a string";
        };
    }

    private static String violation(ScalarShape shape, String text, String path, String constraint) {
        String value = shape.sensitive() ? "Value at '" : "Value '" + text + "' at '";
        return value + path + "' failed to satisfy constraint: " + constraint;
    }

    private static String render(Shape member, List<Object> elements) {
        if (member instanceof ScalarShape scalar && scalar.sensitive()) {
            return "[redacted]";
        }
        return elements.toString();
    }
}
