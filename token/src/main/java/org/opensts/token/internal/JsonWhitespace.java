package org.opensts.token.internal;

/**
 * Removes the insignificant whitespace of a JSON text: space, tab, line feed and carriage return outside string
 * literals (RFC 8259 §2). Nothing else changes, and the input need not be valid JSON: an unterminated string simply
 * keeps its whitespace to the end.
 */
public final class JsonWhitespace {
    private JsonWhitespace() {
    }

    public static String strip(String json) {
        var out = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }
}
