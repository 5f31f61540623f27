package org.opensts.token.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base32Test {

    /** RFC 4648 §10 test vectors that fill whole groups. */
    record Vector(String name, String bytes, String text) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Vector> rfc4648() {
        return Stream.of(
                new Vector("RFC 4648: empty", "", ""),
                new Vector("RFC 4648: fooba", "fooba", "MZXW6YTB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rfc4648")
    void encodeAndDecode_rfc4648Vector(Vector v) {
        var bytes = v.bytes().getBytes(US_ASCII);

        assertThat(Base32.encode(bytes, 0, bytes.length)).isEqualTo(v.text());
        assertThat(Base32.decode(v.text(), 0, v.text().length())).isEqualTo(bytes);
    }

    @Property
    void decodingWhatWasEncodedGivesBackTheBytes(@ForAll @Size(10) byte[] bytes) {
        String text = Base32.encode(bytes, 0, bytes.length);

        assertThat(text).hasSize(16).matches("[A-Z2-7]{16}");
        assertThat(Base32.decode(text, 0, text.length())).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"MZXW6YT", "MZXW6YT1", "mzxw6ytb", "MZXW6YT=", "MZXW6YTÄ"})
    void decode_notWholeGroupsOfTheAlphabet_isRejected(String text) {
        assertThatThrownBy(() -> Base32.decode(text, 0, text.length())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encode_partialGroup_isRejected() {
        assertThatThrownBy(() -> Base32.encode(new byte[4], 0, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
