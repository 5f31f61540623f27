package org.opensts.sigv4;

/** Lower-case hexadecimal, as SigV4 writes hashes and signatures. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** Appends {@code bytes} in lower-case hex to {@code out}: {@code out.append(encode(bytes))}. */
    static void append(byte[] bytes, StringBuilder out) {
        for (byte b : bytes) {
            out.append(DIGITS[(b >> 4) & 0xF]).append(DIGITS[b & 0xF]);
        }
    }

    /** Decodes hex digits of either case, or returns {@code null} if {@code text} is not an even run of them. */
    static byte[] decode(String text) {
        if ((text.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int high = value(text.charAt(2 * i));
            int low = value(text.charAt(2 * i + 1));
            if (high < 0 || low < 0) {
                return null;
            }
            out[i] = (byte) ((high << 4) | low);
        }
        return out;
    }

    /**
     * Decodes a signature as SigV4 writes it, lower-case hex digits only, or returns {@code null}. AWS compares the
     * signature it computes, in lower-case hex, with the text the client sent, so {@code ABCD…} never matches
     * {@code abcd…}; decoding either case would accept a signature AWS refuses.
     */
    static byte[] decodeLowerCase(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'F') {
                return null;
            }
        }
        return decode(text);
    }

    /** Returns the value of one hex digit of either case, or -1. */
    static int value(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
