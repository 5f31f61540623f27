package org.opensts.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
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
 */
final class OneRequestAtATime extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OneRequestAtATime.class);
    /** Request parts received while another request was being answered, in the order they came. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** Whether a request has gone on and its final response is not yet written. */
    private boolean answering;
    /** Whether the response being written is a final one, not an interim {@code 1xx} such as 100 Continue. */
    private boolean finalResponse = true;
    /** Whether the response being written closes the connection. */
    private boolean closingResponse;
    /** Set once a final response closed the connection: the requests after it are dropped, never answered. */
    private boolean closed;
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
            closingResponse = !HttpUtil.isKeepAlive(response);
        }
        boolean answered = answering && finalResponse && message instanceof LastHttpContent;
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
        if (held.isEmpty() && !closed && context.channel().isActive()) {
            context.channel().config().setAutoRead(true);
        }
    }

    private void pass(ChannelHandlerContext context, Object message) {
        if (message instanceof HttpRequest) {
            answering = true;
        }
        context.fireChannelRead(message);
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
