package org.opensts.token.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StrictBase64Test {

    @Test
    void encodeAndDecode_rfc4648VectorOfWholeGroups() {
        assertThat(StrictBase64.encode("foobar".getBytes(US_ASCII))).isEqualTo("Zm9vYmFy"); // RFC 4648 §10
        assertThat(StrictBase64.decode("Zm9vYmFy")).isEqualTo("foobar".getBytes(US_ASCII));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"Zm9vYg==", "Zm9vYmE=", "Zm9vYmF", "Zm9vYmFy=", "Zm9v YmFy", "Zm9vYmFy\n", "Zm9=YmFy",
            "Zm9vYm-y", "Zm9vYm_y", "Zm9vYmFé"})
    void decode_nonCanonicalText_isRejected(String text) {
        assertThatThrownBy(() -> StrictBase64.decode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encode_lengthNotAMultipleOfThree_isRejected() {
        assertThatThrownBy(() -> StrictBase64.encode(new byte[4])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void everyTextDecodesFromExactlyOneSpelling(@ForAll @Size(max = 30) byte[] raw, @ForAll int position,
            @ForAll char replacement) {
        var bytes = Arrays.copyOf(raw, raw.length / 3 * 3 + 3);
        String text = StrictBase64.encode(bytes);
        int i = Math.floorMod(position, text.length());
        Assume.that(text.charAt(i) != replacement);
        String changed = text.substring(0, i) + replacement + text.substring(i + 1);

        try {
            assertThat(StrictBase64.decode(changed)).isNotEqualTo(bytes);
        } catch (IllegalArgumentException rejected) {
            // a character outside the alphabet: rejected, which is just as good
        }
    }

    // The decoder against the one it replaced (the JDK's, behind the canonical-shape check), kept here as the oracle

    @Property(tries = 3000)
    void decode_anyText_isWhatTheJdkDecoderBehindTheShapeCheckGives(@ForAll("texts") String text) {
        byte[] expected = oracleDecode(text);

        if (expected == null) {
            assertThatThrownBy(() -> StrictBase64.decode(text)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(StrictBase64.decode(text)).isEqualTo(expected);
        }
    }

    @Property(tries = 3000)
    void decodeSkipping_anyText_isTheRestOfWhatTheJdkDecoderGives(@ForAll("texts") String text,
            @ForAll int skipSeed) {
        byte[] expected = oracleDecode(text);
        Assume.that(expected != null);
        int skip = Math.floorMod(skipSeed, expected.length + 1);

        assertThat(StrictBase64.decode(text, skip)).isEqualTo(Arrays.copyOfRange(expected, skip, expected.length));
    }

    @Property(tries = 3000)
    void decodePrefix_anyText_isTheStartOfWhatTheJdkDecoderGives(@ForAll("texts") String text) {
        Assume.that(text.length() >= 8);
        byte[] expected = oracleDecode(text.substring(0, 8));

        if (expected == null) {
            assertThatThrownBy(() -> StrictBase64.decodePrefix(text, 2)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(StrictBase64.decodePrefix(text, 2)).isEqualTo(expected);
        }
    }

    @Test
    void decodeSkipping_moreBytesThanTheTextHolds_isRejected() {
        assertThatThrownBy(() -> StrictBase64.decode("Zm9vYmFy", 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StrictBase64.decode("Zm9vYmFy", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StrictBase64.decode("Zm9vYmFy", 6)).isEmpty();
    }

    /** Canonical text of random bytes, then as often with one character changed to anything, or random text. */
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> canonical = Arbitraries.bytes().array(byte[].class).ofMaxSize(60)
                .map(raw -> Base64.getEncoder().encodeToString(Arrays.copyOf(raw, raw.length / 3 * 3)));
        Arbitrary<String> changed = canonical.filter(text -> !text.isEmpty()).flatMap(text -> Arbitraries.integers()
                .between(0, text.length() - 1).flatMap(i -> Arbitraries.chars().map(
                        c -> text.substring(0, i) + c + text.substring(i + 1))));
        Arbitrary<String> anyText = Arbitraries.strings().withChars("AZaz09+/=-_ \n\u00e9\u0100").ofMaxLength(24);
        return Arbitraries.oneOf(canonical, changed, anyText);
    }

    /** How text was decoded before: the JDK's decoder behind the same shape check; null where that threw. */
    private static byte[] oracleDecode(String text) {
        if (!StrictBase64.hasCanonicalShape(text)) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
