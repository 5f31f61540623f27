package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.Xml;
import org.w3c.dom.Element;

/**
 * The XML writer: every character either escaped, kept or (when XML 1.0 cannot carry it) replaced with U+FFFD, so
 * that no value can break the document; and the formats of numbers, booleans and timestamps.
 */
class XmlWriterTest {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    /** A text value, how the writer writes it, and what a parser reads back. */
    record Escape(String name, String text, String written, String read) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Escape> escapes() {
        return Stream.of(
                new Escape("less-than", "a<b", "a&lt;b", "a<b"),
                new Escape("greater-than, so ]]> cannot end anything", "]]>", "]]&gt;", "]]>"),
                new Escape("ampersand", "a&b", "a&amp;b", "a&b"),
                new Escape("an entity-looking text stays text", "&lt;", "&amp;lt;", "&lt;"),
                new Escape("double quote", "\"", "&quot;", "\""),
                new Escape("apostrophe", "'", "&apos;", "'"),
                new Escape("carriage return, which a parser would turn into a line feed", "a\rb", "a&#xD;b",
                        "a\rb"),
                new Escape("CR LF keeps both", "a\r\nb", "a&#xD;\nb", "a\r\nb"),
                new Escape("tab and line feed are kept", "a\tb\nc", "a\tb\nc", "a\tb\nc"),
                new Escape("U+0000 cannot be carried", "a\u0000b", "a\uFFFDb", "a\uFFFDb"),
                new Escape("other C0 controls cannot be carried", "\u0001\u0008\u000B\u000C\u001F",
                        "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"),
                new Escape("DEL and C1 controls are allowed", "\u007F\u0085\u009F", "\u007F\u0085\u009F",
                        "\u007F\u0085\u009F"),
                new Escape("U+FFFE and U+FFFF cannot be carried", "\uFFFE\uFFFF", "\uFFFD\uFFFD", "\uFFFD\uFFFD"),
                new Escape("U+FFFD itself is kept", "\uFFFD", "\uFFFD", "\uFFFD"),
                new Escape("a surrogate pair is one character, kept", "\uD83D\uDE00", "\uD83D\uDE00",
                        "\uD83D\uDE00"),
                new Escape("the last code point, U+10FFFF", "\uDBFF\uDFFF", "\uDBFF\uDFFF", "\uDBFF\uDFFF"),
                new Escape("a lone high surrogate at the end", "a\uD83D", "a\uFFFD", "a\uFFFD"),
                new Escape("a lone high surrogate before a letter", "\uD83Da", "\uFFFDa", "\uFFFDa"),
                new Escape("a lone low surrogate", "\uDE00a", "\uFFFDa", "\uFFFDa"),
                new Escape("two high surrogates then a low one", "\uD83D\uD83D\uDE00", "\uFFFD\uD83D\uDE00",
                        "\uFFFD\uD83D\uDE00"),
                new Escape("non-ASCII letters are written as they are", "caf\u00E9 \u65E5\u672C",
                        "caf\u00E9 \u65E5\u672C", "caf\u00E9 \u65E5\u672C"),
                new Escape("U+2028 is allowed", "\u2028", "\u2028", "\u2028"),
                new Escape("empty text", "", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void element_text_isEscapedAndReadsBack(Escape escape) {
        String xml = new XmlWriter().startDocument("R", "urn:test").element("V", escape.text()).finish();

        assertThat(xml).isEqualTo(DECLARATION + "<R xmlns=\"urn:test\"><V>" + escape.written() + "</V></R>");
        assertThat(Xml.child(Xml.parse(xml), "V").getTextContent()).isEqualTo(escape.read());
    }

    @Test
    void startDocument_escapesTheNamespace() {
        String xml = new XmlWriter().startDocument("R", "urn:a\"b&c<d").finish();

        assertThat(xml).isEqualTo(DECLARATION + "<R xmlns=\"urn:a&quot;b&amp;c&lt;d\"></R>");
        assertThat(Xml.parse(xml).getNamespaceURI()).isEqualTo("urn:a\"b&c<d");
    }

    @Test
    void startAndEnd_nestElements_andFinishClosesWhatIsOpen() {
        String xml = new XmlWriter().startDocument("AssumeRoleResponse", "https://sts.amazonaws.com/doc/2011-06-15/")
                .start("AssumeRoleResult")
                .start("AssumedRoleUser")
                .element("Arn", "arn:aws:sts::123456789012:assumed-role/demo/s")
                .end()
                .element("PackedPolicySize", 6)
                .start("SourceIdentity")
                .finish();

        assertThat(xml).isEqualTo(DECLARATION
                + "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>"
                + "<PackedPolicySize>6</PackedPolicySize><SourceIdentity></SourceIdentity></AssumeRoleResult>"
                + "</AssumeRoleResponse>");
    }

    @Test
    void numbersAndBooleans_areWrittenInDecimalAndLowerCase() {
        String xml = new XmlWriter().startDocument("R", "urn:test")
                .element("Min", Long.MIN_VALUE)
                .element("Zero", 0)
                .element("True", true)
                .element("False", false)
                .finish();

        assertThat(xml).isEqualTo(DECLARATION + "<R xmlns=\"urn:test\"><Min>-9223372036854775808</Min>"
                + "<Zero>0</Zero><True>true</True><False>false</False></R>");
    }

    /** An instant and its ISO 8601 text in whole seconds, UTC. */
    record Timestamp(String name, Instant instant, String written) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Timestamp> timestamps() {
        return Stream.of(
                new Timestamp("whole seconds", Instant.parse("2011-07-15T23:28:33Z"), "2011-07-15T23:28:33Z"),
                new Timestamp("milliseconds are dropped, not rounded", Instant.parse("2011-07-15T23:28:33.999Z"),
                        "2011-07-15T23:28:33Z"),
                new Timestamp("nanoseconds are dropped", Instant.ofEpochSecond(1576540098L, 1),
                        "2019-12-16T23:48:18Z"),
                new Timestamp("a whole minute keeps its seconds", Instant.parse("2019-11-01T20:26:00Z"),
                        "2019-11-01T20:26:00Z"),
                new Timestamp("the epoch", Instant.EPOCH, "1970-01-01T00:00:00Z"),
                new Timestamp("before the epoch", Instant.parse("1969-12-31T23:59:59.5Z"), "1969-12-31T23:59:59Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void element_instant_isIso8601InWholeSecondsUtc(Timestamp timestamp) {
        String xml = new XmlWriter().startDocument("R", "urn:test").element("Expiration", timestamp.instant())
                .finish();

        assertThat(xml).isEqualTo(DECLARATION + "<R xmlns=\"urn:test\"><Expiration>" + timestamp.written()
                + "</Expiration></R>");
    }

    @Test
    void element_instantsAtTheEdgesOfFourDigitYears_areWrittenAsInstantWritesThem() {
        for (Instant instant : List.of(Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("0000-01-01T00:00:00Z")
                .minusNanos(1), Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59Z")
                .plusSeconds(1), Instant.parse("2000-02-29T12:00:00Z"), Instant.parse("1900-03-01T00:00:00Z"),
                Instant.MIN, Instant.MAX)) {
            assertThat(timestamp(instant)).isEqualTo(oracleTimestamp(instant));
        }
    }

    /** The writer's own formatting against what it did before: the JDK's, through {@link Instant#toString()}. */
    @Property(tries = 5000)
    void anyInstant_isWrittenAsInstantWritesItInWholeSeconds(@ForAll("instants") Instant instant) {
        assertThat(timestamp(instant)).isEqualTo(oracleTimestamp(instant));
    }

    @Property
    void anyNesting_isWrittenAsWithADequeOfOpenNames(@ForAll("nestings") List<Integer> steps) {
        var writer = new XmlWriter().startDocument("R", "urn:test");
        var oracle = new StringBuilder(DECLARATION + "<R xmlns=\"urn:test\">");
        var open = new ArrayDeque<String>(List.of("R"));
        for (int step : steps) {
            if (step < 0 && open.size() > 1) {
                writer.end();
                oracle.append("</").append(open.pop()).append('>');
            } else if (step >= 0) {
                writer.start("E" + step);
                oracle.append("<E").append(step).append('>');
                open.push("E" + step);
            }
        }
        while (!open.isEmpty()) {
            oracle.append("</").append(open.pop()).append('>');
        }

        assertThat(writer.finish()).isEqualTo(oracle.toString());
    }

    @Test
    void end_withNothingOpen_isAProgrammingError() {
        var writer = new XmlWriter().startDocument("R", "urn:test").end();

        assertThatThrownBy(writer::end).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reserve_changesNothingWritten() {
        String reserved = new XmlWriter(16).startDocument("R", "urn:test").reserve(4096).element("V", "x").finish();

        assertThat(reserved).isEqualTo(new XmlWriter().startDocument("R", "urn:test").element("V", "x").finish());
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
                Arbitraries.longs().between(-62_167_219_200L - 86_400, 253_402_300_799L + 86_400), // years 0..9999
                Arbitraries.longs().between(0, 4_102_444_800L)) // 1970..2100, where sessions live
                .flatMap(seconds -> Arbitraries.integers().between(0, 999_999_999)
                        .map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<List<Integer>> nestings() {
        return Arbitraries.integers().between(-3, 20).list().ofMaxSize(60);
    }

    private static String timestamp(Instant instant) {
        var out = new StringBuilder();
        XmlWriter.appendTimestamp(out, instant);
        return out.toString();
    }

    /** How the writer wrote timestamps before it formatted them itself. */
    private static String oracleTimestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Property
    void anyText_readsBackWithOnlyWhatXmlCannotCarryReplaced(@ForAll String text) {
        String xml = new XmlWriter().startDocument("R", "urn:test").element("V", text).finish();

        Element value = Xml.child(Xml.parse(xml), "V");

        assertThat(value.getTextContent()).isEqualTo(carriable(text));
    }

    /** {@code text} with each code point that XML 1.0 cannot carry, and each lone surrogate, replaced by U+FFFD. */
    private static String carriable(String text) {
        var out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)) {
                out.append(c);
            } else {
                out.append('\uFFFD');
            }
        }
        return out.toString();
    }
}
