package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.Optional;

/**
 * Reads one parameter ({@code Action}, {@code Version}) of a Query request the node refuses without decoding it
 * (a parameter given twice, a malformed escape, too many parameters, too large a body), for the refusal's audit event
 * and metrics. The value counts only if the name appears exactly once, in the query string and the form body together,
 * and the value decodes: a request that is ambiguous about it is recorded as naming none, as the node acts on neither.
 * One pass over the text that allocates nothing per field: a refused body may hold a million of them.
 */
final class UnambiguousParameter {
    private UnambiguousParameter() {
    }

    /**
     * @param name an ASCII parameter name
     * @param forms the query string and, for a form POST whose body was read, the body
     *     ({@code application/x-www-form-urlencoded} text)
     * @return the value of {@code name}, if exactly one field of the forms is named {@code name} and its value decodes
     */
    static Optional<String> read(String name, String... forms) {
        String form = null;
        int valueFrom = -1;
        int valueTo = -1;
        int matches = 0;
        for (String text : forms) {
            int start = 0;
            while (start < text.length()) {
                int end = text.indexOf('&', start);
                if (end < 0) {
                    end = text.length();
                }
                int equals = start;
                while (equals < end && text.charAt(equals) != '=') {
                    equals++;
                }
                if (decodesTo(text, start, equals, name)) {
                    matches++;
                    form = text;
                    valueFrom = Math.min(equals + 1, end);
                    valueTo = end;
                }
                start = end + 1;
            }
        }
        if (matches != 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(URLDecoder.decode(form.substring(valueFrom, valueTo), UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code text[from, to)} form-decodes to {@code name} ({@code +} a space, {@code %XX} a byte), compared
     * character by character: a name with a malformed escape, or a byte over 127, is not an ASCII name.
     */
    private static boolean decodesTo(String text, int from, int to, String name) {
        int i = from;
        int matched = 0;
        while (i < to) {
            if (matched == name.length()) {
                return false;
            }
            char c = text.charAt(i);
            int decoded;
            if (c == '%') {
                if (i + 2 >= to) {
                    return false;
                }
                int high = hexDigit(text.charAt(i + 1));
                int low = hexDigit(text.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return false;
                }
                decoded = high << 4 | low;
                i += 3;
            } else {
                decoded = c == '+' ? ' ' : c;
                i++;
            }
            if (decoded != name.charAt(matched++)) {
                return false;
            }
        }
        return matched == name.length();
    }

    /** RFC 3986 {@code HEXDIG}: ASCII only, as the Query decoder reads it. */
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
