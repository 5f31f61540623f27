package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the client connections open at once, so that a flood of connections cannot take every file descriptor of the
 * process (and with them the store's connections and the audit log's file). A connection beyond the cap is refused as
 * soon as it is accepted, before anything is read or a TLS handshake is spent on it: over plain HTTP it is sent a
 * {@code 503 ServiceUnavailable} in the Query protocol's shape, which every SDK retries with back-off, and closed;
 * over HTTPS it is closed, which SDKs retry as a connection failure. Its descriptor is free again at once.
 */
final class ConnectionLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    static final String MESSAGE = "The service has too many open connections; retry later.";

    private final int maxConnections;
    private final Clock clock;
    private final AtomicInteger open = new AtomicInteger();
    private final RateLimitedLog refusals;

    ConnectionLimiter(int maxConnections, Clock clock, RateLimitedLog refusals) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        this.maxConnections = maxConnections;
        this.clock = clock;
        this.refusals = refusals;
    }

    ConnectionLimiter(int maxConnections, Clock clock) {
        this(maxConnections, clock, RateLimitedLog.perMinute(LOG));
    }

    /**
     * Counts {@code channel} as open until it closes and returns true, or, at the cap, refuses it and returns false.
     * Call it first thing on a newly accepted channel.
     *
     * @param plainHttp whether a 503 may be written in the clear (no TLS on this listener)
     */
    boolean admit(Channel channel, boolean plainHttp) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            refusals.warn("Refused a connection: {} connections are open, the most --max-connections allows",
                    maxConnections);
            if (plainHttp) {
                channel.writeAndFlush(Unpooled.wrappedBuffer(serviceUnavailable()))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
            return false;
        }
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        return true;
    }

    /** The connections open now. */
    int open() {
        return open.get();
    }

    private byte[] serviceUnavailable() {
        String requestId = RequestIds.next();
        byte[] xml = ResponseRenderer.error(ApiVersion.STS, new ApiException(ErrorCode.SERVICE_UNAVAILABLE, MESSAGE),
                requestId).body().getBytes(UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\n"
                + "Content-Type: text/xml\r\n"
                + QueryProtocolHandler.REQUEST_ID_HEADER + ": " + requestId + "\r\n"
                + "Date: " + HttpDate.IMF_FIXDATE.format(clock.instant()) + "\r\n"
                + "Content-Length: " + xml.length + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(UTF_8);
        byte[] response = new byte[headBytes.length + xml.length];
        System.arraycopy(headBytes, 0, response, 0, headBytes.length);
        System.arraycopy(xml, 0, response, headBytes.length, xml.length);
        return response;
    }
}
