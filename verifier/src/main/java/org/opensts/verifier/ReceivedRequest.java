package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request as a service received it, before any decoding: what a signature covers, without the body (which a
 * {@link PayloadCheck} checks as it streams). Header names keep their case and order; a name may repeat.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param rawPath the request path exactly as on the wire, still percent-encoded, without the query
 * @param rawQuery the query string exactly as on the wire, without the {@code ?}; empty if there is none
 * @param headers every header, in the order received
 * @param secureTransport whether the request came over TLS ({@code aws:SecureTransport})
 * @param sourceIp the client's address ({@code aws:SourceIp})
 */
public record ReceivedRequest(String method, String rawPath, String rawQuery, List<Header> headers,
        boolean secureTransport, String sourceIp) {
    public ReceivedRequest {
        requireNonNull(method, "method");
        requireNonNull(rawPath, "rawPath");
        requireNonNull(rawQuery, "rawQuery");
        headers = List.copyOf(headers);
        requireNonNull(sourceIp, "sourceIp");
    }

    /** One header line. */
    public record Header(String name, String value) {
        public Header {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
        }

        /** The name only: the value may be a signature or a session token. */
        @Override
        public String toString() {
            return "Header[" + name + ']';
        }
    }

    /**
     * The method, the path, and the names of the query's parameters and of the headers, without their values: a
     * request carries its signature and session token (in {@code Authorization}, {@code x-amz-security-token} or a
     * presigned URL's query), which must not reach a log.
     */
    @Override
    public String toString() {
        var query = new ArrayList<String>();
        if (!rawQuery.isEmpty()) {
            for (String parameter : rawQuery.split("&", -1)) {
                int equals = parameter.indexOf('=');
                query.add(equals < 0 ? parameter : parameter.substring(0, equals));
            }
        }
        return "ReceivedRequest[" + method + ' ' + rawPath + (query.isEmpty() ? "" : " query=" + query)
                + " headers=" + headers.stream().map(Header::name).toList() + " secureTransport=" + secureTransport
                + " sourceIp=" + sourceIp + ']';
    }

    /** The first value of a header, its name matched regardless of case. */
    public Optional<String> firstHeader(String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return Optional.of(header.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of a header, in order, its name matched regardless of case. */
    public List<String> headerValues(String name) {
        var values = new ArrayList<String>(1);
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                values.add(header.value());
            }
        }
        return values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code aws:SourceIp} of a client connected from {@code address}: its IP address, without the zone of a
     * scoped IPv6 address ({@code fe80::1%eth0}, which names the server's interface, not the client); {@code 0.0.0.0}
     * for an address that is not an IP one.
     */
    public static String sourceIpOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            return zone < 0 ? host : host.substring(0, zone);
        }
        return "0.0.0.0";
    }

    /** Builds a {@link ReceivedRequest}; only the method and path are required. */
    public static final class Builder {
        private String method;
        private String rawPath;
        private String rawQuery = "";
        private final List<Header> headers = new ArrayList<>();
        private boolean secureTransport;
        private String sourceIp = "127.0.0.1";

        private Builder() {
        }

        public Builder method(String method) {
            this.method = method.toUpperCase(Locale.ROOT);
            return this;
        }

        public Builder rawPath(String rawPath) {
            this.rawPath = rawPath;
            return this;
        }

        public Builder rawQuery(String rawQuery) {
            this.rawQuery = rawQuery;
            return this;
        }

        public Builder addHeader(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        public Builder secureTransport(boolean secureTransport) {
            this.secureTransport = secureTransport;
            return this;
        }

        public Builder sourceIp(String sourceIp) {
            this.sourceIp = sourceIp;
            return this;
        }

        public ReceivedRequest build() {
            return new ReceivedRequest(method, rawPath, rawQuery, headers, secureTransport, sourceIp);
        }
    }
}
