package org.opensts.sigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 1 of SigV4: the canonical request, the one spelling of an HTTP request that signer and verifier both hash.
 *
 * <pre>
 * METHOD
 * canonical URI        (the path, normalized unless S3, URI-encoded; non-S3 services encode the wire path again)
 * canonical query      (every parameter but X-Amz-Signature, key and value URI-encoded, sorted by key then value)
 * name:value           (one line per signed header: lower-case name, trimmed value, repeats joined with ',')
 * ...
 *                      (the blank line ends the headers)
 * signed;header;names
 * payload hash         (hex SHA-256 of the body, or the x-amz-content-sha256 value such as UNSIGNED-PAYLOAD)
 * </pre>
 *
 * <p>The text may contain a session token (as a signed header or a query parameter), so {@link #toString()} shows
 * only its hash; {@link #text()} is the deliberate way to see it.
 */
public final class CanonicalRequest {

    private static final String SIGNATURE_PARAMETER = "X-Amz-Signature";
    private static final String[] NO_PARAMETERS = new String[0];

    private final String text;
    private final String signedHeaders;
    private final String payloadHash;
    private final byte[] sha256;

    private CanonicalRequest(String text, String signedHeaders, String payloadHash) {
        this.text = text;
        this.signedHeaders = signedHeaders;
        this.payloadHash = payloadHash;
        this.sha256 = Digests.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Builds the canonical request of {@code request}.
     *
     * @param signedHeaders       the signed header names, lower-case, sorted and distinct
     * @param signedHeadersJoined the same names joined with {@code ;}
     * @param payloadHash         the last line
     * @param presigned           whether the signature travels in the query string ({@code X-Amz-Signature} is
     *                            left out of the canonical query)
     * @param normalizePath       whether to remove {@code .}, {@code ..} and empty path segments (all services but S3)
     * @param doubleEncodePath    whether to percent-encode the wire path as is (all services but S3) rather than
     *                            decode it first
     */
    static CanonicalRequest create(SignableRequest request, List<String> signedHeaders, String signedHeadersJoined,
            String payloadHash, boolean presigned, boolean normalizePath, boolean doubleEncodePath) {
        StringBuilder out = new StringBuilder(256 + 64 * signedHeaders.size());
        append(request, signedHeaders, signedHeadersJoined, payloadHash, presigned, normalizePath, doubleEncodePath,
                out);
        return new CanonicalRequest(out.toString(), signedHeadersJoined, payloadHash);
    }

    /**
     * Returns the SHA-256 of the canonical request {@link #create} builds, written into {@code scratch} (cleared
     * first) and hashed from there: a verifier needs only the hash, and the text, which holds any session token, is
     * a few kilobytes to build, copy into a {@code String} and encode again on every request.
     */
    static byte[] sha256(SignableRequest request, List<String> signedHeaders, String signedHeadersJoined,
            String payloadHash, boolean presigned, boolean normalizePath, boolean doubleEncodePath,
            StringBuilder scratch) {
        scratch.setLength(0);
        append(request, signedHeaders, signedHeadersJoined, payloadHash, presigned, normalizePath, doubleEncodePath,
                scratch);
        return Digests.sha256(scratch);
    }

    private static void append(SignableRequest request, List<String> signedHeaders, String signedHeadersJoined,
            String payloadHash, boolean presigned, boolean normalizePath, boolean doubleEncodePath,
            StringBuilder out) {
        out.append(request.method()).append('\n');
        appendCanonicalUri(request.path(), normalizePath, doubleEncodePath, out);
        out.append('\n');
        appendCanonicalQuery(request.query(), /* excludeSignature= */ presigned, out);
        out.append('\n');
        for (String name : signedHeaders) {
            out.append(name).append(':');
            boolean first = true;
            for (int i = request.indexOfHeader(name, 0); i >= 0; i = request.indexOfHeader(name, i + 1)) {
                if (!first) {
                    out.append(',');
                }
                appendTrimmedValue(request.headerValue(i), out);
                first = false;
            }
            out.append('\n');
        }
        out.append('\n').append(signedHeadersJoined).append('\n').append(payloadHash);
    }

    /**
     * Returns the canonical request text. It reveals every signed header value and query parameter, the session
     * token included when it was signed: show it only to the party that sent the request.
     */
    public String text() {
        return text;
    }

    /** Returns the signed header names as they appear in the canonical request, e.g. {@code host;x-amz-date}. */
    public String signedHeaders() {
        return signedHeaders;
    }

    /** Returns the payload hash line: hex SHA-256 of the body, or a value such as {@code UNSIGNED-PAYLOAD}. */
    public String payloadHash() {
        return payloadHash;
    }

    /** Returns the hex SHA-256 of the text: the last line of the string to sign. */
    public String hashHex() {
        return Hex.encode(sha256);
    }

    @Override
    public String toString() {
        return "CanonicalRequest[sha256=" + hashHex() + ']';
    }

    /** Returns the canonical URI of a wire path. */
    static String canonicalUri(String rawPath, boolean normalizePath, boolean doubleEncodePath) {
        StringBuilder out = new StringBuilder(rawPath.length() + 16);
        appendCanonicalUri(rawPath, normalizePath, doubleEncodePath, out);
        return out.toString();
    }

    /** Returns the canonical query string of a raw query string. */
    static String canonicalQuery(String rawQuery, boolean excludeSignature) {
        StringBuilder out = new StringBuilder(rawQuery.length() + 16);
        appendCanonicalQuery(rawQuery, excludeSignature, out);
        return out.toString();
    }

    private static void appendCanonicalUri(String rawPath, boolean normalizePath, boolean doubleEncodePath,
            StringBuilder out) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (normalizePath) {
            path = normalizePath(path);
        }
        if (doubleEncodePath) {
            // SigV4 (non-S3): encode the path as sent, so "%3A" on the wire becomes "%253A".
            UriEncoding.encode(path, 0, path.length(), /* keepSlash= */ true, out);
        } else {
            // S3: the path as sent is already encoded once; decoding first makes "~" and "%7E" alike.
            UriEncoding.decodeAndEncode(path, 0, path.length(), /* keepSlash= */ true, out);
        }
    }

    /**
     * Removes empty, {@code .} and {@code ..} segments as RFC 3986 "remove_dot_segments" does, working on the path
     * as sent: {@code //example//} becomes {@code /example/}, {@code /example1/example2/../..} becomes {@code /}.
     * A trailing slash survives, and so does one implied by a final {@code .} or {@code ..}.
     */
    static String normalizePath(String path) {
        if (!needsNormalization(path)) {
            return path;
        }
        List<String> segments = new ArrayList<>();
        boolean trailingSlash = false;
        int start = path.charAt(0) == '/' ? 1 : 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            boolean last = slash < 0;
            if (segment.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                trailingSlash = last;
            } else if (segment.isEmpty() || segment.equals(".")) {
                trailingSlash = last;
            } else {
                segments.add(segment);
                trailingSlash = false;
            }
            start = end + 1;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : segments) {
            out.append('/').append(segment);
        }
        if (segments.isEmpty() || trailingSlash) {
            out.append('/');
        }
        return out.toString();
    }

    private static boolean needsNormalization(String path) {
        if (path.charAt(0) != '/') {
            return true;
        }
        for (int i = 1; i < path.length(); i++) {
            if (path.charAt(i - 1) == '/' && (path.charAt(i) == '/' || isDotSegmentAt(path, i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDotSegmentAt(String path, int i) {
        int end = path.indexOf('/', i);
        if (end < 0) {
            end = path.length();
        }
        int length = end - i;
        return (length == 1 && path.charAt(i) == '.')
                || (length == 2 && path.charAt(i) == '.' && path.charAt(i + 1) == '.');
    }

    private static void appendCanonicalQuery(String rawQuery, boolean excludeSignature, StringBuilder out) {
        if (rawQuery.isEmpty()) {
            return;
        }
        String[] parameters = encodedParameters(rawQuery, excludeSignature);
        // SigV4: sort by encoded key, then by encoded value. "key=value" strings sort the same way only if no key is
        // a prefix of another that continues with a character below '=', so compare the parts.
        if (parameters.length > 2) {
            sortPairs(parameters);
        }
        for (int i = 0; i < parameters.length; i += 2) {
            if (i > 0) {
                out.append('&');
            }
            out.append(parameters[i]).append('=').append(parameters[i + 1]);
        }
    }

    /** Returns {@code [key0, value0, key1, value1, ...]}, each decoded and re-encoded, unsorted. */
    private static String[] encodedParameters(String rawQuery, boolean excludeSignature) {
        String[] parameters = NO_PARAMETERS;
        int count = 0;
        int start = 0;
        StringBuilder scratch = new StringBuilder(64);
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            int end = amp < 0 ? rawQuery.length() : amp;
            if (end > start) {
                int equals = rawQuery.indexOf('=', start);
                int keyEnd = equals < 0 || equals > end ? end : equals;
                scratch.setLength(0);
                UriEncoding.decodeAndEncode(rawQuery, start, keyEnd, /* keepSlash= */ false, scratch);
                String key = scratch.toString();
                if (!(excludeSignature && key.equals(SIGNATURE_PARAMETER))) {
                    scratch.setLength(0);
                    if (keyEnd < end) {
                        UriEncoding.decodeAndEncode(rawQuery, keyEnd + 1, end, /* keepSlash= */ false, scratch);
                    }
                    if (count == parameters.length) {
                        parameters = Arrays.copyOf(parameters, Math.max(8, count * 2));
                    }
                    parameters[count++] = key;
                    parameters[count++] = scratch.toString();
                }
            }
            start = end + 1;
        }
        return count == parameters.length ? parameters : Arrays.copyOf(parameters, count);
    }

    /** Insertion sort of (key, value) pairs: queries are short, and this needs no pair objects. */
    private static void sortPairs(String[] pairs) {
        for (int i = 2; i < pairs.length; i += 2) {
            String key = pairs[i];
            String value = pairs[i + 1];
            int j = i - 2;
            while (j >= 0 && comparePairs(pairs[j], pairs[j + 1], key, value) > 0) {
                pairs[j + 2] = pairs[j];
                pairs[j + 3] = pairs[j + 1];
                j -= 2;
            }
            pairs[j + 2] = key;
            pairs[j + 3] = value;
        }
    }

    private static int comparePairs(String key1, String value1, String key2, String value2) {
        // Encoded text is ASCII, so comparing chars compares bytes, as SigV4 requires.
        int byKey = key1.compareTo(key2);
        return byKey != 0 ? byKey : value1.compareTo(value2);
    }

    /**
     * Appends a header value the SigV4 way: leading and trailing whitespace removed, inner runs of whitespace
     * collapsed to one space ({@code "a   b"} becomes {@code "a b"}).
     */
    static void appendTrimmedValue(String value, StringBuilder out) {
        // Runs of non-blank characters (all of a session token or a date) are copied whole; each run of blanks
        // between two of them becomes one space.
        int i = 0;
        int length = value.length();
        boolean started = false;
        while (i < length) {
            while (i < length && isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i == length) {
                break;
            }
            int start = i;
            while (i < length && !isWhitespace(value.charAt(i))) {
                i++;
            }
            if (started) {
                out.append(' ');
            }
            out.append(value, start, i);
            started = true;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}
