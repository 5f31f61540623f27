package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WildcardTest {
    record Case(String name, String pattern, String input, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a literal matches itself", "s3:getobject", "s3:getobject", true),
                new Case("a literal does not match a longer input", "s3:get", "s3:getobject", false),
                new Case("* alone matches the empty input", "*", "", true),
                new Case("a trailing * matches a prefix", "s3:get*", "s3:getobject", true),
                new Case("a trailing * matches the bare prefix", "s3:get*", "s3:get", true),
                new Case("a leading * matches a suffix", "*object", "s3:getobject", true),
                new Case("an inner * matches a run", "iam:*accesskey*", "iam:createaccesskey", true),
                new Case("? matches exactly one character", "t?.micro", "t2.micro", true),
                new Case("? does not match nothing", "t?.micro", "t.micro", false),
                new Case("several stars backtrack", "a*b*c", "axxbyybzzc", true),
                new Case("several stars fail cleanly", "a*b*c", "axxbyyb", false),
                new Case("a star does not make the match case-insensitive", "S3:*", "s3:x", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matches_followsIamWildcards(Case c) {
        assertThat(Wildcard.compile(c.pattern()).matches(c.input())).isEqualTo(c.matches());
    }

    @Test
    void literalPieces_matchOnlyThemselves() {
        Wildcard w = Wildcard.builder().appendPattern("a").appendLiteral("*?").appendPattern("*").build();
        assertThat(w.matches("a*?xyz")).isTrue();
        assertThat(w.matches("abcxyz")).isFalse();
        assertThat(w.toString()).isEqualTo("a${*}${?}*");
    }

    @Test
    void matches_aRegionOfTheInput() {
        assertThat(Wildcard.compile("b?d").matches("abcde", 1, 4)).isTrue();
        assertThat(Wildcard.compile("b?").matches("abcde", 1, 4)).isFalse();
    }

    @Property
    void agreesWithAReferenceRegexTranslation(@ForAll("patterns") String pattern, @ForAll("inputs") String input) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        boolean expected = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(input).matches();
        assertThat(Wildcard.compile(pattern).matches(input)).isEqualTo(expected);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab:/*?").ofMaxLength(12);
    }

    @Provide
    Arbitrary<String> inputs() {
        return Arbitraries.strings().withChars("ab:/*?c").ofMaxLength(16);
    }
}
