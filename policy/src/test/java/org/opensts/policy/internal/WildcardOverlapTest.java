package org.opensts.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link Wildcard#intersects} on the inputs the policy simulator accepts: a policy document of up to 131,072
 * characters (so one {@code Resource} value of nearly that length) against a {@code ResourceArns} value of up to 2,048
 * (IAM API Reference, SimulateCustomPolicy). Overlap must be decided without a table of one entry per pair of positions.
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
        return walk(p, q, 0, 0, seen);
    }

    private static boolean walk(String p, String q, int i, int j, boolean[][] seen) {
        if (seen[i][j]) {
            return false;
        }
        seen[i][j] = true;
        if (i == p.length() && j == q.length()) {
            return true;
        }
        char a = i < p.length() ? p.charAt(i) : 0;
        char b = j < q.length() ? q.charAt(j) : 0;
        if (a == '*' && walk(p, q, i + 1, j, seen) || b == '*' && walk(p, q, i, j + 1, seen)) {
            return true;
        }
        if (a == 0 || b == 0 || !(a == '*' || a == '?' || b == '*' || b == '?' || a == b)) {
            return false;
        }
        int nextI = a == '*' ? i : i + 1;
        int nextJ = b == '*' ? j : j + 1;
        return (nextI != i || nextJ != j) && walk(p, q, nextI, nextJ, seen);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("ab:*?").ofMaxLength(10);
    }
}
