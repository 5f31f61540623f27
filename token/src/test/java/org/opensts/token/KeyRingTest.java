package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyRingTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    /** The longest session, clock skew and one rotation period, as the brief's caller computes it. */
    private static final Duration RETENTION = Duration.ofHours(36).plusMinutes(15).plus(DAY);

    private final SeededRandom random = new SeededRandom(42);

    @Test
    void generate_holdsOnePrimaryKeyCreatedNow() {
        var ring = KeyRing.generate(T0, random);

        assertThat(ring.keys()).containsExactly(ring.primary());
        assertThat(ring.primary().createdAt()).isEqualTo(T0);
        assertThat(ring.key(ring.primary().id())).containsSame(ring.primary());
    }

    @Test
    void rotate_addsANewPrimaryAndKeepsTheOldKey() {
        var ring = KeyRing.generate(T0, random);
        var rotated = ring.rotate(T0.plus(DAY), random, RETENTION);

        assertThat(rotated.keys()).hasSize(2).startsWith(ring.primary());
        assertThat(rotated.primary().createdAt()).isEqualTo(T0.plus(DAY));
        assertThat(rotated.primary().id()).isNotEqualTo(ring.primary().id());
        assertThat(ring.keys()).hasSize(1); // the original ring is unchanged
    }

    @Test
    void rotate_retiredKey_isKeptUntilRetentionHasPassedSinceItsRetirement() {
        var first = KeyRing.generate(T0, random);
        var second = first.rotate(T0.plus(DAY), random, RETENTION); // first key retired at T0 + 1 day
        var retiredAt = T0.plus(DAY);

        var justBefore = second.rotate(retiredAt.plus(RETENTION).minusMillis(1), random, RETENTION);
        var atRetention = second.rotate(retiredAt.plus(RETENTION), random, RETENTION);

        assertThat(justBefore.key(first.primary().id())).isPresent();
        assertThat(atRetention.key(first.primary().id())).isEmpty();
        assertThat(atRetention.key(second.primary().id())).isPresent(); // retired only now
    }

    @Test
    void rotate_longOverdue_keepsThePrimaryItRetiresHoweverOldItIs() {
        var ring = KeyRing.generate(T0, random);
        var rotated = ring.rotate(T0.plus(Duration.ofDays(30)), random, RETENTION);

        assertThat(rotated.key(ring.primary().id())).isPresent();
    }

    @Test
    void rotate_daily_keepsOnlyTheKeysRetiredWithinTheRetention() {
        var ring = KeyRing.generate(T0, random);
        for (int day = 1; day <= 10; day++) {
            ring = ring.rotate(T0.plus(DAY.multipliedBy(day)), random, RETENTION);
        }

        assertThat(ring.keys()).hasSize(4); // keys retired within the last 2 days 12 h 15 min, and the primary
        assertThat(ring.keys()).extracting(SessionKey::createdAt)
                .containsExactly(T0.plus(DAY.multipliedBy(7)), T0.plus(DAY.multipliedBy(8)),
                        T0.plus(DAY.multipliedBy(9)), T0.plus(DAY.multipliedBy(10)));
    }

    @Test
    void rotate_clockBeforeThePrimary_isRejected() {
        var ring = KeyRing.generate(T0, random);

        assertThatThrownBy(() -> ring.rotate(T0.minusSeconds(1), random, RETENTION))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotate_nonPositiveRetention_isRejected() {
        var ring = KeyRing.generate(T0, random);

        assertThatThrownBy(() -> ring.rotate(T0.plus(DAY), random, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.rotate(T0.plus(DAY), random, Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void needsRotation_isTrueFromTheEndOfThePeriodOn() {
        var ring = KeyRing.generate(T0, random);

        assertThat(ring.needsRotation(T0.plus(DAY).minusMillis(1), DAY)).isFalse();
        assertThat(ring.needsRotation(T0.plus(DAY), DAY)).isTrue();
        assertThat(ring.needsRotation(T0.plus(DAY.multipliedBy(5)), DAY)).isTrue();
    }

    @Test
    void key_unknownId_isEmpty() {
        var ring = KeyRing.generate(T0, random);

        assertThat(ring.key(ring.primary().id() + 1)).isEmpty();
    }

    @Test
    void fromBytes_ofToBytes_isTheSameRing() {
        var ring = KeyRing.generate(T0, random).rotate(T0.plus(DAY), random, RETENTION);

        var copy = KeyRing.fromBytes(ring.toBytes());

        assertThat(copy.keys()).extracting(SessionKey::id).containsExactlyElementsOf(
                ring.keys().stream().map(SessionKey::id).toList());
        assertThat(copy.keys()).extracting(SessionKey::createdAt).containsExactly(T0, T0.plus(DAY));
        assertThat(MessageDigest.isEqual(copy.toBytes(), ring.toBytes())).isTrue();
    }

    record Malformed(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformedRings() {
        var good = KeyRing.generate(T0, new SeededRandom(1)).rotate(T0.plus(DAY), new SeededRandom(2), RETENTION)
                .toBytes();
        var otherVersion = good.clone();
        otherVersion[0] = 2;
        var repeatedId = good.clone();
        System.arraycopy(good, 2, repeatedId, 2 + 44, 4); // the second key takes the first key's id
        var outOfOrder = good.clone();
        System.arraycopy(good, 2 + 4, outOfOrder, 2 + 44 + 4, 8); // the second key created with the first
        System.arraycopy(good, 2 + 44 + 4, outOfOrder, 2 + 4, 8); // and the first with the second
        return Stream.of(
                new Malformed("no bytes", new byte[0]),
                new Malformed("another format version", otherVersion),
                new Malformed("no keys", new byte[] {1, 0}),
                new Malformed("a count promising more keys than follow", new byte[] {1, 5}),
                new Malformed("a key cut short", Arrays.copyOf(good, good.length - 1)),
                new Malformed("a trailing byte", Arrays.copyOf(good, good.length + 1)),
                new Malformed("a repeated key id", repeatedId),
                new Malformed("keys out of creation order", outOfOrder));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("malformedRings")
    void fromBytes_malformed_isRejected(Malformed malformed) {
        assertThatThrownBy(() -> KeyRing.fromBytes(malformed.bytes())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toString_showsIdsAndTimesButNoKeyMaterial() {
        var ring = KeyRing.generate(T0, random).rotate(T0.plus(DAY), random, RETENTION);

        String text = ring.toString();

        assertThat(text).contains(Integer.toUnsignedString(ring.primary().id())).contains(T0.toString());
        for (var key : ring.keys()) {
            assertThat(text).doesNotContain(HexFormat.of().formatHex(key.keyBytes()))
                    .doesNotContain(Base64.getEncoder().encodeToString(key.keyBytes()));
        }
    }

    @Test
    void of_keysWithTheSameId_isRejected() {
        var a = new SessionKey(7, T0, new byte[32]);
        var b = new SessionKey(7, T0.plus(DAY), new byte[32]);

        assertThatThrownBy(() -> KeyRing.of(List.of(a, b))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyRing.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
