package org.opensts.gateway.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The DeleteObjects body parser: S3's schema, and every hostile document refused as {@code MalformedXML}. */
class DeleteObjectsBodyTest {
    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";

    @Test
    void parse_sdkBody_givesKeysVersionsAndQuiet() throws S3Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete xmlns=\"" + NS + "\">"
                + "<Object><Key>a.txt</Key></Object>"
                + "<Object><Key>dir/b &amp; c.txt</Key><VersionId>3/L4kqtJl</VersionId></Object>"
                + "<Quiet>true</Quiet></Delete>";

        DeleteObjectsBody body = DeleteObjectsBody.parse(xml.getBytes(UTF_8));

        assertThat(body.objects()).containsExactly(
                new DeleteObjectsBody.ObjectIdentifier("a.txt", Optional.empty()),
                new DeleteObjectsBody.ObjectIdentifier("dir/b & c.txt", Optional.of("3/L4kqtJl")));
        assertThat(body.quiet()).isTrue();
    }

    @Test
    void parse_keysKeepWhitespaceUnicodeAndCharacterReferences() throws S3Exception {
        String xml = "<Delete><Object><Key>  lead &#x1F600; 日本/ </Key></Object>"
                + "<Object><Key><![CDATA[<cdata>]]></Key><ETag>\"abc\"</ETag></Object></Delete>";

        DeleteObjectsBody body = DeleteObjectsBody.parse(xml.getBytes(UTF_8));

        assertThat(body.objects()).extracting(DeleteObjectsBody.ObjectIdentifier::key)
                .containsExactly("  lead \uD83D\uDE00 日本/ ", "<cdata>");
        assertThat(body.quiet()).isFalse();
    }

    @Test
    void parse_thousandObjects_isAccepted() throws S3Exception {
        assertThat(DeleteObjectsBody.parse(objects(1000)).objects()).hasSize(1000);
    }

    @Test
    void parse_emptyBody_isMissingRequestBody() {
        assertThatThrownBy(() -> DeleteObjectsBody.parse(new byte[0])).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.MISSING_REQUEST_BODY));
    }

    record Hostile(String name, byte[] body) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Hostile hostile(String name, String xml) {
        return new Hostile(name, xml.getBytes(UTF_8));
    }

    static Stream<Hostile> hostileBodies() {
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                + "<Delete><Object><Key>&lol3;</Key></Object></Delete>";
        return Stream.of(
                hostile("entity expansion (billion laughs)", laughs),
                hostile("an external entity", "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY x SYSTEM "
                        + "\"file:///etc/passwd\">]><Delete><Object><Key>&x;</Key></Object></Delete>"),
                hostile("an external DTD", "<!DOCTYPE Delete SYSTEM \"http://127.0.0.1:1/evil.dtd\">"
                        + "<Delete><Object><Key>k</Key></Object></Delete>"),
                hostile("an undeclared entity", "<Delete><Object><Key>&nope;</Key></Object></Delete>"),
                hostile("a processing instruction", "<Delete><?evil?><Object><Key>k</Key></Object></Delete>"),
                new Hostile("1001 objects", objects(1001)),
                hostile("no objects", "<Delete></Delete>"),
                hostile("no objects but quiet", "<Delete><Quiet>true</Quiet></Delete>"),
                hostile("deep nesting", "<Delete>" + "<Object>".repeat(5000) + "</Object>".repeat(5000)
                        + "</Delete>"),
                hostile("a nested element in a key", "<Delete><Object><Key><b>k</b></Key></Object></Delete>"),
                hostile("an object without a key", "<Delete><Object><VersionId>v</VersionId></Object></Delete>"),
                hostile("a comment inside a key", "<Delete><Object><Key>tmp/<!---->keep.txt</Key></Object></Delete>"),
                hostile("a comment inside a version id",
                        "<Delete><Object><Key>k</Key><VersionId>v<!-- -->1</VersionId></Object></Delete>"),
                hostile("two keys in one object",
                        "<Delete><Object><Key>a</Key><Key>b</Key></Object></Delete>"),
                hostile("an unknown element", "<Delete><Object><Key>a</Key><Owner>x</Owner></Object></Delete>"),
                hostile("an unknown element in Delete", "<Delete><Object><Key>a</Key></Object><X/></Delete>"),
                hostile("another root element", "<Remove><Object><Key>a</Key></Object></Remove>"),
                hostile("another namespace", "<Delete xmlns=\"urn:evil\"><Object><Key>a</Key></Object></Delete>"),
                hostile("an attribute", "<Delete><Object id=\"1\"><Key>a</Key></Object></Delete>"),
                hostile("text between elements", "<Delete>junk<Object><Key>a</Key></Object></Delete>"),
                hostile("two root elements",
                        "<Delete><Object><Key>a</Key></Object></Delete><Delete></Delete>"),
                hostile("a quiet that is not a boolean", "<Delete><Object><Key>a</Key></Object>"
                        + "<Quiet>yes</Quiet></Delete>"),
                hostile("not well-formed", "<Delete><Object><Key>a</Key></Object>"),
                hostile("not XML", "{\"Objects\":[{\"Key\":\"a\"}]}"),
                new Hostile("bytes that are not UTF-8",
                        concat("<Delete><Object><Key>".getBytes(UTF_8), new byte[] {(byte) 0xC3, 0x28},
                                "</Key></Object></Delete>".getBytes(UTF_8))),
                new Hostile("a body over the cap", over(DeleteObjectsBody.MAX_BODY_BYTES)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void parse_hostileBody_isMalformedXml(Hostile h) {
        assertThatThrownBy(() -> DeleteObjectsBody.parse(h.body())).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.MALFORMED_XML));
    }

    private static byte[] objects(int count) {
        var xml = new StringBuilder("<Delete xmlns=\"" + NS + "\">");
        for (int i = 0; i < count; i++) {
            xml.append("<Object><Key>key-").append(i).append("</Key></Object>");
        }
        return xml.append("</Delete>").toString().getBytes(UTF_8);
    }

    /** A well-formed body one byte over the cap: a comment pads it, so only the size can refuse it. */
    private static byte[] over(int cap) {
        String head = "<Delete><Object><Key>k</Key></Object><!--";
        String tail = "--></Delete>";
        return (head + "x".repeat(cap + 1 - head.length() - tail.length()) + tail).getBytes(UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
