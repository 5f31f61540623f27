package org.opensts.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Lets one request of a connection at a time past it: the next request's parts go on only once the previous request
 * has its final response written. HTTP/1.1 lets a client send requests without waiting for the answers (pipelining),
 * and requires the answers in the order of the requests (RFC 9112 §9.3.2). The handlers after this one answer in the
 * order calls finish: on several operations threads, and a refusal by a request's head at once. Without this, a client
 * that pipelined two AssumeRole calls could read each one's credentials as the other's.
 *
 * <p>The parts of a request that arrive meanwhile are held, in order, and the connection is not read until they have
 * gone on, so what is held is bounded by what one read decoded; a connection that pipelines has one call at a time in
 * the node, as one that does not. Placed right after the HTTP codec, so that every answer (the guard's and the
 * aggregator's refusals too) is written through it. All on the connection's event loop.
 */
final class OneRequestAtATime extends ChannelDuplexHandler {
    /** Request parts received while another request was being answered, in the order they came. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** Whether a request has gone on and its final response is not yet written. */
    private boolean answering;
    /** Whether the response being written is a final one, not an interim {@code 1xx} such as 100 Continue. */
    private boolean finalResponse = true;

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (!held.isEmpty() || (answering && message instanceof HttpRequest)) {
            held.add(message);
            context.channel().config().setAutoRead(false);
            return;
        }
        pass(context, message);
    }

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
        if (message instanceof HttpResponse response) {
            finalResponse = response.status().codeClass() != HttpStatusClass.INFORMATIONAL;
        }
        boolean answered = answering && finalResponse && message instanceof LastHttpContent;
        context.write(message, promise);
        if (answered) {
            answering = false;
            if (!held.isEmpty()) {
                // Not from inside this write: the next request may be answered at once, with a write of its own.
                context.executor().execute(() -> passHeld(context));
            }
        }
    }

    /** Passes held parts on until a request has to wait for its turn again, or nothing is held. */
    private void passHeld(ChannelHandlerContext context) {
        while (!held.isEmpty() && !(answering && held.peekFirst() instanceof HttpRequest)) {
            pass(context, held.pollFirst());
        }
        if (held.isEmpty() && context.channel().isActive()) {
            context.channel().config().setAutoRead(true);
        }
    }

    private void pass(ChannelHandlerContext context, Object message) {
        if (message instanceof HttpRequest) {
            answering = true;
        }
        context.fireChannelRead(message);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.pollFirst());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        handlerRemoved(context);
        context.fireChannelInactive();
    }
}
