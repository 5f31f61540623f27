package org.opensts.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection whose request headers have not all arrived within a bound of the request's first byte.
 * The idle timeout alone restarts with every byte, so a client sending a header byte every few seconds would hold
 * the connection for ever; this deadline does not move. Bodies are not bounded here: they stream, and an upload may
 * rightly take long.
 *
 * <p>Two handlers share one connection's state on its event loop: {@link #bytes()} before the HTTP codec sees a
 * request start, {@link #messages()} after it sees its headers end and its body end.
 */
final class HeaderDeadline {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    /** Between the end of one request's body and the first byte of the next. */
    private boolean betweenRequests = true;

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (betweenRequests && timer == null && message instanceof ByteBuf bytes && bytes.isReadable()) {
                    timer = context.executor().schedule((Runnable) context::close, timeoutNanos,
                            TimeUnit.NANOSECONDS);
                }
                context.fireChannelRead(message);
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                cancel();
                context.fireChannelInactive();
            }
        };
    }

    ChannelInboundHandlerAdapter messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof HttpRequest) {
                    cancel();
                    betweenRequests = false;
                }
                if (message instanceof LastHttpContent) {
                    betweenRequests = true;
                }
                context.fireChannelRead(message);
            }
        };
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
