package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the listeners' codec adds to the transport's: what it says of a request under way, and the version's case. */
class Http1ServerCodecTest {
    private final Http1ServerCodec codec = new Http1ServerCodec(4096, 8192, 128);
    private final EmbeddedChannel channel = new EmbeddedChannel(codec);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    @Test
    void nothingReceived_holdsNoRequest() {
        assertThat(codec.holdsPartOfARequest()).isFalse();
    }

    @Test
    void partOfARequestLine_isHeld() {
        receive("POST / HT");

        assertThat(codec.holdsPartOfARequest()).isTrue();
    }

    @Test
    void aHeadWhoseLinesStopHalfway_isHeld() {
        receive("POST / HTTP/1.1\r\nHost: localhost\r\n");

        assertThat(codec.holdsPartOfARequest()).isTrue();
    }

    @Test
    void aHeadWhoseBodyIsStillToCome_isHeld() {
        receive("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nAction");

        assertThat(decoded()).hasSize(2);
        assertThat(codec.holdsPartOfARequest()).isTrue();
    }

    @Test
    void aWholeRequest_leavesNothingHeld() {
        receive("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nAction");

        assertThat(decoded()).last().isInstanceOf(LastHttpContent.class);
        assertThat(codec.holdsPartOfARequest()).isFalse();
    }

    /** A pipelining client: the next request's first bytes in the same read as the end of the one before. */
    @Test
    void aWholeRequestAndTheStartOfTheNext_holdTheNext() {
        receive("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /heal");

        assertThat(decoded()).hasSize(2);
        assertThat(codec.holdsPartOfARequest()).isTrue();

        receive("thz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(decoded()).hasSize(2);
        assertThat(codec.holdsPartOfARequest()).isFalse();
    }

    /** RFC 9112 §2.3: the name is "HTTP", case-sensitive; the transport alone would read these as HTTP/1.1. */
    @Test
    void aVersionNotInUpperCase_isAMalformedRequest() {
        for (String version : List.of("http/1.1", "Http/1.1", "HTTp/1.0", "HTTP/1.1")) {
            var versions = new EmbeddedChannel(new Http1ServerCodec(4096, 8192, 128));
            versions.writeInbound(bytes("GET /healthz " + version + "\r\nHost: localhost\r\n\r\n"));
            HttpRequest request = versions.readInbound();

            assertThat(request.decoderResult().isFailure()).as(version).isEqualTo(!version.startsWith("HTTP/"));
            versions.finishAndReleaseAll();
            ReferenceCountUtil.release(request);
        }
    }

    /** RFC 9112 §6.3: a chunked body with a Content-Length too has no agreed length; the request fails decoding. */
    @Test
    void aChunkedBodyWithALengthToo_isAMalformedRequest() {
        receive("POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                + "0\r\n\r\n");
        HttpRequest request = (HttpRequest) decoded().get(0);

        assertThat(request.decoderResult().isFailure()).isTrue();
    }

    @Test
    void theAnswerToAHead_hasNoBody_andTheAnswerToTheGetAfterItHasOne() {
        receive("HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(decoded()).hasSize(4);

        assertThat(answer("ok")).endsWith("\r\n\r\n");
        assertThat(answer("ok")).endsWith("\r\n\r\nok");
    }

    private void receive(String text) {
        channel.writeInbound(bytes(text));
    }

    private List<Object> decoded() {
        var messages = new ArrayList<Object>();
        for (Object message; (message = channel.readInbound()) != null; ) {
            messages.add(message);
            if (message instanceof HttpContent content) {
                content.release();
            }
        }
        return messages;
    }

    private String answer(String body) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, US_ASCII));
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        channel.writeOutbound(response);
        var text = new StringBuilder();
        for (ByteBuf written; (written = channel.readOutbound()) != null; ) {
            text.append(written.toString(US_ASCII));
            written.release();
        }
        return text.toString();
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, US_ASCII);
    }
}
