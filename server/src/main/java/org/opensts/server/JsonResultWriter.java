package org.opensts.server;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes an answer of a Query API as the JSON AWS's Query services answer with when the client sends
 * {@code Accept: application/json} (docs/WIRE.md, "Answers in JSON"): each element a member of an object, a list an
 * array of its members, a map an object keyed by its entries' keys; text as a JSON string, integers and booleans as
 * JSON's own, a timestamp as its epoch second written as Java writes a {@code double} ({@code 1.514869445E9}), as AWS
 * writes it. An object's members come in the order of their names, as in AWS's answers.
 *
 * <p>Design note: AWS orders members by name, and the actions write them in the model's order, so this writer builds a
 * small tree and writes it at {@link #finish()}. That costs a few objects per member; JSON is the rare answer (an
 * authenticator's GetCallerIdentity, a proxy's AssumeRole), and {@link XmlWriter} writes the common one straight to
 * text. A structure opened with {@link #start} whose first child is a {@code member} or an {@code entry} becomes a
 * list or a map, so a list its writer forgot to mark is still an array (though an empty one reads as {@code {}}).
 * Anything else that cannot be JSON — a member written twice, a list item not named {@code member}, a map entry
 * without its key — is a bug in the action and fails with {@link IllegalStateException}.
 */
final class JsonResultWriter implements ResultWriter {
    private static final String LIST_ITEM = "member";
    private static final String MAP_ENTRY = "entry";

    private final Node root = new Node(Kind.OBJECT);
    private final Deque<Node> open = new ArrayDeque<>();

    JsonResultWriter() {
        open.push(root);
    }

    @Override
    public JsonResultWriter start(String name) {
        return open(name, Kind.OBJECT);
    }

    @Override
    public JsonResultWriter startList(String name) {
        return open(name, Kind.LIST);
    }

    @Override
    public JsonResultWriter startMap(String name) {
        return open(name, Kind.MAP);
    }

    @Override
    public JsonResultWriter end() {
        if (open.size() == 1) {
            throw new IllegalStateException("no element is open");
        }
        open.pop();
        return this;
    }

    @Override
    public JsonResultWriter element(String name, String text) {
        add(name, Node.text(text));
        return this;
    }

    @Override
    public JsonResultWriter element(String name, long value) {
        add(name, Node.literal(Long.toString(value)));
        return this;
    }

    @Override
    public JsonResultWriter element(String name, boolean value) {
        add(name, Node.literal(Boolean.toString(value)));
        return this;
    }

    /**
     * The epoch second as a JSON number in Java's {@link Double#toString(double)} form, {@code 1.514869445E9}: what AWS
     * writes (docs/WIRE.md, "Answers in JSON"), and a number every JSON parser reads.
     */
    @Override
    public JsonResultWriter element(String name, Instant value) {
        add(name, Node.literal(Double.toString(value.getEpochSecond())));
        return this;
    }

    /** No buffer to size: the text is written at {@link #finish()}. */
    @Override
    public JsonResultWriter reserve(int characters) {
        return this;
    }

    /** The finished document, one JSON object; elements still open are closed. */
    String finish() {
        var out = new StringBuilder(512);
        write(out, root);
        return out.toString();
    }

    private JsonResultWriter open(String name, Kind kind) {
        var node = new Node(kind);
        add(name, node);
        open.push(node);
        return this;
    }

    private void add(String name, Node child) {
        Node parent = open.peek();
        if (parent.kind == Kind.OBJECT && parent != root && parent.members.isEmpty()) {
            // An unmarked list or map shows itself by its first child's name.
            if (name.equals(LIST_ITEM)) {
                parent.kind = Kind.LIST;
            } else if (name.equals(MAP_ENTRY)) {
                parent.kind = Kind.MAP;
            }
        }
        switch (parent.kind) {
            case OBJECT -> {
                if (parent.members.putIfAbsent(name, child) != null) {
                    throw new IllegalStateException("'" + name + "' is written twice in one structure");
                }
            }
            case LIST -> {
                if (!name.equals(LIST_ITEM)) {
                    throw new IllegalStateException("a list item is named '" + name + "', not 'member'");
                }
                parent.items.add(child);
            }
            case MAP -> {
                if (!name.equals(MAP_ENTRY) || child.kind != Kind.OBJECT) {
                    throw new IllegalStateException("a map item is '" + name + "', not an 'entry' structure");
                }
                parent.items.add(child);
            }
            default -> throw new IllegalStateException("a " + parent.kind + " has no members");
        }
    }

    private static void write(StringBuilder out, Node node) {
        switch (node.kind) {
            case TEXT -> quote(out, node.value);
            case LITERAL -> out.append(node.value);
            case OBJECT -> writeMembers(out, node.members);
            case LIST -> {
                out.append('[');
                for (int i = 0; i < node.items.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, node.items.get(i));
                }
                out.append(']');
            }
            case MAP -> {
                var entries = new TreeMap<String, Node>();
                for (Node entry : node.items) {
                    Node key = entry.members.get("key");
                    Node value = entry.members.get("value");
                    if (key == null || key.kind != Kind.TEXT || value == null) {
                        throw new IllegalStateException("a map entry needs a text 'key' and a 'value'");
                    }
                    if (entries.putIfAbsent(key.value, value) != null) {
                        throw new IllegalStateException("a map has the key '" + key.value + "' twice");
                    }
                }
                writeMembers(out, entries);
            }
            default -> throw new IllegalStateException("unknown node " + node.kind);
        }
    }

    private static void writeMembers(StringBuilder out, Map<String, Node> members) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Node> member : members.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            quote(out, member.getKey());
            out.append(':');
            write(out, member.getValue());
        }
        out.append('}');
    }

    /**
     * {@code text} as a JSON string (RFC 8259 §7): quotation mark, reverse solidus and control characters escaped, the
     * rest as it is; a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD, as {@link XmlWriter} writes it.
     */
    static void quote(StringBuilder out, String text) {
        out.append('"');
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            out.append(text, copied, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16))
                                .append(Character.forDigit(c & 0xf, 16));
                    }
                }
            }
            copied = i + 1;
        }
        out.append(text, copied, text.length()).append('"');
    }

    private enum Kind { TEXT, LITERAL, OBJECT, LIST, MAP }

    /** One value of the tree: a leaf (text or a literal number or boolean), or an object, list or map. */
    private static final class Node {
        private Kind kind;
        private final String value;
        private final Map<String, Node> members;
        private final List<Node> items;

        private Node(Kind kind) {
            this.kind = kind;
            this.value = null;
            this.members = new TreeMap<>();
            this.items = new ArrayList<>();
        }

        private Node(Kind kind, String value) {
            this.kind = kind;
            this.value = value;
            this.members = Map.of();
            this.items = List.of();
        }

        static Node text(String text) {
            return new Node(Kind.TEXT, text);
        }

        static Node literal(String json) {
            return new Node(Kind.LITERAL, json);
        }
    }
}
