package org.opensts.token.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
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
}
