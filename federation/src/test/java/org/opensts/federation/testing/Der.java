package org.opensts.federation.testing;

import java.io.ByteArrayOutputStream;

/**
 * The few DER encodings the tests' hand-written certificates need (ITU-T X.690): a tag-length-value, a SEQUENCE, an
 * OBJECT IDENTIFIER. Lengths up to 65,535 bytes, which any test certificate stays under.
 */
public final class Der {
    private Der() {
    }

    /** An OBJECT IDENTIFIER of its arcs, e.g. {@code oid(2, 5, 4, 3)} for commonName. */
    public static byte[] oid(int... arcs) {
        var out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int shift = 28;
            while (shift > 0 && (arc >>> shift) == 0) {
                shift -= 7;
            }
            for (; shift > 0; shift -= 7) {
                out.write(0x80 | ((arc >>> shift) & 0x7f));
            }
            out.write(arc & 0x7f);
        }
        return tlv(0x06, out.toByteArray());
    }

    /** A SEQUENCE of already encoded parts. */
    public static byte[] sequence(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return tlv(0x30, out.toByteArray());
    }

    /** One element: its tag, its length in DER's definite form, its value. */
    public static byte[] tlv(int tag, byte[] value) {
        var out = new ByteArrayOutputStream();
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
