package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
}
