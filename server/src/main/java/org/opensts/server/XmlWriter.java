package org.opensts.server;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small, flat XML documents of the Query protocol: elements, text and one namespace on the root. Text and
 * attribute values are escaped; characters XML 1.0 cannot carry are replaced, so no input can break the document.
 */
final class XmlWriter {
    private final StringBuilder out = new StringBuilder(512);
    private final Deque<String> open = new ArrayDeque<>();

    XmlWriter() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Opens the document element with its namespace. */
    XmlWriter startDocument(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"");
        escape(namespace);
        out.append("\">");
        open.push(name);
        return this;
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** {@code <name>text</name>}. */
    XmlWriter element(String name, String text) {
        out.append('<').append(name).append('>');
        escape(text);
        out.append("</").append(name).append('>');
        return this;
    }

    XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** A timestamp in ISO 8601 UTC with whole seconds, e.g. {@code 2011-07-15T23:28:33Z}. */
    XmlWriter element(String name, Instant value) {
        return element(name, value.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The finished document. */
    String finish() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString();
    }

    /**
     * Appends {@code text} escaped. Stretches that need no escape (all of a session token, an ARN, a date) are copied
     * whole rather than character by character.
     */
    private void escape(String text) {
        int copied = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isPlain(c)) {
                continue;
            }
            out.append(text, copied, i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#xD;");
                default -> {
                    if (c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
                        out.append(c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        out.append(c).append(text.charAt(++i));
                    } else {
                        out.append('\uFFFD');
                    }
                }
            }
            copied = i + 1;
        }
        out.append(text, copied, text.length());
    }

    /** A character XML carries as it is in text and attribute values: printable ASCII but the five markup ones. */
    private static boolean isPlain(char c) {
        return c >= 0x20 && c < 0x7F && c != '<' && c != '>' && c != '&' && c != '"' && c != '\'';
    }
}
