package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sockets on loopback against a node whose timeouts are short: 400 ms idle, 800 ms for a request to arrive. A
 * test waits for the node to close the connection by reading from it, and never sleeps longer than a timeout.
 */
class ConnectionTimeoutsTest {
    private static final Duration IDLE = Duration.ofMillis(400);
    private static final Duration REQUEST = Duration.ofMillis(800);
    /** How long a test waits for a close before it gives up; far beyond both timeouts. */
    private static final int GIVE_UP_MILLIS = 30_000;

    @TempDir
    static Path dataDir;
    private static OpenStsNode node;

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT)
                .withConnectionTimeouts(new ConnectionTimeouts(IDLE, REQUEST)));
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aConnectionThatSendsNothing_isClosed() throws IOException {
        try (Socket socket = connect()) {
            assertThat(waitForClose(socket)).isTrue();
        }
    }

    @Test
    void aConnectionWhoseHeadersStopHalfway_isClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\n");
            assertThat(waitForClose(socket)).isTrue();
        }
    }

    @Test
    void aConnectionWhoseBodyNeverArrives_isClosed() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nAction=");
            assertThat(waitForClose(socket)).isTrue();
        }
    }

    /**
     * Slowloris: a header byte every 100 ms, a quarter of the idle timeout, so an idle timer alone would never fire.
     * The request deadline closes the connection however often bytes come.
     */
    @Test
    void aRequestSentAByteAtATime_isClosedAtTheRequestDeadline() throws IOException {
        byte[] endless = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(US_ASCII);
        try (Socket socket = connect()) {
            socket.setSoTimeout(100);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            boolean closed = false;
            for (int i = 0; i < GIVE_UP_MILLIS / 100 && !closed; i++) {
                try {
                    out.write(i < endless.length ? endless[i] : 'a');
                    out.flush();
                    closed = in.read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // The node has not closed it yet: send the next byte.
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).isTrue();
        }
    }

    @Test
    void aRequestThatArrives_isAnsweredAndTheConnectionThenClosedWhenIdle() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            socket.setSoTimeout(GIVE_UP_MILLIS);
            byte[] status = socket.getInputStream().readNBytes("HTTP/1.1 200".length());
            assertThat(new String(status, US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(waitForClose(socket)).isTrue();
        }
    }

    /**
     * A pipelining slowloris: the next request's first bytes sent with the end of the one before, the rest never. With
     * an idle timeout far longer than the test waits, only the request deadline, from those first bytes, closes it.
     */
    @Test
    void aRequestBegunInTheSameSegmentAsTheOneBeforeItEnds_isClosedAtItsRequestDeadline(@TempDir Path patient)
            throws Exception {
        try (OpenStsNode longIdle = OpenStsNode.start(OpenStsNode.Config.embedded(patient,
                        new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT)
                        .withConnectionTimeouts(new ConnectionTimeouts(Duration.ofHours(1), REQUEST)));
                Socket socket = new Socket()) {
            socket.connect(longIdle.address());
            send(socket, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: local");
            socket.setSoTimeout(GIVE_UP_MILLIS);
            byte[] status = socket.getInputStream().readNBytes("HTTP/1.1 200".length());

            assertThat(new String(status, US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(waitForClose(socket)).isTrue();
        }
    }

    private Socket connect() throws IOException {
        var socket = new Socket();
        socket.connect(node.address());
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Reads until the node closes the connection (true) or {@link #GIVE_UP_MILLIS} pass without it (false). */
    private static boolean waitForClose(Socket socket) throws IOException {
        socket.setSoTimeout(GIVE_UP_MILLIS);
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // Drain whatever the node answered before closing.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
