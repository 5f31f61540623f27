package org.opensts.server;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-head checks, one table row per request: the guard and the aggregator behind the real HTTP codec in an
 * embedded channel, with the limits small enough to reach. A row either gets an answer (its status line and whether
 * the connection was closed) or passes a whole request on to the next handler.
 */
class HttpRequestGuardTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);
    private static final HttpLimits LIMITS = new HttpLimits(256, 1024, 300, 10, 2048, 20);

    record Case(String name, String request, String statusLine, String bodyContains) {
        @Override
        public String toString() {
            return name;
        }

        boolean passes() {
            return statusLine == null;
        }
    }

    private static Case refused(String name, String request, String statusLine) {
        return new Case(name, request, statusLine, null);
    }

    private static Case refused(String name, String request, String statusLine, String bodyContains) {
        return new Case(name, request, statusLine, bodyContains);
    }

    private static Case passes(String name, String request) {
        return new Case(name, request, null, null);
    }

    static Stream<Case> cases() {
        String form = "Content-Type: application/x-www-form-urlencoded\r\n";
        return Stream.of(
                passes("an HTTP/1.1 GET with Host", "GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
                passes("an HTTP/1.0 GET without Host", "GET / HTTP/1.0\r\n\r\n"),
                passes("HTTP/1.2, served as HTTP/1.1", "GET / HTTP/1.2\r\nHost: h\r\n\r\n"),
                passes("a body at the limit", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2048\r\n\r\n"
                        + "a".repeat(2048)),
                passes("ten header fields", "GET / HTTP/1.1\r\nHost: h\r\n" + fields(9) + "\r\n"),
                passes("Expect 100-continue in another case", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n"
                        + "Content-Length: 1\r\n\r\na"),
                refused("HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"),
                refused("HTTP/9.9", "GET / HTTP/9.9\r\nHost: h\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"),
                refused("HTTP/0.9", "GET / HTTP/0.9\r\nHost: h\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"),
                refused("a version that is no version", "GET / HTTP/x.y\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 400 Bad Request"),
                refused("a NUL in the query", "GET /console?a\u0000b HTTP/1.1\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 400 Bad Request"),
                refused("DEL in the path", "GET /con\u007fsole HTTP/1.1\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 400 Bad Request"),
                refused("a raw byte over 127 in the query", "GET /?a=\u00ff HTTP/1.1\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 400 Bad Request"),
                passes("the same bytes percent-encoded", "GET /console?a%00b%7F%FF HTTP/1.1\r\nHost: h\r\n\r\n"),
                refused("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"),
                refused("two Host fields", "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", "HTTP/1.1 400 Bad Request"),
                refused("eleven header fields", "GET / HTTP/1.1\r\nHost: h\r\n" + fields(10) + "\r\n",
                        "HTTP/1.1 431 Request Header Fields Too Large"),
                refused("a request line over the limit", "GET /" + "a".repeat(256) + " HTTP/1.1\r\nHost: h\r\n\r\n",
                        "HTTP/1.1 414 URI Too Long"),
                refused("a header section over the limit", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: "
                        + "b".repeat(1024) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
                refused("one header field over the limit", "GET / HTTP/1.1\r\nHost: h\r\nX-Long: "
                        + "l".repeat(301) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"),
                passes("one header field at the limit", "GET / HTTP/1.1\r\nHost: h\r\nX-Long: "
                        + "l".repeat(300) + "\r\n\r\n"),
                refused("an unknown expectation", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 101-switch\r\n"
                        + "Content-Length: 1\r\n\r\na", "HTTP/1.1 417 Expectation Failed"),
                refused("a declared length over the limit", "POST / HTTP/1.1\r\nHost: h\r\n" + form
                        + "Content-Length: 2049\r\n\r\n", "HTTP/1.1 413 Request Entity Too Large",
                        "<Code>RequestEntityTooLarge</Code>"),
                refused("100-continue with a declared length over the limit", "POST / HTTP/1.1\r\nHost: h\r\n"
                        + "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n",
                        "HTTP/1.1 413 Request Entity Too Large", "<Code>RequestEntityTooLarge</Code>"),
                refused("a chunked body over the limit", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                        + "\r\n800\r\n" + "a".repeat(2048) + "\r\n1\r\nb\r\n0\r\n\r\n",
                        "HTTP/1.1 413 Request Entity Too Large", "<Code>RequestEntityTooLarge</Code>"),
                refused("more parameters than the limit", formPost("Action=GetCallerIdentity" + "&a=".repeat(20)),
                        "HTTP/1.1 404 Not Found", "<Code>MalformedQueryString</Code>"),
                refused("more parameters than the limit, query and body together",
                        formPost("Action=GetCallerIdentity" + "&a=".repeat(10)).replace("POST / ",
                                "POST /?" + "b=&".repeat(9) + "b= "),
                        "HTTP/1.1 404 Not Found", "<Code>MalformedQueryString</Code>"),
                passes("as many parameters as the limit", formPost("Action=GetCallerIdentity" + "&a=".repeat(19))),
                passes("a chunked body", chunkedPost("chunked")),
                passes("a chunked body, the coding in capitals", chunkedPost("CHUNKED")),
                refused("a coding the node does not decode before chunked", chunkedPost("gzip, chunked"),
                        "HTTP/1.1 501 Not Implemented"),
                refused("the same in two fields", chunkedPost("gzip\r\nTransfer-Encoding: chunked"),
                        "HTTP/1.1 501 Not Implemented"),
                refused("chunked twice", chunkedPost("chunked, chunked"), "HTTP/1.1 400 Bad Request"),
                refused("a coding without chunked last", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n"
                        + "\r\nAction=GetCallerIdentity", "HTTP/1.1 400 Bad Request"),
                refused("chunked, then another coding", chunkedPost("chunked, gzip"), "HTTP/1.1 400 Bad Request"));
    }

    /** A form POST whose body is one chunk, sent with {@code Transfer-Encoding: <codings>}. */
    private static String chunkedPost(String codings) {
        String body = "Action=GetCallerIdentity";
        return "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: "
                + codings + "\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }

    private static String formPost(String body) {
        return "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body;
    }

    private static String fields(int count) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append("X-").append(i).append(": v\r\n");
        }
        return fields.toString();
    }

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(
                LIMITS.codec(),
                new HttpRequestGuard(LIMITS, CLOCK),
                new BoundedAggregator(LIMITS.maxBodyBytes(), CLOCK),
                new QueryParameterLimit(LIMITS.maxParameters(), CLOCK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void request_isPassedOnOrRefusedWithItsStatus(Case c) {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer(c.request(), ISO_8859_1)); // a byte a char, raw bytes too

        FullHttpRequest passed = channel.readInbound();
        String answer = written(channel);
        try {
            if (c.passes()) {
                assertThat(passed).as("passed on").isNotNull();
                assertThat(answer).doesNotContain("HTTP/1.1 4", "HTTP/1.1 5");
                assertThat(channel.isOpen()).isTrue();
            } else {
                assertThat(passed).as("passed on").isNull();
                assertThat(answer).startsWith(c.statusLine() + "\r\n");
                assertThat(answer.toLowerCase(Locale.ROOT)).contains("\r\nconnection: close\r\n");
                if (c.bodyContains() != null) {
                    assertThat(answer.toLowerCase(Locale.ROOT)).contains("\r\ncontent-type: text/xml\r\n");
                    assertThat(answer).contains(c.bodyContains());
                }
                assertThat(channel.isOpen()).as("closed").isFalse();
            }
        } finally {
            if (passed != null) {
                passed.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void expectContinueWithinTheLimit_isAnsweredContinueAndTheExpectationRemoved() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                + "Content-Length: 3\r\n\r\n", US_ASCII));

        assertThat(written(channel)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

        channel.writeInbound(Unpooled.copiedBuffer("abc", US_ASCII));
        FullHttpRequest passed = channel.readInbound();
        assertThat(passed.headers().contains("Expect")).isFalse();
        assertThat(passed.content().toString(UTF_8)).isEqualTo("abc");
        passed.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void expectContinueFromAnHttp10Client_isIgnored() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.0\r\nExpect: 100-continue\r\n"
                + "Content-Length: 3\r\n\r\n", US_ASCII));

        assertThat(written(channel)).isEmpty();

        channel.writeInbound(Unpooled.copiedBuffer("abc", US_ASCII));
        FullHttpRequest passed = channel.readInbound();
        assertThat(passed.content().toString(UTF_8)).isEqualTo("abc");
        passed.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void afterARefusal_whatFollowsOnTheConnectionIsDropped() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/2.0\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
                US_ASCII));

        assertThat((Object) channel.readInbound()).isNull();
        assertThat(written(channel)).startsWith("HTTP/1.1 505 ").doesNotContain("HTTP/1.1 200");
        channel.finishAndReleaseAll();
    }

    record CountCase(String name, String uri, String contentType, String body, long count) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<CountCase> counts() {
        String form = "application/x-www-form-urlencoded; charset=utf-8";
        return Stream.of(
                new CountCase("no query, no body", "/", "", "", 0),
                new CountCase("an empty query", "/?", "", "", 0),
                new CountCase("two in the query", "/?a=1&b=2", "", "", 2),
                new CountCase("empty fields count", "/?&&", "", "", 3),
                new CountCase("query and form body together", "/?a=1", form, "b=2&c=3", 3),
                new CountCase("a body that is not a form is not counted", "/?a=1", "application/json", "{\"a\":1}", 1),
                new CountCase("a form type in upper case", "/", "APPLICATION/X-WWW-FORM-URLENCODED", "a&b", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counts")
    void parameterCount_countsFieldsOfQueryAndFormBody(CountCase c) {
        var request = new io.netty.handler.codec.http.DefaultFullHttpRequest(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.POST,
                c.uri(), Unpooled.copiedBuffer(c.body(), UTF_8));
        if (!c.contentType().isEmpty()) {
            request.headers().set("Content-Type", c.contentType());
        }
        try {
            assertThat(QueryParameterLimit.parameterCount(request)).isEqualTo(c.count());
        } finally {
            request.release();
        }
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) message;
            out.append(bytes.toString(UTF_8));
            bytes.release();
        }
        return out.toString();
    }
}
