package org.opensts.token.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonWhitespaceTest {

    record Case(String name, String json, String stripped) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("spaces, tabs and line breaks between tokens go", "{ \"a\" :\t[1,\r\n 2] }",
                        "{\"a\":[1,2]}"),
                new Case("spaces inside strings stay", "{\"a b\": \"c d\"}", "{\"a b\":\"c d\"}"),
                new Case("an escaped quote does not end a string", "{\"a\": \"x\\\" y\"}", "{\"a\":\"x\\\" y\"}"),
                new Case("an escaped backslash before a quote does", "{\"a\": \"x\\\\\" , \"b\": 1}",
                        "{\"a\":\"x\\\\\",\"b\":1}"),
                new Case("other whitespace characters stay", "{\u00a0\"a\":1}", "{\u00a0\"a\":1}"),
                new Case("an unterminated string keeps its spaces", "{\"a\": \"b c", "{\"a\":\"b c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void strip_removesOnlyWhitespaceOutsideStrings(Case c) {
        assertThat(JsonWhitespace.strip(c.json())).isEqualTo(c.stripped());
    }
}
