package org.opensts.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/**
 * The pipeline: HTTP codec, an aggregator that caps the body (a larger request is refused with 413 before it is
 * buffered), and the Query protocol handler.
 */
final class StsChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final QueryProtocolHandler handler;
    private final int maxBodyBytes;

    StsChannelInitializer(QueryProtocolHandler handler, int maxBodyBytes) {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast("http", new HttpServerCodec())
                .addLast("continue", new HttpServerExpectContinueHandler())
                .addLast("aggregator", new HttpObjectAggregator(maxBodyBytes))
                .addLast("query", handler);
    }
}
