package org.opensts.iam;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.token.Secret;

class TotpTest {
    /** The HMAC-SHA1 seed of RFC 6238 Appendix B: the ASCII digits 1 to 0, twice. */
    private static final Secret RFC_SEED = Secret.copyOf("12345678901234567890".getBytes(US_ASCII));

    /** One SHA-1 row of RFC 6238 Appendix B: a time, its time step and the 8-digit code. */
    record Vector(long unixSeconds, long timeStep, String code) {
        @Override
        public String toString() {
            return "T=" + unixSeconds + " gives " + code;
        }
    }

    static Stream<Vector> rfc6238Sha1Vectors() {
        return Stream.of(
                new Vector(59L, 0x1L, "94287082"),
                new Vector(1111111109L, 0x23523ECL, "07081804"),
                new Vector(1111111111L, 0x23523EDL, "14050471"),
                new Vector(1234567890L, 0x273EF07L, "89005924"),
                new Vector(2000000000L, 0x3F940AAL, "69279037"),
                new Vector(20000000000L, 0x27BC86AAL, "65353130"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc6238Sha1Vectors")
    void rfc6238_sha1Vector_timeStepIsTheRfcs(Vector vector) {
        assertThat(Totp.timeStep(Instant.ofEpochSecond(vector.unixSeconds()))).isEqualTo(vector.timeStep());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc6238Sha1Vectors")
    void rfc6238_sha1Vector_eightDigitCodeIsTheRfcs(Vector vector) {
        assertThat(Totp.code(RFC_SEED, vector.timeStep(), 8)).isEqualTo(vector.code());
    }

    /** Truncating to 6 digits keeps the last 6 of the 8 (the dynamic-truncation value modulo 10^6). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc6238Sha1Vectors")
    void rfc6238_sha1Vector_sixDigitCodeIsTheLastSixDigits(Vector vector) {
        String code = Totp.code(RFC_SEED, vector.timeStep());

        assertThat(code).isEqualTo(vector.code().substring(2)).hasSize(Totp.DIGITS);
        assertThat(Totp.matches(RFC_SEED, vector.timeStep(), code)).isTrue();
    }

    @Test
    void timeStep_changesEveryThirtySeconds() {
        assertThat(Totp.timeStep(Instant.ofEpochSecond(0))).isZero();
        assertThat(Totp.timeStep(Instant.ofEpochSecond(29))).isZero();
        assertThat(Totp.timeStep(Instant.ofEpochSecond(30))).isOne();
        assertThat(Totp.timeStep(Instant.ofEpochSecond(59, 999_999_999))).isOne();
    }

    @Test
    void code_keepsLeadingZeros() {
        // T=1111111109 gives 07081804: six digits are 081804, and the zero of 07… would be lost as a number.
        assertThat(Totp.code(RFC_SEED, 0x23523ECL, 8)).startsWith("0");
    }

    @Test
    void matches_codeOfTheNextStep_isFalse() {
        assertThat(Totp.matches(RFC_SEED, 1, Totp.code(RFC_SEED, 2))).isFalse();
    }

    @Test
    void matches_codeOfAnotherSeed_isFalse() {
        Secret other = Secret.copyOf("09876543210987654321".getBytes(US_ASCII));

        assertThat(Totp.matches(other, 1, Totp.code(RFC_SEED, 1))).isFalse();
    }

    @Test
    void matches_shorterOrLongerText_isFalse() {
        String code = Totp.code(RFC_SEED, 1);

        assertThat(Totp.matches(RFC_SEED, 1, code.substring(1))).isFalse();
        assertThat(Totp.matches(RFC_SEED, 1, code + "0")).isFalse();
        assertThat(Totp.matches(RFC_SEED, 1, "")).isFalse();
    }

    @Test
    void code_emptySeed_isRefused() {
        assertThatThrownBy(() -> Totp.code(Secret.copyOf(new byte[0]), 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void aCodeMatchesItsOwnStep(@ForAll("seeds") byte[] seed, @ForAll @LongRange(min = 0, max = 1L << 40) long step) {
        Secret secret = Secret.copyOf(seed);

        assertThat(Totp.matches(secret, step, Totp.code(secret, step))).isTrue();
    }

    @Property
    void everyCodeIsSixAsciiDigits(@ForAll("seeds") byte[] seed,
            @ForAll @LongRange(min = 0, max = 1L << 40) long step) {
        assertThat(Totp.code(Secret.copyOf(seed), step)).matches("[0-9]{6}");
    }

    @Property
    void changingOneDigitOfACode_neverMatches(@ForAll("seeds") byte[] seed,
            @ForAll @LongRange(min = 0, max = 1L << 40) long step, @ForAll @IntRange(min = 0, max = 5) int position,
            @ForAll @IntRange(min = 1, max = 9) int delta) {
        Secret secret = Secret.copyOf(seed);
        char[] code = Totp.code(secret, step).toCharArray();
        code[position] = (char) ('0' + (code[position] - '0' + delta) % 10);

        assertThat(Totp.matches(secret, step, new String(code))).isFalse();
    }

    @Provide
    Arbitrary<byte[]> seeds() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(10).ofMaxSize(64);
    }
}
