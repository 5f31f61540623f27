package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Canonicalization rules one at a time: the path, the query string and header values. */
class CanonicalRequestTest {

    record PathCase(String name, String wirePath, boolean normalize, boolean doubleEncode, String canonicalUri) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static PathCase nonS3(String name, String wirePath, String canonicalUri) {
        return new PathCase(name, wirePath, true, true, canonicalUri);
    }

    private static PathCase s3(String name, String wirePath, String canonicalUri) {
        return new PathCase(name, wirePath, false, false, canonicalUri);
    }

    static Stream<PathCase> paths() {
        return Stream.of(
                nonS3("the root path stays /", "/", "/"),
                nonS3("an empty path is /", "", "/"),
                nonS3("double slashes collapse when normalizing", "//example//", "/example/"),
                s3("double slashes stay without normalizing", "//example//", "//example//"),
                nonS3("a dot segment is removed", "/./example", "/example"),
                nonS3("dot-dot segments climb", "/example1/example2/../..", "/"),
                nonS3("dot-dot stops at the root", "/../../a", "/a"),
                nonS3("a trailing dot keeps the slash", "/a/.", "/a/"),
                s3("dot segments stay without normalizing", "/./a/../b", "/./a/../b"),
                nonS3("an escaped dot-dot is not a dot segment", "/a/%2E%2E/b", "/a/%252E%252E/b"),
                nonS3("a relative path gets a leading slash when normalizing", "a/b", "/a/b"),
                nonS3("a raw space is %20", "/example space/", "/example%20space/"),
                nonS3("UTF-8 is percent-encoded", "/\u1234", "/%E1%88%B4"),
                nonS3("a character beyond the BMP is four UTF-8 bytes", "/\uD83D\uDE00", "/%F0%9F%98%80"),
                nonS3("unreserved characters stay", "/-._~AZaz09", "/-._~AZaz09"),
                nonS3("a dollar sign is encoded", "/example/$delete", "/example/%24delete"),
                nonS3("an at sign is encoded", "/test/@connections", "/test/%40connections"),
                nonS3("an escape is encoded again for non-S3 services", "/a%3Ab", "/a%253Ab"),
                s3("an escape is kept once for S3", "/a%3Ab", "/a%3Ab"),
                s3("lower-case escape hex becomes upper-case for S3", "/a%3ab", "/a%3Ab"),
                s3("an escaped unreserved character is decoded for S3", "/%7Efile", "/~file"),
                s3("an escaped slash stays escaped for S3", "/a%2Fb", "/a%2Fb"),
                s3("a percent without two hex digits is a literal percent for S3", "/100%", "/100%25"),
                s3("a percent before non-hex is a literal percent for S3", "/%zz", "/%25zz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void canonicalUri(PathCase c) {
        assertThat(CanonicalRequest.canonicalUri(c.wirePath(), c.normalize(), c.doubleEncode()))
                .isEqualTo(c.canonicalUri());
    }

    record QueryCase(String name, String rawQuery, boolean presigned, String canonicalQuery) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static QueryCase query(String name, String rawQuery, String canonicalQuery) {
        return new QueryCase(name, rawQuery, false, canonicalQuery);
    }

    static Stream<QueryCase> queries() {
        return Stream.of(
                query("no query is an empty line", "", ""),
                query("one parameter stays", "a=1", "a=1"),
                query("parameters sort by key, upper case first", "b=1&B=2&a=3", "B=2&a=3&b=1"),
                query("parameters sort by encoded key", "Param-3=3&Param=2&%E1%88%B4=1",
                        "%E1%88%B4=1&Param=2&Param-3=3"),
                query("a key sorts before the keys it prefixes", "a-b=1&ab=2&a=3", "a=3&a-b=1&ab=2"),
                query("repeated keys sort by value", "Param1=value2&Param1=Value1", "Param1=Value1&Param1=value2"),
                query("a key without = gets an empty value", "uploads", "uploads="),
                query("an empty value stays empty", "a=", "a="),
                query("an = inside a value is encoded", "a=b=c", "a=b%3Dc"),
                query("a plus is a literal plus", "a=b+c", "a=b%2Bc"),
                query("a space escape stays %20", "a=b%20c", "a=b%20c"),
                query("lower-case escape hex becomes upper-case", "a=%2f", "a=%2F"),
                query("an escaped unreserved character is decoded", "a=%7E%41", "a=~A"),
                query("raw UTF-8 is encoded", "\u1234=bar", "%E1%88%B4=bar"),
                query("a percent without two hex digits is a literal percent", "a=100%", "a=100%25"),
                query("empty pieces are skipped", "a=1&&b=2&", "a=1&b=2"),
                query("X-Amz-Signature is kept in the header form", "X-Amz-Signature=abc&a=1",
                        "X-Amz-Signature=abc&a=1"),
                new QueryCase("X-Amz-Signature is left out when presigned", "X-Amz-Signature=abc&a=1", true, "a=1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void canonicalQuery(QueryCase c) {
        assertThat(CanonicalRequest.canonicalQuery(c.rawQuery(), c.presigned())).isEqualTo(c.canonicalQuery());
    }

    record ValueCase(String name, String value, String canonicalValue) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ValueCase> headerValues() {
        return Stream.of(
                new ValueCase("case is kept", "VALUE1", "VALUE1"),
                new ValueCase("surrounding spaces are trimmed", "  value1  ", "value1"),
                new ValueCase("inner runs of spaces collapse, quoted or not", "\"a   b   c\"", "\"a b c\""),
                new ValueCase("tabs count as spaces", "a\t\tb\t", "a b"),
                new ValueCase("an empty value stays empty", "", ""),
                new ValueCase("a value of spaces becomes empty", "   ", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headerValues")
    void trimmedHeaderValue(ValueCase c) {
        StringBuilder out = new StringBuilder();
        CanonicalRequest.appendTrimmedValue(c.value(), out);
        assertThat(out.toString()).isEqualTo(c.canonicalValue());
    }

    /** Any value: the blanks SigV4 trims at the ends are gone and each inner run of them is one space. */
    @Property
    void trimmedHeaderValue_isTheNonBlankRunsJoinedWithOneSpace(
            @ForAll @StringLength(max = 40) @Chars({' ', '\t', '\n', '\r', '\f', '\u000B', 'a', 'Z', '=', '\u00E9'})
            String value) {
        StringBuilder out = new StringBuilder("prefix:");
        CanonicalRequest.appendTrimmedValue(value, out);
        String expected = String.join(" ", Stream.of(value.split("[ \t\n\r\f\u000B]+"))
                .filter(run -> !run.isEmpty()).toList());
        assertThat(out.toString()).isEqualTo("prefix:" + expected);
    }

    @Test
    void create_repeatedHeaders_joinInArrivalOrderAndNamesSort() {
        SignableRequest request = SignableRequest.builder()
                .method("GET")
                .path("/")
                .addHeader("My-Header1", "value4")
                .addHeader("Host", "example.amazonaws.com")
                .addHeader("my-header1", " value1 ")
                .addHeader("MY-HEADER1", "value3")
                .addHeader("My-Header1", "value1")
                .build();

        CanonicalRequest canonicalRequest = CanonicalRequest.create(request, List.of("host", "my-header1"),
                "host;my-header1", "UNSIGNED-PAYLOAD", false, true, true);

        assertThat(canonicalRequest.text()).isEqualTo("GET\n/\n\nhost:example.amazonaws.com\n"
                + "my-header1:value4,value1,value3,value1\n\nhost;my-header1\nUNSIGNED-PAYLOAD");
        assertThat(canonicalRequest.signedHeaders()).isEqualTo("host;my-header1");
        assertThat(canonicalRequest.payloadHash()).isEqualTo("UNSIGNED-PAYLOAD");
        assertThat(canonicalRequest.hashHex())
                .isEqualTo(Hex.encode(Digests.sha256(canonicalRequest.text().getBytes(UTF_8))));
    }
}
