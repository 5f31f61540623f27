package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The flat name/value pairs of an AWS Query request ({@code Action=AssumeRole&Tags.member.1.Key=Project}),
 * from the query string and the form body together. Names are case-sensitive, exactly as the model's member names.
 * When a name repeats, the last value wins.
 */
public final class QueryParameters {
    private final NavigableMap<String, String> values;

    private QueryParameters(NavigableMap<String, String> values) {
        this.values = Collections.unmodifiableNavigableMap(values);
    }

    public static QueryParameters of(java.util.Map<String, String> values) {
        return new QueryParameters(new TreeMap<>(values));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** Whether any parameter name starts with {@code prefix}. */
    public boolean hasPrefix(String prefix) {
        String next = values.ceilingKey(prefix);
        return next != null && next.startsWith(prefix);
    }

    /** Every parameter, sorted by name. */
    public NavigableMap<String, String> asMap() {
        return values;
    }

    public int size() {
        return values.size();
    }

    /** Names only: values may be secrets. */
    @Override
    public String toString() {
        return "QueryParameters" + values.keySet();
    }

    /** Collects parameters, e.g. from a query string and then a form body. */
    public static final class Builder {
        private final NavigableMap<String, String> values = new TreeMap<>();

        private Builder() {
        }

        /**
         * Adds one parameter.
         *
         * @throws RepeatedParameterException if a parameter of that name was added before: a request that gives a
         *     name twice ({@code RoleArn}, {@code Action}) is ambiguous, and taking either value would let what the
         *     node acts on differ from what a proxy or a log in front of it read
         */
        public Builder add(String name, String value) {
            requireNonNull(value, "value");
            if (values.putIfAbsent(requireNonNull(name, "name"), value) != null) {
                throw new RepeatedParameterException(name);
            }
            return this;
        }

        /**
         * Adds every pair of an {@code application/x-www-form-urlencoded} text (a form body or a query string):
         * {@code +} is a space and {@code %XX} a UTF-8 byte. A pair without {@code =} has an empty value.
         *
         * @throws IllegalArgumentException if a percent escape is malformed
         * @throws RepeatedParameterException if a name is given twice, here or in an earlier form
         */
        public Builder addForm(String encoded) {
            int start = 0;
            while (start <= encoded.length()) {
                int end = encoded.indexOf('&', start);
                if (end < 0) {
                    end = encoded.length();
                }
                if (end > start) {
                    // Look for '=' within this pair only: searching the rest of the text would make a body of
                    // many pairs without '=' quadratic to decode.
                    int equals = start;
                    while (equals < end && encoded.charAt(equals) != '=') {
                        equals++;
                    }
                    if (equals == end) {
                        add(decode(encoded, start, end), "");
                    } else {
                        add(decode(encoded, start, equals), decode(encoded, equals + 1, end));
                    }
                }
                start = end + 1;
            }
            return this;
        }

        public QueryParameters build() {
            return new QueryParameters(new TreeMap<>(values));
        }

        /**
         * Decodes one name or value: {@code +} is a space and each run of {@code %XX} escapes is a UTF-8 byte
         * sequence (a byte that is not valid UTF-8 decodes to U+FFFD, as the form-decoding rules say). Any other
         * character stands for itself.
         */
        private static String decode(String text, int from, int to) {
            boolean plain = true;
            for (int i = from; i < to && plain; i++) {
                char c = text.charAt(i);
                plain = c != '%' && c != '+';
            }
            if (plain) {
                return text.substring(from, to);
            }
            var out = new StringBuilder(to - from);
            var bytes = new ByteArrayOutputStream();
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c == '%') {
                    if (i + 2 >= to) {
                        throw new IllegalArgumentException("Malformed percent escape");
                    }
                    int high = hexDigit(text.charAt(i + 1));
                    int low = hexDigit(text.charAt(i + 2));
                    if (high < 0 || low < 0) {
                        throw new IllegalArgumentException("Malformed percent escape");
                    }
                    bytes.write(high << 4 | low);
                    i += 2;
                    continue;
                }
                if (bytes.size() > 0) {
                    out.append(bytes.toString(UTF_8));
                    bytes.reset();
                }
                out.append(c == '+' ? ' ' : c);
            }
            if (bytes.size() > 0) {
                out.append(bytes.toString(UTF_8));
            }
            return out.toString();
        }

        /** RFC 3986 {@code HEXDIG}: ASCII only ({@link Character#digit} would also take other scripts' digits). */
        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return -1;
        }
    }

    /** A request gave the same parameter name more than once. */
    public static final class RepeatedParameterException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String name;

        RepeatedParameterException(String name) {
            super("Repeated parameter");
            this.name = name;
        }

        /** The repeated name, as the request gave it. */
        public String name() {
            return name;
        }
    }
}
