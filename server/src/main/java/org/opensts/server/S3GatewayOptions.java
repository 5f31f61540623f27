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
 */
public record S3GatewayOptions(InetSocketAddress listen, URI upstream, SigningCredentials upstreamCredentials,
        Optional<String> region) {
    public S3GatewayOptions {
        requireNonNull(listen, "listen");
        requireNonNull(upstream, "upstream");
        requireNonNull(upstreamCredentials, "upstreamCredentials");
        requireNonNull(region, "region");
    }
}
