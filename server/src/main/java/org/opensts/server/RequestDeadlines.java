package org.opensts.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opensts.gateway.Http1ServerCodec;

/**
 * Closes a connection that holds the node without asking anything of it: one idle for longer than
 * {@link ConnectionTimeouts#idle()} between requests, and one whose request does not arrive whole within
 * {@link ConnectionTimeouts#request()} of its first byte. An idle timer that each received byte restarted would let a
 * client keep a connection forever by sending a header byte every few seconds; the request deadline does not move.
 *
 * <p>Two handlers share the state of one connection, all on its event loop: {@link #bytes()} goes before the HTTP
 * codec and sees raw bytes, so it knows when a request starts even if its headers never end; {@link #messages()} goes
 * after the codec and sees where a request ends. A request may begin in the same read as the one before it ends (a
 * client that pipelines): once the codec has decoded a read, a request it holds part of is given its deadline then.
 * Responses are counted as they are written, so a connection with a request being answered is never idle.
 */
final class RequestDeadlines {
    private final long idleNanos;
    private final long requestNanos;
    private final Http1ServerCodec codec;
    private ScheduledFuture<?> idleTimer;
    private ScheduledFuture<?> requestTimer;
    /** Requests received whole and not yet answered. */
    private int inFlight;

    /** @param codec the connection's HTTP codec, which says whether it holds part of a request */
    RequestDeadlines(ConnectionTimeouts timeouts, Http1ServerCodec codec) {
        this.idleNanos = timeouts.idle().toNanos();
        this.requestNanos = timeouts.request().toNanos();
        this.codec = codec;
    }

    /**
     * The handler to place before the HTTP codec, after TLS: a handshake produces no bytes here, so a connection that
     * never finishes one is closed as idle.
     */
    ChannelInboundHandlerAdapter bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext context) {
                startIdle(context);
                context.fireChannelActive();
            }

            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof ByteBuf bytes && bytes.isReadable()) {
                    startRequest(context);
                }
                context.fireChannelRead(message);
                // The codec has decoded what it could of these bytes, and the requests they ended have stopped their
                // deadlines: what it still holds is the start of the next one.
                if (codec.holdsPartOfARequest()) {
                    startRequest(context);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                cancelIdle();
                cancelRequest();
                context.fireChannelInactive();
            }
        };
    }

    /** The handler to place right after the HTTP codec. */
    ChannelDuplexHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof LastHttpContent) {
                    cancelRequest();
                    inFlight++;
                }
                context.fireChannelRead(message);
            }

            /** Whether the response being written is a final one: a {@code 100 Continue} answers nothing. */
            private boolean finalResponse = true;

            @Override
            public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
                if (message instanceof HttpResponse response) {
                    finalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
                }
                boolean last = finalResponse && message instanceof LastHttpContent;
                context.write(message, promise);
                if (last && inFlight > 0 && --inFlight == 0 && requestTimer == null) {
                    startIdle(context);
                }
            }
        };
    }

    private void startIdle(ChannelHandlerContext context) {
        cancelIdle();
        idleTimer = context.executor().schedule(() -> {
            if (inFlight == 0 && requestTimer == null) {
                context.close();
            }
        }, idleNanos, TimeUnit.NANOSECONDS);
    }

    /** Starts the request deadline unless one is running. */
    private void startRequest(ChannelHandlerContext context) {
        if (requestTimer == null && context.channel().isActive()) {
            cancelIdle();
            requestTimer = context.executor().schedule((Runnable) context::close, requestNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void cancelIdle() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private void cancelRequest() {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
    }
}
