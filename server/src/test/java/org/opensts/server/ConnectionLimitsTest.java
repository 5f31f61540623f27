package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/** The connection cap, its default, and the logging that a flood of refusals or failed accepts may cause. */
class ConnectionLimitsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T09:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} descriptors -> {1} connections")
    @CsvSource({
        "1024, 512",
        "65536, 10000",
        "1048576, 10000",
        "100, 64",
        "0, 10000",
        "-1, 10000"
    })
    void defaultCap_isHalfTheDescriptorLimitWithinFloorAndCeiling(long descriptors, int expected) {
        assertThat(ConnectionLimits.forDescriptorLimit(descriptors)).isEqualTo(expected);
    }

    @Test
    void connectionBeyondTheCap_getsA503InTheQueryShapeAndIsClosed() {
        var limiter = new ConnectionLimiter(2, CLOCK, new RateLimitedLog(quietLogger(), 1, () -> 0));
        var first = new EmbeddedChannel();
        var second = new EmbeddedChannel();
        var third = new EmbeddedChannel();

        assertThat(limiter.admit(first, true)).isTrue();
        assertThat(limiter.admit(second, true)).isTrue();
        assertThat(limiter.admit(third, true)).isFalse();

        ByteBuf answer = third.readOutbound();
        String text = answer.toString(UTF_8);
        answer.release();
        assertThat(text).startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("Connection: close\r\n", "Content-Type: text/xml\r\n", "x-amzn-RequestId: ",
                        "Date: Sun, 06 Dec 2026 09:00:00 GMT\r\n", "<Type>Receiver</Type>",
                        "<Code>ServiceUnavailable</Code>")
                .endsWith("</ErrorResponse>");
        assertThat(text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(UTF_8).length)
                .isEqualTo(Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1")));
        assertThat(third.isOpen()).isFalse();
        assertThat(limiter.open()).isEqualTo(2);
    }

    @Test
    void overHttps_aConnectionBeyondTheCapIsClosedWithoutAnswer() {
        var limiter = new ConnectionLimiter(1, CLOCK, new RateLimitedLog(quietLogger(), 1, () -> 0));
        limiter.admit(new EmbeddedChannel(), false);
        var refused = new EmbeddedChannel();

        assertThat(limiter.admit(refused, false)).isFalse();
        assertThat((Object) refused.readOutbound()).isNull();
        assertThat(refused.isOpen()).isFalse();
    }

    @Test
    void aClosedConnection_freesItsPlace() {
        var limiter = new ConnectionLimiter(1, CLOCK, new RateLimitedLog(quietLogger(), 1, () -> 0));
        var first = new EmbeddedChannel();
        limiter.admit(first, true);

        first.close();

        assertThat(limiter.open()).isZero();
        assertThat(limiter.admit(new EmbeddedChannel(), true)).isTrue();
    }

    @Test
    void rateLimitedLog_writesTheFirstThenOneLinePerIntervalWithTheCount() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.rate-limited");
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        logger.addAppender(events);
        var now = new AtomicLong();
        var log = new RateLimitedLog(logger, TimeUnit.MINUTES.toNanos(1), now::get);
        try {
            for (int i = 0; i < 1000; i++) {
                log.warn("failed: {}", "Too many open files");
            }
            now.addAndGet(TimeUnit.MINUTES.toNanos(1));
            log.warn("failed: {}", "Too many open files");
        } finally {
            logger.detachAppender(events);
        }

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "failed: Too many open files",
                "failed: Too many open files (999 more since the last such line)");
        assertThat(events.list).allSatisfy(event -> assertThat(event.getThrowableProxy()).isNull());
    }

    @Test
    void acceptFailures_areLoggedOnceAMinuteWithoutStackTrace() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.accept-failures");
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        logger.addAppender(events);
        var channel = new EmbeddedChannel(new AcceptFailureLog(new RateLimitedLog(logger,
                TimeUnit.MINUTES.toNanos(1), () -> 0)));
        try {
            for (int i = 0; i < 500; i++) {
                channel.pipeline().fireExceptionCaught(new IOException("Too many open files"));
            }
            channel.checkException();
        } finally {
            logger.detachAppender(events);
            channel.finishAndReleaseAll();
        }

        assertThat(events.list).hasSize(1);
        assertThat(events.list.get(0).getFormattedMessage()).contains("java.io.IOException: Too many open files");
        assertThat(events.list.get(0).getThrowableProxy()).isNull();
    }

    private static Logger quietLogger() {
        Logger logger = (Logger) LoggerFactory.getLogger("test.quiet");
        logger.setLevel(ch.qos.logback.classic.Level.OFF);
        return logger;
    }
}
