package org.opensts.policy.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * A policy document read into a small JSON tree whose every node knows where it starts and ends in the
 * original text, as the policy simulator reports a statement's {@code StartPosition} and {@code EndPosition}.
 *
 * <p>Jackson's own tree model drops locations, so the document is read with its streaming parser. Lines and
 * columns are 1-based; a node's end is the position just after its last character. Duplicate member names
 * are rejected: a security policy must not depend on which of two values a parser keeps.
 */
public final class JsonTree {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonTree() {
    }

    /** A JSON text that could not be read, with where reading stopped. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;

        SyntaxException(String detail, int line, int column) {
            super(detail, null, false, false);
            this.line = line;
            this.column = column;
        }

        public int line() {
            return line;
        }

        public int column() {
            return column;
        }
    }

    /** Where a node starts and ends. */
    public abstract static class Node {
        private int startLine;
        private int startColumn;
        private int endLine;
        private int endColumn;
        private int startOffset;
        private int endOffset;

        public int startLine() {
            return startLine;
        }

        public int startColumn() {
            return startColumn;
        }

        public int endLine() {
            return endLine;
        }

        public int endColumn() {
            return endColumn;
        }

        /** The index in the text of the node's first character (a string's opening quote). */
        public int startOffset() {
            return startOffset;
        }

        /** The index in the text just after the node's last character (a string's closing quote). */
        public int endOffset() {
            return endOffset;
        }
    }

    /** A JSON object; members keep their order. */
    public static final class ObjectNode extends Node {
        private final List<Member> members;

        ObjectNode(List<Member> members) {
            this.members = Collections.unmodifiableList(members);
        }

        public List<Member> members() {
            return members;
        }

        /** The member named exactly {@code name}, if present. */
        public Optional<Member> member(String name) {
            for (Member m : members) {
                if (m.name().equals(name)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /** One {@code "name": value} pair of an object. */
    public static final class Member {
        private final String name;
        private final Node value;

        Member(String name, Node value) {
            this.name = name;
            this.value = value;
        }

        public String name() {
            return name;
        }

        public Node value() {
            return value;
        }
    }

    /** A JSON array. */
    public static final class ArrayNode extends Node {
        private final List<Node> elements;

        ArrayNode(List<Node> elements) {
            this.elements = Collections.unmodifiableList(elements);
        }

        public List<Node> elements() {
            return elements;
        }
    }

    /** What kind of scalar a {@link ScalarNode} is. */
    public enum ScalarKind { STRING, NUMBER, BOOLEAN, NULL }

    /** A string, number, boolean or null, with its text as written (numbers) or decoded (strings). */
    public static final class ScalarNode extends Node {
        private final ScalarKind kind;
        private final String text;

        ScalarNode(ScalarKind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        public ScalarKind kind() {
            return kind;
        }

        public String text() {
            return text;
        }
    }

    /**
     * Reads {@code text}, which must hold exactly one JSON value.
     *
     * @throws SyntaxException if it is not JSON, has trailing content or repeats a member name
     */
    public static Node parse(String text) throws SyntaxException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new SyntaxException("empty document", 1, 1);
            }
            Node root = read(parser, token);
            JsonToken trailing;
            try {
                trailing = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw syntax(e);
            }
            if (trailing != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new SyntaxException("trailing content", at.getLineNr(), at.getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntax(e);
        } catch (IOException e) {
            // Reading from a String does no I/O; Jackson declares the exception all the same.
            throw new UncheckedIOException(e);
        }
    }

    private static SyntaxException syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        return new SyntaxException(e.getOriginalMessage(), line, column);
    }

    private static Node read(JsonParser parser, JsonToken token) throws IOException, SyntaxException {
        JsonLocation start = parser.currentTokenLocation();
        if (token == null) {
            throw new SyntaxException("unexpected end of input", start.getLineNr(), start.getColumnNr());
        }
        Node node;
        switch (token) {
            case START_OBJECT:
                node = readObject(parser);
                break;
            case START_ARRAY:
                node = readArray(parser);
                break;
            case VALUE_STRING:
                node = new ScalarNode(ScalarKind.STRING, parser.getText());
                break;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                node = new ScalarNode(ScalarKind.NUMBER, parser.getText());
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                node = new ScalarNode(ScalarKind.BOOLEAN, parser.getText());
                break;
            case VALUE_NULL:
                node = new ScalarNode(ScalarKind.NULL, "null");
                break;
            default:
                throw new SyntaxException("unexpected " + token, start.getLineNr(), start.getColumnNr());
        }
        JsonLocation end = parser.currentLocation();
        node.startLine = start.getLineNr();
        node.startColumn = start.getColumnNr();
        node.endLine = end.getLineNr();
        node.endColumn = end.getColumnNr();
        node.startOffset = (int) start.getCharOffset();
        node.endOffset = (int) end.getCharOffset();
        return node;
    }

    private static ObjectNode readObject(JsonParser parser) throws IOException, SyntaxException {
        var members = new ArrayList<Member>();
        var names = new HashSet<String>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonLocation at = parser.currentTokenLocation();
            if (!names.add(name)) {
                throw new SyntaxException("duplicate member " + name, at.getLineNr(), at.getColumnNr());
            }
            members.add(new Member(name, read(parser, parser.nextToken())));
        }
        if (token != JsonToken.END_OBJECT) {
            JsonLocation at = parser.currentTokenLocation();
            throw new SyntaxException("unterminated object", at.getLineNr(), at.getColumnNr());
        }
        return new ObjectNode(members);
    }

    private static ArrayNode readArray(JsonParser parser) throws IOException, SyntaxException {
        var elements = new ArrayList<Node>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == null) {
                JsonLocation at = parser.currentLocation();
                throw new SyntaxException("unterminated array", at.getLineNr(), at.getColumnNr());
            }
            elements.add(read(parser, token));
        }
        return new ArrayNode(elements);
    }
}
