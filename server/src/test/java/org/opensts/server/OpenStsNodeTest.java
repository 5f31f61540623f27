package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * How a node starts on a data directory that is in use: it refuses, saying what is wrong and changing nothing, where
 * going on would lose audit events.
 */
class OpenStsNodeTest {
    @TempDir
    Path dataDir;

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger nodeLogger = (Logger) LoggerFactory.getLogger(OpenStsNode.class);
    private OpenStsNode node;

    @BeforeEach
    void captureLog() {
        log.start();
        nodeLogger.addAppender(log);
    }

    @AfterEach
    void stop() {
        nodeLogger.detachAppender(log);
        if (node != null) {
            node.close();
        }
    }

    private OpenStsNode start() throws IOException, InterruptedException {
        return OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                "123456789012"));
    }

    /** Starts a node on the data directory, which creates the store and the admin, and stops it again. */
    private String startedOnceBefore() throws IOException, InterruptedException {
        start().close();
        return Files.readString(dataDir.resolve(OpenStsNode.ADMIN_CREDENTIALS_FILE), UTF_8);
    }

    // ---- one node per data directory

    @Test
    void start_onADataDirectoryANodeIsServingFrom_isRefusedNamingTheDirectory() throws Exception {
        node = start();

        var refused = catchThrowableOfType(DataDirectoryLock.DataDirectoryInUseException.class, this::start);

        assertThat(refused.getMessage()).startsWith("The data directory " + dataDir + " is in use by another node")
                .endsWith("each node needs a data directory of its own");
        assertThat(node.endpoint()).isNotNull();
    }

    @Test
    void start_afterTheNodeBeforeClosed_takesTheDataDirectory() throws Exception {
        start().close();

        node = start();

        assertThat(node.initialAdmin()).isEmpty();
    }
}
