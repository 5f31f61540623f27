package org.opensts.protocol.shape;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.NotEmpty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Form decoding as {@code application/x-www-form-urlencoded} defines it, for query strings and form bodies. */
class QueryParametersTest {

    /** A form text and the parameters it decodes to. */
    record Decoding(String name, String form, Map<String, String> parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Decoding> decodings() {
        return Stream.of(
                new Decoding("plain pairs", "Action=AssumeRole&Version=2011-06-15",
                        Map.of("Action", "AssumeRole", "Version", "2011-06-15")),
                new Decoding("plus is a space", "RoleSessionName=a+b", Map.of("RoleSessionName", "a b")),
                new Decoding("an escaped plus is a plus", "Tag=a%2Bb", Map.of("Tag", "a+b")),
                new Decoding("escapes take either case", "x=%3a%3A%2f", Map.of("x", "::/")),
                new Decoding("escaped ampersand and equals stay in the value", "x=a%26b%3Dc", Map.of("x", "a&b=c")),
                new Decoding("a two-byte UTF-8 sequence", "x=caf%C3%A9", Map.of("x", "café")),
                new Decoding("a three-byte UTF-8 sequence", "x=%E2%82%AC", Map.of("x", "€")),
                new Decoding("a four-byte UTF-8 sequence is one code point", "x=%F0%9F%98%80",
                        Map.of("x", "\uD83D\uDE00")),
                new Decoding("escapes mixed with plain text", "x=caf%C3%A9+au+lait%21", Map.of("x", "café au lait!")),
                new Decoding("plain non-ASCII text stands for itself", "x=日本+%E6%97%A5", Map.of("x", "日本 日")),
                new Decoding("names are decoded too", "Tags.member.1%2EKey=a+b", Map.of("Tags.member.1.Key", "a b")),
                new Decoding("an empty value", "Tags=", Map.of("Tags", "")),
                new Decoding("a pair without '=' has an empty value", "Tags&x=1", Map.of("Tags", "", "x", "1")),
                new Decoding("only the first '=' separates name and value", "x=a=b", Map.of("x", "a=b")),
                new Decoding("empty pairs are skipped", "&&x=1&&y=2&", Map.of("x", "1", "y", "2")),
                new Decoding("an empty text has no parameters", "", Map.of()),
                new Decoding("a byte that is not UTF-8 becomes U+FFFD", "x=a%FFb", Map.of("x", "a\uFFFDb")),
                new Decoding("a truncated UTF-8 sequence becomes U+FFFD", "x=%E2%82+", Map.of("x", "\uFFFD ")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodings")
    void addForm_decodesEachPair(Decoding decoding) {
        QueryParameters parameters = QueryParameters.builder().addForm(decoding.form()).build();

        assertThat(parameters.asMap()).isEqualTo(decoding.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x=%", "x=%4", "x=a%4", "x=%G1", "x=%4g", "x=%%41", "%=x", "x=%\u0663\u0661",
        "x=%\uFF14\uFF11"})
    void addForm_malformedPercentEscape_isRejected(String form) {
        var builder = QueryParameters.builder();

        assertThatThrownBy(() -> builder.addForm(form))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Malformed percent escape");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RoleArn=a&RoleArn=b", "RoleArn=a&RoleArn=a", "Action=x&y=1&Action=x", "Tags&Tags=",
        "Role%41rn=a&RoleArn=b"})
    void addForm_aNameGivenTwice_isRefused(String form) {
        var builder = QueryParameters.builder();

        assertThatThrownBy(() -> builder.addForm(form))
                .isInstanceOfSatisfying(QueryParameters.RepeatedParameterException.class,
                        e -> assertThat(e.name()).isIn("RoleArn", "Action", "Tags"));
    }

    @Test
    void addForm_aNameInTheQueryStringAndAgainInTheBody_isRefused() {
        var builder = QueryParameters.builder().addForm("Action=GetCallerIdentity&Version=2011-06-15");

        assertThatThrownBy(() -> builder.addForm("Action=AssumeRole"))
                .isInstanceOfSatisfying(QueryParameters.RepeatedParameterException.class,
                        e -> assertThat(e.name()).isEqualTo("Action"));
    }

    @Test
    void names_areCaseSensitive() {
        QueryParameters parameters = QueryParameters.builder().addForm("roleArn=a&RoleArn=b").build();

        assertThat(parameters.get("RoleArn")).contains("b");
        assertThat(parameters.get("roleArn")).contains("a");
        assertThat(parameters.get("ROLEARN")).isEmpty();
    }

    @Test
    void hasPrefix_findsOnlyNamesThatStartWithIt() {
        QueryParameters parameters = QueryParameters.builder().addForm("Tags.member.1.Key=a&TagsX=1").build();

        assertThat(parameters.hasPrefix("Tags.")).isTrue();
        assertThat(parameters.hasPrefix("Tags.member.2.")).isFalse();
        assertThat(parameters.hasPrefix("Policy")).isFalse();
    }

    @Test
    void asMap_isSortedByNameAndUnmodifiable() {
        QueryParameters parameters = QueryParameters.of(Map.of("b", "2", "a", "1", "c", "3"));

        assertThat(parameters.asMap().keySet()).containsExactly("a", "b", "c");
        assertThat(parameters.size()).isEqualTo(3);
        assertThat(parameters.contains("b")).isTrue();
        assertThatThrownBy(() -> parameters.asMap().put("d", "4")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_namesParametersButNeverTheirValues() {
        QueryParameters parameters = QueryParameters.builder()
                .addForm("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.secret&TokenCode=123456")
                .build();

        assertThat(parameters.toString())
                .contains("WebIdentityToken", "TokenCode")
                .doesNotContain("eyJ", "secret", "123456");
    }

    @Property
    void whatAClientEncodes_decodesToTheSamePairs(@ForAll Map<@NotEmpty String, String> pairs) {
        Map<String, String> wellFormed = pairs.entrySet().stream()
                .filter(pair -> isWellFormed(pair.getKey()) && isWellFormed(pair.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        String form = wellFormed.entrySet().stream()
                .map(pair -> URLEncoder.encode(pair.getKey(), UTF_8) + '=' + URLEncoder.encode(pair.getValue(), UTF_8))
                .collect(Collectors.joining("&"));

        assertThat(QueryParameters.builder().addForm(form).build().asMap()).isEqualTo(new TreeMap<>(wellFormed));
    }

    /** Text a client can send: a lone surrogate has no UTF-8 encoding. */
    private static boolean isWellFormed(String text) {
        return text.equals(new String(text.getBytes(UTF_8), UTF_8));
    }
}
