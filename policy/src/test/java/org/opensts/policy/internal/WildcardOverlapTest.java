package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Wildcard#intersects} and {@link Wildcard#covers} on the inputs the policy simulator accepts: a policy document
 * of up to 131,072 characters (so one {@code Resource} value of nearly that length) against a {@code ResourceArns}
 * value of up to 2,048 (IAM API Reference, SimulateCustomPolicy). Both must be decided without a table of one entry per
 * pair of positions and without backtracking, which multiplies the two lengths.
 */
class WildcardOverlapTest {
    @Test
    void intersects_patternsTooLongForATableOfPositionPairs_answersInsteadOfThrowing() {
        Wildcard policy = Wildcard.compile("a*".repeat(35_000) + "b");
        Wildcard request = Wildcard.compile("a*".repeat(20_000) + "c");

        assertThat(policy.intersects(request)).isFalse();
        assertThat(policy.intersects(Wildcard.compile("a*".repeat(20_000) + "b"))).isTrue();
    }

    @Test
    void intersects_aPatternOfManyStarsAndAFixedLengthOne_answersInsteadOfThrowing() {
        Wildcard stars = Wildcard.compile("x" + "*".repeat(1_100_000) + "z");

        assertThat(stars.intersects(Wildcard.compile("x" + "?".repeat(2_046) + "z"))).isTrue();
        assertThat(Wildcard.compile("x" + "?".repeat(2_046) + "y").intersects(stars)).isFalse();
    }

    record Adversary(String name, String pattern, String other, boolean expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Pattern-against-pattern abuse at ten times the simulator's own bounds: a 65,000-symbol segment against a
     * 1,000,000-symbol pattern. Matching one pattern's symbols against the other by backtracking took
     * O(pattern × other), 6.5 × 10^10 steps here (minutes of a core); these finish because each segment is found left
     * to right in time near-linear in pattern + other. {@code WildcardBenchmark} gives the figures.
     */
    static Stream<Adversary> coverAdversaries() {
        return Stream.of(
                new Adversary("a long literal segment almost everywhere in a literal", "*" + "a".repeat(65_000) + "b*",
                        "a".repeat(1_000_000), false),
                new Adversary("a long literal segment against ? read as characters of their own",
                        "*" + "a".repeat(65_000) + "b*", "a?".repeat(500_000), false),
                new Adversary("a long segment with ? almost everywhere", "*" + "a?".repeat(32_500) + "b*",
                        "a".repeat(1_000_000), false),
                new Adversary("a long segment with ? that cannot span the other's stars",
                        "*" + "?".repeat(65_000) + "*", ("a".repeat(60_000) + "*").repeat(16), false),
                new Adversary("a long segment with ? found at the very end", "*" + "a?".repeat(32_500) + "b*",
                        "a".repeat(1_000_000) + "b*", true),
                new Adversary("thousands of short segments", "*a?".repeat(30_000) + "*b*", "a".repeat(1_000_000),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("coverAdversaries")
    void covers_adversarialPatterns_areDecidedWithoutBacktracking(Adversary c) {
        assertThat(Wildcard.compile(c.pattern()).covers(Wildcard.compile(c.other()))).isEqualTo(c.expected());
    }

    static Stream<Adversary> overlapAdversaries() {
        return Stream.of(
                new Adversary("a long literal segment against a fixed pattern of ? and literals",
                        "*" + "a".repeat(65_000) + "b*", "?" + "a".repeat(999_999), false),
                new Adversary("a long literal segment that a run of ? can take", "*" + "a".repeat(65_000) + "b*",
                        "a".repeat(500_000) + "?" + "a".repeat(499_999), true),
                new Adversary("a long segment with ? against a fixed literal", "*" + "a?".repeat(32_500) + "b*",
                        "a".repeat(1_000_000), false),
                new Adversary("thousands of short segments, the last on one of many ?", "*a?".repeat(30_000) + "*b*",
                        "?a".repeat(500_000), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlapAdversaries")
    void intersects_adversarialPatterns_areDecidedWithoutBacktracking(Adversary c) {
        Wildcard pattern = Wildcard.compile(c.pattern());
        Wildcard other = Wildcard.compile(c.other());

        assertThat(pattern.intersects(other)).isEqualTo(c.expected());
        assertThat(other.intersects(pattern)).isEqualTo(c.expected());
    }

    @Property
    void covers_agreesWithMatchingTheOthersSymbolsAsText(@ForAll("patterns") String a, @ForAll("patterns") String b) {
        assertThat(Wildcard.compile(a).covers(Wildcard.compile(b))).as("%s covers %s", a, b)
                .isEqualTo(coversReference(a, b));
    }

    /** Long segments holding ? take the transform's path, with and without ? in the other pattern. */
    @Property
    void longSegments_agreeWithTheReferences(@ForAll("longPatterns") String a, @ForAll("longPatterns") String b) {
        assertThat(Wildcard.compile(a).covers(Wildcard.compile(b))).as("%s covers %s", a, b)
                .isEqualTo(coversReference(a, b));
        assertThat(Wildcard.compile(a).intersects(Wildcard.compile(b))).as("%s and %s", a, b)
                .isEqualTo(reference(a, b));
    }

    /**
     * Whether {@code p} matches {@code q}'s symbols read as text, by dynamic programming over every pair of positions:
     * a {@code *} of {@code p} takes any run, a {@code ?} any one symbol but {@code *}, a literal itself.
     */
    private static boolean coversReference(String p, String q) {
        var matched = new boolean[p.length() + 1][q.length() + 1];
        matched[0][0] = true;
        for (int i = 1; i <= p.length(); i++) {
            char a = p.charAt(i - 1);
            for (int j = 0; j <= q.length(); j++) {
                if (a == '*') {
                    matched[i][j] = matched[i - 1][j] || j > 0 && matched[i][j - 1];
                } else if (j > 0) {
                    char b = q.charAt(j - 1);
                    matched[i][j] = matched[i - 1][j - 1] && (a == b || a == '?' && b != '*');
                }
            }
        }
        return matched[p.length()][q.length()];
    }

    @Property
    void intersects_agreesWithAnExhaustiveWalkOfBothPatterns(@ForAll("patterns") String a,
            @ForAll("patterns") String b) {
        boolean expected = reference(a, b);

        assertThat(Wildcard.compile(a).intersects(Wildcard.compile(b))).as("%s and %s", a, b).isEqualTo(expected);
    }

    /**
     * Whether some text matches both patterns, by walking every pair of positions: small inputs only. A state is a
     * position in each pattern; a step lets a {@code *} match nothing, or consumes one character both sides can take.
     */
    private static boolean reference(String p, String q) {
        var seen = new boolean[p.length() + 1][q.length() + 1];
        var pending = new ArrayDeque<int[]>();
        pending.push(new int[] {0, 0});
        seen[0][0] = true;
        while (!pending.isEmpty()) {
            int[] state = pending.pop();
            int i = state[0];
            int j = state[1];
            if (i == p.length() && j == q.length()) {
                return true;
            }
            char a = i < p.length() ? p.charAt(i) : 0;
            char b = j < q.length() ? q.charAt(j) : 0;
            if (a == '*') {
                visit(pending, seen, i + 1, j);
            }
            if (b == '*') {
                visit(pending, seen, i, j + 1);
            }
            if (a == 0 || b == 0 || !(a == '*' || a == '?' || b == '*' || b == '?' || a == b)) {
                continue;
            }
            visit(pending, seen, a == '*' ? i : i + 1, b == '*' ? j : j + 1);
        }
        return false;
    }

    private static void visit(ArrayDeque<int[]> pending, boolean[][] seen, int i, int j) {
        if (!seen[i][j]) {
            seen[i][j] = true;
            pending.push(new int[] {i, j});
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab:*?").ofMaxLength(10);
    }

    /** Segments longer than the direct search's limit, most of them holding ?, and a few stars. */
    @Provide
    Arbitrary<String> longPatterns() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("ab??").ofMinLength(0).ofMaxLength(80);
        return segment.list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("*", parts));
    }
}
