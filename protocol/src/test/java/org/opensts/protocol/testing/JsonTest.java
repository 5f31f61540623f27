package org.opensts.protocol.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void parse_readsEveryKindOfValue() {
        Object value = Json.parse(" {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\\uD83D\\uDE00\", \"n\": -12.5e1, \"z\": 0,"
                + " \"t\": true, \"f\": false, \"x\": null, \"a\": [1, [], {}]} ");

        Map<String, Object> object = Json.object(value);

        assertThat(object.keySet()).containsExactly("s", "n", "z", "t", "f", "x", "a");
        assertThat(object.get("s")).isEqualTo("a\"b\\c/\né\uD83D\uDE00");
        assertThat(object.get("n")).isEqualTo(new BigDecimal("-12.5e1"));
        assertThat(object.get("z")).isEqualTo(BigDecimal.ZERO);
        assertThat(object.get("t")).isEqualTo(true);
        assertThat(object.get("f")).isEqualTo(false);
        assertThat(object.get("x")).isNull();
        assertThat(object.get("a")).isEqualTo(List.of(BigDecimal.ONE, List.of(), Map.of()));
    }

    @Test
    void parse_keepsFractionalSecondsExactly() {
        assertThat(Json.parse("946845296.123")).isEqualTo(new BigDecimal("946845296.123"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "+1", ".5", "1e", "tru",
        "\"unterminated", "\"\\x\"", "\"\\u12G4\"", "\"tab\there\"", "{\"a\":1,\"a\":2}", "1 2", "nul"})
    void parse_invalidJson_isRejected(String text) {
        assertThatThrownBy(() -> Json.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid JSON at offset");
    }

    @Test
    void objectAndArray_checkTheKind() {
        assertThatThrownBy(() -> Json.object(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.array(Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(Json.array(Json.parse("[\"a\"]"))).isEqualTo(Arrays.asList("a"));
    }
}
