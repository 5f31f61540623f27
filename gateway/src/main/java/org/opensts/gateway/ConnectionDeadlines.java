package org.opensts.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that holds the gateway without asking anything of it: one with no request in progress
 * and none being answered for longer than the idle timeout (a connection that never sends a byte among them), and one
 * whose request headers have not all arrived within the header timeout of the request's first byte. An idle timer
 * that each received byte restarted would let a client hold a connection for ever by sending a header byte every few
 * seconds; the header deadline does not move. Bodies and answers are not bounded here: they stream, and an upload or a
 * download may rightly take long (the pipeline's own idle handler closes one with no byte either way for minutes).
 *
 * <p>Two handlers share one connection's state on its event loop: {@link #bytes()} before the HTTP codec sees a
 * request start, {@link #messages()} after it sees its headers end and its body end, and its answer written. A request
 * may begin in the same read as the one before it ends (a client that pipelines): once the codec has decoded a read, a
 * request whose head it holds part of is given its deadline then.
 */
final class ConnectionDeadlines {
    private final long headerNanos;
    private final long idleNanos;
    private final Http1ServerCodec codec;
    private ScheduledFuture<?> headerTimer;
    private ScheduledFuture<?> idleTimer;
    /** Between the end of one request's body and the first byte of the next. */
    private boolean betweenRequests = true;
    /**
     * Requests received whole, and final answers written to the connection: the connection is idle only when the two
     * are even.
     */
    private long received;
    private long answered;

    /** @param codec the connection's HTTP codec, which says whether it holds part of a request */
    ConnectionDeadlines(Duration headerTimeout, Duration idleTimeout, Http1ServerCodec codec) {
        this.headerNanos = headerTimeout.toNanos();
        this.idleNanos = idleTimeout.toNanos();
        this.codec = codec;
    }

    /** The handler to place before the HTTP codec, after TLS. */
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
                    cancelIdle();
                    startHeaderIfBetweenRequests(context);
                }
                context.fireChannelRead(message);
                // Decoded: a request these bytes ended has reset the state, and what the codec still holds of the
                // next one is its head.
                if (codec.holdsPartOfARequest()) {
                    startHeaderIfBetweenRequests(context);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                cancelHeader();
                cancelIdle();
                context.fireChannelInactive();
            }
        };
    }

    /** The handler to place right after the HTTP codec. */
    ChannelDuplexHandler messages() {
        return new ChannelDuplexHandler() {
            /** Whether the response being written is a final one: a {@code 100 Continue} answers nothing. */
            private boolean finalResponse = true;

            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof HttpRequest) {
                    cancelHeader();
                    betweenRequests = false;
                }
                if (message instanceof LastHttpContent) {
                    betweenRequests = true;
                    received++;
                    startIdleIfNothingUnderWay(context);
                }
                context.fireChannelRead(message);
            }

            @Override
            public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
                if (message instanceof HttpResponse response) {
                    finalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
                }
                if (finalResponse && message instanceof LastHttpContent) {
                    // Answered once the client has taken the answer's end: a slow reader is not idle.
                    promise = promise.unvoid().addListener(written -> {
                        answered++;
                        startIdleIfNothingUnderWay(context);
                    });
                }
                context.write(message, promise);
            }
        };
    }

    private void startHeaderIfBetweenRequests(ChannelHandlerContext context) {
        if (betweenRequests && headerTimer == null && context.channel().isActive()) {
            headerTimer = context.executor().schedule((Runnable) context::close, headerNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Starts the idle timer when no request is arriving, none is being answered, and the codec holds none. */
    private void startIdleIfNothingUnderWay(ChannelHandlerContext context) {
        if (betweenRequests && answered >= received && headerTimer == null && !codec.holdsPartOfARequest()) {
            startIdle(context);
        }
    }

    private void startIdle(ChannelHandlerContext context) {
        cancelIdle();
        idleTimer = context.executor().schedule((Runnable) context::close, idleNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelIdle() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private void cancelHeader() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }
}
