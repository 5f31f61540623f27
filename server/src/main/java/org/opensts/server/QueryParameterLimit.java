package org.opensts.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import org.opensts.protocol.ErrorCode;

/**
 * Refuses a request whose query string and form body together hold more than {@link HttpLimits#maxParameters()}
 * parameters, before they are decoded: two megabytes of {@code a=&} would otherwise become a million map entries.
 * Counted by {@code &}, so that an empty field counts too; refused with {@code MalformedQueryString}, as a repeated
 * parameter is, and the connection closed. One instance per connection, after the aggregator.
 */
final class QueryParameterLimit extends ChannelInboundHandlerAdapter {
    private final int maxParameters;
    private final RequestRefusals refusals;

    QueryParameterLimit(int maxParameters, Clock clock) {
        this(maxParameters, RequestRefusals.unrecorded(clock));
    }

    /** @param refusals audits, counts and answers a request refused for its parameter count */
    QueryParameterLimit(int maxParameters, RequestRefusals refusals) {
        this.maxParameters = maxParameters;
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof FullHttpRequest request && !request.decoderResult().isFailure()
                && parameterCount(request) > maxParameters) {
            try {
                refusals.refuse(ctx, request, ErrorCode.MALFORMED_QUERY_STRING,
                        "The request has more than " + maxParameters + " parameters.");
            } finally {
                ReferenceCountUtil.release(message);
            }
            return;
        }
        ctx.fireChannelRead(message);
    }

    /** Fields of the query string plus, for a form body, fields of the body: one more than the {@code &}s of each. */
    static long parameterCount(FullHttpRequest request) {
        String uri = request.uri();
        int question = uri.indexOf('?');
        long count = 0;
        if (question >= 0 && question < uri.length() - 1) {
            count = 1;
            for (int i = question + 1; i < uri.length(); i++) {
                if (uri.charAt(i) == '&') {
                    count++;
                }
            }
        }
        ByteBuf body = request.content();
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (body.isReadable() && contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)) {
            count += 1 + countAmpersands(body);
        }
        return count;
    }

    private static long countAmpersands(ByteBuf body) {
        long[] ampersands = {0};
        body.forEachByte(b -> {
            if (b == '&') {
                ampersands[0]++;
            }
            return true;
        });
        return ampersands[0];
    }
}
