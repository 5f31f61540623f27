package org.opensts.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.opensts.gateway.ConnectionDeadlines;
import org.opensts.gateway.ConnectionErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one request of a connection at a time past it: the next request's parts go on only once the previous request
 * has its final response written. HTTP/1.1 lets a client send requests without waiting for the answers (pipelining),
 * and requires the answers in the order of the requests (RFC 9112 §9.3.2). The handlers after this one answer in the
 * order calls finish: on several operations threads, and a refusal by a request's head at once. Without this, a client
 * that pipelined two AssumeRole calls could read each one's credentials as the other's.
 *
 * <p>The parts of a request that arrive meanwhile are held, in order, and the connection is not read until they have
 * gone on; what is held is bounded by the codec, which decodes at most {@link HttpLimits#MAX_PIPELINED_REQUESTS}
 * requests ahead of their answers. A connection that pipelines has one call at a time in the node, as one that does
 * not. After a final response that closes the
 * connection, nothing more goes on. Placed right after the HTTP codec, so that every answer (the guard's and the
 * aggregator's refusals too) is written through it. All on the connection's event loop.
 *
 * <p>It also ends connections in stages (RFC 9112 §9.6). A client that half-closes (sends its FIN after its last
 * request, as some clients and proxies do) will send nothing more, but reads on: the requests it sent whole are
 * answered, in order, the last with {@code Connection: close}, and then the connection is closed; a request it left
 * unfinished is never run, and the connection is closed as soon as it is the next to go on. A stopping server
 * ({@link #FINISH_AND_CLOSE}) takes nothing more: the call under way is answered with {@code Connection: close} and
 * the connection closed, what is held behind it is dropped unrun, and a connection with no call under way is closed at
 * once. The listener allows half-closed connections for this ({@code ALLOW_HALF_CLOSURE}).
 */
final class OneRequestAtATime extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OneRequestAtATime.class);
    /** The user event a stopping server fires on each connection: answer the call under way, take no more, close. */
    static final Object FINISH_AND_CLOSE = new Object() {
        @Override
        public String toString() {
            return "FINISH_AND_CLOSE";
        }
    };
    /** Request parts received while another request was being answered, in the order they came. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** Whether a request has gone on and its final response is not yet written. */
    private boolean answering;
    /** Whether the response being written is a final one, not an interim {@code 1xx} such as 100 Continue. */
    private boolean finalResponse = true;
    /** Whether the response being written closes the connection. */
    private boolean closingResponse;
    /** Whether the final response being written was made the connection's last here, which then closes it. */
    private boolean closeOnceWritten;
    /** Set once a final response closed the connection: the requests after it are dropped, never answered. */
    private boolean closed;
    /** Whether the request that went on last has not yet had its last part go on (its body is still arriving). */
    private boolean receiving;
    /** Set once the client has half-closed: it sends nothing more, and the connection ends after the last answer. */
    private boolean inputShutdown;
    /** Set once the server is stopping: the call under way is the connection's last. */
    private boolean finishing;
    /** Whether a {@link #passHeld} is already scheduled. */
    private boolean passScheduled;
    /** How long the client may leave answers unread before the connection is closed. */
    private final long drainTimeoutNanos;
    /** Closes the connection if nothing more of its answers is read by then; set while the channel is not writable. */
    private ScheduledFuture<?> drainDeadline;

    /** @param drainTimeout how long a client may leave the answers unread (the connection's idle timeout) */
    OneRequestAtATime(Duration drainTimeout) {
        this.drainTimeoutNanos = drainTimeout.toNanos();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (closed) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (!held.isEmpty() || (message instanceof HttpRequest && (answering || !context.channel().isWritable()))) {
            held.add(message);
            context.channel().config().setAutoRead(false);
            return;
        }
        pass(context, message);
    }

    /**
     * A client that sends requests without reading the answers fills the connection's outbound buffer; the next request
     * goes on only once the buffer has drained below its low-water mark, so that the answers a connection holds are
     * bounded too. A connection whose client reads nothing of its answers for the idle timeout is closed: its held
     * requests are complete, so neither of {@link ConnectionDeadlines}' timers runs for it. A client that reads a large
     * answer slowly keeps its connection.
     */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            cancelDrainDeadline();
            if (!held.isEmpty() && !answering && !passScheduled) {
                passScheduled = true;
                context.executor().execute(() -> passHeld(context));
            }
        } else if (drainDeadline == null) {
            scheduleDrainDeadline(context);
        }
        context.fireChannelWritabilityChanged();
    }

    private void scheduleDrainDeadline(ChannelHandlerContext context) {
        long unread = context.channel().bytesBeforeWritable();
        drainDeadline = context.executor().schedule(() -> {
            drainDeadline = null;
            if (context.channel().isWritable()) {
                return;
            }
            if (context.channel().bytesBeforeWritable() < unread) {
                scheduleDrainDeadline(context); // read from since, if slowly
            } else {
                context.close();
            }
        }, drainTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelDrainDeadline() {
        if (drainDeadline != null) {
            drainDeadline.cancel(false);
            drainDeadline = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
        if (message instanceof HttpResponse response) {
            finalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
            if (finalResponse && answering && isLastAnswer() && HttpUtil.isKeepAlive(response)) {
                // Tells the client that this is the connection's last answer, which the node closes once it is out.
                HttpUtil.setKeepAlive(response, false);
                closeOnceWritten = true;
            }
            closingResponse = !HttpUtil.isKeepAlive(response);
        }
        boolean answered = answering && finalResponse && message instanceof LastHttpContent;
        if (answered && closeOnceWritten) {
            closeOnceWritten = false;
            promise = promise.unvoid();
            promise.addListener(ChannelFutureListener.CLOSE);
        }
        context.write(message, promise);
        if (answered) {
            answering = false;
            if (closingResponse) {
                // The requests after a response that closes the connection are not for this connection any more
                // (RFC 9112 §9.6): none of them runs, whose answer could not reach the client.
                closed = true;
                releaseHeld();
            } else if (!held.isEmpty() && !passScheduled) {
                // Not from inside this write: the next request may be answered at once, with a write of its own.
                passScheduled = true;
                context.executor().execute(() -> passHeld(context));
            }
        }
    }

    /** Passes held parts on until a request has to wait for its turn again, or nothing is held. */
    private void passHeld(ChannelHandlerContext context) {
        passScheduled = false;
        while (!closed && !held.isEmpty()
                && !(held.peekFirst() instanceof HttpRequest && (answering || !context.channel().isWritable()))) {
            pass(context, held.pollFirst());
        }
        // Not once the client has half-closed: there is nothing more to read (and epoll refuses to wait for it).
        if (held.isEmpty() && !closed && !finishing && !inputShutdown && context.channel().isActive()) {
            context.channel().config().setAutoRead(true);
        }
        closeIfNothingLeftToAnswer(context);
    }

    private void pass(ChannelHandlerContext context, Object message) {
        if (message instanceof HttpRequest) {
            answering = true;
            receiving = true;
        }
        if (message instanceof LastHttpContent) {
            receiving = false;
        }
        context.fireChannelRead(message);
    }

    /** Whether the request being answered is the connection's last: the client sends none, or the node takes none. */
    private boolean isLastAnswer() {
        return finishing || (inputShutdown && held.isEmpty());
    }

    /**
     * Closes a connection that will get no more requests (the client half-closed, or the server is stopping) once it
     * has nothing left to answer: no call under way and nothing held, or only a request that will never arrive whole.
     * A call under way is closed after by {@link #write}.
     */
    private void closeIfNothingLeftToAnswer(ChannelHandlerContext context) {
        if ((inputShutdown || finishing) && !closed && held.isEmpty() && (!answering || receiving)) {
            closed = true;
            context.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // The codec has already passed on what the client sent whole; what it held of an unfinished request it
            // dropped (or turned into a malformed request, which the guard refuses).
            inputShutdown = true;
            closeIfNothingLeftToAnswer(context);
        } else if (event == FINISH_AND_CLOSE) {
            finishing = true;
            context.channel().config().setAutoRead(false);
            releaseHeld();
            closeIfNothingLeftToAnswer(context);
            return;
        }
        context.fireUserEventTriggered(event);
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.pollFirst());
        }
    }

    /**
     * The HTTP codec refuses to decode more than {@link HttpLimits#MAX_PIPELINED_REQUESTS} requests ahead of their
     * answers ({@link ConnectionErrors#isPipelineDepthExceeded}): the client's doing, so the connection is closed with
     * a line at {@code DEBUG}, not the stack trace a fault of the node's own is logged with (which a client could
     * otherwise have the node write at will), and no held request runs.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (ConnectionErrors.isPipelineDepthExceeded(cause)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Closing the connection with {}: more than {} requests sent ahead of their answers",
                        context.channel().remoteAddress(), HttpLimits.MAX_PIPELINED_REQUESTS);
            }
            closed = true;
            releaseHeld();
            context.close();
            return;
        }
        context.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        releaseHeld();
        cancelDrainDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        releaseHeld();
        cancelDrainDeadline();
        context.fireChannelInactive();
    }
}
