package org.opensts.cli.client;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON as the AWS CLI prints it with {@code --output json}: four-space indents, {@code ": "} between a key and
 * its value, members in the order given (the order of the service model), non-ASCII characters as they are, and a
 * final line break. Values are strings, numbers, booleans, nested maps and lists.
 */
final class CliJson {
    private CliJson() {
    }

    static String write(Map<String, ?> object) {
        var out = new StringBuilder();
        value(out, object, 0);
        return out.append('\n').toString();
    }

    private static void value(StringBuilder out, Object value, int depth) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> member : map.entrySet()) {
                indent(out, depth + 1);
                string(out, member.getKey().toString());
                out.append(": ");
                value(out, member.getValue(), depth + 1);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                indent(out, depth + 1);
                value(out, list.get(i), depth + 1);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            indent(out, depth);
            out.append(']');
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            string(out, value.toString());
        }
    }

    private static void indent(StringBuilder out, int depth) {
        out.append(" ".repeat(4 * depth));
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
