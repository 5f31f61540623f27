package org.opensts.token.internal;

import java.util.Arrays;

/**
 * RFC 4648 base32 without padding ({@code A-Z2-7}), the alphabet of AWS access key ids.
 *
 * <p>Only whole groups (8 characters, 5 bytes) are handled: access key ids carry 16 characters, exactly 10 bytes, so
 * there is never a partial group whose spare bits could hide a second spelling of the same bytes.
 */
public final class Base32 {
    /** The 32 characters, in value order. */
    public static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = i;
        }
    }

    private Base32() {
    }

    /** The value (0..31) of {@code c}, or -1 if it is not a base32 character. */
    public static int valueOf(char c) {
        return c < VALUES.length ? VALUES[c] : -1;
    }

    /**
     * Encodes {@code length} bytes of {@code bytes} from {@code offset}.
     *
     * @throws IllegalArgumentException if {@code length} is not a multiple of 5
     */
    public static String encode(byte[] bytes, int offset, int length) {
        if (length % 5 != 0) {
            throw new IllegalArgumentException("base32 length must be a multiple of 5 bytes: " + length);
        }
        var out = new char[length / 5 * 8];
        int o = 0;
        for (int i = offset; i < offset + length; i += 5) {
            long group = 0;
            for (int j = 0; j < 5; j++) {
                group = (group << 8) | (bytes[i + j] & 0xff);
            }
            for (int shift = 35; shift >= 0; shift -= 5) {
                out[o++] = ALPHABET.charAt((int) (group >>> shift) & 31);
            }
        }
        return new String(out);
    }

    /**
     * Decodes the characters {@code text[from, to)} into {@code (to - from) * 5 / 8} bytes.
     *
     * @throws IllegalArgumentException if the range is not a multiple of 8 characters or holds a character outside
     *     the alphabet
     */
    public static byte[] decode(CharSequence text, int from, int to) {
        int length = to - from;
        if (length < 0 || length % 8 != 0) {
            throw new IllegalArgumentException("base32 length must be a multiple of 8 characters: " + length);
        }
        var out = new byte[length / 8 * 5];
        int o = 0;
        for (int i = from; i < to; i += 8) {
            long group = 0;
            for (int j = 0; j < 8; j++) {
                int value = valueOf(text.charAt(i + j));
                if (value < 0) {
                    throw new IllegalArgumentException("not a base32 character at index " + (i + j));
                }
                group = (group << 5) | value;
            }
            for (int shift = 32; shift >= 0; shift -= 8) {
                out[o++] = (byte) (group >>> shift);
            }
        }
        return out;
    }
}
