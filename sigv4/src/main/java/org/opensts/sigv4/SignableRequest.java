package org.opensts.sigv4;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * An HTTP request as seen on the wire, which is what SigV4 signs: the method, the raw path (percent-encoded as sent),
 * the raw query string (without {@code ?}), the headers in arrival order with names and values as sent (a name may
 * repeat), and the body.
 *
 * <p>Nothing is decoded or normalized here; that is the canonical request's job, and it must see what the client
 * signed. Non-ASCII characters in the path, query or header values are taken as Unicode text and encoded as UTF-8
 * when canonicalized, which is what every AWS SDK does; a transport that decodes request bytes as ISO-8859-1 must
 * re-decode them as UTF-8 first.
 *
 * <p>Instances are immutable, except that {@link Builder#body(ByteBuffer)} shares the caller's buffer to avoid a copy
 * of a transport buffer. {@link #toString()} shows no header values and no query string, because they may carry a
 * session token.
 */
public final class SignableRequest {

    private final String method;
    private final String path;
    private final String query;
    private final String[] headerNames;
    private final String[] headerValues;
    private final ByteBuffer body;

    private SignableRequest(Builder builder) {
        this.method = builder.method;
        this.path = builder.path;
        this.query = builder.query;
        this.headerNames = Arrays.copyOf(builder.headerNames, builder.headerCount);
        this.headerValues = Arrays.copyOf(builder.headerValues, builder.headerCount);
        this.body = builder.body;
    }

    /** Returns a new builder with no headers, path {@code /}, an empty query and an empty body. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from this request. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .method(method)
                .path(path)
                .query(query)
                .body(body);
        for (int i = 0; i < headerNames.length; i++) {
            builder.addHeader(headerNames[i], headerValues[i]);
        }
        return builder;
    }

    /** Returns the HTTP method as sent, e.g. {@code POST}. */
    public String method() {
        return method;
    }

    /** Returns the raw path as sent, percent-encoded by the client, e.g. {@code /} or {@code /a%3Ab}. */
    public String path() {
        return path;
    }

    /** Returns the raw query string as sent, without the {@code ?}; empty when there is none. */
    public String query() {
        return query;
    }

    /** Returns the request target: the path, then {@code ?} and the query if there is one. */
    public String target() {
        return query.isEmpty() ? path : path + '?' + query;
    }

    /** Returns the number of header lines. */
    public int headerCount() {
        return headerNames.length;
    }

    /** Returns the name of the {@code index}th header line, as sent. */
    public String headerName(int index) {
        return headerNames[index];
    }

    /** Returns the value of the {@code index}th header line, as sent. */
    public String headerValue(int index) {
        return headerValues[index];
    }

    /** Returns the value of the first header line named {@code name} (case-insensitive). */
    public Optional<String> firstHeader(String name) {
        int index = indexOfHeader(name, 0);
        return index < 0 ? Optional.empty() : Optional.of(headerValues[index]);
    }

    /** Returns the values of every header line named {@code name} (case-insensitive), in arrival order. */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = indexOfHeader(name, 0); i >= 0; i = indexOfHeader(name, i + 1)) {
            values.add(headerValues[i]);
        }
        return Collections.unmodifiableList(values);
    }

    /** Returns a read-only view of the body; its position is 0 and its limit the body's length. */
    public ByteBuffer body() {
        return body.duplicate();
    }

    /** Returns the body's length in bytes. */
    public int bodyLength() {
        return body.remaining();
    }

    /** Returns the index of the first header line at or after {@code from} named {@code name}, or -1. */
    int indexOfHeader(String name, int from) {
        // A verification makes dozens of lookups: comparing in place lower-cases neither side into a new string.
        for (int i = from; i < headerNames.length; i++) {
            if (equalsIgnoreAsciiCase(headerNames[i], name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code a} and {@code b} are equal once their ASCII letters are lower-cased. HTTP field names are ASCII
     * tokens, case-insensitive in ASCII only (RFC 9110 §5.1): unlike {@link String#equalsIgnoreCase}, no character
     * outside ASCII folds.
     */
    static boolean equalsIgnoreAsciiCase(String a, String b) {
        int length = a.length();
        if (length != b.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = a.charAt(i);
            char d = b.charAt(i);
            if (c != d && lowerAscii(c) != lowerAscii(d)) {
                return false;
            }
        }
        return true;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Returns the values of every header line named {@code name} joined with {@code ,} as HTTP combines repeated
     * fields, or {@code null} if there is none.
     */
    String joinedHeader(String name) {
        int first = indexOfHeader(name, 0);
        if (first < 0) {
            return null;
        }
        int next = indexOfHeader(name, first + 1);
        if (next < 0) {
            return headerValues[first];
        }
        return String.join(",", headers(name));
    }

    @Override
    public String toString() {
        return "SignableRequest[" + method + ' ' + path + (query.isEmpty() ? "" : "?…")
                + ", headers=" + Arrays.toString(headerNames) + ", body=" + body.remaining() + " bytes]";
    }

    /** Builds a {@link SignableRequest}. Not thread-safe. */
    public static final class Builder {

        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

        private String method = "GET";
        private String path = "/";
        private String query = "";
        private String[] headerNames = new String[12];
        private String[] headerValues = new String[12];
        private int headerCount;
        private ByteBuffer body = EMPTY;

        private Builder() {
        }

        /** Sets the HTTP method, e.g. {@code POST}. */
        public Builder method(String method) {
            requireNonNull(method, "method");
            if (method.isEmpty()) {
                throw new IllegalArgumentException("method must not be empty");
            }
            this.method = method;
            return this;
        }

        /** Sets the raw path, as sent; it must not contain {@code ?}. An empty path stands for {@code /}. */
        public Builder path(String path) {
            requireNonNull(path, "path");
            if (path.indexOf('?') >= 0) {
                throw new IllegalArgumentException("path must not contain '?': use query(...) or target(...)");
            }
            this.path = path.isEmpty() ? "/" : path;
            return this;
        }

        /** Sets the raw query string, as sent, without the leading {@code ?}. */
        public Builder query(String query) {
            this.query = requireNonNull(query, "query");
            return this;
        }

        /**
         * Sets path and query from an origin-form request target such as {@code /?Action=GetCallerIdentity}: the
         * path ends at the first {@code ?}.
         */
        public Builder target(String target) {
            requireNonNull(target, "target");
            int question = target.indexOf('?');
            if (question < 0) {
                return path(target).query("");
            }
            return path(target.substring(0, question)).query(target.substring(question + 1));
        }

        /** Appends a header line; call it once per line received, in arrival order. */
        public Builder addHeader(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name must not be empty");
            }
            if (headerCount == headerNames.length) {
                headerNames = Arrays.copyOf(headerNames, headerCount * 2);
                headerValues = Arrays.copyOf(headerValues, headerCount * 2);
            }
            headerNames[headerCount] = name;
            headerValues[headerCount] = value;
            headerCount++;
            return this;
        }

        /** Removes every header line named {@code name} (case-insensitive). */
        public Builder removeHeaders(String name) {
            int kept = 0;
            for (int i = 0; i < headerCount; i++) {
                if (!headerNames[i].equalsIgnoreCase(name)) {
                    headerNames[kept] = headerNames[i];
                    headerValues[kept] = headerValues[i];
                    kept++;
                }
            }
            Arrays.fill(headerNames, kept, headerCount, null);
            Arrays.fill(headerValues, kept, headerCount, null);
            headerCount = kept;
            return this;
        }

        /** Sets the body to a copy of {@code body}. */
        public Builder body(byte[] body) {
            requireNonNull(body, "body");
            this.body = ByteBuffer.wrap(body.clone()).asReadOnlyBuffer();
            return this;
        }

        /**
         * Sets the body to the remaining bytes of {@code body} <em>without copying them</em>, so a transport can hand
         * over its buffer (e.g. an NIO view of its network buffer). The caller must keep those bytes unchanged and
         * alive for as long as the built request is used.
         */
        public Builder body(ByteBuffer body) {
            requireNonNull(body, "body");
            this.body = body.slice().asReadOnlyBuffer();
            return this;
        }

        /** Builds the request. */
        public SignableRequest build() {
            return new SignableRequest(this);
        }
    }
}
