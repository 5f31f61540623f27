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
 * request start, {@link #messages()} after it sees its headers end and its body end. A request may begin in the same
 * read as the one before it ends (a client that pipelines): once the codec has decoded a read, a request whose head
 * it holds part of is given its deadline then.
 */
final class HeaderDeadline {
    private final long timeoutNanos;
    private final Http1ServerCodec codec;
    private ScheduledFuture<?> timer;
    /** Between the end of one request's body and the first byte of the next. */
    private boolean betweenRequests = true;

    /** @param codec the connection's HTTP codec, which says whether it holds part of a request */
    HeaderDeadline(Duration timeout, Http1ServerCodec codec) {
        this.timeoutNanos = timeout.toNanos();
        this.codec = codec;
    }

    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof ByteBuf bytes && bytes.isReadable()) {
                    startIfBetweenRequests(context);
                }
                context.fireChannelRead(message);
                // Decoded: a request these bytes ended has reset the state, and what the codec still holds of the
                // next one is its head.
                if (codec.holdsPartOfARequest()) {
                    startIfBetweenRequests(context);
                }
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

    private void startIfBetweenRequests(ChannelHandlerContext context) {
        if (betweenRequests && timer == null && context.channel().isActive()) {
            timer = context.executor().schedule((Runnable) context::close, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
