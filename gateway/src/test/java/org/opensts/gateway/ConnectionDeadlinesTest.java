package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The listeners' idle and request deadlines, on the transport's embedded channel and its clock: 10 s idle, 2 s for a
 * request's head (the S3 gateway's rule) or whole (the STS/IAM listener's). The test answers each request itself when
 * it says so.
 */
class ConnectionDeadlinesTest {
    private static final Duration IDLE = Duration.ofSeconds(10);
    private static final Duration HEADERS = Duration.ofSeconds(2);

    private final Http1ServerCodec codec = new Http1ServerCodec(4096, 8192, 16);
    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(HEADERS, ConnectionDeadlines.Arrival.HEAD,
            IDLE, codec);
    private int requestsReceived;
    private final EmbeddedChannel channel = new EmbeddedChannel(deadlines.bytes(), codec, deadlines.messages(),
            new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext context, Object message) {
                    if (message instanceof LastHttpContent) {
                        requestsReceived++;
                    }
                    ReferenceCountUtil.release(message);
                }
            });

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aConnectionThatSendsNothing_isClosedAtTheIdleTimeout() {
        after(IDLE.minusSeconds(1));
        assertThat(channel.isOpen()).isTrue();

        after(Duration.ofSeconds(2));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRequestBeingAnswered_keepsItsConnectionPastTheIdleTimeout_thenTheIdleTimeoutRunsFromTheAnswer() {
        receive("GET /photos/a.txt HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(requestsReceived).isEqualTo(1);

        after(IDLE.multipliedBy(3));
        assertThat(channel.isOpen()).as("a slow answer is no idle connection").isTrue();

        answer();
        after(IDLE.minusSeconds(1));
        assertThat(channel.isOpen()).isTrue();
        after(Duration.ofSeconds(2));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headersThatStopHalfway_areCutOffAtTheHeaderDeadline() {
        receive("GET /photos/a.txt HTTP/1.1\r\nHost: h\r\n");

        after(HEADERS.plusSeconds(1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aBodyStillArriving_isNotIdle() {
        receive("PUT /photos/a.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc");

        after(IDLE.multipliedBy(3));
        assertThat(channel.isOpen()).as("an upload may rightly take long").isTrue();
    }

    /** The STS/IAM listener's rule: the whole request, body included, within the request timeout. */
    @Test
    void wholeRequestArrival_aBodyThatStopsHalfway_isCutOffAtTheRequestDeadline() {
        var codec = new Http1ServerCodec(4096, 8192, 16);
        var whole = new ConnectionDeadlines(HEADERS, ConnectionDeadlines.Arrival.WHOLE_REQUEST, IDLE, codec);
        var listener = new EmbeddedChannel(whole.bytes(), codec, whole.messages());
        listener.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc",
                US_ASCII));

        listener.advanceTimeBy(HEADERS.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        listener.runScheduledPendingTasks();

        assertThat(listener.isOpen()).isFalse();
        listener.finishAndReleaseAll();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, US_ASCII));
    }

    private void answer() {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        for (Object written; (written = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(written);
        }
    }

    private void after(Duration time) {
        channel.advanceTimeBy(time.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
