package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opensts.gateway.ConnectionErrors;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryParameters;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sts.RequestMetadata;
import org.opensts.verifier.ReceivedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one HTTP request into an AWS Query request, hands it to the {@link QueryDispatcher} on the operations
 * executor — store calls and key derivation never run on the event loop — and writes the answer with the headers
 * every SDK expects: {@code Content-Type: text/xml} ({@code application/json} for a client that asks for JSON:
 * docs/WIRE.md, "Answers in JSON"), {@code x-amzn-RequestId} and {@code Date} (from which the Java and
 * JavaScript SDKs correct their clock skew). {@code /healthz} and {@code /metrics} are answered here. So are the
 * requests the pipeline refuses before they reach it ({@link RequestRefusals}), so that those are audited and counted
 * as calls too.
 */
@ChannelHandler.Sharable
final class QueryProtocolHandler extends SimpleChannelInboundHandler<FullHttpRequest> implements RequestRefusals {
    private static final Logger LOG = LoggerFactory.getLogger(QueryProtocolHandler.class);
    static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
    /** The message of the {@code ServiceUnavailable} a Query request gets once the server is stopping. */
    static final String SHUTTING_DOWN = "The service is shutting down; retry later.";
    private final HttpDate httpDate = new HttpDate();
    /** Query calls taken in and not yet answered, which a closing server waits for ({@link #awaitAnswers}). */
    private final AtomicInteger unanswered = new AtomicInteger();
    /** Set once the server stops taking calls: a call refused then is told so, and its connection closed. */
    private volatile boolean stopping;

    private final QueryDispatcher dispatcher;
    private final Executor operations;
    private final ServerMetrics metrics;
    private final Clock clock;
    /** Until authentication says otherwise, and for unsigned requests: the node's own region. */
    private final String nodeRegion;
    private final Optional<IssuerEndpoints> issuers;
    private final Optional<AuthorizationApi> authorizationApi;
    private final Optional<ConsoleRoutes> console;

    /** @param issuers the web identity token issuers' discovery documents and key sets, if this server has them */
    QueryProtocolHandler(QueryDispatcher dispatcher, Executor operations, ServerMetrics metrics, Clock clock,
            String nodeRegion, Optional<IssuerEndpoints> issuers) {
        this(dispatcher, operations, metrics, clock, nodeRegion, issuers, Optional.empty());
    }

    /** @param authorizationApi the authorization API ({@code POST /authorize}), if this server offers it */
    QueryProtocolHandler(QueryDispatcher dispatcher, Executor operations, ServerMetrics metrics, Clock clock,
            String nodeRegion, Optional<IssuerEndpoints> issuers, Optional<AuthorizationApi> authorizationApi) {
        this(dispatcher, operations, metrics, clock, nodeRegion, issuers, authorizationApi, Optional.empty());
    }

    /** @param console the console's routes ({@code /console}, {@code /federation} and its APIs), if served */
    QueryProtocolHandler(QueryDispatcher dispatcher, Executor operations, ServerMetrics metrics, Clock clock,
            String nodeRegion, Optional<IssuerEndpoints> issuers, Optional<AuthorizationApi> authorizationApi,
            Optional<ConsoleRoutes> console) {
        this.console = console;
        this.authorizationApi = authorizationApi;
        this.nodeRegion = nodeRegion;
        this.dispatcher = dispatcher;
        this.operations = operations;
        this.metrics = metrics;
        this.clock = clock;
        this.issuers = issuers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            // A body the codec could not frame (a chunk-size line or extension, or a trailer section, over its
            // bounds): the client may still be sending it, so the refusal is followed by a lingering close.
            Refusals.plain(ctx, clock, HttpResponseStatus.BAD_REQUEST);
            return;
        }
        String uri = originForm(request.uri());
        int questionMark = uri.indexOf('?');
        String path = questionMark < 0 ? uri : uri.substring(0, questionMark);
        String query = questionMark < 0 ? "" : uri.substring(questionMark + 1);
        // HEAD answers as GET does on the node's own documents, which health checks and probes send (RFC 9110 §9.1);
        // the HTTP codec leaves out the body.
        boolean read = request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD;
        if (read && path.equals("/healthz")) {
            writePlain(ctx, HttpResponseStatus.OK, "ok\n", keepAlive);
            return;
        }
        if (read && path.equals("/metrics")) {
            writePlain(ctx, HttpResponseStatus.OK, metrics.scrape(), keepAlive);
            return;
        }
        if (read && issuers.isPresent() && IssuerEndpoints.handles(path)) {
            // Unauthenticated, as OpenID Connect discovery is; the lookup may reach the store, so not on the event loop.
            try {
                operations.execute(() -> writeIssuerDocument(ctx, issuers.get(), path, keepAlive));
            } catch (RejectedExecutionException e) {
                writePlain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service unavailable\n", keepAlive);
            }
            return;
        }
        var metadata = metadata(ctx, request);
        if (console.isPresent() && console.get().handles(path)) {
            SignableRequest call = signable(request, path, query, ByteBufUtil.getBytes(request.content()));
            try {
                operations.execute(() -> answerOrFail(ctx, metadata.requestId(), keepAlive, () -> write(ctx,
                        console.get().answer(call, metadata).toResponse(metadata.requestId()), keepAlive)));
            } catch (RejectedExecutionException e) {
                writePlain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service unavailable\n", keepAlive);
            }
            return;
        }
        if (request.method() != HttpMethod.POST && request.method() != HttpMethod.GET) {
            writeQuery(ctx, ResponseRenderer.error(ApiVersion.STS, new ApiException(ErrorCode.INVALID_ACTION,
                    "The HTTP method " + request.method() + " is not supported; use POST or GET."),
                    metadata.requestId(), formatOf(request)), metadata.requestId(), keepAlive);
            return;
        }
        if (request.method() == HttpMethod.POST && path.equals(AuthorizationApi.PATH) && authorizationApi.isPresent()) {
            SignableRequest call = signable(request, path, query, ByteBufUtil.getBytes(request.content()));
            try {
                operations.execute(() -> answerOrFail(ctx, metadata.requestId(), keepAlive, () -> writeJson(ctx,
                        authorizationApi.get().handle(call, metadata), metadata, keepAlive)));
            } catch (RejectedExecutionException e) {
                writePlain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service unavailable\n", keepAlive);
            }
            return;
        }
        InboundRequest inbound;
        try {
            inbound = decode(request, path, query, metadata);
        } catch (QueryParameters.RepeatedParameterException e) {
            refuse(ctx, request, metadata, new ApiException(ErrorCode.MALFORMED_QUERY_STRING, "The request gives the "
                    + "parameter '" + ViolationWording.quoted(e.name()) + "' more than once."), keepAlive, false);
            return;
        } catch (IllegalArgumentException e) {
            refuse(ctx, request, metadata, new ApiException(ErrorCode.MALFORMED_QUERY_STRING,
                    "The request has a malformed percent-encoded parameter."), keepAlive, false);
            return;
        }
        if (stopping) {
            // Not run, but answered in the words of the API it called and audited as the other refusals are; the
            // connection is closed after, so that the client's retry goes to a new one (elsewhere).
            refuse(ctx, request, metadata, new ApiException(ErrorCode.SERVICE_UNAVAILABLE, SHUTTING_DOWN),
                    /* keepAlive= */ false, /* close= */ false);
            return;
        }
        unanswered.incrementAndGet();
        try {
            operations.execute(() -> dispatch(ctx, inbound, keepAlive));
        } catch (RejectedExecutionException e) {
            unanswered.decrementAndGet();
            boolean closing = stopping;
            ApiVersion api = inbound.parameters().get("Version").flatMap(ApiVersion::fromVersion)
                    .orElse(ApiVersion.STS);
            writeQuery(ctx, ResponseRenderer.error(api, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                    closing ? SHUTTING_DOWN : "The service is overloaded; retry later."),
                    metadata.requestId(), formatOf(request)), metadata.requestId(), keepAlive && !closing);
        }
    }

    /**
     * Refuses a request the pipeline will not pass on (see {@link RequestRefusals}): a body over the limit is answered
     * in the shape of the API its path belongs to (the authorization API's and the console's JSON, else the Query
     * protocol's XML), and every refusal is audited; a Query one is counted in the metrics too.
     */
    @Override
    public void refuse(ChannelHandlerContext ctx, HttpRequest request, ErrorCode code, String message) {
        var metadata = metadata(ctx, request);
        String path = pathOf(request.uri());
        var error = new ApiException(code, message);
        if (code == ErrorCode.REQUEST_ENTITY_TOO_LARGE && authorizationApi.isPresent()
                && request.method() == HttpMethod.POST && path.equals(AuthorizationApi.PATH)) {
            answerJsonRefusal(ctx, metadata, () -> jsonResponse(authorizationApi.get().refuse(error, metadata),
                    metadata));
            return;
        }
        if (code == ErrorCode.REQUEST_ENTITY_TOO_LARGE && console.isPresent() && console.get().handles(path)) {
            answerJsonRefusal(ctx, metadata, () -> console.get().refuse(path, error, metadata)
                    .toResponse(metadata.requestId()));
            return;
        }
        refuse(ctx, request, metadata, error, /* keepAlive= */ false, /* close= */ true);
    }

    /** Answers a refusal of one of the JSON APIs, which audit it themselves, on an operations thread; then closes. */
    private void answerJsonRefusal(ChannelHandlerContext ctx, RequestMetadata metadata,
            Supplier<FullHttpResponse> answer) {
        try {
            operations.execute(() -> answerOrFail(ctx, metadata.requestId(), false,
                    () -> Refusals.writeAndClose(ctx, clock, answer.get())));
        } catch (RejectedExecutionException e) {
            writePlain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service unavailable\n", false);
        }
    }

    /**
     * Refuses a Query request before running it ({@code MalformedQueryString}, {@code RequestEntityTooLarge}, the
     * {@code ServiceUnavailable} of a stopping server): its event names the {@code Action} and API it asked for if
     * they can be read unambiguously (from the query string, and from a form body that was read), else {@code
     * unknown}, as the dispatcher names an unknown action; it is answered in that API's words. Audited
     * and counted on an operations thread; answered once the event is recorded, as a call is, except a refusal in the
     * pipeline, which is answered at once.
     *
     * @param close whether to close the connection after the answer, as a refusal in the pipeline does
     */
    private void refuse(ChannelHandlerContext ctx, HttpRequest request, RequestMetadata metadata, ApiException error,
            boolean keepAlive, boolean close) {
        String uri = originForm(request.uri());
        int questionMark = uri.indexOf('?');
        String query = questionMark < 0 ? "" : uri.substring(questionMark + 1);
        String body = "";
        if (request instanceof FullHttpRequest full && request.method() == HttpMethod.POST && isForm(request)) {
            body = full.content().toString(UTF_8);
        }
        ApiVersion api = UnambiguousParameter.read("Version", query, body).flatMap(ApiVersion::fromVersion)
                .orElse(ApiVersion.STS);
        String action = UnambiguousParameter.read("Action", query, body).orElse("unknown");
        String requestId = metadata.requestId();
        ResponseFormat format = formatOf(request);
        if (close) {
            // Refused in the pipeline, perhaps with its body still arriving: answered now, before the client's end of
            // that body (or its close) can end the connection, and recorded after, since the refusal changed nothing.
            Refusals.writeAndClose(ctx, clock, queryResponse(ResponseRenderer.error(api, error, requestId, format),
                    requestId));
            try {
                operations.execute(() -> dispatcher.recordAnsweredRefusal(api, action, metadata, error));
            } catch (RejectedExecutionException e) {
                // Overloaded or stopping: not recorded, as the calls refused then are not.
            }
            return;
        }
        Consumer<QueryResponse> answer = response -> {
            try {
                writeQuery(ctx, response, requestId, keepAlive);
            } finally {
                unanswered.decrementAndGet();
            }
        };
        unanswered.incrementAndGet();
        try {
            operations.execute(() -> dispatcher.refuse(api, action, metadata, error, format, answer));
        } catch (RejectedExecutionException e) {
            // Overloaded or stopping: answered at once, as the calls refused then are, without an event.
            answer.accept(ResponseRenderer.error(api, error, requestId, format));
        }
    }

    /**
     * Runs one Query call on an operations thread. It is answered when the audit log holds its event, from the thread
     * that writes the event's batch, so this thread is free meanwhile unless it writes that batch itself. Exactly
     * once: should the dispatcher throw instead (a bug outside the action, which the dispatcher itself answers, or an
     * Error such as running out of memory), the call is answered {@code InternalFailure} here rather than left for the
     * client's timeout (and, pipelined behind it, the connection's next requests), with the connection kept as
     * {@link #awaitAnswers} counts on. An Error is rethrown once answered.
     */
    private void dispatch(ChannelHandlerContext ctx, InboundRequest inbound, boolean keepAlive) {
        String requestId = inbound.metadata().requestId();
        var answered = new AtomicBoolean();
        Consumer<QueryResponse> answer = response -> {
            if (answered.compareAndSet(false, true)) {
                try {
                    writeQuery(ctx, response, requestId, keepAlive);
                } finally {
                    unanswered.decrementAndGet();
                }
            }
        };
        try {
            dispatcher.dispatch(inbound, answer);
        } catch (RuntimeException | Error e) {
            // Answered before anything else, which could fail as well on a JVM out of memory.
            ApiVersion api = inbound.parameters().get("Version").flatMap(ApiVersion::fromVersion)
                    .orElse(ApiVersion.STS);
            answer.accept(ResponseRenderer.error(api, new ApiException(ErrorCode.INTERNAL_FAILURE,
                    QueryDispatcher.INTERNAL_FAILURE_MESSAGE), requestId,
                    ResponseFormat.accepting(inbound.signable().headers("Accept"))));
            LOG.error("Request {} failed outside its action", requestId, e);
            rethrowIfFatal(e);
        }
    }

    /**
     * Runs a request of the console or the authorization API, which answers it as it ends; if it throws instead, the
     * request is answered {@code 500} here rather than left for the client's timeout (and, pipelined behind it, the
     * connection's next requests). An Error is rethrown once answered.
     */
    private void answerOrFail(ChannelHandlerContext ctx, String requestId, boolean keepAlive, Runnable request) {
        try {
            request.run();
        } catch (RuntimeException | Error e) {
            writePlain(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error\n", keepAlive);
            LOG.error("Request {} failed", requestId, e);
            rethrowIfFatal(e);
        }
    }

    /**
     * Rethrows an Error, once its request is answered, for the thread's own handling; not a stack overflow, which
     * unwinds only the one request's stack.
     */
    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof Error error && !(error instanceof StackOverflowError)) {
            throw error;
        }
    }

    /**
     * From now on a Query request is not run but answered {@code 503 ServiceUnavailable}, "shutting down", audited
     * while the operations executor still takes the refusal (and at once, unaudited, once it is stopped too); the
     * connection is closed after the answer.
     */
    void stopTakingCalls() {
        stopping = true;
    }

    /**
     * Waits until every Query call taken in so far has been answered, or until {@code timeout} has passed: a call is
     * answered once its event is written, by the thread that wrote it, after the operations thread that ran it is
     * done. For a closing server, which stops taking calls first.
     *
     * @return whether every call was answered
     */
    boolean awaitAnswers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (unanswered.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * The path and query of a request target. A client talking to a proxy may send the absolute form
     * ({@code http://host:port/path?query}, RFC 9112 §3.2.2); what it signed is the path and query alone.
     */
    static String originForm(String target) {
        int scheme = target.indexOf("://");
        if (scheme <= 0 || target.startsWith("/")) {
            return target;
        }
        int path = target.indexOf('/', scheme + 3);
        int query = target.indexOf('?', scheme + 3);
        if (path < 0 || (query >= 0 && query < path)) {
            return query < 0 ? "/" : "/" + target.substring(query);
        }
        return target.substring(path);
    }

    /** A new request id, the time, the client's address, whether it came over TLS, its user agent, the region. */
    private RequestMetadata metadata(ChannelHandlerContext ctx, HttpRequest request) {
        return new RequestMetadata(RequestIds.next(), clock.instant(),
                ReceivedRequest.sourceIpOf(ctx.channel().remoteAddress()), ctx.pipeline().get(SslHandler.class) != null,
                Optional.ofNullable(request.headers().get(HttpHeaderNames.USER_AGENT)), nodeRegion);
    }

    private static String pathOf(String target) {
        String uri = originForm(target);
        int questionMark = uri.indexOf('?');
        return questionMark < 0 ? uri : uri.substring(0, questionMark);
    }

    /** The form a Query request asked its answer in, by its {@code Accept} headers (docs/WIRE.md). */
    private static ResponseFormat formatOf(HttpRequest request) {
        return ResponseFormat.accepting(request.headers().getAll(HttpHeaderNames.ACCEPT));
    }

    private static boolean isForm(HttpRequest request) {
        return request.headers().get(HttpHeaderNames.CONTENT_TYPE, "")
                .regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33);
    }

    /** Parameters from the query string and, for a form POST, from the body (AWS query protocol; docs/WIRE.md). */
    private static InboundRequest decode(FullHttpRequest request, String path, String query,
            RequestMetadata metadata) {
        byte[] body = ByteBufUtil.getBytes(request.content());
        QueryParameters.Builder parameters = QueryParameters.builder().addForm(query);
        if (request.method() == HttpMethod.POST && isForm(request)) {
            parameters.addForm(new String(body, UTF_8));
        }
        return new InboundRequest(parameters.build(), signable(request, path, query, body), metadata);
    }

    private static SignableRequest signable(FullHttpRequest request, String path, String query, byte[] body) {
        SignableRequest.Builder signable = SignableRequest.builder()
                .method(request.method().name())
                .path(path)
                .query(query)
                .body(body);
        for (Map.Entry<String, String> header : request.headers()) {
            signable.addHeader(header.getKey(), header.getValue());
        }
        return signable.build();
    }

    private void writeJson(ChannelHandlerContext ctx, AuthorizationApi.Answer answer, RequestMetadata metadata,
            boolean keepAlive) {
        write(ctx, jsonResponse(answer, metadata), keepAlive);
    }

    private static FullHttpResponse jsonResponse(AuthorizationApi.Answer answer, RequestMetadata metadata) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.status()),
                utf8(answer.json()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .set(REQUEST_ID_HEADER, metadata.requestId());
        return response;
    }

    private void writeQuery(ChannelHandlerContext ctx, QueryResponse answer, String requestId, boolean keepAlive) {
        write(ctx, queryResponse(answer, requestId), keepAlive);
    }

    private static FullHttpResponse queryResponse(QueryResponse answer, String requestId) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.httpStatus()), utf8(answer.body()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
                .set(REQUEST_ID_HEADER, requestId);
        return response;
    }

    private void writeIssuerDocument(ChannelHandlerContext ctx, IssuerEndpoints endpoints, String path,
            boolean keepAlive) {
        Optional<String> document;
        try {
            document = endpoints.document(path);
        } catch (RuntimeException e) {
            writePlain(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "Service unavailable\n", keepAlive);
            return;
        }
        if (document.isEmpty()) {
            writePlain(ctx, HttpResponseStatus.NOT_FOUND, "Not found\n", keepAlive);
            return;
        }
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                utf8(document.get()));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                // Verifiers refetch on an unknown kid; a short cache life bounds how long a dropped key lingers.
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=60");
        write(ctx, response, keepAlive);
    }

    private void writePlain(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
        var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, utf8(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        write(ctx, response, keepAlive);
    }

    /**
     * A body's bytes. {@link String#getBytes} copies the Latin-1 array of an ASCII string as it is, where Netty's
     * {@code copiedBuffer(CharSequence, UTF_8)} counts and then encodes character by character: that took a tenth of the
     * operations threads' samples in a profile of AssumeRole under load.
     */
    private static ByteBuf utf8(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(UTF_8));
    }

    private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        response.headers()
                .set(HttpHeaderNames.DATE, httpDate.format(clock.instant()))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Logged once (see {@link ConnectionErrors}), then the connection is closed. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionErrors.closeAfter(ctx, cause);
    }
}
