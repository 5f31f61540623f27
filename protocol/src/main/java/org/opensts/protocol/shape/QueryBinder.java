package org.opensts.protocol.shape;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * Turns the flat parameters of a Query request into a validated {@link Struct}, following a structure shape.
 *
 * <p>Names follow the awsQuery serialization: a structure member is {@code Parent.Member}, a list element
 * {@code Name.member.N} (N from 1; {@code Name.N} when flattened), a map entry {@code Name.entry.N.key} /
 * {@code Name.entry.N.value}, and an empty list is sent as {@code Name=} (docs/WIRE.md). Unknown parameters are
 * ignored, as AWS does. Every constraint violation is collected and reported in one {@code ValidationError}, worded
 * as the service words it ({@link ViolationWording}): {@code 2 validation errors detected: Value 'x' at
 * 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; …}.
 */
public final class QueryBinder {
    private QueryBinder() {
    }

    /**
     * Binds and validates, quoting offending values as STS does.
     *
     * @throws ApiException {@code ValidationError} listing every violated constraint
     */
    public static Struct bind(StructureShape shape, QueryParameters parameters) {
        return bind(shape, parameters, ViolationWording.QUOTE_VALUE);
    }

    /**
     * Binds and validates, wording violations as {@code wording} says.
     *
     * @throws ApiException {@code ValidationError} listing every violated constraint
     */
    public static Struct bind(StructureShape shape, QueryParameters parameters, ViolationWording wording) {
        var violations = new Violations(wording);
        Struct struct = bindStructure(shape, "", "", parameters, violations);
        if (!violations.isEmpty()) {
            throw ApiException.validationError(violations.describe());
        }
        return struct;
    }

    /**
     * Validates one value a caller built in Java (not from Query parameters) against its shape. Only IAM operations
     * check values this way, so the message is worded as IAM words it, without the value
     * ({@link ViolationWording#OMIT_VALUE}).
     *
     * @param memberName the member as AWS names it in messages, e.g. {@code roleName}
     * @throws ApiException {@code ValidationError} if the value violates a constraint
     */
    public static void check(ScalarShape shape, String value, String memberName) {
        var violations = new Violations(ViolationWording.OMIT_VALUE);
        if (value == null) {
            violations.add(memberName,
                    "Value null at '" + memberName + "' failed to satisfy constraint: Member must not be null");
        } else {
            bindScalar(shape, value, memberName, violations);
        }
        if (!violations.isEmpty()) {
            throw ApiException.validationError(violations.describe());
        }
    }

    /**
     * Validates a list of strings a caller built in Java against its shape, worded as IAM words it (see
     * {@link #check(ScalarShape, String, String)}): its length, and its elements all at once, at the list.
     *
     * @param memberName the member as AWS names it in messages, e.g. {@code tagKeys}
     * @throws ApiException {@code ValidationError} if the list or an element violates a constraint
     */
    public static void check(ListShape shape, List<String> values, String memberName) {
        var violations = new Violations(ViolationWording.OMIT_VALUE);
        var parameters = QueryParameters.builder();
        String elementPrefix = memberName + '.' + shape.memberName() + '.';
        for (int i = 0; i < values.size(); i++) {
            parameters.add(elementPrefix + (i + 1), values.get(i));
        }
        if (values.isEmpty()) {
            parameters.add(memberName, "");
        }
        bindList(shape, memberName, memberName, parameters.build(), violations);
        if (!violations.isEmpty()) {
            throw ApiException.validationError(violations.describe());
        }
    }

    /**
     * The violations found so far, and how to word them. Only the first {@value #MAX_LISTED} are kept for the message,
     * which counts them all: each is bounded ({@link ViolationWording}), but a request of thousands of bad list
     * elements must not be answered with thousands of quotes (README, "Limits").
     *
     * <p>STS lists violations in the order the model declares its members, as its recorded answers show. IAM lists
     * them grouped by member, the members in the order of a hash table of them ({@link #inIamOrder}).
     */
    private static final class Violations {
        static final int MAX_LISTED = 100;

        private final ViolationWording wording;
        private final List<String> paths = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();
        private int count;

        Violations(ViolationWording wording) {
            this.wording = wording;
        }

        /** Adds a violation of the member at {@code path}, as the message names it. */
        void add(String path, String message) {
            insert(count, path, message);
        }

        /** Adds {@code message} as if it had been found when {@code position} violations had been. */
        void insert(int position, String path, String message) {
            count++;
            if (position < MAX_LISTED) {
                paths.add(position, path);
                messages.add(position, message);
                if (messages.size() > MAX_LISTED) {
                    paths.remove(MAX_LISTED);
                    messages.remove(MAX_LISTED);
                }
            }
        }

        int size() {
            return count;
        }

        boolean isEmpty() {
            return count == 0;
        }

        /** AWS's summary line followed by the violations, separated by {@code "; "}. */
        String describe() {
            List<String> listed = wording == ViolationWording.OMIT_VALUE ? inIamOrder(paths, messages) : messages;
            return count + (count == 1 ? " validation error detected: " : " validation errors detected: ")
                    + String.join("; ", listed);
        }

        boolean quotesValues() {
            return wording == ViolationWording.QUOTE_VALUE;
        }
    }

    /**
     * The order IAM lists several violations in: a member's violations together, in the order they were found, and
     * the members in the iteration order of a hash table keyed by the member's name as the message writes it — 16
     * buckets, doubled whenever it is more than three-quarters full, a name's bucket its string hash with the high
     * half folded into the low, ties in first-found order. IAM's recorded answers fit this and nothing simpler:
     * CreateOpenIDConnectProvider with a bad url, thumbprint and client id lists {@code clientIDList; thumbprintList;
     * url}, and UpdateAccountPasswordPolicy lists {@code minimumPasswordLength; passwordReusePrevention;
     * maxPasswordAge} — neither the model's order nor alphabetical, both this one.
     */
    static List<String> inIamOrder(List<String> paths, List<String> messages) {
        var byPath = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < paths.size(); i++) {
            byPath.computeIfAbsent(paths.get(i), path -> new ArrayList<>()).add(messages.get(i));
        }
        int buckets = 16;
        while (byPath.size() > buckets * 3 / 4) {
            buckets *= 2;
        }
        int mask = buckets - 1;
        var members = new ArrayList<>(byPath.keySet());
        // A stable sort: members of one bucket keep their first-found order.
        members.sort(Comparator.comparingInt(path -> bucket(path, mask)));
        var ordered = new ArrayList<String>(messages.size());
        for (String member : members) {
            ordered.addAll(byPath.get(member));
        }
        return ordered;
    }

    private static int bucket(String path, int mask) {
        int hash = path.hashCode();
        return (hash ^ (hash >>> 16)) & mask;
    }

    private static Struct bindStructure(StructureShape shape, String prefix, String path, QueryParameters parameters,
            Violations violations) {
        var values = new LinkedHashMap<String, Object>();
        for (Member member : shape.members()) {
            String name = prefix + member.queryName();
            String memberPath = path.isEmpty() ? member.messageName() : path + '.' + member.messageName();
            Object value = bindValue(member.shape(), name, memberPath, parameters, violations);
            if (value != null) {
                values.put(member.name(), value);
            } else if (member.required() && !isPresent(member.shape(), name, parameters)) {
                // A value that was sent but broke a constraint has been reported already; only absence is null.
                violations.add(memberPath,
                        "Value null at '" + memberPath + "' failed to satisfy constraint: Member must not be null");
            }
        }
        return new Struct(shape, values);
    }

    /**
     * Whether the parameters give {@code name} as {@code shape} is written: the scalar itself, or, for a structure,
     * one of its members (its other parameters are unknown ones); a list or map by any parameter under it.
     */
    private static boolean namesAnyPart(Shape shape, String name, QueryParameters parameters) {
        if (shape instanceof StructureShape structure) {
            for (Member member : structure.members()) {
                if (isPresent(member.shape(), name + '.' + member.queryName(), parameters)) {
                    return true;
                }
            }
            return false;
        }
        return isPresent(shape, name, parameters);
    }

    private static boolean hasRequiredMember(Shape shape) {
        return shape instanceof StructureShape structure && structure.members().stream().anyMatch(Member::required);
    }

    private static boolean isPresent(Shape shape, String name, QueryParameters parameters) {
        return shape instanceof ScalarShape
                ? parameters.contains(name)
                : parameters.contains(name) || parameters.hasPrefix(name + '.');
    }

    private static Object bindValue(Shape shape, String name, String path, QueryParameters parameters,
            Violations violations) {
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

    private static Object bindScalar(ScalarShape shape, String text, String path, Violations violations) {
        Object value;
        try {
            value = convert(shape.type(), text);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            violations.add(path, violation(shape, text, path, "Member must be " + typeDescription(shape.type()),
                    violations));
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

    private static void checkPattern(ScalarShape shape, String text, String path, Violations violations) {
        if (!shape.matchesPattern(text)) {
            violations.add(path, violation(shape, text, path,
                    "Member must satisfy regular expression pattern: " + shape.pattern().orElseThrow(), violations));
        }
    }

    /**
     * A string's length, pattern and enum constraints. The order of a value's two violations follows AWS's real
     * answers: STS, which quotes the value, names the pattern before the length ({@code Value '' at 'roleArn' …
     * regular expression pattern: …; Value '' at 'roleArn' … length greater than or equal to 20}); the services
     * that leave the value out name the length first.
     */
    private static void checkString(ScalarShape shape, String text, String path, Violations violations) {
        boolean patternFirst = violations.quotesValues();
        if (patternFirst) {
            checkPattern(shape, text, path, violations);
        }
        int length = text.codePointCount(0, text.length());
        shape.min().filter(min -> length < min).ifPresent(min -> violations.add(path,
                violation(shape, text, path, "Member must have length greater than or equal to " + min, violations)));
        shape.max().filter(max -> length > max).ifPresent(max -> violations.add(path,
                violation(shape, text, path, "Member must have length less than or equal to " + max, violations)));
        if (!patternFirst) {
            checkPattern(shape, text, path, violations);
        }
        if (!shape.enumValues().isEmpty() && !shape.enumValues().contains(text)) {
            String constraint = violations.quotesValues() ? "Member must satisfy enum value set: " + shape.enumValues()
                    : "Member must satisfy enum value set";
            violations.add(path, violation(shape, text, path, constraint, violations));
        }
    }

    private static void checkRange(ScalarShape shape, long value, String text, String path, Violations violations) {
        shape.min().filter(min -> value < min).ifPresent(min -> violations.add(path,
                violation(shape, text, path, "Member must have value greater than or equal to " + min, violations)));
        shape.max().filter(max -> value > max).ifPresent(max -> violations.add(path,
                violation(shape, text, path, "Member must have value less than or equal to " + max, violations)));
    }

    /**
     * IAM's single violation for the elements of a list of scalars: every constraint of the member, whichever the
     * elements broke, in the order AWS lists them.
     */
    private static String memberConstraints(ScalarShape member) {
        var constraints = new ArrayList<String>();
        String measure = member.type() == ScalarType.STRING ? "length" : "value";
        member.max().ifPresent(max -> constraints.add("Member must have " + measure + " less than or equal to " + max));
        member.min().ifPresent(min -> constraints.add("Member must have " + measure + " greater than or equal to "
                + min));
        member.pattern().ifPresent(pattern -> constraints.add("Member must satisfy regular expression pattern: "
                + pattern));
        if (!member.enumValues().isEmpty()) {
            constraints.add("Member must satisfy enum value set");
        }
        if (member.nonNull()) {
            constraints.add("Member must not be null");
        }
        return "Member must satisfy constraint: " + constraints;
    }

    private static List<Object> bindList(ListShape shape, String name, String path, QueryParameters parameters,
            Violations violations) {
        String elementPrefix = shape.flattened() ? name + '.' : name + '.' + shape.memberName() + '.';
        requireNoValue(name, parameters);
        requireUnder(name + '.', elementPrefix, parameters);
        SortedSet<Integer> indexes = indexesUnder(elementPrefix, parameters);
        // A client sends an explicitly empty list as "Name=" (docs/WIRE.md): it is present, and it is still
        // checked against the list's minimum length.
        boolean explicitlyEmpty = parameters.get(name).filter(String::isEmpty).isPresent();
        if (indexes.isEmpty() && !explicitlyEmpty) {
            return null;
        }
        // IAM reports the elements of a list of scalars once, at the list; STS each at its own path.
        boolean aggregated = !violations.quotesValues() && shape.member() instanceof ScalarShape;
        Violations elementViolations = aggregated ? new Violations(ViolationWording.OMIT_VALUE) : violations;
        // The list's own length comes before its elements' violations, as AWS lists them.
        int listPosition = violations.size();
        var elements = new ArrayList<Object>(indexes.size());
        for (int index : indexes) {
            String elementPath = path + '.' + index + '.' + shape.memberName();
            Object element = bindValue(shape.member(), elementPrefix + index, elementPath, parameters,
                    elementViolations);
            if (element != null) {
                elements.add(element);
            }
            String elementName = elementPrefix + index;
            if (!namesAnyPart(shape.member(), elementName, parameters)
                    && !(hasRequiredMember(shape.member()) && parameters.hasPrefix(elementName + '.'))) {
                // Named, but with nothing this element is made of (Audience.member.1.x, PolicyArns.member.1.Arn, a
                // value on a structure's own name as in Tags.member.1=k): dropping it would let the request succeed
                // without it. A structure with a required member (a Tag) whose parts are all unknown
                // (Tags.member.1.key) has reported that member's absence already, as for any element without it.
                throw misplaced();
            }
        }
        if (aggregated && !elementViolations.isEmpty()) {
            violations.add(path, "Value at '" + path + "' failed to satisfy constraint: "
                    + memberConstraints((ScalarShape) shape.member()));
        }
        int size = indexes.size();
        String value = violations.quotesValues() ? "Value '" + render(shape.member(), elements) + "' at '"
                : "Value at '";
        shape.min().filter(min -> size < min).ifPresent(min -> violations.insert(listPosition, path, value + path
                + "' failed to satisfy constraint: Member must have length greater than or equal to " + min));
        shape.max().filter(max -> size > max).ifPresent(max -> violations.insert(listPosition, path, value + path
                + "' failed to satisfy constraint: Member must have length less than or equal to " + max));
        return Collections.unmodifiableList(elements);
    }

    private static Map<String, Object> bindMap(MapShape shape, String name, String path, QueryParameters parameters,
            Violations violations) {
        String entryPrefix = shape.flattened() ? name + '.' : name + ".entry.";
        requireNoValue(name, parameters);
        requireUnder(name + '.', entryPrefix, parameters);
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
            } else if (!isPresent(shape.key(), entryName + shape.keyName(), parameters)
                    || !isPresent(shape.value(), entryName + shape.valueName(), parameters)) {
                throw misplaced(); // an entry without its key or its value
            }
        }
        return Collections.unmodifiableMap(entries);
    }

    /**
     * A list's or map's own name carries no value but the empty one ({@code Audience=}, an explicitly empty list).
     *
     * @throws ApiException {@code MalformedInput} for {@code Audience=https://…}: a value where the list's elements
     *     belong, which read as no list at all would let the request succeed without them
     */
    private static void requireNoValue(String name, QueryParameters parameters) {
        if (parameters.get(name).filter(value -> !value.isEmpty()).isPresent()) {
            throw misplaced();
        }
    }

    /**
     * Every parameter under a list or map's name ({@code listPrefix}, {@code PolicyArns.}) is one of its elements
     * ({@code elementPrefix}, {@code PolicyArns.member.}).
     *
     * @throws ApiException {@code MalformedInput} otherwise ({@code PolicyArns.1.arn}, {@code PolicyArns.Member.1}):
     *     the request names the list, and ignoring what it wrote there would let it succeed without the element
     */
    private static void requireUnder(String listPrefix, String elementPrefix, QueryParameters parameters) {
        if (listPrefix.equals(elementPrefix)) {
            return;
        }
        for (String key : parameters.asMap().tailMap(listPrefix, true).keySet()) {
            if (!key.startsWith(listPrefix)) {
                break;
            }
            if (!key.startsWith(elementPrefix)) {
                throw misplaced();
            }
        }
    }

    /**
     * The N of every {@code prefix + N} or {@code prefix + N + ".…"} parameter, where N is written as a client writes
     * it: ASCII digits, from 1, without leading zeros, at most 9 of them.
     *
     * @throws ApiException {@code MalformedInput} "0 is not a valid index" (AWS's answer to a list element numbered
     *     0) for an index written otherwise ({@code member.0}, {@code member.01}, ten digits or more, {@code +1},
     *     {@code x}, other digits than ASCII's), and "Start of list found where not expected" for a name with no
     *     index at all: ignoring such an element, as an unknown parameter is ignored, would drop a session policy or
     *     an audience from a request that then succeeds without it
     */
    private static SortedSet<Integer> indexesUnder(String prefix, QueryParameters parameters) {
        var indexes = new TreeSet<Integer>();
        for (String key : parameters.asMap().tailMap(prefix, true).keySet()) {
            if (!key.startsWith(prefix)) {
                break;
            }
            int start = prefix.length();
            int dot = key.indexOf('.', start);
            int end = dot < 0 ? key.length() : dot;
            if (end == start) {
                throw misplaced();
            }
            boolean digits = true;
            for (int i = start; i < end && digits; i++) {
                digits = key.charAt(i) >= '0' && key.charAt(i) <= '9';
            }
            if (!digits || key.charAt(start) == '0' || end - start > 9) {
                throw new ApiException(ErrorCode.MALFORMED_INPUT, printable(key, start, Math.min(end, start + 16))
                        + " is not a valid index");
            }
            indexes.add(Integer.parseInt(key, start, end, 10));
        }
        return indexes;
    }

    /** The text as a message may show it: a character outside printable ASCII (a line break, a NUL) as {@code ?}. */
    private static String printable(String text, int start, int end) {
        var shown = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return shown.toString();
    }

    /** AWS's answer to a list written in another structure than its model's. */
    private static ApiException misplaced() {
        return new ApiException(ErrorCode.MALFORMED_INPUT, "Start of list found where not expected");
    }

    private static Object convert(ScalarType type, String text) {
        return switch (type) {
            case STRING -> text;
            case INTEGER -> Integer.parseInt(canonicalInteger(text));
            case LONG -> Long.parseLong(canonicalInteger(text));
            case BOOLEAN -> parseBoolean(text);
            case TIMESTAMP -> parseTimestamp(text);
            case BLOB -> Base64.getDecoder().decode(text);
            case FLOAT -> Float.parseFloat(text);
            case DOUBLE -> Double.parseDouble(text);
        };
    }

    /**
     * The text, if it is an integer as clients write one: an optional {@code -}, then ASCII digits without leading
     * zeros. Java's parsers also take a {@code +}, any Unicode digit ({@code १२००}, {@code ９００}) and, after a trim,
     * surrounding spaces, none of which an SDK sends; accepting them would let one value mean different things to the
     * node and to whatever reads the request beside it (a proxy, a log, a policy on the raw text).
     *
     * @throws NumberFormatException otherwise
     */
    private static String canonicalInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        boolean digits = text.length() > start;
        for (int i = start; i < text.length() && digits; i++) {
            char c = text.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits || text.charAt(start) == '0' && text.length() > start + 1) {
            throw new NumberFormatException("Not a canonical integer");
        }
        return text;
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

    private static String violation(ScalarShape shape, String text, String path, String constraint,
            Violations violations) {
        String value = shape.sensitive() || !violations.quotesValues() ? "Value at '"
                : "Value '" + ViolationWording.quoted(text) + "' at '";
        return value + path + "' failed to satisfy constraint: " + constraint;
    }

    /**
     * A list as the message quotes it: {@code [a, b]}, a structure as {@code {Key: k, Value: v}} (sensitive members
     * left out), the whole bounded like any quoted value. Rendering stops once past the bound, so a list of thousands
     * of elements costs no more than a short one.
     */
    private static String render(Shape member, List<Object> elements) {
        if (member instanceof ScalarShape scalar && scalar.sensitive()) {
            return "[redacted]";
        }
        var out = new StringBuilder("[");
        for (Object element : elements) {
            if (out.length() > ViolationWording.MAX_QUOTED_LENGTH) {
                break;
            }
            if (out.length() > 1) {
                out.append(", ");
            }
            renderElement(element, out);
        }
        return ViolationWording.quoted(out.append(']').toString());
    }

    private static void renderElement(Object element, StringBuilder out) {
        if (!(element instanceof Struct struct)) {
            out.append(element);
            return;
        }
        out.append('{');
        boolean first = true;
        for (Member m : struct.shape().members()) {
            Object value = struct.get(m.name());
            boolean secret = m.shape() instanceof ScalarShape scalar && scalar.sensitive();
            if (value == null || secret || value instanceof Struct || value instanceof List || value instanceof Map) {
                continue;
            }
            out.append(first ? "" : ", ").append(m.name()).append(": ").append(value);
            first = false;
        }
        out.append('}');
    }
}
