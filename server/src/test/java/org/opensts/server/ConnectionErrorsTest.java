package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.gateway.ConnectionErrors;
import org.opensts.gateway.Http1ServerCodec;
import org.slf4j.LoggerFactory;

class ConnectionErrorsTest {
    private static final int WARNINGS_PER_MINUTE = ConnectionErrors.WARNINGS_PER_MINUTE;
    private static final String SECRET = "FwoGZXIvYXdzEXAMPLEsessiontoken";

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionErrors.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicLong nanoTime = new AtomicLong(42);
    private final ConnectionErrors errors = new ConnectionErrors(nanoTime::get);
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(level);
    }

    record Case(String name, Throwable cause, Level level) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> causes() {
        return Stream.of(
                new Case("a connection reset by the peer is the peer's doing",
                        new SocketException("Connection reset"), Level.DEBUG),
                new Case("a broken pipe is the peer's doing", new IOException("Broken pipe"), Level.DEBUG),
                new Case("a write to a closed connection is the peer's doing", new ClosedChannelException(),
                        Level.DEBUG),
                new Case("a read timeout is the peer's doing", ReadTimeoutException.INSTANCE, Level.DEBUG),
                new Case("plain text on a TLS port is the peer's doing", new NotSslRecordException("not TLS"),
                        Level.DEBUG),
                new Case("a failed TLS handshake is the peer's doing",
                        new DecoderException(new SSLHandshakeException("no cipher suites in common")), Level.DEBUG),
                new Case("a connection closed in the middle of a request's body is the peer's doing",
                        new PrematureChannelClosureException(), Level.DEBUG),
                new Case("more pipelined requests than the codec's depth are the peer's doing",
                        tooManyRequestsAhead(), Level.DEBUG),
                new Case("a decoder's illegal state is unexpected, whatever its message says",
                        new DecoderException(new IllegalStateException("maxPipelineDepth exceeded: 128")), Level.WARN),
                new Case("a bug in a handler is unexpected", new IllegalStateException("bug"), Level.WARN),
                new Case("a failed allocation (a direct buffer for a read) is unexpected, and as rate-limited",
                        new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory"), Level.WARN),
                new Case("a decoder failing for another reason is unexpected",
                        new DecoderException(new IllegalArgumentException("bad")), Level.WARN));
    }

    /** What the listeners' HTTP codec throws when it decodes one request ahead of its answer and is sent two. */
    private static Throwable tooManyRequestsAhead() {
        var channel = new EmbeddedChannel(new Http1ServerCodec(4096, 8192, 1));
        try {
            channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: h\r\n\r\n".repeat(2),
                    StandardCharsets.US_ASCII));
            throw new AssertionError("the codec decoded both requests");
        } catch (DecoderException e) {
            return e;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void closeAfter_logsOnceAtTheCausesLevel_andClosesTheConnection(Case c) {
        var channel = new EmbeddedChannel(new Closing(errors));

        channel.pipeline().fireExceptionCaught(c.cause());

        assertThat(channel.isOpen()).isFalse();
        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getLevel()).isEqualTo(c.level());
            assertThat(event.getFormattedMessage()).contains(channel.remoteAddress().toString())
                    .contains(c.cause().getClass().getName());
        });
    }

    @Test
    void closeAfter_unexpectedError_logsItsClassesAndFramesButNoMessage() {
        var channel = new EmbeddedChannel(new Closing(errors));
        var cause = new DecoderException("header X-Amz-Security-Token: " + SECRET,
                new IllegalArgumentException("prohibited character in " + SECRET));

        channel.pipeline().fireExceptionCaught(cause);

        ILoggingEvent event = appender.list.get(0);
        IThrowableProxy logged = event.getThrowableProxy();
        String rendered = event.getFormattedMessage() + ThrowableProxyUtil.asString(logged);
        assertThat(rendered).doesNotContain(SECRET)
                .contains(DecoderException.class.getName(), IllegalArgumentException.class.getName())
                .contains("ConnectionErrorsTest.closeAfter_unexpectedError_logsItsClassesAndFramesButNoMessage");
        assertThat(List.of(logged.getMessage(), logged.getCause().getMessage()))
                .containsExactly(DecoderException.class.getName(), IllegalArgumentException.class.getName());
    }

    @Test
    void withoutMessages_causeThatIsItsOwnCauseTwoLevelsDown_stops() {
        var first = new IllegalStateException("a");
        var second = new IllegalStateException("b", first);
        first.initCause(second);

        Throwable redacted = ConnectionErrors.withoutMessages(first);

        assertThat(redacted.getCause().getCause()).isNull();
    }

    @Test
    void close_unexpectedErrorsBeyondTheMinutesBudget_areCountedNotLogged_andTheNextMinuteSaysHowMany() {
        for (int i = 0; i < WARNINGS_PER_MINUTE + 25; i++) {
            new EmbeddedChannel(new Closing(errors)).pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        }
        assertThat(appender.list).hasSize(WARNINGS_PER_MINUTE);

        nanoTime.addAndGet(TimeUnit.SECONDS.toNanos(60));
        var channel = new EmbeddedChannel(new Closing(errors));
        channel.pipeline().fireExceptionCaught(new IllegalStateException("bug"));

        assertThat(channel.isOpen()).isFalse();
        assertThat(appender.list).hasSize(WARNINGS_PER_MINUTE + 1);
        assertThat(appender.list.get(WARNINGS_PER_MINUTE).getFormattedMessage())
                .endsWith("(25 more such errors were not logged since the last one)");
    }

    @Test
    void close_peersErrors_spendNoWarnings() {
        for (int i = 0; i < 1_000; i++) {
            new EmbeddedChannel(new Closing(errors)).pipeline()
                    .fireExceptionCaught(new PrematureChannelClosureException());
        }
        new EmbeddedChannel(new Closing(errors)).pipeline().fireExceptionCaught(new IllegalStateException("bug"));

        assertThat(appender.list).filteredOn(event -> event.getLevel() == Level.WARN).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).doesNotContain("not logged"));
    }

    /** The end of a pipeline, as QueryProtocolHandler and the gateway's handlers are. */
    private static final class Closing extends ChannelInboundHandlerAdapter {
        private final ConnectionErrors errors;

        Closing(ConnectionErrors errors) {
            this.errors = errors;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            errors.close(context, cause);
        }
    }
}
