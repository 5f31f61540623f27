package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.opensts.gateway.s3.BucketPolicies;
import org.opensts.gateway.s3.DeleteObjectsBody;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Errors;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.gateway.s3.S3Operation;
import org.opensts.gateway.s3.TaggingBody;
import org.opensts.protocol.TemporarilyUnavailable;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.VerificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection of the gateway. For each request: decide (authenticate, map, authorize) off the event loop
 * while the connection stops reading, then either answer it here (refusals, bucket policies) or stream it to the
 * upstream store on a connection of its own, its body checked on the way ({@link BodyRelay}), and stream the answer
 * back. Reading from either side pauses while the other cannot take more, so a large body or object passes through a
 * window of a few buffers and is never held whole. The exceptions are the store's short answers to the bucket-level
 * calls it serves (CreateBucket, DeleteBucket): each is held until the node has acted on it (a deleted bucket's stored
 * policy is dropped) and recorded its audit event ({@link AuditedCalls}), so that a client never sees a bucket deleted
 * whose policy is still in force, nor a call answered that the audit log does not hold. For the same reason a refusal
 * of the gateway's own to a caller it knows (a body that fails its check, a store it cannot reach …) is answered once
 * its event is recorded, the connection not read meanwhile ({@link #refuseAudited}).
 *
 * <p>One request at a time, answered in order. HTTP/1.1 lets a client send requests without waiting for the answers
 * (pipelining; RFC 9112 §9.3.2): the codec decodes what one read brought, however many requests that is, so the parts
 * of a request that arrive while another is being answered are held, in order, with the connection not read, and go
 * on once that answer has been handed to the connection whole. The next request also waits while the client leaves
 * earlier answers unread (the connection is not writable), so that a client that pipelines without reading holds a
 * bounded amount of the gateway's memory. Nothing after a response that closes the connection runs (RFC 9112 §9.6).
 */
final class GatewayHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
    // IMF-fixdate (RFC 9110 §5.6.7), as S3 sends it: RFC_1123_DATE_TIME would drop the day's leading zero.
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** S3 caps a bucket policy at 20 KB; a larger one is read (to this bound) to be refused with S3's words. */
    private static final int MAX_POLICY_BYTES = 4 * BucketPolicies.MAX_POLICY_BYTES;
    private static final String PUT_BUCKET_POLICY = "PutBucketPolicy";
    private static final String GET_BUCKET_POLICY = "GetBucketPolicy";
    private static final String DELETE_BUCKET_POLICY = "DeleteBucketPolicy";
    private static final String DELETE_BUCKET = "DeleteBucket";
    private static final String HEAD_BUCKET = "HeadBucket";
    private static final String PUT_OBJECT = "PutObject";
    private static final String UPLOAD_PART = "UploadPart";
    /**
     * S3's header naming a bucket's region, on HeadBucket's answer and on a refusal of a request signed for another
     * region (Amazon S3 API Reference, "HeadBucket": {@code BucketRegion}). The SDKs read it to sign again for the
     * right region; for a HEAD, whose refusal has no body, it is the only place the region can be.
     */
    private static final String BUCKET_REGION = "x-amz-bucket-region";
    /**
     * The most of a bucket-level answer (CreateBucket, DeleteBucket) held until its event is recorded: S3 answers these
     * with no body or a short error document, so a longer answer is the store's failure.
     */
    private static final int MAX_HELD_ANSWER_BYTES = 16 * 1024;

    private final GatewayContext gateway;
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    /**
     * The upstream connection of the last exchange, kept open for the next request of this client connection when
     * the store allowed it: a GET of a small object then costs no new TCP (or TLS) handshake.
     */
    private Channel idleUpstream;
    /** Parts of requests that arrived while an earlier request was being answered, in the order they came. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    /** Whether a {@link #passHeld} is already scheduled. */
    private boolean passScheduled;
    /** Set once a response that closes the connection is written: what the client sent after it is dropped. */
    private boolean closing;
    /**
     * The gateway is stopping: the exchange under way finishes (its body still read and relayed), then the connection
     * closes; no request after it is taken.
     */
    private boolean stopping;
    /** Set once a request arrived after the gateway began to stop: it and all that follows are dropped. */
    private boolean droppingAfterStop;

    GatewayHandler(GatewayContext gateway) {
        this.gateway = gateway;
    }

    private enum Phase {
        /** Waiting for the decision; body bytes that arrive are kept in {@link Exchange#pending}. */
        DECIDING,
        /** Allowed to stream; waiting for the upstream connection. */
        CONNECTING,
        /** The body streams to the upstream store. */
        STREAMING,
        /** The (small) body is kept to be answered here or sent whole. */
        BUFFERING,
        /** The body is complete or absent; waiting for the answer. */
        AWAITING_RESPONSE,
        /** Answered here; what remains of the body is dropped. */
        DISCARDING
    }

    /**
     * The user event a stopping gateway sends each connection: finish the exchange under way, if any, then close.
     */
    static final Object FINISH_AND_CLOSE = new Object() {
        @Override
        public String toString() {
            return "FINISH_AND_CLOSE";
        }
    };

    /** One request and what became of it. Touched on the event loop only (the decision returns to it). */
    static final class Exchange {
        final HttpRequest request;
        final ReceivedRequest received;
        final String requestId;
        final Instant receivedAt;
        final boolean keepAlive;
        final boolean head;
        /**
         * A PUT with neither a {@code Content-Length} nor a {@code Transfer-Encoding}: by RFC 9112 §6.3 it has no
         * body, but a client that sends a PUT so may send one anyway, which cannot be told from a next request. Its
         * answer closes the connection.
         */
        final boolean unframedPut;
        final List<HttpContent> pending = new ArrayList<>();
        Phase phase = Phase.DECIDING;
        boolean lastReceived;
        AccessGate.Admission admission;
        BodyRelay relay;
        BufferedBody buffered;
        /** The trailing headers the body's check passed, for a body held whole: its checksums go on as headers. */
        Map<String, String> checkedTrailers = Map.of();
        Channel upstream;
        boolean responseStarted;
        boolean finished;
        /** The upstream connection was closed on purpose: its end is no failure. */
        boolean upstreamAborted;
        /**
         * Refused by the gateway, the refusal's audit event being recorded: nothing more of the request is acted on,
         * and what still arrives of its body is dropped without changing how the answer ends the connection.
         */
        boolean refusing;
        /** Whether the store's answer allows its connection to carry another request. */
        boolean upstreamKeepAlive;
        /** Whether the client connection closes once the store's answer is relayed, as that answer's header says. */
        boolean closeAfterUpstreamAnswer;
        /**
         * The store's answer to a bucket-level call (its head, then its parts), held until the node has acted on it
         * and recorded its event; null when the answer streams.
         */
        List<Object> heldAnswer;
        int heldAnswerBytes;

        Exchange(HttpRequest request, ReceivedRequest received, String requestId, Instant receivedAt) {
            this.request = request;
            this.received = received;
            this.requestId = requestId;
            this.receivedAt = receivedAt;
            this.keepAlive = HttpUtil.isKeepAlive(request);
            this.head = request.method().equals(HttpMethod.HEAD);
            this.unframedPut = request.method().equals(HttpMethod.PUT) && !HttpUtil.isContentLengthSet(request)
                    && !request.headers().contains(HttpHeaderNames.TRANSFER_ENCODING);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        if (closing || stopping && (droppingAfterStop || message instanceof HttpRequest)) {
            droppingAfterStop = stopping;
            ReferenceCountUtil.release(message);
            return;
        }
        if (!held.isEmpty() || (message instanceof HttpRequest && !nextRequestsTurn())) {
            held.add(message);
            context.channel().config().setAutoRead(false);
            return;
        }
        take(message);
    }

    /** Whether a request may start now: no other is being answered, and the client reads what it was sent. */
    private boolean nextRequestsTurn() {
        return exchange == null && ctx.channel().isWritable();
    }

    private void take(Object message) {
        if (message instanceof HttpRequest request) {
            onRequest(request);
        }
        if (message instanceof HttpContent content) {
            onContent(content);
        } else {
            ReferenceCountUtil.release(message);
        }
    }

    /** Passes held parts on until a request has to wait for its turn again; then reads on if nothing is held. */
    private void passHeld() {
        passScheduled = false;
        while (!closing && !held.isEmpty()) {
            if (held.peekFirst() instanceof HttpRequest && !nextRequestsTurn()) {
                return;
            }
            take(held.pollFirst());
        }
        if (!closing && nextRequestsTurn()) {
            resumeReading();
        }
    }

    private void releaseHeld() {
        while (!held.isEmpty()) {
            ReferenceCountUtil.release(held.pollFirst());
        }
    }

    private void onRequest(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            respondAndClose(request.decoderResult().cause() instanceof TooLongHttpHeaderException
                    ? GatewayError.REQUEST_HEADER_SECTION_TOO_LARGE : GatewayError.BAD_REQUEST);
            return;
        }
        if (!Http1ServerCodec.isSupportedVersion(request.protocolVersion())) {
            respondAndClose(GatewayError.HTTP_VERSION_NOT_SUPPORTED);
            return;
        }
        if (!Http1ServerCodec.hasTheHostFieldItNeeds(request)) {
            respondAndClose(GatewayError.BAD_REQUEST);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ReceivedRequest received = receivedRequest(request);
        Exchange current = new Exchange(request, received, RequestIds.next(), gateway.clock().instant());
        exchange = current;
        try {
            gateway.decisions().execute(() -> decide(current));
        } catch (RejectedExecutionException e) {
            refuse(current, GatewayError.SLOW_DOWN);
        }
    }

    private ReceivedRequest receivedRequest(HttpRequest request) {
        String target = request.uri();
        if (!target.startsWith("/")) {
            // Absolute form (a proxy-style request line): the path starts after the authority.
            int scheme = target.indexOf("://");
            int path = scheme < 0 ? -1 : target.indexOf('/', scheme + 3);
            target = path < 0 ? "/" : target.substring(path);
        }
        int question = target.indexOf('?');
        var builder = ReceivedRequest.builder()
                .method(request.method().name())
                .rawPath(question < 0 ? target : target.substring(0, question))
                .rawQuery(question < 0 ? "" : target.substring(question + 1))
                .secureTransport(ctx.pipeline().get(SslHandler.class) != null)
                .sourceIp(ReceivedRequest.sourceIpOf(ctx.channel().remoteAddress()));
        for (Map.Entry<String, String> header : request.headers()) {
            builder.addHeader(header.getKey(), header.getValue());
        }
        return builder.build();
    }

    /**
     * On a decision thread: the verdict, then back to the event loop. A refusal of a recognized caller's request is
     * recorded first when it is audited ({@link AuditedCalls}).
     */
    private void decide(Exchange current) {
        AccessGate.Admission recognized = null;
        AccessGate.Admission admission = null;
        S3Error refusal = null;
        try {
            recognized = gateway.gate().recognize(current.received);
            gateway.gate().authorizeHead(recognized, current.received);
            admission = recognized;
        } catch (S3Exception e) {
            refusal = e.error();
        } catch (RuntimeException e) {
            refusal = failure("Deciding a request", e);
        }
        AccessGate.Admission admitted = admission;
        S3Error refused = refusal;
        if (refused != null && recognized != null) {
            auditThen(current, recognized, Optional.empty(), Optional.of(refused.code().code()),
                    Optional.of(refused.message()), () -> refuse(current, refused));
            return;
        }
        ctx.executor().execute(() -> {
            if (refused != null) {
                refuse(current, refused);
            } else {
                admitted(current, admitted);
            }
        });
    }

    private void admitted(Exchange current, AccessGate.Admission admission) {
        if (exchange != current || current.finished) {
            return;
        }
        current.admission = admission;
        String operation = admission.operation().name();
        if (current.unframedPut && (operation.equals(PUT_OBJECT) || operation.equals(UPLOAD_PART))
                && admission.operation().copySource().isEmpty()) {
            // S3 refuses an upload without a length ("You must provide the Content-Length HTTP header.") rather than
            // store an empty object while the bytes sent as its body wait to be read as a next request.
            refuseAudited(current, GatewayError.MISSING_CONTENT_LENGTH);
            return;
        }
        boolean hasBody = HttpUtil.isTransferEncodingChunked(current.request)
                || HttpUtil.getContentLength(current.request, 0L) > 0;
        long declared = admission.verification().payload().decodedContentLength().orElse(hasBody ? -1 : 0);
        if (declared < 0) {
            // A body sent chunked but not aws-chunked has no length to declare upstream: S3 refuses such an upload
            // as a coding it does not implement; CLI v1 over HTTPS sends Transfer-Encoding: chunked only with
            // aws-chunked, whose decoded length is known.
            if (HttpUtil.isTransferEncodingChunked(current.request)) {
                refuseAudited(current,
                        S3Error.of(S3ErrorCode.NOT_IMPLEMENTED).withDetail("Header", "Transfer-Encoding"));
            } else {
                refuseAudited(current, GatewayError.MISSING_CONTENT_LENGTH);
            }
            return;
        }
        switch (operation) {
            case PUT_BUCKET_POLICY, GET_BUCKET_POLICY, DELETE_BUCKET_POLICY ->
                    buffer(current, declared, MAX_POLICY_BYTES);
            case S3Operation.DELETE_OBJECTS -> buffer(current, declared, DeleteObjectsBody.MAX_BODY_BYTES);
            case S3Operation.PUT_OBJECT_TAGGING -> buffer(current, declared, TaggingBody.MAX_BODY_BYTES);
            default -> {
                if (declared == 0) {
                    // Nothing to hold back: the request waits for the (empty) body's check before it goes upstream.
                    buffer(current, 0, 0);
                } else {
                    stream(current, declared);
                }
            }
        }
    }

    /** Keeps the body (at most {@code limit} bytes), checked, to act on it once it is complete. */
    private void buffer(Exchange current, long declared, int limit) {
        if (declared > limit) {
            refuseAudited(current, GatewayError.MAX_MESSAGE_LENGTH_EXCEEDED);
            return;
        }
        current.phase = Phase.BUFFERING;
        // Grows with what arrives, within the gateway's budget for bodies awaiting a decision: a declared length
        // costs the client nothing to send.
        current.buffered = new BufferedBody(declared, limit, gateway.bodyBudget());
        current.relay = new BodyRelay(current.admission.verification().payload(), declared, ctx.alloc(),
                current.buffered);
        sendContinueIfExpected(current);
        drainPendingAndRead(current);
    }

    /** Opens the upstream connection; once it is open, sends the request and streams the body as it arrives. */
    private void stream(Exchange current, long declared) {
        current.phase = Phase.CONNECTING;
        UpstreamBody upstreamBody = gateway.upstreamRequests().bodyFor(current.received, declared);
        HttpRequest upstreamRequest = upstreamRequest(current, upstreamBody, declared);
        connect(current).addListener((ChannelFuture connected) -> {
            if (exchange != current || current.finished) {
                connected.channel().close();
                return;
            }
            if (!connected.isSuccess()) {
                LOG.warn("Cannot reach the upstream store: {}", connected.cause().toString());
                refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
                return;
            }
            current.upstream = connected.channel();
            current.upstream.writeAndFlush(upstreamRequest);
            current.phase = Phase.STREAMING;
            current.relay = new BodyRelay(current.admission.verification().payload(), upstreamBody, declared,
                    ctx.alloc(), piece -> current.upstream.writeAndFlush(new DefaultHttpContent(piece)));
            sendContinueIfExpected(current);
            drainPendingAndRead(current);
        });
    }

    private HttpRequest upstreamRequest(Exchange current, UpstreamBody body, long contentLength) {
        boolean sendsLength = contentLength > 0 || current.request.method().equals(HttpMethod.PUT)
                || current.request.method().equals(HttpMethod.POST);
        return gateway.upstreamRequests().build(current.received, upstreamPath(current.admission.operation()),
                current.admission.upstreamQuery(), current.admission.operation().copySource(), body,
                sendsLength ? contentLength : -1, gateway.clock().instant());
    }

    /**
     * The path-style path of what was authorized, rebuilt from the classified bucket and key rather than copied, so
     * that the store acts on exactly that (and a virtual-hosted request reaches it path-style).
     */
    static String upstreamPath(S3Operation operation) {
        if (operation.bucket().isEmpty()) {
            return "/";
        }
        String bucketPath = "/" + S3Keys.encodePath(operation.bucket().get());
        return operation.key().map(key -> bucketPath + "/" + S3Keys.encodePath(key)).orElse(bucketPath);
    }

    private ChannelFuture connect(Exchange current) {
        Channel idle = idleUpstream;
        idleUpstream = null;
        if (idle != null && idle.isActive()) {
            idle.pipeline().get(UpstreamHandler.class).bind(current);
            return idle.newSucceededFuture();
        }
        return gateway.upstreamBootstrap(ctx.channel().eventLoop(), new UpstreamHandler(this, current)).connect();
    }

    /** Keeps an upstream connection whose exchange is over for the next request, or closes it. */
    private void release(Exchange current) {
        current.upstreamAborted = true;
        Channel upstream = current.upstream;
        boolean reusable = current.upstreamKeepAlive && current.phase == Phase.AWAITING_RESPONSE && current.keepAlive
                && current.lastReceived && upstream.isActive() && idleUpstream == null;
        if (reusable) {
            upstream.pipeline().get(UpstreamHandler.class).bind(null);
            upstream.config().setAutoRead(true);
            idleUpstream = upstream;
        } else {
            upstream.close();
        }
    }

    /** An upstream connection closed; if it was the idle one, it is gone. */
    void upstreamClosed(Channel upstream) {
        if (idleUpstream == upstream) {
            idleUpstream = null;
        }
    }

    private void sendContinueIfExpected(Exchange current) {
        if (HttpUtil.is100ContinueExpected(current.request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                    Unpooled.EMPTY_BUFFER));
        }
    }

    private void drainPendingAndRead(Exchange current) {
        List<HttpContent> pending = new ArrayList<>(current.pending);
        current.pending.clear();
        for (int i = 0; i < pending.size(); i++) {
            if (exchange != current || current.refusing
                    || current.finished && current.phase != Phase.AWAITING_RESPONSE) {
                pending.subList(i, pending.size()).forEach(ReferenceCountUtil::release);
                return;
            }
            onContent(pending.get(i));
        }
        if (exchange == current && !current.lastReceived && current.phase != Phase.DISCARDING) {
            resumeReading();
        }
    }

    private void onContent(HttpContent content) {
        Exchange current = exchange;
        if (current == null) {
            // A request refused by its head (one the codec could not read comes whole, its failure answered) or a
            // stray part.
            content.release();
            return;
        }
        if (current.refusing) {
            // Refused: the answer ends the connection as the body stood then (closes it unless the body had all come),
            // whatever arrives of it while the refusal's event is recorded.
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            badBody(current);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        switch (current.phase) {
            case DECIDING, CONNECTING -> {
                current.pending.add(content);
                if (last) {
                    current.lastReceived = true;
                }
                return;
            }
            case STREAMING, BUFFERING -> {
                try {
                    current.relay.received(content.content());
                    if (current.phase == Phase.BUFFERING && current.buffered.refusal().isPresent()) {
                        content.release();
                        refuseBuffered(current, last);
                        return;
                    }
                } catch (VerificationException e) {
                    content.release();
                    failBody(current, last);
                    refuseAudited(current, S3Errors.forVerification(e));
                    return;
                }
                content.release();
                if (last) {
                    current.lastReceived = true;
                    endOfBody(current);
                } else if (current.phase == Phase.STREAMING && !current.upstream.isWritable()) {
                    // The upstream cannot take more yet; UpstreamHandler resumes reading when it can.
                    ctx.channel().config().setAutoRead(false);
                }
            }
            case AWAITING_RESPONSE, DISCARDING -> {
                content.release();
                if (last) {
                    current.lastReceived = true;
                    if (current.finished) {
                        nextRequest(current);
                    }
                }
            }
            default -> throw new IllegalStateException(current.phase.name());
        }
    }

    /**
     * The codec could not read the body (a bad chunk size or trailer) and reads nothing more of the connection: the
     * request is refused, 400 with {@code Connection: close}, and nothing of it is committed upstream; an answer
     * already begun is cut short.
     */
    private void badBody(Exchange current) {
        if (current.responseStarted || current.finished) {
            current.finished = true;
            closeNow();
            return;
        }
        current.pending.forEach(ReferenceCountUtil::release);
        current.pending.clear();
        if (current.relay != null) {
            failBody(current, false);
        } else {
            current.lastReceived = false;
        }
        refuseAudited(current, GatewayError.BAD_REQUEST);
    }

    /** The whole body has arrived: check it, then release it upstream or act on it here. */
    private void endOfBody(Exchange current) {
        ctx.channel().config().setAutoRead(false);
        try {
            current.checkedTrailers = current.relay.finish();
        } catch (VerificationException e) {
            failBody(current, true);
            refuseAudited(current, S3Errors.forVerification(e));
            return;
        }
        if (current.phase == Phase.STREAMING) {
            current.phase = Phase.AWAITING_RESPONSE;
            current.upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (current.upstream.isActive()) {
                current.upstream.config().setAutoRead(true);
            }
            return;
        }
        if (current.buffered.refusal().isPresent()) {
            refuseBuffered(current, true);
            return;
        }
        current.phase = Phase.AWAITING_RESPONSE;
        BufferedBody buffered = current.buffered;
        byte[] body = buffered.take();
        try {
            gateway.decisions().execute(() -> {
                try {
                    actOnBody(current, body);
                } finally {
                    buffered.close(); // decided: the body leaves the budget
                }
            });
        } catch (RejectedExecutionException e) {
            buffered.close();
            refuseAudited(current, GatewayError.SLOW_DOWN);
        }
    }

    /**
     * A body that could not be kept ({@link BufferedBody#refusal()}): too long, {@code MaxMessageLengthExceeded}; the
     * gateway's budget for bodies spent, or no heap for it, {@code SlowDown} (503), as a full decision queue is, which
     * SDKs retry. The connection is closed after the answer unless the body had all come; always after a failed
     * allocation, which is logged as an unexpected connection error (at most a few a minute).
     */
    private void refuseBuffered(Exchange current, boolean bodyComplete) {
        BufferedBody.Refusal refusal = current.buffered.refusal().orElseThrow();
        current.buffered.allocationFailure().ifPresent(e -> ConnectionErrors.log(ctx, e));
        current.buffered.close();
        failBody(current, bodyComplete && refusal != BufferedBody.Refusal.OUT_OF_MEMORY);
        refuseAudited(current, refusal == BufferedBody.Refusal.TOO_LONG ? GatewayError.MAX_MESSAGE_LENGTH_EXCEEDED
                : GatewayError.SLOW_DOWN);
    }

    /** On a decision thread: a request whose whole (small) body is here. */
    private void actOnBody(Exchange current, byte[] body) {
        AccessGate.Admission admission = current.admission;
        S3Operation operation = admission.operation();
        String bucket = operation.bucket().orElse("");
        Optional<String> policy = operation.name().equals(PUT_BUCKET_POLICY) ? Optional.of(new String(body, UTF_8))
                : Optional.empty();
        try {
            if (isBucketPolicyCall(operation.name())
                    && !admission.verification().caller().accountId().equals(gateway.accountId())) {
                // Only the bucket owner's account may read or change a bucket policy, whatever the policy grants:
                // S3 answers another account's principal that has the permission with 405 (Amazon S3 API Reference,
                // "PutBucketPolicy").
                throw S3Error.of(S3ErrorCode.METHOD_NOT_ALLOWED).toException();
            }
            if (isBucketPolicyCall(operation.name()) && !gateway.buckets().exists(bucket)) {
                // A bucket policy is a subresource of its bucket: S3 answers all three calls on a bucket that does not
                // exist with NoSuchBucket, and a policy stored for one would be inherited by a bucket created later
                // under the name. Asked only once the caller is authorized, so that the answer tells nobody else
                // whether the bucket exists.
                S3Error missing = S3Error.of(S3ErrorCode.NO_SUCH_BUCKET).withDetail("BucketName", bucket);
                auditThen(current, admission, policy, Optional.of(missing.code().code()),
                        Optional.of(missing.message()), () -> refuse(current, missing));
                return;
            }
            switch (operation.name()) {
                case PUT_BUCKET_POLICY -> {
                    Optional<S3Error> invalid = BucketPolicies.validate(bucket, policy.orElseThrow());
                    if (invalid.isPresent()) {
                        throw invalid.get().toException();
                    }
                    gateway.policies().put(bucket, gateway.accountId(), policy.orElseThrow());
                    auditThen(current, admission, policy, Optional.empty(), Optional.empty(),
                            () -> respond(current, HttpResponseStatus.NO_CONTENT, null, null));
                }
                case GET_BUCKET_POLICY -> {
                    Optional<String> stored = gateway.policies().show(bucket);
                    if (stored.isEmpty()) {
                        throw S3Error.of(S3ErrorCode.NO_SUCH_BUCKET_POLICY).withDetail("BucketName", bucket)
                                .toException();
                    }
                    byte[] document = stored.get().getBytes(UTF_8);
                    auditThen(current, admission, policy, Optional.empty(), Optional.empty(),
                            () -> respond(current, HttpResponseStatus.OK, document, "application/json"));
                }
                case DELETE_BUCKET_POLICY -> {
                    gateway.policies().delete(bucket);
                    auditThen(current, admission, policy, Optional.empty(), Optional.empty(),
                            () -> respond(current, HttpResponseStatus.NO_CONTENT, null, null));
                }
                case S3Operation.DELETE_OBJECTS, S3Operation.PUT_OBJECT_TAGGING -> {
                    gateway.gate().authorizeBody(admission, current.received, body);
                    onLoop(current, () -> forwardWhole(current, body));
                }
                default -> onLoop(current, () -> forwardWhole(current, body));
            }
        } catch (S3Exception e) {
            S3Error error = e.error();
            auditThen(current, admission, policy, Optional.of(error.code().code()), Optional.of(error.message()),
                    () -> refuse(current, error));
        } catch (RuntimeException e) {
            S3Error error = failure("Answering " + operation.name(), e);
            auditThen(current, admission, policy, Optional.of(error.code().code()), Optional.of(error.message()),
                    () -> refuse(current, error));
        }
    }

    /**
     * Records the event of a call the gateway audits ({@link AuditedCalls}), then runs {@code answer} on the event
     * loop; a call whose event cannot be recorded is answered {@code ServiceUnavailable} instead, as the node answers
     * its own calls then (no audited call is answered that the audit log does not hold). A call not audited is answered
     * at once. Runs on a decision thread.
     *
     * @param policy the policy a PutBucketPolicy sent, recorded bounded by the audit log
     */
    private void auditThen(Exchange current, AccessGate.Admission admission, Optional<String> policy,
            Optional<String> errorCode, Optional<String> errorMessage, Runnable answer) {
        if (!AuditedCalls.isAudited(admission.operation(), errorCode)) {
            onLoop(current, answer);
            return;
        }
        S3AuditEvent event;
        try {
            event = AuditedCalls.event(current.received, current.receivedAt, current.requestId,
                    admission.verification(), admission.operation(), policy, errorCode, errorMessage);
        } catch (RuntimeException e) {
            LOG.error("The audit event of request {} cannot be built", current.requestId, e);
            onLoop(current, () -> refuse(current, S3Error.of(S3ErrorCode.SERVICE_UNAVAILABLE)));
            return;
        }
        try {
            gateway.audit().record(event, failure -> {
                if (failure != null) {
                    LOG.warn("The audit event of request {} cannot be recorded: {}", current.requestId,
                            failure.toString());
                    onLoop(current, () -> refuse(current, S3Error.of(S3ErrorCode.SERVICE_UNAVAILABLE)));
                } else {
                    onLoop(current, answer);
                }
            });
        } catch (RuntimeException e) {
            // A sink that throws instead of reporting the failure: the call is still answered, and not as done.
            LOG.error("The audit event of request {} cannot be recorded", current.requestId, e);
            onLoop(current, () -> refuse(current, S3Error.of(S3ErrorCode.SERVICE_UNAVAILABLE)));
        }
    }

    /**
     * The answer to a call whose {@code step} failed unexpectedly: S3's {@code ServiceUnavailable} when a part it needs
     * cannot be reached for now (the identity store during an outage; {@link TemporarilyUnavailable}), which clients
     * retry, logged in one line as the node's doing is not in question; otherwise {@code InternalError}, logged with
     * its stack trace.
     */
    private static S3Error failure(String step, RuntimeException e) {
        if (TemporarilyUnavailable.isCause(e)) {
            LOG.warn("{} failed for now: {}", step, e.getMessage());
            return S3Error.of(S3ErrorCode.SERVICE_UNAVAILABLE);
        }
        LOG.error("{} failed", step, e);
        return S3Error.of(S3ErrorCode.INTERNAL_ERROR);
    }

    private static boolean isBucketPolicyCall(String operation) {
        return operation.equals(PUT_BUCKET_POLICY) || operation.equals(GET_BUCKET_POLICY)
                || operation.equals(DELETE_BUCKET_POLICY);
    }

    private void onLoop(Exchange current, Runnable task) {
        try {
            ctx.executor().execute(() -> {
                if (exchange == current && !current.finished) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loop has stopped (the gateway was closed past its grace): the connection is gone with it.
        }
    }

    /** Sends a request whose body was checked whole (empty, or a DeleteObjects document). */
    private void forwardWhole(Exchange current, byte[] body) {
        HttpRequest upstreamRequest = upstreamRequest(current, UpstreamBody.whole(current.checkedTrailers),
                body.length);
        connect(current).addListener((ChannelFuture connected) -> {
            if (exchange != current || current.finished) {
                connected.channel().close();
                return;
            }
            if (!connected.isSuccess()) {
                LOG.warn("Cannot reach the upstream store: {}", connected.cause().toString());
                refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
                return;
            }
            current.upstream = connected.channel();
            current.upstream.write(upstreamRequest);
            current.upstream.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(body)));
            current.upstream.config().setAutoRead(true);
        });
    }

    /**
     * A body that failed its check or its limit: abort the upstream request so that nothing is committed. The caller
     * then answers with the error (unless the upstream answer has begun, when the connection closes instead).
     */
    private void failBody(Exchange current, boolean bodyComplete) {
        current.relay.discard();
        if (current.upstream != null) {
            current.upstreamAborted = true;
            current.upstream.close();
        }
        if (current.responseStarted) {
            current.finished = true;
            closeNow();
            return;
        }
        current.lastReceived = bodyComplete;
    }

    /** Answers with an S3 error; the rest of the body, if any, is dropped. */
    private void refuse(Exchange current, S3Error error) {
        // A request signed for another region names the expected one in <Region>, and in the header as S3 does.
        String bucketRegion = error.details().stream().filter(detail -> detail.name().equals("Region"))
                .map(S3Error.Detail::value).findFirst().orElse(null);
        refuse(current, error.httpStatus(), S3Errors.toBytes(error, current.requestId, hostId(current)),
                bucketRegion);
    }

    private void refuse(Exchange current, GatewayError error) {
        refuse(current, error.httpStatus(), error.document(current.requestId, hostId(current)), null);
    }

    private void refuse(Exchange current, int status, byte[] document, String bucketRegion) {
        if (exchange != current || current.finished) {
            return;
        }
        dropBody(current);
        respond(current, HttpResponseStatus.valueOf(status), current.head ? null : document, S3Errors.CONTENT_TYPE,
                bucketRegion);
    }

    /**
     * Drops what is held of a refused request (its body's pieces, an answer of the store held back), and what comes of
     * its body from now on: the answer keeps the connection open only if the whole body had come by now.
     */
    private void dropBody(Exchange current) {
        dropHeldAnswer(current);
        if (current.relay != null) {
            current.relay.discard();
        }
        if (current.buffered != null) {
            current.buffered.close();
        }
        boolean complete = current.lastReceived || current.pending.stream().anyMatch(LastHttpContent.class::isInstance);
        current.pending.forEach(ReferenceCountUtil::release);
        current.pending.clear();
        current.lastReceived = complete;
        current.phase = Phase.DISCARDING;
    }

    /** {@link #refuseAudited(Exchange, String, String, Runnable)} with an S3 error. */
    private void refuseAudited(Exchange current, S3Error error) {
        refuseAudited(current, error.code().code(), error.message(), () -> refuse(current, error));
    }

    /** {@link #refuseAudited(Exchange, String, String, Runnable)} with one of the gateway's own limits. */
    private void refuseAudited(Exchange current, GatewayError error) {
        refuseAudited(current, error.code(), error.message(), () -> refuse(current, error));
    }

    /**
     * Refuses a request on the event loop, once the refusal's event is recorded ({@link #auditThen}) when the request
     * was admitted (its caller known; one that was not yet is answered at once, as a refusal of an unknown caller is
     * not audited). The event is written on a decision thread, never on the event loop, and the answer
     * ({@code refusal}) goes out once it is recorded. Meanwhile the connection is not read, so that however long the
     * audit log takes a client cannot make the gateway read or hold more of a body it refused, and the body is dropped
     * as {@link #refuse} drops it: the answer keeps the connection open or closes it as it would have at once. Only
     * the first refusal of an exchange counts; a later one (the store's connection dropping, the codec failing on what
     * was already read) neither answers nor records again.
     */
    private void refuseAudited(Exchange current, String errorCode, String errorMessage, Runnable refusal) {
        if (exchange != current || current.finished || current.refusing) {
            return;
        }
        if (current.admission == null) {
            refusal.run();
            return;
        }
        current.refusing = true;
        ctx.channel().config().setAutoRead(false);
        dropBody(current);
        afterDecision(() -> auditThen(current, current.admission, Optional.empty(), Optional.of(errorCode),
                Optional.of(errorMessage), refusal));
    }

    /** S3's {@code x-amz-id-2}: here the request id again, as the gateway is one host. */
    private static String hostId(Exchange current) {
        return current.requestId;
    }

    /** Writes an answer of the gateway's own; then reads the next request, or closes if the body is unread. */
    private void respond(Exchange current, HttpResponseStatus status, byte[] body, String contentType) {
        respond(current, status, body, contentType, null);
    }

    /** {@link #respond(Exchange, HttpResponseStatus, byte[], String)} with S3's bucket region header, if not null. */
    private void respond(Exchange current, HttpResponseStatus status, byte[] body, String contentType,
            String bucketRegion) {
        current.finished = true;
        if (current.phase != Phase.DISCARDING) {
            current.phase = Phase.DISCARDING;
        }
        ByteBuf content = body == null || current.head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers()
                .set("x-amz-request-id", current.requestId)
                .set(HttpHeaderNames.DATE, HTTP_DATE.format(gateway.clock().instant()))
                .set(HttpHeaderNames.SERVER, "OpenSTS");
        if (contentType != null && body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        if (bucketRegion != null) {
            response.headers().set(BUCKET_REGION, bucketRegion);
        }
        HttpUtil.setContentLength(response, body == null ? 0 : body.length);
        boolean close = !current.keepAlive || !current.lastReceived || current.unframedPut;
        if (close) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = ctx.writeAndFlush(response);
        if (close) {
            closeAfter(written);
        } else {
            nextRequest(current);
        }
    }

    /**
     * Closes the connection once {@code written}, a response that says so, is out; the requests the client pipelined
     * after it are not for this connection any more (RFC 9112 §9.6), so none of them runs.
     */
    private void closeAfter(ChannelFuture written) {
        closing = true;
        releaseHeld();
        written.addListener(ChannelFutureListener.CLOSE);
    }

    private void respondAndClose(GatewayError error) {
        String requestId = RequestIds.next();
        byte[] document = error.document(requestId, requestId);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.httpStatus()), Unpooled.wrappedBuffer(document));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, S3Errors.CONTENT_TYPE)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set("x-amz-request-id", requestId);
        HttpUtil.setContentLength(response, document.length);
        closeAfter(ctx.writeAndFlush(response));
    }

    /** Closes the connection at once, an answer cut short: nothing held or still to come runs. */
    private void closeNow() {
        closing = true;
        releaseHeld();
        ctx.close();
    }

    /** The exchange is over and its body read: the connection may carry the next request. */
    private void nextRequest(Exchange current) {
        if (exchange != current || !current.lastReceived) {
            return;
        }
        exchange = null;
        if (stopping) {
            // Once what was written is out: an empty write completes after those before it.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        takeNextRequest();
    }

    /**
     * The next request's turn, once the client reads what it was sent ({@link #channelWritabilityChanged} calls again):
     * the held one, not from inside the write that ended the previous exchange, or else the connection reads on.
     */
    private void takeNextRequest() {
        if (closing || !nextRequestsTurn()) {
            return;
        }
        if (held.isEmpty()) {
            resumeReading();
        } else if (!passScheduled) {
            passScheduled = true;
            ctx.executor().execute(this::passHeld);
        }
    }

    /** Reads on: never while requests are held, which go on first, nor after a response that closes. */
    private void resumeReading() {
        if (closing || !held.isEmpty()) {
            return;
        }
        ctx.channel().config().setAutoRead(true);
        ctx.read();
    }

    // ---- called by UpstreamHandler, on this connection's event loop ----

    /** The upstream store's answer begins: its status and headers go to the client as they are. */
    void upstreamResponse(Exchange current, HttpResponse response) {
        if (exchange != current || current.finished || current.refusing) {
            ReferenceCountUtil.release(response);
            return;
        }
        current.responseStarted = true;
        current.upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        // An answer that comes before the whole body did (an early error) ends the connection: the rest of the body
        // cannot be told from the next request. So does one whose body ends only where the store's connection does
        // (neither a length nor chunked): the client finds its end the same way. The client is told so in this header.
        current.closeAfterUpstreamAnswer = !current.keepAlive || !current.lastReceived || current.unframedPut
                || !endsWithoutClosing(response, current.head);
        if (current.request.protocolVersion().minorVersion() == 0 && HttpUtil.isTransferEncodingChunked(response)) {
            // No Transfer-Encoding to an HTTP/1.0 client (RFC 9112 §6.1: it would keep the chunk framing as the body):
            // the body goes decoded, and ends where the connection does.
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            current.closeAfterUpstreamAnswer = true;
        }
        response.headers().remove(HttpHeaderNames.CONNECTION).remove("Keep-Alive")
                .remove("Proxy-Connection");
        if (response.headers().contains(BUCKET_REGION)
                || current.admission.operation().name().equals(HEAD_BUCKET)) {
            // Clients sign for the gateway's region, whatever region the store keeps the bucket in.
            response.headers().set(BUCKET_REGION, gateway.region());
        }
        if (current.closeAfterUpstreamAnswer) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (AuditedCalls.holdsAnswer(current.admission.operation())) {
            current.heldAnswer = new ArrayList<>();
            current.heldAnswer.add(response);
            return;
        }
        ctx.write(response);
    }

    /**
     * A part of a bucket-level answer: held; once the answer is whole, a DeleteBucket that removed the bucket drops
     * its stored policy and the call's event is recorded, on a decision thread, before the answer goes to the client.
     */
    private void holdAnswerPart(Exchange current, HttpContent content) {
        current.heldAnswer.add(content);
        current.heldAnswerBytes += content.content().readableBytes();
        if (current.heldAnswerBytes > MAX_HELD_ANSWER_BYTES) {
            LOG.warn("The upstream store answered {} with more than {} bytes", current.admission.operation().name(),
                    MAX_HELD_ANSWER_BYTES);
            dropHeldAnswer(current);
            refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
            return;
        }
        if (!(content instanceof LastHttpContent)) {
            return;
        }
        // The answer is whole: the store's connection closing from now on is no failure of this exchange.
        current.upstreamAborted = true;
        int status = ((HttpResponse) current.heldAnswer.get(0)).status().code();
        Optional<String> errorCode = Optional.empty();
        Optional<String> errorMessage = Optional.empty();
        if (status >= 300) {
            String document = heldAnswerText(current);
            errorCode = Optional.of(xmlElement(document, "Code").orElse(Integer.toString(status)));
            errorMessage = xmlElement(document, "Message");
        }
        Optional<String> code = errorCode;
        Optional<String> message = errorMessage;
        afterDecision(() -> actOnBucketAnswer(current, status, code, message));
    }

    /**
     * On a decision thread: a DeleteBucket the store answered 204 (the bucket is gone) or {@code NoSuchBucket} (it was
     * gone already, deleted at the store or by an earlier call whose clean-up failed) drops the bucket's stored
     * policy, as S3 deletes a bucket's policy with the bucket (Amazon S3 User Guide, "Deleting a general purpose
     * bucket"): a bucket created later under the name starts without it. Then the event is recorded and the held
     * answer passed on. A policy that cannot be dropped is {@code InternalError}, so that the caller tries again.
     */
    private void actOnBucketAnswer(Exchange current, int status, Optional<String> errorCode,
            Optional<String> errorMessage) {
        S3Operation operation = current.admission.operation();
        boolean bucketGone = status == 204 || status == 404 && errorCode.filter("NoSuchBucket"::equals).isPresent();
        if (operation.name().equals(DELETE_BUCKET) && bucketGone) {
            String bucket = operation.bucket().orElseThrow();
            try {
                gateway.policies().delete(bucket);
            } catch (RuntimeException e) {
                LOG.error("Bucket {} is deleted but its stored policy could not be dropped", bucket, e);
                S3Error error = S3Error.of(S3ErrorCode.INTERNAL_ERROR);
                auditThen(current, current.admission, Optional.empty(), Optional.of(error.code().code()),
                        Optional.of(error.message()), () -> refuse(current, error));
                return;
            }
        }
        auditThen(current, current.admission, Optional.empty(), errorCode, errorMessage,
                () -> passHeldAnswer(current));
    }

    /** Runs {@code task} on a decision thread; when their queue is full, on a common pool thread, as it must run. */
    private void afterDecision(Runnable task) {
        try {
            gateway.decisions().execute(task);
        } catch (RejectedExecutionException e) {
            CompletableFuture.runAsync(task);
        }
    }

    /** The held answer goes to the client as the store sent it. */
    private void passHeldAnswer(Exchange current) {
        List<Object> parts = current.heldAnswer;
        current.heldAnswer = null;
        for (int i = 0; i < parts.size() - 1; i++) {
            ctx.write(parts.get(i));
        }
        upstreamContent(current, (HttpContent) parts.get(parts.size() - 1));
    }

    /** Drops a held answer that will not be passed on, and the upstream connection it came on. */
    private void dropHeldAnswer(Exchange current) {
        if (current.heldAnswer == null) {
            return;
        }
        current.heldAnswer.forEach(ReferenceCountUtil::release);
        current.heldAnswer = null;
        // Nothing of it reached the client: what else the store sends of it is dropped, and the client's answer is
        // the gateway's own.
        current.responseStarted = false;
        if (current.upstream != null) {
            current.upstreamAborted = true;
            current.upstream.close();
        }
    }

    /** The held answer's body as text (it is at most {@link #MAX_HELD_ANSWER_BYTES}), for its error's words. */
    private static String heldAnswerText(Exchange current) {
        var text = new StringBuilder();
        for (Object part : current.heldAnswer) {
            if (part instanceof HttpContent content) {
                text.append(content.content().toString(UTF_8));
            }
        }
        return text.toString();
    }

    /**
     * The text of the first {@code <name>} element of an S3 error document, if it has one, for the audit event only
     * (the document itself reaches the client unchanged): the store's own words, which the audit log bounds.
     */
    static Optional<String> xmlElement(String document, String name) {
        int start = document.indexOf("<" + name + ">");
        if (start < 0) {
            return Optional.empty();
        }
        start += name.length() + 2;
        int end = document.indexOf("</" + name + ">", start);
        return end < 0 ? Optional.empty() : Optional.of(document.substring(start, end).strip());
    }

    /** Whether the end of {@code response}'s body can be known without the connection closing (RFC 9112 §6.3). */
    private static boolean endsWithoutClosing(HttpResponse response, boolean head) {
        int status = response.status().code();
        return head || status == 204 || status == 304 || HttpUtil.isContentLengthSet(response)
                || HttpUtil.isTransferEncodingChunked(response);
    }

    /** A piece of the answer's body; reading from the upstream pauses while the client cannot take more. */
    void upstreamContent(Exchange current, HttpContent content) {
        if (exchange != current || current.finished || !current.responseStarted) {
            content.release();
            return;
        }
        if (current.heldAnswer != null) {
            holdAnswerPart(current, content);
            return;
        }
        if (content instanceof LastHttpContent) {
            current.finished = true;
            if (current.phase != Phase.AWAITING_RESPONSE) {
                // The upstream answered before the whole body arrived (an early error): the rest cannot follow.
                current.phase = Phase.DISCARDING;
            }
            ChannelFuture written = ctx.writeAndFlush(content);
            release(current);
            if (current.closeAfterUpstreamAnswer) {
                closeAfter(written);
            } else {
                nextRequest(current);
            }
            return;
        }
        ctx.writeAndFlush(content);
        if (!ctx.channel().isWritable()) {
            current.upstream.config().setAutoRead(false);
        }
    }

    /** The upstream connection can take more of the body. */
    void upstreamWritable(Exchange current) {
        if (exchange == current && current.phase == Phase.STREAMING) {
            resumeReading();
        }
    }

    /** The upstream connection closed before its answer was complete. */
    void upstreamLost(Exchange current, Throwable cause) {
        if (exchange != current || current.finished || current.upstreamAborted || current.refusing) {
            return;
        }
        if (cause != null) {
            LOG.warn("The upstream connection failed: {}", cause.toString());
        }
        if (current.heldAnswer != null) {
            // A bucket-level answer held until its event is recorded: none of it reached the client, which is answered
            // the gateway's own error, recorded as the call's outcome.
            dropHeldAnswer(current);
            refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
            return;
        }
        if (current.responseStarted) {
            current.finished = true;
            closeNow();
            return;
        }
        refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
    }

    /**
     * The store sent an answer its codec cannot read: the client gets the gateway's {@code InternalError}, as for a
     * store that drops the request, or, when part of the answer has gone out already, its connection closed. The
     * store's connection is closed by the caller. Logged in one line: the store's doing, not the node's.
     */
    void upstreamUnreadable(Exchange current, Throwable cause) {
        if (exchange != current || current.finished || current.refusing) {
            return;
        }
        LOG.warn("The upstream store's answer to request {} cannot be read: {}", current.requestId, cause.toString());
        current.upstreamAborted = true;
        if (current.heldAnswer != null) {
            dropHeldAnswer(current);
        }
        if (current.responseStarted) {
            current.finished = true;
            closeNow();
            return;
        }
        refuseAudited(current, S3Error.of(S3ErrorCode.INTERNAL_ERROR));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        Exchange current = exchange;
        if (context.channel().isWritable() && current != null && current.upstream != null && current.responseStarted) {
            current.upstream.config().setAutoRead(true);
        }
        if (current == null) {
            takeNextRequest();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        Exchange current = exchange;
        if (current != null) {
            current.finished = true;
            dropHeldAnswer(current);
            if (current.relay != null) {
                current.relay.discard();
            }
            if (current.buffered != null) {
                current.buffered.close();
            }
            current.pending.forEach(ReferenceCountUtil::release);
            current.pending.clear();
            if (current.upstream != null) {
                current.upstream.close();
            }
            exchange = null;
        }
        if (idleUpstream != null) {
            idleUpstream.close();
            idleUpstream = null;
        }
        releaseHeld();
        context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent) {
            closeNow();
            return;
        }
        if (event == FINISH_AND_CLOSE) {
            // What was pipelined behind the exchange under way is not run; that exchange ends as it would have, and
            // then the connection closes (nextRequest).
            stopping = true;
            if (exchange == null) {
                closeNow();
            } else {
                releaseHeld();
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    /** Logged once (see {@link ConnectionErrors}), then the connection is closed. */
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        closing = true;
        releaseHeld();
        ConnectionErrors.closeAfter(context, cause);
    }
}
