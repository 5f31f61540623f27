package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
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

    /** What matching means, by dynamic programming over (pattern, input): slow but obviously right. */
    private static boolean reference(String pattern, String input) {
        boolean[] row = new boolean[input.length() + 1];
        row[0] = true;
        for (int p = 0; p < pattern.length(); p++) {
            char c = pattern.charAt(p);
            boolean[] next = new boolean[input.length() + 1];
            next[0] = c == '*' && row[0];
            for (int s = 1; s <= input.length(); s++) {
                next[s] = c == '*' ? row[s] || next[s - 1] : row[s - 1] && (c == '?' || c == input.charAt(s - 1));
            }
            row = next;
        }
        return row[input.length()];
    }

    @Property
    void longSegmentsWithQuestionMarks_agreeWithTheReference(@ForAll("longSegments") String segment,
            @ForAll("longSegments") String other, @ForAll("texts") String before, @ForAll("texts") String after,
            @ForAll long seed) {
        Random random = new Random(seed);
        String pattern = "*" + segment + "*" + other + "*";
        String planted = before + instance(segment, random) + after + instance(other, random) + before;
        for (String input : new String[] {planted, before + after, before + instance(segment, random) + after}) {
            assertThat(Wildcard.compile(pattern).matches(input)).as("%s ~ %s", pattern, input)
                    .isEqualTo(reference(pattern, input));
        }
    }

    @Property
    void manySegments_agreeWithTheReference(@ForAll("longPatterns") String pattern, @ForAll("texts") String input) {
        assertThat(Wildcard.compile(pattern).matches(input)).isEqualTo(reference(pattern, input));
    }

    record Adversary(String name, String pattern, char filler, boolean matches) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Adversary> adversaries() {
        return Stream.of(
                new Adversary("a long literal segment that almost matches everywhere",
                        "*" + "a".repeat(65_000) + "b*", 'a', false),
                new Adversary("a long segment of literals and ? that almost matches everywhere",
                        "*" + "a?".repeat(32_500) + "b*", 'a', false),
                new Adversary("a long segment of ? and a trailing literal", "*" + "?".repeat(65_000) + "b", 'a', false),
                new Adversary("thousands of short segments", "*a?".repeat(30_000) + "*b", 'a', false),
                new Adversary("a long segment that matches at the very end",
                        "*" + "a?".repeat(32_500) + "*", 'a', true));
    }

    /**
     * The abuse a simulator call can send: a pattern of 65,000 characters against a 1,000,000-character value. With
     * backtracking each of these took O(pattern × value), 6.5 × 10^10 steps (minutes of a core); the test can only
     * finish because matching is linear, or nearly so, in pattern + value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("adversaries")
    void adversarialPatterns_againstAMillionCharacters_areDecidedWithoutBacktracking(Adversary c) {
        String value = String.valueOf(c.filler()).repeat(1_000_000);
        assertThat(Wildcard.compile(c.pattern()).matches(value)).isEqualTo(c.matches());
    }

    record PairCase(String name, String pattern, String other, boolean expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PairCase> intersections() {
        return Stream.of(
                new PairCase("a bucket's objects and a logs prefix in any bucket overlap", "reports/*", "*/logs/*",
                        true),
                new PairCase("two literals overlap only when equal", "a/b", "a/c", false),
                new PairCase("patterns with different fixed starts do not overlap", "a*", "b*", false),
                new PairCase("suffixes differing in case do not overlap", "x/*.iso", "x/*.ISO", false),
                new PairCase("a suffix and a prefix overlap", "*.iso", "x/*", true),
                new PairCase("? needs one character the other can give", "a?c", "a*c", true),
                new PairCase("? cannot match nothing", "a?", "a", false),
                new PairCase("* overlaps everything", "*", "anything?", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("intersections")
    void intersects_isTrueWhenSomeTextMatchesBoth(PairCase c) {
        Wildcard pattern = Wildcard.compile(c.pattern());
        Wildcard other = Wildcard.compile(c.other());
        assertThat(pattern.intersects(other)).isEqualTo(c.expected());
        assertThat(other.intersects(pattern)).isEqualTo(c.expected());
    }

    static Stream<PairCase> coverings() {
        return Stream.of(
                new PairCase("a prefix covers a longer prefix", "reports/*", "reports/2026/*", true),
                new PairCase("a longer prefix does not cover a shorter one", "reports/secret/*", "reports/*", false),
                new PairCase("* covers everything", "*", "a?b*", true),
                new PairCase("? covers a literal character", "a?c", "abc", true),
                new PairCase("? covers ?", "a?c", "a?c", true),
                new PairCase("* covers ?", "a*", "a?", true),
                new PairCase("? does not cover *", "a?", "a*", false),
                new PairCase("a literal does not cover a pattern", "abc", "ab?", false),
                new PairCase("an inner * covers a run of wildcards and literals", "x*z", "x?*y*z", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coverings")
    void covers_isTrueWhenEveryTextOfTheOtherMatches(PairCase c) {
        assertThat(Wildcard.compile(c.pattern()).covers(Wildcard.compile(c.other()))).isEqualTo(c.expected());
    }

    @Property
    void intersectingALiteral_isMatchingIt(@ForAll("patterns") String pattern, @ForAll("literals") String literal) {
        Wildcard exact = Wildcard.builder().appendLiteral(literal).build();
        boolean matches = Wildcard.compile(pattern).matches(literal);
        assertThat(Wildcard.compile(pattern).intersects(exact)).isEqualTo(matches);
        assertThat(exact.intersects(Wildcard.compile(pattern))).isEqualTo(matches);
        assertThat(Wildcard.compile(pattern).covers(exact)).isEqualTo(matches);
    }

    @Property
    void textMatchingBoth_provesTheyIntersect(@ForAll("patterns") String a, @ForAll("patterns") String b,
            @ForAll("literals") String text) {
        Wildcard p = Wildcard.compile(a);
        Wildcard q = Wildcard.compile(b);
        if (p.matches(text) && q.matches(text)) {
            assertThat(p.intersects(q)).isTrue();
        }
        assertThat(p.intersects(q)).isEqualTo(q.intersects(p));
    }

    @Property
    void whatAPatternCovers_itMatchesInEveryInstance(@ForAll("patterns") String a, @ForAll("patterns") String b,
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Wildcard p = Wildcard.compile(a);
        if (!p.covers(Wildcard.compile(b))) {
            return;
        }
        var random = new Random(seed);
        for (int i = 0; i < 20; i++) {
            String instance = instance(b, random);
            assertThat(p.matches(instance)).as("%s covers %s, so it matches %s", a, b, instance).isTrue();
            assertThat(p.intersects(Wildcard.compile(b))).isTrue();
        }
    }

    /** Some text {@code pattern} matches: each * a random run, each ? a random character. */
    private static String instance(String pattern, Random random) {
        String alphabet = "ab:/c";
        var text = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                int run = random.nextInt(4);
                for (int i = 0; i < run; i++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            } else if (c == '?') {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    @Provide
    Arbitrary<String> longSegments() {
        return Arbitraries.strings().withChars("ab??").ofMinLength(Wildcard.SegmentSearch.SHORT + 1).ofMaxLength(90);
    }

    @Provide
    Arbitrary<String> longPatterns() {
        return Arbitraries.strings().withChars("ab??*").ofMaxLength(120);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("ab").ofMaxLength(150);
    }

    @Provide
    Arbitrary<String> literals() {
        return Arbitraries.strings().withChars("ab:/c").ofMaxLength(10);
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
