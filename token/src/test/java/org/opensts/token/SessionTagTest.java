package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SessionTagTest {

    record Case(String name, String key, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> accepted() {
        return Stream.of(
                new Case("a plain key and value", "Project", "Unicorn"),
                new Case("an empty value", "Team", ""),
                new Case("every punctuation AWS allows", "a_b.c:d/e=f+g-h@i", "a b_c.d:e/f=g+h-i@j"),
                new Case("letters and numbers of any script", "Straße", "中文 ١٢٣ Ⅻ"),
                new Case("the longest key and value", "k".repeat(128), "v".repeat(256)));
    }

    @ParameterizedTest(name = "{0} is accepted")
    @MethodSource("accepted")
    void constructor_validTag_isAccepted(Case c) {
        var tag = new SessionTag(c.key(), c.value());

        assertThat(tag.key()).isEqualTo(c.key());
        assertThat(tag.value()).isEqualTo(c.value());
    }

    static Stream<Case> rejected() {
        return Stream.of(
                new Case("an empty key", "", "v"),
                new Case("a key over 128 characters", "k".repeat(129), "v"),
                new Case("a value over 256 characters", "k", "v".repeat(257)),
                new Case("a comma in the key", "a,b", "v"),
                new Case("an asterisk in the value", "k", "a*"),
                new Case("a tab in the value", "k", "a\tb"),
                new Case("a line break in the key", "a\nb", "v"),
                new Case("a quote in the value", "k", "\"x\""),
                new Case("a symbol in the value", "k", "€"));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("rejected")
    void constructor_invalidTag_isRejected(Case c) {
        assertThatThrownBy(() -> new SessionTag(c.key(), c.value())).isInstanceOf(IllegalArgumentException.class);
    }
}
