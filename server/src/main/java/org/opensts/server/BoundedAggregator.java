package org.opensts.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.time.Clock;
import org.opensts.protocol.ErrorCode;

/**
 * Buffers a request's body up to the limit and refuses a larger one as {@link HttpRequestGuard} refuses a declared
 * length over it: {@code 413 RequestEntityTooLarge} in the Query protocol's shape, then the connection closed. Only a
 * chunked body gets here oversized; a {@code Content-Length} over the limit never reaches the aggregator.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;
    private final Clock clock;

    BoundedAggregator(int maxBodyBytes, Clock clock) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** Answers and closes; the aggregator releases what it had buffered. */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Refusals.query(ctx, clock, ErrorCode.REQUEST_ENTITY_TOO_LARGE, HttpRequestGuard.tooLarge(maxBodyBytes));
    }
}
