package org.opensts.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import org.opensts.protocol.ErrorCode;

/**
 * Buffers a request's body up to the limit and refuses a larger one as {@link HttpRequestGuard} refuses a declared
 * length over it: {@code 413 RequestEntityTooLarge} in the Query protocol's shape, then the connection closed. Only a
 * chunked body gets here oversized; a {@code Content-Length} over the limit never reaches the aggregator.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final int maxBodyBytes;
    private final RequestRefusals refusals;

    BoundedAggregator(int maxBodyBytes, Clock clock) {
        this(maxBodyBytes, RequestRefusals.unrecorded(clock));
    }

    /** @param refusals audits, counts and answers a request refused for its body */
    BoundedAggregator(int maxBodyBytes, RequestRefusals refusals) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        this.refusals = refusals;
    }

    /** Answers and closes; the aggregator releases what it had buffered, and the head once this returns. */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (oversized instanceof HttpRequest request) {
            refusals.refuse(ctx, request, ErrorCode.REQUEST_ENTITY_TOO_LARGE, HttpRequestGuard.tooLarge(maxBodyBytes));
        } else {
            ctx.close(); // a server aggregates requests only
        }
    }
}
