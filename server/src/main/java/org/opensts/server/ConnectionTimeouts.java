package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long a client connection may hold the node without asking anything of it.
 *
 * @param idle how long a connection may stay open with no request in progress (no byte received since the last
 *     response, or none at all since it opened)
 * @param request how long a request may take to arrive, from its first byte to the last byte of its body: a client
 *     that sends its headers a byte at a time is closed after this however often it sends
 */
public record ConnectionTimeouts(Duration idle, Duration request) {
    /** The defaults: 60 s idle, as common load balancers keep idle connections, and 30 s for one request to arrive. */
    public static final ConnectionTimeouts DEFAULTS = new ConnectionTimeouts(Duration.ofSeconds(60),
            Duration.ofSeconds(30));

    public ConnectionTimeouts {
        requireNonNull(idle, "idle");
        requireNonNull(request, "request");
        if (idle.isNegative() || idle.isZero() || request.isNegative() || request.isZero()) {
            throw new IllegalArgumentException("Connection timeouts must be positive");
        }
    }
}
