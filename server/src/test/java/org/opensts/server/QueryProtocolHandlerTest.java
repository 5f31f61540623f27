package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.gateway.ConnectionErrors;
import org.opensts.sts.StsShapes;
import org.slf4j.LoggerFactory;

class QueryProtocolHandlerTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/, /",
        "/?Action=GetCallerIdentity, /?Action=GetCallerIdentity",
        "http://sts.example.test:8790/?Action=X, /?Action=X",
        "http://sts.example.test:8790, /",
        "http://sts.example.test?Action=X, /?Action=X",
        "https://sts.example.test/a/b?c=d, /a/b?c=d",
        "/path/with://inside, /path/with://inside"
    })
    void originForm_keepsOnlyPathAndQuery(String target, String expected) {
        assertThat(QueryProtocolHandler.originForm(target)).isEqualTo(expected);
    }

    @Test
    void exceptionCaught_unexpectedError_isLoggedAtWarnAndTheConnectionClosed() {
        var handler = new QueryProtocolHandler(null, Runnable::run, null, Clock.systemUTC(), "us-east-1",
                Optional.empty());
        var channel = new EmbeddedChannel(handler);
        Logger logger = (Logger) LoggerFactory.getLogger(ConnectionErrors.class);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            channel.pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(channel.isOpen()).isFalse();
        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.WARN);
            assertThat(event.getFormattedMessage()).contains(IllegalStateException.class.getName());
        });
    }

    @Test
    void channelRead_dispatcherThrowsOutsideTheAction_isAnsweredInternalFailureOnce_andTheConnectionKept() {
        QueryAction succeeding = StsActions.action("Succeed", StsShapes.GET_CALLER_IDENTITY_REQUEST,
                /* signed= */ false, (caller, metadata, input) -> ActionResult.empty());
        var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(succeeding)), new ServerMetrics());
        var handler = new QueryProtocolHandler(dispatcher, Runnable::run, null, Clock.systemUTC(), "us-east-1",
                Optional.empty());
        var channel = new EmbeddedChannel(handler);
        // A sink with a bug: it throws where it should report through whenDone, so dispatch itself throws.
        AuditLog.sendTo(new AuditSink() {
            @Override
            public void append(String event) {
                throw new IllegalStateException("bug");
            }

            @Override
            public void append(String event, Consumer<AuditUnavailableException> whenDone) {
                throw new IllegalStateException("bug");
            }
        });
        try {
            var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                    Unpooled.copiedBuffer("Action=Succeed&Version=2011-06-15", StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .set(HttpHeaderNames.HOST, "sts.example.test");
            channel.writeInbound(request);
        } finally {
            AuditLog.sendToLogger();
        }

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(500);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("<Code>InternalFailure</Code>")
                .contains("<RequestId>" + response.headers().get(QueryProtocolHandler.REQUEST_ID_HEADER));
        assertThat((Object) channel.readOutbound()).as("answered once").isNull();
        assertThat(channel.isOpen()).isTrue();
        response.release();
    }

    /** A node's pipeline in an embedded channel, with limits small enough to reach; its audit events and metrics. */
    private static final class Node {
        static final HttpLimits LIMITS = new HttpLimits(256, 1024, 300, 100, 2048, 20);
        final ServerMetrics metrics = new ServerMetrics();
        final List<JsonNode> events = new ArrayList<>();
        final EmbeddedChannel channel;

        Node() {
            this(Optional.empty());
        }

        Node(Optional<ConsoleRoutes> console) {
            QueryAction succeeding = StsActions.action("Succeed", StsShapes.GET_CALLER_IDENTITY_REQUEST,
                    /* signed= */ false, (caller, metadata, input) -> ActionResult.empty());
            var dispatcher = new QueryDispatcher(null, Map.of(ApiVersion.STS, List.of(succeeding)), metrics);
            var handler = new QueryProtocolHandler(dispatcher, Runnable::run, metrics, Clock.systemUTC(), "us-east-1",
                    Optional.empty(), Optional.empty(), console);
            Clock clock = Clock.systemUTC();
            channel = new EmbeddedChannel(HttpLimits.withMaxBody(LIMITS.maxBodyBytes()).codec(),
                    new HttpRequestGuard(LIMITS, clock, handler),
                    new BoundedAggregator(LIMITS.maxBodyBytes(), handler),
                    new QueryParameterLimit(LIMITS.maxParameters(), handler), handler);
        }

        /** Sends {@code request} (raw HTTP) and returns the answer's text, recording the audit events meanwhile. */
        String send(String request) {
            AuditLog.sendTo(event -> {
                try {
                    events.add(JSON.readTree(event));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
            } finally {
                AuditLog.sendToLogger();
            }
            var out = new StringBuilder();
            for (Object message; (message = channel.readOutbound()) != null; ) {
                ByteBuf bytes = (ByteBuf) message;
                out.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.release();
            }
            return out.toString();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String post(String target, String body) {
        return "POST " + target + " HTTP/1.1\r\nHost: sts.example.test\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    record Malformed(String name, String target, String body, String eventName, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformedQueries() {
        return Stream.of(
                new Malformed("a parameter given twice in the body", "/",
                        "Action=Succeed&Version=2011-06-15&RoleArn=a&RoleArn=b", "Succeed",
                        "The request gives the parameter 'RoleArn' more than once."),
                new Malformed("a parameter given in the query and in the body", "/?RoleArn=a",
                        "Action=Succeed&Version=2011-06-15&RoleArn=b", "Succeed",
                        "The request gives the parameter 'RoleArn' more than once."),
                new Malformed("the Action given twice", "/", "Action=Succeed&Action=Other&Version=2011-06-15",
                        "unknown", "The request gives the parameter 'Action' more than once."),
                new Malformed("the Action given once plainly and once encoded", "/?Act%69on=Other",
                        "Action=Succeed&Version=2011-06-15", "unknown",
                        "The request gives the parameter 'Action' more than once."),
                new Malformed("a malformed percent escape", "/", "Action=Succeed&Version=2011-06-15&Policy=%zz",
                        "Succeed", "The request has a malformed percent-encoded parameter."),
                new Malformed("a malformed percent escape in the Action", "/", "Action=Succ%zeed&Version=2011-06-15",
                        "unknown", "The request has a malformed percent-encoded parameter."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedQueries")
    void malformedQueryString_isAuditedWithTheActionItCouldRead_andCounted(Malformed c) throws Exception {
        var node = new Node();

        String answer = node.send(post(c.target(), c.body()));

        assertThat(answer).startsWith("HTTP/1.1 404 ").contains("<Code>MalformedQueryString</Code>");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo(c.eventName());
            assertThat(event.get("eventSource").asText()).isEqualTo("sts.amazonaws.com");
            assertThat(event.get("errorCode").asText()).isEqualTo("MalformedQueryString");
            assertThat(event.get("errorMessage").asText()).isEqualTo(c.message());
            assertThat(event.has("userIdentity")).as("no one is authenticated").isFalse();
            assertThat(answer).contains("<RequestId>" + event.get("requestID").asText() + "</RequestId>");
        });
        String action = c.eventName().equals("Succeed") ? "Succeed" : "unknown";
        assertThat(node.metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"" + action
                        + "\",api=\"sts\",outcome=\"ClientError\"} 1")
                .contains("opensts_request_errors_total{api=\"sts\",code=\"MalformedQueryString\"} 1");
        assertThat(node.channel.isOpen()).as("the request was read whole: the connection is kept").isTrue();
        node.channel.finishAndReleaseAll();
    }

    @Test
    void malformedQueryString_moreParametersThanTheLimit_isAuditedAndCounted_andTheConnectionClosed() {
        var node = new Node();
        String body = "Action=Succeed&Version=2011-06-15" + "&X=1".repeat(Node.LIMITS.maxParameters());

        String answer = node.send(post("/", body));

        assertThat(answer).startsWith("HTTP/1.1 404 ").contains("<Code>MalformedQueryString</Code>")
                .contains("more than " + Node.LIMITS.maxParameters() + " parameters");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo("Succeed");
            assertThat(event.get("errorCode").asText()).isEqualTo("MalformedQueryString");
        });
        assertThat(node.metrics.scrape())
                .contains("opensts_request_errors_total{api=\"sts\",code=\"MalformedQueryString\"} 1");
        assertThat(node.channel.isOpen()).isFalse();
    }

    @Test
    void requestEntityTooLarge_declaredLength_isAuditedWithTheQueryStringsAction_andCounted() {
        var node = new Node();
        int length = Node.LIMITS.maxBodyBytes() + 1;

        String answer = node.send("POST /?Action=Succeed&Version=2011-06-15 HTTP/1.1\r\nHost: h\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + length + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("<Code>RequestEntityTooLarge</Code>");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo("Succeed");
            assertThat(event.get("errorCode").asText()).isEqualTo("RequestEntityTooLarge");
        });
        assertThat(node.metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"Succeed\",api=\"sts\",outcome=\"ClientError\"} 1")
                .contains("opensts_request_errors_total{api=\"sts\",code=\"RequestEntityTooLarge\"} 1");
        assertThat(node.channel.isOpen()).isFalse();
    }

    /**
     * A Query request that reaches a stopping server is not run but answered in the words of the API it called (IAM's
     * namespace for an IAM call, not STS's), audited as a refusal, and its connection closed.
     */
    @Test
    void stoppingServer_iamCall_isServiceUnavailableInIamsWords_auditedAndTheConnectionClosed() {
        var node = new Node();
        node.channel.pipeline().get(QueryProtocolHandler.class).stopTakingCalls();

        String answer = node.send(post("/", "Action=CreateUser&Version=2010-05-08&UserName=late"));

        assertThat(answer).startsWith("HTTP/1.1 503 ").containsIgnoringCase("connection: close\r\n")
                .contains("xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"", "<Code>ServiceUnavailable</Code>",
                        QueryProtocolHandler.SHUTTING_DOWN)
                .doesNotContain("sts.amazonaws.com");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo("CreateUser");
            assertThat(event.get("eventSource").asText()).isEqualTo("iam.amazonaws.com");
            assertThat(event.get("errorCode").asText()).isEqualTo("ServiceUnavailable");
            assertThat(event.get("errorMessage").asText()).isEqualTo(QueryProtocolHandler.SHUTTING_DOWN);
            assertThat(answer).contains("<RequestId>" + event.get("requestID").asText() + "</RequestId>");
        });
        assertThat(node.channel.isOpen()).isFalse();
    }

    /** Health checks and probes send HEAD: the node's own documents answer it as GET, without the body. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/healthz", "/metrics"})
    void head_ofTheNodesOwnDocuments_isAnsweredAsGet_withoutAnAuditEvent(String path) {
        var node = new Node();

        String get = node.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");
        String head = node.send("HEAD " + path + " HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(head).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n");
        assertThat(head.substring(0, head.indexOf("\r\n"))).isEqualTo(get.substring(0, get.indexOf("\r\n")));
        assertThat(node.events).isEmpty();
    }

    @Test
    void requestNamingNoAction_isMissingAction_auditedAsUnknown() {
        var node = new Node();

        String answer = node.send(post("/", "Version=2011-06-15"));

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("<Code>MissingAction</Code>");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo("unknown");
            assertThat(event.get("errorCode").asText()).isEqualTo("MissingAction");
        });
    }

    @Test
    void requestEntityTooLarge_chunkedBody_isAuditedAsUnknownWhenOnlyTheBodyNamesTheAction() {
        var node = new Node();
        String chunk = "Action=Succeed&" + "X".repeat(Node.LIMITS.maxBodyBytes());

        String answer = node.send("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("<Code>RequestEntityTooLarge</Code>");
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventName").asText()).isEqualTo("unknown");
            assertThat(event.get("errorCode").asText()).isEqualTo("RequestEntityTooLarge");
        });
        assertThat(node.metrics.scrape())
                .contains("opensts_requests_seconds_count{action=\"unknown\",api=\"sts\",outcome=\"ClientError\"} 1");
    }

    @Test
    void requestEntityTooLarge_forAConsoleApi_isAnsweredInItsJsonShape_andAudited() throws Exception {
        var api = new ConsoleApi(null, null, null, null, null);
        var node = new Node(Optional.of(new ConsoleRoutes(null, null, Optional.of(api))));
        int length = Node.LIMITS.maxBodyBytes() + 1;

        String answer = node.send("POST /audit/events HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + length + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: application/json")
                .doesNotContain("<ErrorResponse");
        JsonNode body = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(body.at("/Error/Code").asText()).isEqualTo("RequestEntityTooLarge");
        assertThat(body.at("/Error/Message").asText()).isEqualTo(HttpRequestGuard.tooLarge(Node.LIMITS.maxBodyBytes()));
        assertThat(node.events).singleElement().satisfies(event -> {
            assertThat(event.get("eventSource").asText()).isEqualTo("opensts");
            assertThat(event.get("eventName").asText()).isEqualTo("ListAuditEvents");
            assertThat(event.get("errorCode").asText()).isEqualTo("RequestEntityTooLarge");
        });
        assertThat(node.channel.isOpen()).isFalse();
    }
}
