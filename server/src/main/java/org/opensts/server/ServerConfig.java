package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import org.opensts.protocol.CallExecutor;

/**
 * How the server listens: address and port (port 0 picks a free one), the body cap, the size of the operations
 * executor, how long a connection may stay idle or take to send a request, and how many may be open at once.
 */
public record ServerConfig(InetSocketAddress listen, int maxBodyBytes, int operationThreads,
        ConnectionTimeouts timeouts, int maxConnections) {
    /**
     * 2 MiB: above the largest STS input (a 100,000-character SAML assertion, at most 300,000 bytes form-encoded) and
     * the largest IAM one that a client sends whole (a policy document of 131,072 characters, at most 393,216 bytes
     * form-encoded, several of them in a policy simulation), with room to spare.
     */
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
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

    public ServerConfig(InetSocketAddress listen, int maxBodyBytes, int operationThreads,
            ConnectionTimeouts timeouts) {
        this(listen, maxBodyBytes, operationThreads, timeouts, ConnectionLimits.defaultMaxConnections());
    }

    public static ServerConfig listeningOn(InetSocketAddress listen, ConnectionTimeouts timeouts) {
        return listeningOn(listen, timeouts, ConnectionLimits.defaultMaxConnections());
    }

    public static ServerConfig listeningOn(InetSocketAddress listen, ConnectionTimeouts timeouts,
            int maxConnections) {
        return new ServerConfig(listen, DEFAULT_MAX_BODY_BYTES, CallExecutor.nodeThreadCount(), timeouts,
                maxConnections);
    }
}
