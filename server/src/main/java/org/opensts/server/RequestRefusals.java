package org.opensts.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import org.opensts.protocol.ErrorCode;

/**
 * How the pipeline's checks before the Query protocol handler ({@link HttpRequestGuard}'s declared length,
 * {@link BoundedAggregator}'s chunked body, {@link QueryParameterLimit}) refuse a request with a Query error: the
 * node's {@link QueryProtocolHandler} audits and counts it as any other call, answers it in the shape of the API the
 * path belongs to, and closes the connection.
 */
interface RequestRefusals {
    /**
     * Refuses {@code request} with {@code code} and {@code message}, answering on {@code ctx} and closing the
     * connection once the answer is written. Whatever is needed of {@code request} is read before this returns: the
     * caller releases it then.
     *
     * @param request the request's head, or the whole request (a {@code FullHttpRequest}) if its body was read
     */
    void refuse(ChannelHandlerContext ctx, HttpRequest request, ErrorCode code, String message);

    /** Answers with the Query error only, unaudited and uncounted: for a pipeline tested without a node. */
    static RequestRefusals unrecorded(Clock clock) {
        return (ctx, request, code, message) -> Refusals.query(ctx, clock, code, message);
    }
}
