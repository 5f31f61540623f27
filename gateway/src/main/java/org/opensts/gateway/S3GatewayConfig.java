package org.opensts.gateway;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import org.opensts.sigv4.SigningCredentials;

/**
 * How a gateway listens and where it forwards.
 *
 * @param listen the address the gateway listens on (port 0 picks a free one)
 * @param upstream the upstream store's base URL, {@code http://} or {@code https://} with a host, port optional
 * @param upstreamCredentials the gateway's own key at the upstream store; its toString shows no secret
 * @param region the region the gateway signs upstream requests for
 * @param accountId the account that owns the buckets (the node's): the resource account of every decision
 * @param clock the time of decisions and of upstream signatures
 * @param headerTimeout how long a client may take from a request's first byte to the end of its headers; the body
 *     streams, and is bounded only by the idle timeout, since a large upload may take long
 * @param idleTimeout how long a client connection may stay open with no request in progress and none being answered
 * @param maxConnections how many client connections may be open at once; one more is closed as it is accepted
 * @param upstreamChecksumTrailers whether a checksum the client sent in an {@code aws-chunked} trailer goes on to the
 *     store in one ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}), as S3 accepts; off for a store that cannot read
 *     that payload form, which then keeps no checksum of the trailer's algorithm (docs/S3_GATEWAY.md)
 */
public record S3GatewayConfig(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
        String region, String accountId, Clock clock, Duration headerTimeout, Duration idleTimeout,
        int maxConnections, boolean upstreamChecksumTrailers) {
    /** The default {@link #headerTimeout()}: 30 s. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);
    /** The default {@link #idleTimeout()}: 60 s, the node's. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** The default {@link #maxConnections()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public S3GatewayConfig(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
            String region, String accountId, Clock clock) {
        this(listen, upstream, upstreamCredentials, region, accountId, clock, DEFAULT_HEADER_TIMEOUT);
    }

    public S3GatewayConfig(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
            String region, String accountId, Clock clock, Duration headerTimeout) {
        this(listen, upstream, upstreamCredentials, region, accountId, clock, headerTimeout, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_CONNECTIONS);
    }

    public S3GatewayConfig(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
            String region, String accountId, Clock clock, Duration headerTimeout, Duration idleTimeout,
            int maxConnections) {
        this(listen, upstream, upstreamCredentials, region, accountId, clock, headerTimeout, idleTimeout,
                maxConnections, /* upstreamChecksumTrailers= */ true);
    }

    public S3GatewayConfig {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("headerTimeout must be positive");
        }
        requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        requireNonNull(listen, "listen");
        requireNonNull(upstream, "upstream");
        requireNonNull(upstreamCredentials, "upstreamCredentials");
        requireNonNull(region, "region");
        requireNonNull(accountId, "accountId");
        requireNonNull(clock, "clock");
        if (!("http".equals(upstream.getScheme()) || "https".equals(upstream.getScheme())) || upstream.getHost() == null
                || upstream.getRawQuery() != null) {
            throw new IllegalArgumentException("The upstream must be an http or https URL with a host, not "
                    + upstream);
        }
        if (upstream.getRawPath() != null && !upstream.getRawPath().isEmpty() && !upstream.getRawPath().equals("/")) {
            throw new IllegalArgumentException("The upstream URL must have no path: buckets are addressed in the path");
        }
    }

    boolean upstreamTls() {
        return "https".equals(upstream.getScheme());
    }

    int upstreamPort() {
        return upstream.getPort() >= 0 ? upstream.getPort() : upstreamTls() ? 443 : 80;
    }

    /** The {@code Host} header of upstream requests: the host, and the port unless it is the scheme's default. */
    String upstreamHostHeader() {
        String host = upstream.getHost();
        return upstream.getPort() < 0 ? host : host + ":" + upstream.getPort();
    }
}
