package org.opensts.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The DER encodings certificates are made of, against encodings worked out by hand from X.690 and RFC 5280. */
class DerTest {
    private static final HexFormat HEX = HexFormat.of();

    record Case(String name, byte[] encoded, String expectedHex) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> encodings() {
        return Stream.of(
                new Case("a short length is one byte", Der.element(0x04, new byte[127]),
                        "047f" + "00".repeat(127)),
                new Case("a length of 128 takes the long form", Der.element(0x04, new byte[128]),
                        "048180" + "00".repeat(128)),
                new Case("a length of 256 takes two length bytes", Der.element(0x04, new byte[256]),
                        "04820100" + "00".repeat(256)),
                new Case("zero is one content byte", Der.integer(0), "020100"),
                new Case("128 gets a leading zero to stay positive", Der.integer(128), "02020080"),
                new Case("a negative integer is two's complement", Der.integer(-129), "0202ff7f"),
                new Case("a large serial number", Der.integer(new BigInteger("00ff00ff00ff00ff00ff", 16)),
                        "020a00ff00ff00ff00ff00ff"),
                new Case("RSA's OID (multi-byte arcs)", Der.oid("1.2.840.113549.1.1.1"), "06092a864886f70d010101"),
                new Case("ecdsa-with-SHA256", Der.oid("1.2.840.10045.4.3.2"), "06082a8648ce3d040302"),
                new Case("a second arc above 39 under joint-iso-itu-t", Der.oid("2.100.3"), "0603813403"),
                new Case("TRUE is all ones", Der.bool(true), "0101ff"),
                new Case("NULL is empty", Der.nullValue(), "0500"),
                new Case("keyUsage digitalSignature: seven unused bits", Der.namedBits(0), "03020780"),
                new Case("keyUsage digitalSignature and keyEncipherment", Der.namedBits(0, 2), "030205a0"),
                new Case("keyUsage of a CA: bits 0, 5 and 6", Der.namedBits(0, 5, 6), "03020186"),
                new Case("keyUsage decipherOnly spills into a second byte", Der.namedBits(0, 8), "0303078080"),
                new Case("a BIT STRING of whole bytes", Der.bitString(new byte[] {1, 2}), "0303000102"),
                new Case("UTCTime through 2049", Der.time(Instant.parse("2049-12-31T23:59:59.750Z")),
                        "170d3439313233313233353935395a"),
                new Case("GeneralizedTime from 2050", Der.time(Instant.parse("2050-01-01T00:00:00Z")),
                        "180f32303530303130313030303030305a"),
                new Case("an empty SEQUENCE", Der.sequence(), "3000"),
                new Case("[3] EXPLICIT is constructed", Der.explicit(3, Der.nullValue()), "a3020500"),
                new Case("[2] IMPLICIT IA5String is primitive", Der.implicitPrimitive(2, new byte[] {'a'}), "820161"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodes(Case encoding) {
        assertThat(HEX.formatHex(encoding.encoded())).isEqualTo(encoding.expectedHex());
    }

    @Property
    void readingAnElementGivesBackItsTagAndContents(@ForAll byte[] contents, @ForAll @IntRange(max = 0x1e) int tag) {
        byte[] encoded = Der.concat(Der.element(tag, contents), new byte[] {0x05, 0x00});

        Der.Element element = Der.readElement(encoded, 0);

        assertThat(element.tag()).isEqualTo(tag);
        assertThat(element.contents()).isEqualTo(contents);
        assertThat(Der.readElement(encoded, element.end()).tag()).isEqualTo(Der.NULL);
    }

    @Property
    void anElementCutShortIsRejected(@ForAll byte[] contents, @ForAll @IntRange(min = 1, max = 4) int cut) {
        byte[] encoded = Der.element(Der.OCTET_STRING, contents);
        byte[] truncated = java.util.Arrays.copyOf(encoded, Math.max(0, encoded.length - cut));

        assertThatThrownBy(() -> Der.readElement(truncated, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
