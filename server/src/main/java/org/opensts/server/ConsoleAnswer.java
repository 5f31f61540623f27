package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One answer of the console's routes (docs/console-api.md): status, content type, body and extra headers, with the
 * security headers every {@code /console} and {@code /federation} response carries added when it becomes a response.
 *
 * @param headers extra header lines, in order ({@code Set-Cookie} may repeat)
 */
record ConsoleAnswer(int status, String contentType, byte[] body, List<Map.Entry<String, String>> headers) {
    /**
     * The page may load its own scripts, styles, images and call its own origin; nothing else — no inline script, no
     * framing, no form posting elsewhere, no {@code <base>}.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    static final String NO_STORE = "no-store";

    ConsoleAnswer {
        body = body.clone();
        headers = List.copyOf(headers);
    }

    static ConsoleAnswer json(int status, String json) {
        return new ConsoleAnswer(status, "application/json", json.getBytes(UTF_8),
                List.of(Map.entry(HttpHeaderNames.CACHE_CONTROL.toString(), NO_STORE)));
    }

    static ConsoleAnswer text(int status, String text) {
        return new ConsoleAnswer(status, "text/plain; charset=utf-8", text.getBytes(UTF_8),
                List.of(Map.entry(HttpHeaderNames.CACHE_CONTROL.toString(), NO_STORE)));
    }

    /** The AWS-shaped JSON error of the console's APIs: {@code {"Error":{"Code":…,"Message":…}}}. */
    static ConsoleAnswer error(int status, String code, String message) {
        var body = ConsoleJson.MAPPER.createObjectNode();
        var error = body.putObject("Error");
        error.put("Code", code);
        error.put("Message", message);
        return json(status, body.toString());
    }

    /** This answer with one more header line. */
    ConsoleAnswer with(String name, String value) {
        var more = new ArrayList<>(headers);
        more.add(Map.entry(name, value));
        return new ConsoleAnswer(status, contentType, body, more);
    }

    FullHttpResponse toResponse(String requestId) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        var out = response.headers();
        if (!contentType.isEmpty()) {
            out.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        out.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set(QueryProtocolHandler.REQUEST_ID_HEADER, requestId);
        for (Map.Entry<String, String> header : headers) {
            out.add(header.getKey(), header.getValue());
        }
        if (!out.contains(HttpHeaderNames.CACHE_CONTROL)) {
            out.set(HttpHeaderNames.CACHE_CONTROL, NO_STORE);
        }
        return response;
    }

    @Override
    public String toString() {
        // The body may carry credentials.
        return "ConsoleAnswer[" + status + ", " + contentType + ", " + body.length + " bytes]";
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConsoleAnswer answer && answer.status == status
                && answer.contentType.equals(contentType) && java.util.Arrays.equals(answer.body, body)
                && answer.headers.equals(headers);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(status, contentType, java.util.Arrays.hashCode(body), headers);
    }
}
