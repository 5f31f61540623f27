package org.opensts.server;

import static java.util.Objects.requireNonNull;

import org.opensts.protocol.shape.QueryParameters;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.RequestMetadata;

/**
 * A Query request as decoded from HTTP: its parameters (query string and form body together), the request as signed,
 * and what the transport knows of it.
 */
record InboundRequest(QueryParameters parameters, SignableRequest signable, RequestMetadata metadata) {
    InboundRequest {
        requireNonNull(parameters, "parameters");
        requireNonNull(signable, "signable");
        requireNonNull(metadata, "metadata");
    }
}
