package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import org.opensts.sigv4.SigningCredentials;

/**
 * The S3 gateway a node runs beside its STS and IAM endpoint.
 *
 * @param listen where the gateway listens; it serves HTTPS when the node does, with the node's certificate
 * @param upstream the S3-compatible store it forwards to, {@code http://} or {@code https://}
 * @param upstreamCredentials the gateway's own key at the store (its toString shows no secret)
 * @param region the region upstream requests are signed for; empty means the node's region
 * @param upstreamChecksumTrailers whether checksums clients send in {@code aws-chunked} trailers go on to the store
 *     in a trailer of the gateway's (on unless the store cannot read one; docs/S3_GATEWAY.md)
 */
public record S3GatewayOptions(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
        Optional<String> region, boolean upstreamChecksumTrailers) {
    public S3GatewayOptions {
        requireNonNull(listen, "listen");
        requireNonNull(upstream, "upstream");
        requireNonNull(upstreamCredentials, "upstreamCredentials");
        requireNonNull(region, "region");
    }

    /** Options that forward checksum trailers, as S3 accepts them. */
    public S3GatewayOptions(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
            Optional<String> region) {
        this(listen, upstream, upstreamCredentials, region, /* upstreamChecksumTrailers= */ true);
    }

    /** These options with checksum trailers forwarded to the store, or not. */
    public S3GatewayOptions withUpstreamChecksumTrailers(boolean forward) {
        return new S3GatewayOptions(listen, upstream, upstreamCredentials, region, forward);
    }
}
