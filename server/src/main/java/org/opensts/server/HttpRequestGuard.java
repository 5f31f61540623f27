package org.opensts.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.opensts.gateway.Http1ServerCodec;
import org.opensts.protocol.ErrorCode;

/**
 * Checks each request's head before its body is read or buffered, as an HTTP front end does, and refuses what
 * HTTP/1.1 (RFC 9110, RFC 9112) says a server must or may refuse, closing the connection after the answer:
 *
 * <ul>
 *   <li>a request line or header section the decoder could not read: {@code 414} when the line is longer than
 *       {@link HttpLimits#maxRequestLineBytes()}, {@code 431} when the headers are larger than
 *       {@link HttpLimits#maxHeaderBytes()}, {@code 400} otherwise (a version such as {@code HTTP/1}, {@code FOO/1.1}
 *       or {@code HTTP/01.1});</li>
 *   <li>a request target with a character that is not visible ASCII (a control character, DEL, a raw byte over
 *       127; RFC 3986 §2 has them percent-encoded): {@code 400};</li>
 *   <li>an HTTP major version other than 1 ({@code HTTP/2.0} in an HTTP/1 request line, {@code HTTP/9.9}):
 *       {@code 505 HTTP Version Not Supported} (RFC 9110 §15.6.6). A higher minor version ({@code HTTP/1.2}) is
 *       served as HTTP/1.1, as RFC 9112 §2.3 asks;</li>
 *   <li>an HTTP/1.1 request without a {@code Host} field, or any request with more than one: {@code 400} (RFC 9112
 *       §3.2: "A server MUST respond with a 400 (Bad Request)");</li>
 *   <li>more header fields than {@link HttpLimits#maxHeaderCount()}, or one longer than
 *       {@link HttpLimits#maxFieldBytes()}: {@code 431};</li>
 *   <li>an {@code Expect} other than {@code 100-continue}: {@code 417} (RFC 9110 §10.1.1);</li>
 *   <li>a {@code Transfer-Encoding} with a coding before {@code chunked}: {@code 501} (RFC 9112 §6.1; the codec
 *       refuses the other shapes a Transfer-Encoding may not have with {@code 400});</li>
 *   <li>a {@code Content-Length} over {@link HttpLimits#maxBodyBytes()}: {@code 413} with the Query error
 *       {@code RequestEntityTooLarge}, and with {@code Expect: 100-continue} without sending {@code 100 Continue}
 *       first, so that the client never sends the body.</li>
 * </ul>
 *
 * <p>A {@code 100-continue} request within the limit gets its {@code 100 Continue} here, and its {@code Expect} field
 * removed so that nothing after this handler answers it again. One instance per connection, on its event loop.
 */
final class HttpRequestGuard extends ChannelInboundHandlerAdapter {
    /** 414 with RFC 9110 §15.5.15's reason phrase; Netty's is RFC 2616's "Request-URI Too Long". */
    private static final HttpResponseStatus URI_TOO_LONG = new HttpResponseStatus(414, "URI Too Long");

    private final HttpLimits limits;
    private final Clock clock;
    private final RequestRefusals refusals;
    /** Set once a request is refused: the rest of what the connection sends is dropped until it closes. */
    private boolean refused;

    HttpRequestGuard(HttpLimits limits, Clock clock) {
        this(limits, clock, RequestRefusals.unrecorded(clock));
    }

    /** @param refusals audits, counts and answers a request refused for its declared length */
    HttpRequestGuard(HttpLimits limits, Clock clock, RequestRefusals refusals) {
        this.limits = limits;
        this.clock = clock;
        this.refusals = refusals;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (refused) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpRequest request) {
            Refusal refusal = check(request);
            if (refusal != null) {
                refused = true;
                try {
                    if (refusal.queryError()) {
                        refusals.refuse(ctx, request, ErrorCode.REQUEST_ENTITY_TOO_LARGE, refusal.message());
                    } else {
                        Refusals.plain(ctx, clock, refusal.status());
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
                return;
            }
            if (request.headers().contains(HttpHeaderNames.EXPECT)) {
                // Removed so that nothing after this handler answers it again. An HTTP/1.0 client gets no 100: a
                // server "MUST ignore" its 100-continue (RFC 9110 §10.1.1).
                request.headers().remove(HttpHeaderNames.EXPECT);
                if (request.protocolVersion().minorVersion() >= 1) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
                }
            }
        } else if (!(message instanceof HttpContent)) {
            ReferenceCountUtil.release(message);
            return;
        }
        ctx.fireChannelRead(message);
    }

    /** Why a request head is refused: an HTTP status with a plain body, or a Query error with its message. */
    record Refusal(HttpResponseStatus status, String message) {
        boolean queryError() {
            return message != null;
        }
    }

    /**
     * Whether a request's {@code Transfer-Encoding} names a coding before {@code chunked} (such as {@code gzip,
     * chunked}), which the node does not decode: {@code 501 Not Implemented} (RFC 9112 §6.1), rather than the coded
     * bytes read as a form. The codec, in the RFC 9112 mode {@link StsChannelInitializer} pins, has already refused
     * every other shape: no {@code chunked} last, {@code chunked} twice, a {@code Content-Length} beside it, HTTP/1.0.
     */
    private static boolean namesACodingBeforeChunked(List<String> fields) {
        int codings = 0;
        for (String field : fields) {
            for (String coding : field.split(",")) {
                if (!coding.isBlank()) {
                    codings++;
                }
            }
        }
        return codings > 1;
    }

    /**
     * Whether a request target holds only visible ASCII characters, as a URI does (RFC 3986 §2: anything else is
     * percent-encoded; every AWS SDK and browser encodes it). A control character, DEL or a raw byte over 127 is not
     * read as part of a path or query, where it could reach a header of the answer (a redirect's {@code Location}).
     */
    private static boolean isVisibleAscii(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** Returns why {@code request} is refused, or {@code null} if its head is acceptable. */
    Refusal check(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            if (cause instanceof TooLongHttpLineException) {
                return new Refusal(URI_TOO_LONG, null);
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null);
            }
            if (cause instanceof TooLongFrameException) {
                return new Refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, null);
            }
            return new Refusal(HttpResponseStatus.BAD_REQUEST, null);
        }
        HttpVersion version = request.protocolVersion();
        if (!Http1ServerCodec.isSupportedVersion(version)) {
            return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, null);
        }
        if (!isVisibleAscii(request.uri())) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, null);
        }
        HttpHeaders headers = request.headers();
        if (!Http1ServerCodec.hasTheHostFieldItNeeds(request)) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, null);
        }
        if (headers.size() > limits.maxHeaderCount()) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null);
        }
        for (Map.Entry<String, String> field : headers) {
            if (field.getValue().length() > limits.maxFieldBytes()) {
                return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, null);
            }
        }
        for (String expectation : headers.getAll(HttpHeaderNames.EXPECT)) {
            if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expectation.strip())) {
                return new Refusal(HttpResponseStatus.EXPECTATION_FAILED, null);
            }
        }
        if (namesACodingBeforeChunked(headers.getAll(HttpHeaderNames.TRANSFER_ENCODING))) {
            return new Refusal(HttpResponseStatus.NOT_IMPLEMENTED, null);
        }
        long contentLength = HttpUtil.getContentLength(request, -1L);
        if (contentLength > limits.maxBodyBytes()) {
            return new Refusal(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, tooLarge(limits.maxBodyBytes()));
        }
        return null;
    }

    /** The message of a {@code RequestEntityTooLarge}, for a declared length here and for a chunked body later. */
    static String tooLarge(int maxBodyBytes) {
        return "The request body is larger than the " + maxBodyBytes + " bytes this endpoint accepts.";
    }
}
