package org.opensts.server.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.Instant;

/**
 * The few DER encodings (ITU-T X.690) an X.509 certificate needs, each returning one complete element: tag, length
 * and contents. Only what {@link CertificateTemplate} uses is here; there is no decoder beyond {@link #readElement}.
 */
final class Der {
    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTF8_STRING = 0x0c;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** One element: {@code tag}, the definite length in the shortest form, then {@code contents}. */
    static byte[] element(int tag, byte[] contents) {
        var out = new ByteArrayOutputStream(contents.length + 6);
        out.write(tag);
        int length = contents.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
                out.write(length >>> shift);
            }
        }
        out.writeBytes(contents);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        return element(SEQUENCE, concat(elements));
    }

    static byte[] set(byte[]... elements) {
        return element(SET, concat(elements));
    }

    /** A constructed context-specific element, {@code [number]} EXPLICIT around {@code inner}. */
    static byte[] explicit(int number, byte[] inner) {
        return element(0xa0 | number, inner);
    }

    /** A primitive context-specific element, {@code [number]} IMPLICIT, holding {@code contents}. */
    static byte[] implicitPrimitive(int number, byte[] contents) {
        return element(0x80 | number, contents);
    }

    /** Two's complement, minimal: {@link BigInteger#toByteArray} is exactly DER's INTEGER contents. */
    static byte[] integer(BigInteger value) {
        return element(INTEGER, value.toByteArray());
    }

    static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    static byte[] bool(boolean value) {
        return element(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    static byte[] nullValue() {
        return element(NULL, new byte[0]);
    }

    static byte[] octetString(byte[] contents) {
        return element(OCTET_STRING, contents);
    }

    /** A BIT STRING of whole bytes: the leading octet says no bits of the last byte are unused. */
    static byte[] bitString(byte[] bytes) {
        var contents = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, contents, 1, bytes.length);
        return element(BIT_STRING, contents);
    }

    /**
     * A named-bit BIT STRING (X.690 11.2.2: trailing zero bits removed). Bit 0 is the most significant bit of the first
     * byte, as in keyUsage.
     */
    static byte[] namedBits(int... bits) {
        int highest = 0;
        for (int bit : bits) {
            highest = Math.max(highest, bit);
        }
        var bytes = new byte[highest / 8 + 1];
        for (int bit : bits) {
            bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        int unused = 7 - highest % 8;
        var contents = new byte[bytes.length + 1];
        contents[0] = (byte) unused;
        System.arraycopy(bytes, 0, contents, 1, bytes.length);
        return element(BIT_STRING, contents);
    }

    static byte[] utf8String(String value) {
        return element(UTF8_STRING, value.getBytes(StandardCharsets.UTF_8));
    }

    /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, in UTC. */
    static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC).withNano(0);
        if (utc.getYear() < 2050) {
            return element(UTC_TIME, UTC_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
        }
        return element(GENERALIZED_TIME, GENERALIZED_TIME_FORMAT.format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 1.2.840.10045.4.3.2}. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) {
            throw new IllegalArgumentException("an OID has at least two arcs: " + dotted);
        }
        var out = new ByteArrayOutputStream();
        writeBase128(out, new BigInteger(arcs[0]).multiply(BigInteger.valueOf(40)).add(new BigInteger(arcs[1])));
        for (int i = 2; i < arcs.length; i++) {
            writeBase128(out, new BigInteger(arcs[i]));
        }
        return element(OBJECT_IDENTIFIER, out.toByteArray());
    }

    private static void writeBase128(ByteArrayOutputStream out, BigInteger value) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("OID arcs are not negative");
        }
        int groups = Math.max(1, (value.bitLength() + 6) / 7);
        for (int group = groups - 1; group >= 0; group--) {
            int bits = value.shiftRight(group * 7).intValue() & 0x7f;
            out.write(group == 0 ? bits : bits | 0x80);
        }
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** An element read back: its tag and contents, and where the next element starts. */
    record Element(int tag, byte[] contents, int end) {
    }

    /**
     * Reads the element that starts at {@code offset} of {@code der} (definite lengths only, as DER requires).
     *
     * @throws IllegalArgumentException if the bytes are not one well-formed element
     */
    static Element readElement(byte[] der, int offset) {
        if (offset + 2 > der.length) {
            throw new IllegalArgumentException("truncated DER element");
        }
        int tag = der[offset] & 0xff;
        int first = der[offset + 1] & 0xff;
        int position = offset + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || position + bytes > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[position++] & 0xff);
            }
        }
        if (length > der.length - position) {
            throw new IllegalArgumentException("truncated DER element");
        }
        var contents = new byte[length];
        System.arraycopy(der, position, contents, 0, length);
        return new Element(tag, contents, position + length);
    }
}
