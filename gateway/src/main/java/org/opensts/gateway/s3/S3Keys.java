package org.opensts.gateway.s3;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding and -encoding of S3 paths, object keys and query parameters.
 *
 * <p>An object key is any UTF-8 string of 1 to 1024 bytes (Amazon S3 User Guide, "Naming Amazon S3 objects"), so
 * decoding must keep every character: {@code //}, a trailing {@code /}, {@code ..} and {@code +} are literal in a
 * path — nothing is normalised, and {@code +} is not a space there (it is one only in a query string, which is
 * form-encoded). Percent escapes decode to bytes, and the bytes must be valid UTF-8: anything else is S3's
 * {@code InvalidURI}. A request line may carry raw bytes above 0x7F, which an HTTP decoder hands over as ISO-8859-1
 * characters; they are taken back as the bytes they were.
 */
public final class S3Keys {
    /** The longest key S3 accepts, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private S3Keys() {
    }

    /**
     * Decodes a percent-encoded path component or the whole path; {@code +} stays {@code +}.
     *
     * @throws S3Exception {@code InvalidURI} for a malformed escape or bytes that are not UTF-8
     */
    public static String decodePath(String raw) throws S3Exception {
        return decode(raw, /* plusIsSpace= */ false);
    }

    /**
     * Decodes a query-string name or value, where {@code +} is a space.
     *
     * @throws S3Exception {@code InvalidURI} for a malformed escape or bytes that are not UTF-8
     */
    public static String decodeQuery(String raw) throws S3Exception {
        return decode(raw, /* plusIsSpace= */ true);
    }

    /**
     * Encodes a key for a request path as the AWS SDKs do (SigV4's {@code UriEncode} with {@code /} kept): every byte
     * of its UTF-8 form except {@code A-Z a-z 0-9 - . _ ~ /} becomes {@code %XX}. {@link #decodePath} of the result is
     * the key again.
     */
    public static String encodePath(String key) {
        return encode(key, /* keepSlash= */ true);
    }

    /** Encodes a query-string name or value the SigV4 way: {@code /} and {@code +} become escapes too. */
    public static String encodeQuery(String value) {
        return encode(value, /* keepSlash= */ false);
    }

    /**
     * A query string with every name and value decoded as the classifier reads them and encoded again the SigV4 way,
     * in the same order ({@code a=x+y&b} becomes {@code a=x%20y&b}): what to send an upstream, so that it cannot read
     * a {@code +} or an escape differently from the way the request was authorized.
     *
     * @throws S3Exception {@code InvalidURI} for a malformed escape or bytes that are not UTF-8
     */
    public static String reencodeQuery(String rawQuery) throws S3Exception {
        if (rawQuery.isEmpty()) {
            return rawQuery;
        }
        var out = new StringBuilder(rawQuery.length() + 8);
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            out.append(encodeQuery(decodeQuery(eq < 0 ? pair : pair.substring(0, eq))));
            if (eq >= 0) {
                out.append('=').append(encodeQuery(decodeQuery(pair.substring(eq + 1))));
            }
        }
        return out.toString();
    }

    /** The UTF-8 length of a key, for the 1024-byte limit. */
    public static int utf8Length(String key) {
        int bytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < key.length()
                    && Character.isLowSurrogate(key.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static String encode(String text, boolean keepSlash) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || (keepSlash && c == '/')) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static String decode(String raw, boolean plusIsSpace) throws S3Exception {
        boolean plain = true;
        for (int i = 0; i < raw.length() && plain; i++) {
            char c = raw.charAt(i);
            plain = c != '%' && c < 0x80 && !(plusIsSpace && c == '+');
        }
        if (plain) {
            return raw;
        }
        var bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw invalidUri();
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw invalidUri();
                }
                bytes.put((byte) (high << 4 | low));
                i += 2;
            } else if (plusIsSpace && c == '+') {
                bytes.put((byte) ' ');
            } else if (c <= 0xFF) {
                bytes.put((byte) c);
            } else {
                throw invalidUri();
            }
        }
        bytes.flip();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = utf8.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw invalidUri();
        }
    }

    private static S3Exception invalidUri() {
        return S3Error.of(S3ErrorCode.INVALID_URI).toException();
    }
}
