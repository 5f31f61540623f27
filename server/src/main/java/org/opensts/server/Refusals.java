package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Clock;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The answers the pipeline gives a request it will not read further, each followed by closing the connection (with
 * {@link LingeringClose}, so that the answer is not lost to a reset): what is left of the request on the wire cannot
 * be told apart from the next one. A request that breaks HTTP itself gets a
 * plain-text answer with the HTTP status, as a front end in front of a service gives it; one that is HTTP but too
 * large for a Query API gets the Query protocol's XML error, so that an SDK reads its code.
 */
final class Refusals {

    private Refusals() {
    }

    /** Writes {@code status} with a one-line text body and closes the connection once it is written. */
    static void plain(ChannelHandlerContext ctx, Clock clock, HttpResponseStatus status) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(status.reasonPhrase() + "\n", UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        writeAndClose(ctx, clock, response);
    }

    /** Writes a Query protocol error, {@code <ErrorResponse>} with a request id, and closes the connection. */
    static void query(ChannelHandlerContext ctx, Clock clock, ErrorCode code, String message) {
        String requestId = RequestIds.next();
        QueryResponse answer = ResponseRenderer.error(ApiVersion.STS, new ApiException(code, message), requestId);
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.httpStatus()), Unpooled.copiedBuffer(answer.body(), UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(QueryProtocolHandler.REQUEST_ID_HEADER, requestId);
        writeAndClose(ctx, clock, response);
    }

    /** Writes {@code response} with its {@code Date}, length and {@code Connection: close}, then closes lingering. */
    static void writeAndClose(ChannelHandlerContext ctx, Clock clock, FullHttpResponse response) {
        response.headers()
                .set(HttpHeaderNames.DATE, HttpDate.IMF_FIXDATE.format(clock.instant()))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) LingeringClose::afterWriting);
    }
}
