package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLDecoder;
import java.util.Optional;

/**
 * Reads one parameter ({@code Action}, {@code Version}) of a Query request the node refuses without decoding it
 * (a parameter given twice, a malformed escape, too many parameters, too large a body), for the refusal's audit event
 * and metrics. The value counts only if the name appears exactly once, in the query string and the form body together,
 * and both decode: a request that is ambiguous about it is recorded as naming none, as the node would act on neither.
 * One pass over the text, decoding only the fields whose name could be the one sought.
 */
final class UnambiguousParameter {
    private UnambiguousParameter() {
    }

    /**
     * @param forms the query string and, for a form POST that was read, its body ({@code application/x-www-form-
     *     urlencoded} text)
     * @return the value of {@code name}, if exactly one field of the forms is named {@code name} and its value decodes
     */
    static Optional<String> read(String name, String... forms) {
        String found = null;
        int matches = 0;
        for (String form : forms) {
            int start = 0;
            while (start < form.length()) {
                int end = form.indexOf('&', start);
                if (end < 0) {
                    end = form.length();
                }
                int equals = start;
                while (equals < end && form.charAt(equals) != '=') {
                    equals++;
                }
                // An encoded name is at most three characters per byte of the name sought: anything longer is not it.
                if (equals - start <= 3 * name.length()) {
                    Optional<String> fieldName = decode(form, start, equals);
                    if (fieldName.isEmpty() || fieldName.get().equals(name)) {
                        // A name that does not decode might be this one: the request is ambiguous about it.
                        matches++;
                        found = equals < end ? decode(form, equals + 1, end).orElse(null) : "";
                    }
                }
                start = end + 1;
            }
        }
        return matches == 1 ? Optional.ofNullable(found) : Optional.empty();
    }

    private static Optional<String> decode(String form, int from, int to) {
        try {
            return Optional.of(URLDecoder.decode(form.substring(from, to), UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
