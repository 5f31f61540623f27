package org.opensts.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.util.ReferenceCountUtil;

/**
 * The upstream end of one exchange: hands the store's answer to the client's {@link GatewayHandler} as it arrives,
 * and tells it when the upstream connection can take more of the body. Runs on the client connection's event loop.
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    private final GatewayHandler client;
    /** The exchange this connection serves now; none while it waits, idle, for the next request. */
    private GatewayHandler.Exchange exchange;

    UpstreamHandler(GatewayHandler client, GatewayHandler.Exchange exchange) {
        this.client = client;
        this.exchange = exchange;
    }

    /** Hands the connection to another exchange of the same client connection, or to none. */
    void bind(GatewayHandler.Exchange next) {
        this.exchange = next;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (exchange == null) {
            // Nothing is asked of an idle connection: whatever comes is not an answer to anything.
            ReferenceCountUtil.release(message);
            ctx.close();
            return;
        }
        if (message instanceof HttpObject decoded && decoded.decoderResult().isFailure()) {
            // An answer the codec cannot read (two lengths, a length beside chunked, headers beyond its bound, bytes
            // after a bodiless answer): the codec's placeholder for it (status 999, possibly a full message, head and
            // body in one) is no answer to relay, and the codec reads nothing more of the connection.
            ReferenceCountUtil.release(message);
            client.upstreamUnreadable(exchange, decoded.decoderResult().cause());
            ctx.close();
            return;
        }
        if (message instanceof HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                // The store's own 100 Continue (the client had its answer from the gateway already), or another interim
                // answer (102, 103): not the final answer, which would otherwise end the exchange before it came.
                ReferenceCountUtil.release(message);
                return;
            }
            client.upstreamResponse(exchange, response);
        }
        if (message instanceof HttpContent content) {
            client.upstreamContent(exchange, content);
        } else if (!(message instanceof HttpResponse)) {
            ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && exchange != null) {
            client.upstreamWritable(exchange);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.upstreamClosed(ctx.channel());
        if (exchange != null) {
            client.upstreamLost(exchange, null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (exchange != null) {
            // The client's side logs the failure and answers the request in flight.
            client.upstreamLost(exchange, cause);
            ctx.close();
        } else {
            ConnectionErrors.closeAfter(ctx, cause);
        }
    }
}
