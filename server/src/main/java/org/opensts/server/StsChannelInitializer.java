package org.opensts.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import java.util.Optional;
import org.opensts.server.tls.ServerTlsContext;

/**
 * The pipeline: TLS when configured (each connection takes the context current when it is accepted), the idle and
 * request deadlines around the HTTP codec, an aggregator that caps the body (a larger request is refused with 413 before it is buffered), and the Query protocol
 * handler.
 */
final class StsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final QueryProtocolHandler handler;
    private final int maxBodyBytes;
    private final Optional<ServerTlsContext> tls;
    private final ConnectionTimeouts timeouts;

    StsChannelInitializer(QueryProtocolHandler handler, int maxBodyBytes, Optional<ServerTlsContext> tls,
            ConnectionTimeouts timeouts) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.tls = tls;
        this.timeouts = timeouts;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (tls.isPresent()) {
            // QueryProtocolHandler finds this handler to set aws:SecureTransport.
            channel.pipeline().addLast("tls", tls.get().current().newHandler(channel.alloc()));
        }
        var deadlines = new RequestDeadlines(timeouts);
        channel.pipeline()
                .addLast("deadline-bytes", deadlines.bytes())
                .addLast("http", new HttpServerCodec())
                .addLast("deadline-messages", deadlines.messages())
                .addLast("continue", new HttpServerExpectContinueHandler())
                .addLast("aggregator", new HttpObjectAggregator(maxBodyBytes))
                .addLast("query", handler);
    }
}
