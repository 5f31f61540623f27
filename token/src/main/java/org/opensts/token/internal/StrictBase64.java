package org.opensts.token.internal;

import java.util.Arrays;
import java.util.Base64;

/**
 * Standard base64 (RFC 4648 §4) in its one canonical spelling: no padding, no line breaks, and a length that is a
 * multiple of 4 characters, so that the bytes are a multiple of 3 and every character carries six bits of data.
 *
 * <p>A decoder that accepted a final partial group would ignore its spare low bits, and two texts would then open to
 * the same bytes: a changed character could go unnoticed. Refusing partial groups and {@code =} makes the mapping
 * between texts and byte strings one-to-one, which is what lets a session token promise that any changed character
 * makes it fail.
 */
public final class StrictBase64 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final int[] SEXTETS = sextets();

    private StrictBase64() {
    }

    /**
     * Encodes {@code bytes}.
     *
     * @throws IllegalArgumentException if the length is not a multiple of 3 (the text would need padding)
     */
    public static String encode(byte[] bytes) {
        if (bytes.length % 3 != 0) {
            throw new IllegalArgumentException("length must be a multiple of 3 bytes: " + bytes.length);
        }
        return ENCODER.encodeToString(bytes);
    }

    /** Whether {@code text} has a length and ending that canonical text can have; says nothing of its characters. */
    public static boolean hasCanonicalShape(CharSequence text) {
        int length = text.length();
        return length % 4 == 0 && (length == 0 || text.charAt(length - 1) != '=');
    }

    /**
     * Decodes canonical text.
     *
     * @throws IllegalArgumentException if {@code text} is not canonical: a length that is not a multiple of 4, any
     *     {@code =}, or any character outside the standard alphabet
     */
    public static byte[] decode(String text) {
        return decode(text, 0);
    }

    /**
     * Decodes canonical text, leaving out its first {@code skip} bytes: for a caller that reads a header apart and
     * wants the rest in an array of its own, without decoding everything and copying the rest out.
     *
     * @throws IllegalArgumentException as {@link #decode(String)}, or if the text holds fewer than {@code skip} bytes
     */
    public static byte[] decode(String text, int skip) {
        if (!hasCanonicalShape(text)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        int length = text.length() / 4 * 3;
        if (skip < 0 || skip > length) {
            throw new IllegalArgumentException("text shorter than " + skip + " bytes");
        }
        var out = new byte[length - skip];
        decodeGroups(text, text.length() / 4, out, -skip);
        return out;
    }

    /** Decodes the first {@code groups} 4-character groups of canonical-shaped text, e.g. to read a header. */
    public static byte[] decodePrefix(String text, int groups) {
        if (text.length() < groups * 4) {
            throw new IllegalArgumentException("text shorter than " + groups * 4 + " characters");
        }
        var out = new byte[groups * 3];
        decodeGroups(text, groups, out, 0);
        return out;
    }

    /**
     * Decodes the first {@code groups} groups of {@code text}, byte {@code i} of the result going to
     * {@code out[i + at]} when that index is not negative. The text's own characters are read: no copy of it is made
     * as bytes first. Every character must be of the alphabet; {@code =} is not, since canonical text has none.
     */
    private static void decodeGroups(String text, int groups, byte[] out, int at) {
        for (int g = 0; g < groups; g++) {
            int i = g * 4;
            int bits = sextet(text.charAt(i)) << 18 | sextet(text.charAt(i + 1)) << 12
                    | sextet(text.charAt(i + 2)) << 6 | sextet(text.charAt(i + 3));
            if (bits < 0) { // some character was not of the alphabet: its -1 set the sign bit
                throw new IllegalArgumentException("not canonical base64");
            }
            put(out, at++, bits >> 16);
            put(out, at++, bits >> 8);
            put(out, at++, bits);
        }
    }

    private static void put(byte[] out, int at, int value) {
        if (at >= 0) {
            out[at] = (byte) value;
        }
    }

    /** The six bits a character stands for, or -1 if it is not of the standard alphabet. */
    private static int sextet(char c) {
        return c < SEXTETS.length ? SEXTETS[c] : -1;
    }

    private static int[] sextets() {
        var table = new int[128];
        Arrays.fill(table, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            table[alphabet.charAt(i)] = i;
        }
        return table;
    }
}
