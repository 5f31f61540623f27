package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opensts.gateway.ConnectionErrors;
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
}
