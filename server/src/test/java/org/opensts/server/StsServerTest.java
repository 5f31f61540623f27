package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** How the listener stops, over real sockets on loopback: what it has started it answers before closing. */
class StsServerTest {
    /** How long a read or a wait lasts before the test fails; far beyond any answer's time. */
    private static final int GIVE_UP_MILLIS = 30_000;

    /**
     * A call under way when the node begins to stop is answered before its connection closes, while a connection with
     * nothing under way is closed at once rather than when the call ends. (The answer says {@code Connection: close}
     * when the stop reached its connection first; either way the client reads it whole.)
     */
    @Test
    void close_callUnderWay_isAnsweredBeforeItsConnectionCloses(@TempDir Path dataDir) throws Exception {
        AwsBasicCredentials caller = TestNodes.knownKey("caller");
        OpenStsNode node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: caller
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(caller.accessKeyId(), caller.secretAccessKey()));
        var recording = new CountDownLatch(1);
        var recorded = new CountDownLatch(1);
        // The call is under way until its audit event is recorded: the sink holds it there.
        AuditLog.sendTo(event -> {
            if (event.contains("\"GetCallerIdentity\"")) {
                recording.countDown();
                await(recorded);
            }
        });
        CompletableFuture<Void> closed = null;
        try (Socket busy = connect(node); Socket idle = connect(node)) {
            send(idle, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertThat(RawHttpAnswers.readOne(idle.getInputStream())).startsWith("HTTP/1.1 200 ");
            send(busy, signedGetCallerIdentity(node, caller));
            assertThat(recording.await(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS)).as("the call is under way").isTrue();

            closed = CompletableFuture.runAsync(node::close);

            assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
            recorded.countDown();
            InputStream in = busy.getInputStream();
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").contains("<GetCallerIdentityResult>");
            assertThat(in.read()).as("then the connection is closed").isEqualTo(-1);
            closed.get(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
        } finally {
            recorded.countDown();
            AuditLog.sendToLogger();
            if (closed == null) {
                node.close();
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(GIVE_UP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Socket connect(OpenStsNode node) throws IOException {
        var socket = new Socket();
        socket.connect(node.address());
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(UTF_8));
        socket.getOutputStream().flush();
    }

    /** A GetCallerIdentity POST on a kept-alive connection, signed for {@code caller} now. */
    private static String signedGetCallerIdentity(OpenStsNode node, AwsBasicCredentials caller) {
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder()
                        .method("POST")
                        .path("/")
                        .addHeader("Host", "127.0.0.1:" + node.address().getPort())
                        .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .body("Action=GetCallerIdentity&Version=2011-06-15".getBytes(UTF_8))
                        .build(),
                SigningCredentials.of(caller.accessKeyId(), caller.secretAccessKey().getBytes(UTF_8)), "us-east-1",
                "sts", Instant.now());
        var http = new StringBuilder("POST / HTTP/1.1\r\n");
        for (int i = 0; i < signed.headerCount(); i++) {
            http.append(signed.headerName(i)).append(": ").append(signed.headerValue(i)).append("\r\n");
        }
        ByteBuffer body = signed.body();
        return http.append("Content-Length: ").append(body.remaining()).append("\r\n\r\n")
                .append(UTF_8.decode(body)).toString();
    }
}
