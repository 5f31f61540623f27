package org.opensts.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The refresh rules on their own, with an STS stand-in that mints credentials of a given lifetime on the test's clock
 * (the providers' tests run the same rules against a real node): when a refresh happens, in the background or not,
 * and that nothing expired is ever returned whatever the clock and the server do.
 */
class CredentialsCacheTest {
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    /** Mints credentials valid for {@code lifetime}, or fails while {@code up} is false; counts calls. */
    private static final class FakeSts {
        final MutableClock clock;
        final Duration lifetime;
        final AtomicBoolean up = new AtomicBoolean(true);
        final AtomicInteger calls = new AtomicInteger();

        FakeSts(MutableClock clock, Duration lifetime) {
            this.clock = clock;
            this.lifetime = lifetime;
        }

        StsCredentials fetch() {
            int call = calls.incrementAndGet();
            if (!up.get()) {
                throw new StsTransportException("unreachable");
            }
            return StsCredentials.of("ASIA" + call, "secret", "token", clock.instant().plus(lifetime));
        }
    }

    record Case(String name, Duration lifetime, Duration advance, int backgroundTasks, int callsAfterGet) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> timings() {
        Duration hour = Duration.ofHours(1);
        return List.of(
                new Case("an hour's session, 54 minutes on: nothing to do", hour, Duration.ofMinutes(54), 0, 1),
                new Case("an hour's session, 56 minutes on: a background refresh", hour, Duration.ofMinutes(56), 1, 1),
                new Case("an hour's session, 59.5 minutes on: the caller refreshes", hour,
                        Duration.ofSeconds(3570), 0, 2),
                new Case("a 15-minute session, 9 minutes on: nothing to do", Duration.ofMinutes(15),
                        Duration.ofMinutes(9), 0, 1),
                new Case("a 15-minute session, 10 minutes on: a background refresh", Duration.ofMinutes(15),
                        Duration.ofMinutes(10), 1, 1),
                new Case("a 2-minute session, 59 seconds on: nothing to do", Duration.ofMinutes(2),
                        Duration.ofSeconds(59), 0, 1),
                new Case("a 2-minute session, 61 seconds on: a background refresh (half way)", Duration.ofMinutes(2),
                        Duration.ofSeconds(61), 1, 1),
                new Case("a 2-minute session, 91 seconds on: the caller refreshes (last quarter)",
                        Duration.ofMinutes(2), Duration.ofSeconds(91), 0, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    void get_refreshesAtTheRightTime(Case c) {
        MutableClock clock = new MutableClock(START);
        FakeSts sts = new FakeSts(clock, c.lifetime());
        QueuedExecutor background = new QueuedExecutor();
        CredentialsCache cache = new CredentialsCache("test", sts::fetch, clock, background,
                CredentialsCache.Timing.defaults());
        cache.get();

        clock.advance(c.advance());
        StsCredentials got = cache.get();

        assertThat(background.pending()).isEqualTo(c.backgroundTasks());
        assertThat(sts.calls).hasValue(c.callsAfterGet());
        assertThat(got.isExpiredAt(clock.instant())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timings")
    void get_serverDown_servesWhatIsUnexpiredAndFailsOnlyWhenNothingIs(Case c) {
        MutableClock clock = new MutableClock(START);
        FakeSts sts = new FakeSts(clock, c.lifetime());
        CredentialsCache cache = new CredentialsCache("test", sts::fetch, clock, Runnable::run,
                CredentialsCache.Timing.defaults());
        StsCredentials first = cache.get();
        sts.up.set(false);

        clock.advance(c.advance());
        assertThat(cache.get().accessKeyId()).isEqualTo(first.accessKeyId());

        clock.set(first.expiration());
        SdkClientException e = catchThrowableOfType(SdkClientException.class, cache::get);
        assertThat(e).hasMessageContaining("expired at " + first.expiration()).hasCauseInstanceOf(
                StsTransportException.class);
    }

    @Property(tries = 200)
    void get_neverReturnsExpiredCredentials_andFailsOnlyWhenTheServerIsDownAndNothingIsLeft(
            @ForAll("steps") List<Step> steps) {
        MutableClock clock = new MutableClock(START);
        FakeSts sts = new FakeSts(clock, Duration.ofMinutes(15));
        CredentialsCache cache = new CredentialsCache("test", sts::fetch, clock, Runnable::run,
                CredentialsCache.Timing.defaults());
        Instant bestExpiry = Instant.MIN;
        for (Step step : steps) {
            clock.advance(Duration.ofSeconds(step.advanceSeconds()));
            sts.up.set(step.serverUp());
            try {
                StsCredentials got = cache.get();
                assertThat(got.isExpiredAt(clock.instant())).as("expired credentials handed out").isFalse();
                bestExpiry = got.expiration().isAfter(bestExpiry) ? got.expiration() : bestExpiry;
            } catch (SdkClientException e) {
                // Only allowed when nothing unexpired was cached and the server could not give any, now or in
                // the backoff that an earlier failure set.
                assertThat(clock.instant()).as("failed while credentials were valid").isAfterOrEqualTo(bestExpiry);
                assertThat(step.serverUp() && sts.calls.get() == 0).isFalse();
            }
        }
    }

    record Step(int advanceSeconds, boolean serverUp) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 600), Arbitraries.of(true, true, false))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(40);
    }
}
