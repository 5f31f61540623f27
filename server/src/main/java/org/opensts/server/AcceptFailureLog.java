package org.opensts.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the listening channel. When accepting a connection fails ("Too many open files"), the HTTP
 * stack pauses accepting for a second and passes the failure on; without this handler each one would be logged with
 * its stack trace as an unhandled exception, hundreds of lines a minute for as long as the flood lasts. Here it is one
 * line a minute, with the count.
 */
@ChannelHandler.Sharable
final class AcceptFailureLog extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptFailureLog.class);
    private final RateLimitedLog log;

    AcceptFailureLog(RateLimitedLog log) {
        this.log = log;
    }

    AcceptFailureLog() {
        this(RateLimitedLog.perMinute(LOG));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("Accepting a connection failed, accepting is paused for a second: {}", String.valueOf(cause));
    }
}
