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
 * Closes a client connection that holds a listener without asking anything of it: one with no request in progress
 * and none being answered for longer than the idle timeout (a connection that never sends a byte among them), and one
 * whose request has not arrived — its head, or the whole of it ({@link Arrival}) — within the request timeout of its
 * first byte. An idle timer that each received byte restarted would let a client hold a connection for ever by sending
 * a header byte every few seconds; the request deadline does not move. A connection whose request is being answered is
 * never idle, until the client has taken the answer's end.
 *
 * <p>Two handlers share the state of one connection, all on its event loop: {@link #bytes()} goes before the HTTP
 * codec and sees raw bytes, so it knows when a request starts even if its head never ends; {@link #messages()} goes
 * after the codec and sees where a request's head and body end, and its answer written. A request may begin in the
 * same read as the one before it ends (a client that pipelines): once the codec has decoded a read, a request it holds
 * part of is given its deadline then.
 */
public final class ConnectionDeadlines {
    /** What of a request must arrive within the request timeout of its first byte. */
    public enum Arrival {
        /** Its head: the body streams, and an upload may rightly take long (the S3 gateway). */
        HEAD,
        /** All of it, head and body (the STS/IAM listener, whose bodies are small and buffered). */
        WHOLE_REQUEST
    }

    private final long requestNanos;
    private final Arrival arrival;
    private final long idleNanos;
    private final Http1ServerCodec codec;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> idleTimer;
    /** Between the end of one request's body and the first byte of the next. */
    private boolean betweenRequests = true;
    /**
     * Requests received whole, and final answers the client has taken: the connection is idle only when the two are
     * even.
     */
    private long received;
    private long answered;

    /**
     * @param requestTimeout how long after its first byte a request's {@code arrival} must be complete
     * @param idleTimeout how long the connection may stay open with nothing under way
     * @param codec the connection's HTTP codec, which says whether it holds part of a request
     */
    public ConnectionDeadlines(Duration requestTimeout, Arrival arrival, Duration idleTimeout, Http1ServerCodec codec) {
        this.requestNanos = requestTimeout.toNanos();
        this.arrival = arrival;
        this.idleNanos = idleTimeout.toNanos();
        this.codec = codec;
    }

    /**
     * The handler to place before the HTTP codec, after TLS: a handshake produces no bytes here, so a connection that
     * never finishes one is closed as idle.
     */
    public ChannelInboundHandlerAdapter bytes() {
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
                    startRequestIfBetweenRequests(context);
                }
                context.fireChannelRead(message);
                // Decoded: the requests these bytes ended have stopped their deadlines, and what the codec still
                // holds is the start of the next one.
                if (codec.holdsPartOfARequest()) {
                    startRequestIfBetweenRequests(context);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                cancelRequest();
                cancelIdle();
                context.fireChannelInactive();
            }
        };
    }

    /** The handler to place right after the HTTP codec. */
    public ChannelDuplexHandler messages() {
        return new ChannelDuplexHandler() {
            /** Whether the response being written is a final one: a {@code 100 Continue} answers nothing. */
            private boolean finalResponse = true;

            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                if (message instanceof HttpRequest) {
                    betweenRequests = false;
                    if (arrival == Arrival.HEAD) {
                        cancelRequest();
                    }
                }
                if (message instanceof LastHttpContent) {
                    betweenRequests = true;
                    received++;
                    cancelRequest();
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

    private void startRequestIfBetweenRequests(ChannelHandlerContext context) {
        if (betweenRequests && requestTimer == null && context.channel().isActive()) {
            requestTimer = context.executor().schedule((Runnable) context::close, requestNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Starts the idle timer when no request is arriving, none is being answered, and the codec holds none. */
    private void startIdleIfNothingUnderWay(ChannelHandlerContext context) {
        if (betweenRequests && answered >= received && requestTimer == null && !codec.holdsPartOfARequest()) {
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

    private void cancelRequest() {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
    }
}
