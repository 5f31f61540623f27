package org.opensts.protocol.testing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 reader for the model and vector files under {@code testdata/botocore}, so that the protocol module
 * and its test-jar need no JSON library.
 *
 * <p>Objects become unmodifiable {@code Map<String, Object>} in document order, arrays {@code List<Object>}, strings
 * {@code String}, numbers {@link BigDecimal} (exact, so {@code 946845296.123} keeps its milliseconds), {@code true}
 * and {@code false} {@code Boolean}, and {@code null} a {@code null} value.
 */
public final class Json {
    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Reads one JSON value that makes up the whole text.
     *
     * @throws IllegalArgumentException with the offset of the first character that is not JSON
     */
    public static Object parse(String text) {
        var reader = new Json(text);
        Object value = reader.value();
        reader.skipWhitespace();
        if (reader.position != text.length()) {
            throw reader.error("trailing text");
        }
        return value;
    }

    /** The object {@code value} is, for code that knows the document's layout. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("Not a JSON object: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** The array {@code value} is. */
    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException("Not a JSON array: " + value);
        }
        return (List<Object>) value;
    }

    private Object value() {
        skipWhitespace();
        if (position == text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> objectValue();
            case '[' -> arrayValue();
            case '"' -> stringValue();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> numberValue();
        };
    }

    private Map<String, Object> objectValue() {
        position++;
        var members = new LinkedHashMap<String, Object>();
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name");
            }
            String name = stringValue();
            skipWhitespace();
            expect(':');
            if (members.containsKey(name)) {
                throw error("duplicate member " + name);
            }
            members.put(name, value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                return Collections.unmodifiableMap(members);
            }
        }
    }

    private List<Object> arrayValue() {
        position++;
        var elements = new ArrayList<Object>();
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            elements.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                return Collections.unmodifiableList(elements);
            }
        }
    }

    private String stringValue() {
        position++;
        var out = new StringBuilder();
        while (true) {
            if (position == text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(position++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (position == text.length()) {
                throw error("unterminated escape");
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(unicodeEscape());
                default -> throw error("bad escape");
            }
        }
    }

    private char unicodeEscape() {
        if (position + 4 > text.length()) {
            throw error("short unicode escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            char c = text.charAt(position + i);
            int digit = isDigit(c) ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1;
            if (digit < 0) {
                throw error("bad unicode escape");
            }
            code = code << 4 | digit;
        }
        position += 4;
        return (char) code;
    }

    private BigDecimal numberValue() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("unexpected character");
        }
        if (peek() == '.') {
            position++;
            requireDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            requireDigits();
        }
        return new BigDecimal(text.substring(start, position));
    }

    private void requireDigits() {
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
        digits();
    }

    private void digits() {
        while (isDigit(peek())) {
            position++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw error("unexpected character");
        }
        position += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        position++;
    }

    /** The next character, or -1 at the end. */
    private int peek() {
        return position < text.length() ? text.charAt(position) : -1;
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("Invalid JSON at offset " + position + ": " + what);
    }
}
