package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which {@code Accept} headers get JSON: those that name {@code application/json}; everything else keeps XML. */
class ResponseFormatTest {
    record Case(String name, List<String> accept, ResponseFormat expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no Accept header is XML", List.of(), ResponseFormat.XML),
                new Case("application/json is JSON", List.of("application/json"), ResponseFormat.JSON),
                new Case("in any case", List.of("Application/JSON"), ResponseFormat.JSON),
                new Case("with parameters", List.of("application/json; charset=utf-8"), ResponseFormat.JSON),
                new Case("among other ranges", List.of("text/html, application/json;q=0.9"), ResponseFormat.JSON),
                new Case("on a second header line", List.of("text/plain", "application/json"), ResponseFormat.JSON),
                new Case("with spaces around it", List.of("  application/json  "), ResponseFormat.JSON),
                new Case("q=0 refuses it", List.of("application/json;q=0"), ResponseFormat.XML),
                new Case("q=0.000 refuses it", List.of("application/json; q=0.000"), ResponseFormat.XML),
                new Case("q=0.001 does not", List.of("application/json;q=0.001"), ResponseFormat.JSON),
                new Case("*/* is XML", List.of("*/*"), ResponseFormat.XML),
                new Case("application/* is XML", List.of("application/*"), ResponseFormat.XML),
                new Case("text/xml is XML", List.of("text/xml"), ResponseFormat.XML),
                new Case("application/x-amz-json-1.1 is XML", List.of("application/x-amz-json-1.1"),
                        ResponseFormat.XML),
                new Case("application/jsonx is XML", List.of("application/jsonx"), ResponseFormat.XML),
                new Case("an empty header is XML", List.of(""), ResponseFormat.XML));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void accepting(Case c) {
        assertThat(ResponseFormat.accepting(c.accept())).isEqualTo(c.expected());
    }
}
