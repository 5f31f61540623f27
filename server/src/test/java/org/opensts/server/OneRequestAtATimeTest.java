package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opensts.gateway.Http1ServerCodec;

/**
 * The order of a connection's pipelined requests, as the handlers after the HTTP codec see them: one request at a time,
 * the next once the previous has its final response, none after a response that closes the connection.
 */
class OneRequestAtATimeTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private final List<Object> passed = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new OneRequestAtATime(DRAIN_TIMEOUT),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext context, Object message) {
                    passed.add(message);
                }
            });

    @Test
    void aSecondRequest_goesOnOnlyOnceTheFirstIsAnswered_withItsBody_andTheConnectionIsNotReadMeanwhile() {
        LastHttpContent firstBody = body("first");
        LastHttpContent secondBody = body("second");
        channel.writeInbound(head("/first"), firstBody, head("/second"), secondBody);

        assertThat(paths()).containsExactly("/first");
        assertThat(passed).anyMatch(message -> message == firstBody).noneMatch(message -> message == secondBody);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeOutbound(response(HttpResponseStatus.OK, true));
        channel.runPendingTasks();

        assertThat(paths()).containsExactly("/first", "/second");
        assertThat(passed).anyMatch(message -> message == secondBody);
        assertThat(channel.config().isAutoRead()).isTrue();
        release();
    }

    @Test
    void anInterim100Continue_isNotTheAnswer() {
        channel.writeInbound(head("/first"), head("/second"));

        channel.writeOutbound(response(HttpResponseStatus.CONTINUE, true));
        channel.runPendingTasks();
        assertThat(paths()).containsExactly("/first");

        channel.writeOutbound(response(HttpResponseStatus.OK, true));
        channel.runPendingTasks();
        assertThat(paths()).containsExactly("/first", "/second");
        release();
    }

    @Test
    void requestsAfterAResponseThatClosesTheConnection_neverGoOn_andAreReleased() {
        LastHttpContent heldBody = body("held");
        channel.writeInbound(head("/first"), head("/second"), heldBody);

        channel.writeOutbound(response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, false));
        channel.runPendingTasks();
        LastHttpContent later = body("later");
        channel.writeInbound(head("/third"), later);
        channel.runPendingTasks();

        assertThat(paths()).containsExactly("/first");
        assertThat(heldBody.refCnt()).isZero();
        assertThat(later.refCnt()).isZero();
        release();
    }

    @Test
    void aRequestAnsweredAtOnce_letsTheNextGoOnAtOnce_inOrder() {
        channel.writeInbound(head("/first"));
        channel.writeOutbound(response(HttpResponseStatus.OK, true));
        channel.writeInbound(head("/second"));
        channel.writeOutbound(response(HttpResponseStatus.OK, true));
        channel.writeInbound(head("/third"));

        assertThat(paths()).containsExactly("/first", "/second", "/third");
        assertThat(channel.config().isAutoRead()).isTrue();
        release();
    }

    @Test
    void aConnectionWhoseAnswersAreNotRead_getsItsNextRequestPassedOnlyOnceItsOutboundBufferDrains() {
        answerTheFirstRequestWithoutItBeingRead();
        assertThat(channel.isWritable()).isFalse();
        channel.writeInbound(head("/second"));
        channel.runPendingTasks();

        assertThat(paths()).as("held while the answers back up").containsExactly("/first");
        channel.flush();
        channel.runPendingTasks();
        assertThat(paths()).containsExactly("/first", "/second");
        release();
    }

    @Test
    void moreRequestsAheadOfTheirAnswersThanTheCodecDecodes_closeTheConnection_asTheClientsDoing() {
        var limited = new EmbeddedChannel(new Http1ServerCodec(4096, 8192, 2),
                new OneRequestAtATime(DRAIN_TIMEOUT), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext context, Object message) {
                        io.netty.util.ReferenceCountUtil.release(message);
                    }
                });

        limited.writeInbound(Unpooled.copiedBuffer("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n".repeat(4),
                StandardCharsets.US_ASCII));

        assertThat(limited.isOpen()).isFalse();
        limited.checkException(); // nothing left unhandled for the pipeline's end to log as the node's fault
        limited.finishAndReleaseAll();
        release();
    }

    @Test
    void aConnectionWhoseAnswersStayUnreadForTheIdleTimeout_isClosed() {
        answerTheFirstRequestWithoutItBeingRead();
        channel.writeInbound(head("/second"));

        channel.advanceTimeBy(DRAIN_TIMEOUT.toSeconds() - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("open within the timeout").isTrue();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
        release();
    }

    @Test
    void finishAndClose_withNothingUnderWay_closesTheConnectionAtOnce() {
        channel.pipeline().fireUserEventTriggered(OneRequestAtATime.FINISH_AND_CLOSE);

        assertThat(channel.isOpen()).isFalse();
        release();
    }

    /**
     * A stopping server answers the call under way, as the connection's last answer, and then closes the connection;
     * the request held behind that call never goes on.
     */
    @Test
    void finishAndClose_withACallUnderWay_answersItWithConnectionClose_thenCloses_andDropsWhatIsHeld() {
        LastHttpContent heldBody = body("held");
        channel.writeInbound(head("/first"), body("first"), head("/second"), heldBody);

        channel.pipeline().fireUserEventTriggered(OneRequestAtATime.FINISH_AND_CLOSE);
        assertThat(channel.isOpen()).as("the call is under way").isTrue();
        assertThat(heldBody.refCnt()).isZero();
        channel.writeOutbound(response(HttpResponseStatus.OK, true));
        channel.runPendingTasks();

        FullHttpResponse answer = channel.readOutbound();
        assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        answer.release();
        assertThat(paths()).containsExactly("/first");
        assertThat(channel.isOpen()).isFalse();
        release();
    }

    /** A request whose body is still arriving when the server stops is never run: the connection closes at once. */
    @Test
    void finishAndClose_withARequestStillArriving_closesTheConnectionAtOnce() {
        channel.writeInbound(head("/first"));

        channel.pipeline().fireUserEventTriggered(OneRequestAtATime.FINISH_AND_CLOSE);

        assertThat(channel.isOpen()).isFalse();
        release();
    }

    /**
     * Passes {@code /first} and answers it with more than the high-water mark, written and not flushed: as when the
     * client does not read, the channel stops being writable.
     */
    private void answerTheFirstRequestWithoutItBeingRead() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(32, 64));
        channel.writeInbound(head("/first"));
        var response = response(HttpResponseStatus.OK, true);
        response.content().writeBytes(new byte[128]);
        channel.write(response);
    }

    private List<String> paths() {
        return passed.stream().filter(HttpRequest.class::isInstance).map(m -> ((HttpRequest) m).uri()).toList();
    }

    private static HttpRequest head(String path) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path);
    }

    private static LastHttpContent body(String text) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, boolean keepAlive) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONNECTION,
                keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return response;
    }

    private void release() {
        for (Object message : passed) {
            if (message instanceof LastHttpContent content && content.refCnt() > 0) {
                content.release();
            }
        }
        channel.finishAndReleaseAll();
    }
}
