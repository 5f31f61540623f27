package org.opensts.token.internal;

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
    private static final Base64.Decoder DECODER = Base64.getDecoder();

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
        // With the length a multiple of 4 and no '=' at the end, the JDK decoder sees only whole groups and rejects
        // an '=' anywhere else, whitespace and characters outside the alphabet.
        if (!hasCanonicalShape(text)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return DECODER.decode(text);
    }

    /** Decodes the first {@code groups} 4-character groups of canonical-shaped text, e.g. to read a header. */
    public static byte[] decodePrefix(String text, int groups) {
        int chars = groups * 4;
        if (text.length() < chars) {
            throw new IllegalArgumentException("text shorter than " + chars + " characters");
        }
        return decode(text.substring(0, chars));
    }
}
