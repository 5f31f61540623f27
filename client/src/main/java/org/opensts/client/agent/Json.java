package org.opensts.client.agent;

import java.util.Map;

/** Writes the agents' small flat JSON objects, EC2's way: two-space indent and {@code " : "} between name and value. */
final class Json {
    private Json() {
    }

    /** An object of string members, in the map's iteration order. */
    static String object(Map<String, String> members) {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, String> member : members.entrySet()) {
            out.append("  ");
            string(out, member.getKey());
            out.append(" : ");
            string(out, member.getValue());
            out.append(++i < members.size() ? ",\n" : "\n");
        }
        return out.append('}').toString();
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
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
