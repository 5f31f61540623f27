package org.opensts.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's cap on open client connections: one beyond it is closed as soon as it is accepted, before anything is
 * read, and SDKs retry it as a failed connection. Failures to accept ("Too many open files") are logged once a minute
 * with a count and no stack trace, instead of once each with one.
 */
final class ConnectionCap {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int maxConnections;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong unreported = new AtomicLong();
    private final AtomicLong nextReport;

    ConnectionCap(int maxConnections, LongSupplier nanoTime) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        this.maxConnections = maxConnections;
        this.nanoTime = nanoTime;
        this.nextReport = new AtomicLong(nanoTime.getAsLong());
    }

    /** Counts {@code channel} until it closes and returns true, or closes it at the cap and returns false. */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            report("Refused a connection: {} connections are open, the most allowed", maxConnections);
            channel.close();
            return false;
        }
        channel.closeFuture().addListener(closed -> open.decrementAndGet());
        return true;
    }

    int open() {
        return open.get();
    }

    /** The last handler of the listening channel: it takes accept failures, after accepting has been paused. */
    ChannelHandler acceptFailures() {
        return new AcceptFailures();
    }

    private void report(String format, Object argument) {
        long now = nanoTime.getAsLong();
        long next = nextReport.get();
        if (now - next < 0 || !nextReport.compareAndSet(next, now + REPORT_INTERVAL_NANOS)) {
            unreported.incrementAndGet();
            return;
        }
        long more = unreported.getAndSet(0);
        LOG.warn(format + (more > 0 ? " (" + more + " more since the last such line)" : ""), argument);
    }

    @ChannelHandler.Sharable
    private final class AcceptFailures extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            report("Accepting a connection failed, accepting is paused for a second: {}", String.valueOf(cause));
        }
    }
}
