package org.opensts.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 codec of the node's listeners, STS/IAM and the S3 gateway: the transport's request decoder and response
 * encoder, paired as the transport's own server codec pairs them — each request's method remembered until its answer,
 * so that the answer to a {@code HEAD} has no body; no more than a given number of requests decoded ahead of their
 * answers — and with two things that codec keeps to itself:
 *
 * <ul>
 *   <li>whether the bytes received so far hold part of a request not yet decoded whole ({@link
 *       #holdsPartOfARequest}). A client that pipelines sends a request's first bytes in the same segment as the end
 *       of the one before; a request deadline needs to know that a request has begun although no new bytes arrive,
 *       or a request sent a byte at a time behind another would run on the idle timer instead of its own
 *       deadline;</li>
 *   <li>the version's name is case-sensitive (RFC 9112 §2.3: {@code HTTP-name = %s"HTTP"}): a request line ending in
 *       {@code http/1.1} is decoded as a malformed request (a failed decoder result), which the listeners answer with
 *       {@code 400}. The transport upper-cases the version before any handler sees it.</li>
 * </ul>
 *
 * <p>Every request's {@code Transfer-Encoding} is read by RFC 9112's rules, whatever a system property says: no
 * chunked body on HTTP/1.0, none with a {@code Content-Length} (the decoder fails such a request, which the listeners
 * answer with {@code 400} and close: its length is ambiguous). The transport's server codec also strips
 * {@code Transfer-Encoding} from a successful answer to {@code CONNECT}; the node answers no {@code CONNECT} with
 * success, so that case is left out. One instance per connection, on its event loop.
 */
public final class Http1ServerCodec
        extends CombinedChannelDuplexHandler<Http1ServerCodec.RequestDecoder, Http1ServerCodec.ResponseEncoder> {
    /** The methods of the requests decoded and not yet answered, oldest first. */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>();
    private final int maxPipelinedRequests;

    /**
     * @param maxRequestLineBytes  the longest request line decoded; a longer one is a failed decoder result
     * @param maxHeaderBytes       the largest header section decoded, likewise
     * @param maxPipelinedRequests requests decoded ahead of their answers; one more fails the connection with
     *     {@link TooManyRequestsAhead}
     */
    public Http1ServerCodec(int maxRequestLineBytes, int maxHeaderBytes, int maxPipelinedRequests) {
        this.maxPipelinedRequests = maxPipelinedRequests;
        init(new RequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLineBytes)
                .setMaxHeaderSize(maxHeaderBytes)
                .setUseRfc9112TransferEncoding(true)), new ResponseEncoder());
    }

    /**
     * Whether a request's version is one the listeners serve: HTTP/1, any minor version (a higher one, such as
     * {@code HTTP/1.2}, is served as HTTP/1.1, as RFC 9112 §2.3 asks). Another major version ({@code HTTP/2.0} in an
     * HTTP/1 request line, {@code HTTP/9.9}) is answered {@code 505 HTTP Version Not Supported} (RFC 9110 §15.6.6).
     */
    public static boolean isSupportedVersion(HttpVersion version) {
        return version.protocolName().equals("HTTP") && version.majorVersion() == 1;
    }

    /**
     * Whether a request has the {@code Host} field RFC 9112 §3.2 asks for: one on an HTTP/1.1 request, at most one on
     * an HTTP/1.0 request. Otherwise the listeners answer {@code 400} and close ("A server MUST respond with a 400 (Bad
     * Request) status code to any HTTP/1.1 request message that lacks a Host header field and to any request message
     * that contains more than one Host header field line").
     */
    public static boolean hasTheHostFieldItNeeds(HttpRequest request) {
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        return hosts == 1 || hosts == 0 && request.protocolVersion().minorVersion() == 0;
    }

    /**
     * Whether what the connection has sent holds the start of a request whose head or body has not been decoded
     * whole: part of a request line, the head's lines read so far, or a body still to come.
     */
    public boolean holdsPartOfARequest() {
        return inboundHandler().holdsPartOfARequest();
    }

    /**
     * A client sent more requests ahead of their answers than the codec decodes: the client's doing, which
     * {@link ConnectionErrors} logs as such. A {@link DecoderException}, so that the decoder passes it on as it is.
     */
    public static final class TooManyRequestsAhead extends DecoderException {
        private static final long serialVersionUID = 1L;

        TooManyRequestsAhead(int depth) {
            super("More than " + depth + " requests were sent ahead of their answers");
        }
    }

    /** The transport's request decoder, with what the codec adds to it. */
    public final class RequestDecoder extends HttpRequestDecoder {
        /** Set once a request line is read, cleared when its request has been decoded to its last content. */
        private boolean requestBegun;
        /** Set when more requests than allowed were sent ahead of their answers: the rest is not decoded. */
        private boolean discarding;

        private RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        boolean holdsPartOfARequest() {
            return !discarding && (requestBegun || internalBuffer().isReadable());
        }

        @Override
        protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) throws Exception {
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
            int first = out.size();
            super.decode(context, in, out);
            for (int i = first; i < out.size(); i++) {
                Object decoded = out.get(i);
                if (decoded instanceof HttpRequest request) {
                    if (unanswered.size() >= maxPipelinedRequests) {
                        refuseTheRest(out, first);
                    }
                    unanswered.add(request.method());
                }
                if (decoded instanceof LastHttpContent) {
                    requestBegun = false;
                }
            }
        }

        /**
         * Drops what this call decoded, stops decoding and fails the connection: the listeners close it at once, and
         * answers not yet written are lost. No client that waits for its answers sends this many ahead of them.
         */
        private void refuseTheRest(List<Object> out, int first) {
            discarding = true;
            requestBegun = false;
            List<Object> dropped = out.subList(first, out.size());
            dropped.forEach(ReferenceCountUtil::release);
            dropped.clear();
            throw new TooManyRequestsAhead(maxPipelinedRequests);
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) throws Exception {
            requestBegun = true;
            return super.createMessage(initialLine);
        }

        @Override
        protected String splitThirdWordInitialLine(byte[] line, int start, int length) {
            if (length < 5 || line[start] != 'H' || line[start + 1] != 'T' || line[start + 2] != 'T'
                    || line[start + 3] != 'P' || line[start + 4] != '/') {
                throw new IllegalArgumentException("The request line's version does not begin with HTTP/");
            }
            return super.splitThirdWordInitialLine(line, start, length);
        }
    }

    /** The transport's response encoder, told which answers have no body. */
    public final class ResponseEncoder extends HttpResponseEncoder {
        private ResponseEncoder() {
        }


        /** Called once per response head: a final response answers the oldest request not yet answered. */
        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse response) {
            if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(response);
            }
            return HttpMethod.HEAD.equals(unanswered.poll()) || super.isContentAlwaysEmpty(response);
        }
    }
}
