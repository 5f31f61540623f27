package org.opensts.server;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Writes the small, flat XML documents of the Query protocol: elements, text and one namespace on the root. Text and
 * attribute values are escaped; characters XML 1.0 cannot carry are replaced, so no input can break the document.
 */
final class XmlWriter implements ResultWriter {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants written as four-digit years without a sign. */
    private static final long FIRST_FOUR_DIGIT_SECOND = -62_167_219_200L;
    private static final long LAST_FOUR_DIGIT_SECOND = 253_402_300_799L;

    private final StringBuilder out;
    private String[] open = new String[8]; // the names of the open elements, innermost last
    private int depth;

    /** A writer for a short document, such as GetCallerIdentity's answer or an error (about 500 characters). */
    XmlWriter() {
        this(512);
    }

    /**
     * A writer whose buffer starts at {@code capacity} characters: a document that outgrows its buffer pays for a
     * copy at each doubling, one that holds credentials (a session token alone is some 600 characters) three.
     */
    XmlWriter(int capacity) {
        out = new StringBuilder(capacity);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }

    /** Makes room for {@code characters} more, at once rather than by doublings, e.g. before a session token. */
    @Override
    public XmlWriter reserve(int characters) {
        out.ensureCapacity(out.length() + characters);
        return this;
    }

    /** Opens the document element with its namespace. */
    XmlWriter startDocument(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"");
        escape(namespace);
        out.append("\">");
        push(name);
        return this;
    }

    @Override
    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        push(name);
        return this;
    }

    /** A list is an element of {@code <member>} elements: written as any other element. */
    @Override
    public XmlWriter startList(String name) {
        return start(name);
    }

    /** A map is an element of {@code <entry>} elements: written as any other element. */
    @Override
    public XmlWriter startMap(String name) {
        return start(name);
    }

    @Override
    public XmlWriter end() {
        if (depth == 0) {
            throw new IllegalStateException("no element is open");
        }
        String name = open[--depth];
        open[depth] = null;
        out.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>text</name>}. */
    @Override
    public XmlWriter element(String name, String text) {
        out.append('<').append(name).append('>');
        escape(text);
        out.append("</").append(name).append('>');
        return this;
    }

    @Override
    public XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    @Override
    public XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** A timestamp in ISO 8601 UTC with whole seconds, e.g. {@code 2011-07-15T23:28:33Z}. */
    @Override
    public XmlWriter element(String name, Instant value) {
        out.append('<').append(name).append('>');
        appendTimestamp(out, value);
        out.append("</").append(name).append('>');
        return this;
    }

    /**
     * Appends {@code value} truncated to the second as {@link Instant#toString()} writes it, e.g.
     * {@code 2011-07-15T23:28:33Z}. Years 0000..9999 (every instant a session can hold) are written here digit by
     * digit, without the formatter's parsing of its pattern and intermediate strings; the rest, which need a sign or
     * more digits, the formatter writes.
     */
    static void appendTimestamp(StringBuilder out, Instant value) {
        long seconds = value.getEpochSecond();
        if (seconds < FIRST_FOUR_DIGIT_SECOND || seconds > LAST_FOUR_DIGIT_SECOND) {
            out.append(value.truncatedTo(ChronoUnit.SECONDS));
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        int year = date.getYear();
        appendTwoDigits(out, year / 100);
        appendTwoDigits(out, year % 100);
        out.append('-');
        appendTwoDigits(out, date.getMonthValue());
        out.append('-');
        appendTwoDigits(out, date.getDayOfMonth());
        out.append('T');
        appendTwoDigits(out, secondOfDay / 3600);
        out.append(':');
        appendTwoDigits(out, secondOfDay / 60 % 60);
        out.append(':');
        appendTwoDigits(out, secondOfDay % 60);
        out.append('Z');
    }

    private static void appendTwoDigits(StringBuilder out, int value) {
        out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** The finished document. */
    String finish() {
        while (depth > 0) {
            end();
        }
        return out.toString();
    }

    private void push(String name) {
        if (depth == open.length) {
            open = Arrays.copyOf(open, depth * 2);
        }
        open[depth++] = name;
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
