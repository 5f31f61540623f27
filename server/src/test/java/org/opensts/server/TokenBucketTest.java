package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long START = 5 * SECOND;

    /**
     * Requests at {@code atNanos} (after {@code START}) against a fresh bucket of {@code limit}; {@code admitted} says
     * which of them the bucket takes.
     */
    record Case(String name, RateLimit limit, long[] atNanos, boolean[] admitted) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static long[] times(long... nanos) {
        return nanos;
    }

    private static boolean[] answers(boolean... admitted) {
        return admitted;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("a full bucket admits its burst at once and refuses the next",
                        new RateLimit(10, 3), times(0, 0, 0, 0), answers(true, true, true, false)),
                new Case("an emptied bucket admits one more after one interval",
                        new RateLimit(10, 2), times(0, 0, 0, SECOND / 10 - 1, SECOND / 10),
                        answers(true, true, false, false, true)),
                new Case("an emptied bucket is full again after burst intervals",
                        new RateLimit(10, 2), times(0, 0, 2 * SECOND / 10, 2 * SECOND / 10, 2 * SECOND / 10),
                        answers(true, true, true, true, false)),
                new Case("a long idle time refills no more than the burst",
                        new RateLimit(1, 2), times(0, 0, 3600 * SECOND, 3600 * SECOND, 3600 * SECOND),
                        answers(true, true, true, true, false)),
                new Case("requests spaced at the rate are all admitted",
                        new RateLimit(4, 1), times(0, SECOND / 4, SECOND / 2, 3 * SECOND / 4, SECOND),
                        answers(true, true, true, true, true)),
                new Case("a refused request takes no token",
                        new RateLimit(1, 1), times(0, SECOND / 2, SECOND / 2, SECOND),
                        answers(true, false, false, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tryTake(Case c) {
        var bucket = new TokenBucket(c.limit(), START);
        var answers = new ArrayList<Boolean>();
        for (long at : c.atNanos()) {
            answers.add(bucket.tryTake(START + at));
        }
        var expected = new ArrayList<Boolean>();
        for (boolean admitted : c.admitted()) {
            expected.add(admitted);
        }
        assertThat(answers).isEqualTo(expected);
    }

    /** However requests arrive, no window of {@code t} seconds sees more than {@code burst + rate × t} admitted. */
    @Property
    void neverAdmitsMoreThanBurstPlusRateTimesTheWindow(@ForAll @IntRange(min = 1, max = 5_000) int rate,
            @ForAll @IntRange(min = 1, max = 50) int burst, @ForAll("gaps") List<Long> gaps) {
        var bucket = new TokenBucket(new RateLimit(rate, burst), START);
        var admittedAt = new ArrayList<Long>();
        long now = START;
        for (long gap : gaps) {
            now += gap;
            if (bucket.tryTake(now)) {
                admittedAt.add(now);
            }
        }
        for (int first = 0; first < admittedAt.size(); first++) {
            for (int last = first; last < admittedAt.size(); last++) {
                long window = admittedAt.get(last) - admittedAt.get(first);
                int admitted = last - first + 1;
                assertThat((double) admitted).isLessThanOrEqualTo(burst + (double) rate * window / SECOND);
            }
        }
    }

    /** Gaps between requests: mostly bursts (0 ns) and short gaps, sometimes long pauses. */
    @Provide
    Arbitrary<List<Long>> gaps() {
        return Arbitraries.frequencyOf(
                        Tuple.of(4, Arbitraries.just(0L)),
                        Tuple.of(4, Arbitraries.longs().between(1, SECOND / 100)),
                        Tuple.of(1, Arbitraries.longs().between(1, 2 * SECOND)))
                .list().ofMinSize(1).ofMaxSize(300);
    }
}
