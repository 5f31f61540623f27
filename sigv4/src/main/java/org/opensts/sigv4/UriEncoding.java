package org.opensts.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * SigV4's URI encoding: RFC 3986 percent-encoding of UTF-8 bytes with upper-case hex, where only the unreserved
 * characters {@code A-Z a-z 0-9 - _ . ~} stand for themselves (and {@code /} in a path). A space is {@code %20} and a
 * {@code +} is {@code %2B}: there is no form encoding here.
 *
 * <p>Decoding knows only {@code %XX}. A {@code %} not followed by two hex digits stands for itself, so a malformed
 * escape cannot fail a request before its signature is checked; it simply canonicalizes as {@code %25}.
 */
final class UriEncoding {

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        UNRESERVED['-'] = true;
        UNRESERVED['_'] = true;
        UNRESERVED['.'] = true;
        UNRESERVED['~'] = true;
    }

    private UriEncoding() {
    }

    /** Returns {@code text} percent-encoded, {@code /} included, as a query parameter key or value is. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        encode(text, 0, text.length(), /* keepSlash= */ false, out);
        return out.toString();
    }

    /**
     * Appends {@code text[start, end)} percent-encoded: every character but the unreserved ones (and {@code /} when
     * {@code keepSlash}) becomes the {@code %XX} escapes of its UTF-8 bytes. A {@code %} is encoded too, which is
     * what makes a non-S3 canonical path "double-encoded".
     */
    static void encode(CharSequence text, int start, int end, boolean keepSlash, StringBuilder out) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                appendAscii(c, keepSlash, out);
            } else {
                i = appendUtf8Escaped(text, i, end, out);
            }
        }
    }

    /**
     * Appends {@code text[start, end)} decoded ({@code %XX} only) and then percent-encoded again, so that equivalent
     * spellings ({@code %7e}, {@code ~}, {@code %7E}) canonicalize alike. A {@code /} that arrived as {@code %2F} stays
     * escaped even when {@code keepSlash}, because it is data, not a separator.
     */
    static void decodeAndEncode(CharSequence text, int start, int end, boolean keepSlash, StringBuilder out) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '%' && isEscape(text, i, end)) {
                int b = (Hex.value(text.charAt(i + 1)) << 4) | Hex.value(text.charAt(i + 2));
                if (b < 0x80 && UNRESERVED[b]) {
                    out.append((char) b);
                } else {
                    appendEscape(b, out);
                }
                i += 2;
            } else if (c < 0x80) {
                appendAscii(c, keepSlash, out);
            } else {
                i = appendUtf8Escaped(text, i, end, out);
            }
        }
    }

    /** Returns {@code text[start, end)} with its {@code %XX} escapes decoded as UTF-8; {@code +} stays {@code +}. */
    static String decode(String text, int start, int end) {
        int percent = text.indexOf('%', start);
        if (percent < 0 || percent >= end) {
            return text.substring(start, end);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '%' && isEscape(text, i, end)) {
                bytes.write((Hex.value(text.charAt(i + 1)) << 4) | Hex.value(text.charAt(i + 2)));
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                boolean pair = Character.isHighSurrogate(c) && i + 1 < end
                        && Character.isLowSurrogate(text.charAt(i + 1));
                int codePointEnd = pair ? i + 2 : i + 1;
                byte[] utf8 = text.substring(i, codePointEnd).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i = codePointEnd - 1;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isEscape(CharSequence text, int percent, int end) {
        return percent + 2 < end
                && Hex.value(text.charAt(percent + 1)) >= 0
                && Hex.value(text.charAt(percent + 2)) >= 0;
    }

    private static void appendAscii(char c, boolean keepSlash, StringBuilder out) {
        if (UNRESERVED[c] || (keepSlash && c == '/')) {
            out.append(c);
        } else {
            appendEscape(c, out);
        }
    }

    /** Appends the escapes of the UTF-8 bytes of the code point at {@code i}; returns the index of its last char. */
    private static int appendUtf8Escaped(CharSequence text, int i, int end, StringBuilder out) {
        char c = text.charAt(i);
        int codePoint = c;
        int last = i;
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
            codePoint = Character.toCodePoint(c, text.charAt(i + 1));
            last = i + 1;
        } else if (Character.isSurrogate(c)) {
            codePoint = '?'; // an unpaired surrogate has no UTF-8 form; String.getBytes writes '?' for it too
        }
        if (codePoint < 0x80) {
            appendEscape(codePoint, out);
        } else if (codePoint < 0x800) {
            appendEscape(0xC0 | (codePoint >> 6), out);
            appendEscape(0x80 | (codePoint & 0x3F), out);
        } else if (codePoint < 0x10000) {
            appendEscape(0xE0 | (codePoint >> 12), out);
            appendEscape(0x80 | ((codePoint >> 6) & 0x3F), out);
            appendEscape(0x80 | (codePoint & 0x3F), out);
        } else {
            appendEscape(0xF0 | (codePoint >> 18), out);
            appendEscape(0x80 | ((codePoint >> 12) & 0x3F), out);
            appendEscape(0x80 | ((codePoint >> 6) & 0x3F), out);
            appendEscape(0x80 | (codePoint & 0x3F), out);
        }
        return last;
    }

    private static void appendEscape(int b, StringBuilder out) {
        out.append('%').append(HEX_UPPER[(b >> 4) & 0xF]).append(HEX_UPPER[b & 0xF]);
    }
}
