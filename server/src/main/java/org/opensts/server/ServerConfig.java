package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;

/**
 * How the server listens: address and port (port 0 picks a free one), the body cap, the size of the operations
 * executor, and how long a connection may stay idle or take to send a request.
 */
public record ServerConfig(InetSocketAddress listen, int maxBodyBytes, int operationThreads,
        ConnectionTimeouts timeouts) {
    /** 2 MiB: above the largest STS input (a 100,000-character SAML assertion, form-encoded). */
    public static final int DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

    public ServerConfig {
        requireNonNull(listen, "listen");
        requireNonNull(timeouts, "timeouts");
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024");
        }
        if (operationThreads < 1) {
            throw new IllegalArgumentException("operationThreads must be positive");
        }
    }

    public static ServerConfig listeningOn(InetSocketAddress listen, ConnectionTimeouts timeouts) {
        return new ServerConfig(listen, DEFAULT_MAX_BODY_BYTES, Math.max(4, 2 * Runtime.getRuntime()
                .availableProcessors()), timeouts);
    }
}
