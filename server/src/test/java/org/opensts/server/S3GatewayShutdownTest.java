package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A node stopping while the S3 gateway streams a download: the download finishes before its connection closes, as a
 * call under way on the Query listener is answered; a connection with no request under way closes at once.
 */
class S3GatewayShutdownTest {
    private static final int BODY_PIECES = 10;
    private static final int PIECE_BYTES = 64 * 1024;

    @TempDir
    Path dataDir;

    private SlowStore store;
    private OpenStsNode node;
    private S3Presigner presigner;
    private URI endpoint;

    @BeforeEach
    void start() throws Exception {
        store = new SlowStore();
        var gateway = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0),
                URI.create("http://127.0.0.1:" + store.port()),
                SigningCredentials.of("SLOWSTOREKEY00000001", "slow-store-secret".getBytes(UTF_8)), Optional.empty());
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        endpoint = node.s3GatewayEndpoint().orElseThrow();
        presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        SdkClients.credentials(node.initialAdmin().orElseThrow())))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        presigner.close();
        if (node != null) {
            node.close();
        }
        store.close();
    }

    @Test
    void stoppingNode_letsADownloadUnderWayFinish_thenClosesItsConnection() throws Exception {
        try (Socket downloading = connect(); Socket idle = connect()) {
            downloading.getOutputStream().write(presignedGet("big.bin").getBytes(US_ASCII));
            assertThat(store.streaming.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(node::close);
            byte[] answer = downloading.getInputStream().readAllBytes();

            String text = new String(answer, US_ASCII);
            assertThat(text).startsWith("HTTP/1.1 200 ");
            assertThat(answer.length - text.indexOf("\r\n\r\n") - 4).isEqualTo(BODY_PIECES * PIECE_BYTES);
            assertThat(idle.getInputStream().read()).as("the idle connection is closed").isEqualTo(-1);
            stopped.get(30, TimeUnit.SECONDS);
            node = null;
        }
    }

    @Test
    void stoppingNode_letsAnUploadUnderWayFinish_andAnswersIt() throws Exception {
        int length = BODY_PIECES * PIECE_BYTES;
        try (Socket uploading = connect()) {
            OutputStream out = uploading.getOutputStream();
            out.write(presignedPutHead("upload.bin", length).getBytes(US_ASCII));
            out.write(new byte[length / 2]);
            out.flush();
            assertThat(store.receiving.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(node::close);
            Thread.sleep(200); // the stop has begun; the client, not knowing, sends the rest
            out.write(new byte[length - length / 2]);
            out.flush();

            String answer = new String(uploading.getInputStream().readAllBytes(), US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200 ");
            assertThat(store.uploaded).hasValue(length);
            stopped.get(30, TimeUnit.SECONDS);
            node = null;
        }
    }

    private String presignedPutHead(String key, int length) {
        URL url = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(o -> o.bucket("bucket").key(key))).url();
        return "PUT " + url.getFile() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\nContent-Length: " + length + "\r\n\r\n";
    }

    private String presignedGet(String key) {
        URL url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(o -> o.bucket("bucket").key(key))).url();
        return "GET " + url.getFile() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\n\r\n";
    }

    private Socket connect() throws IOException {
        var socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** A store that answers a GET with a body sent a piece at a time, slowly, and reads a PUT's body whole. */
    private static final class SlowStore implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final CountDownLatch streaming = new CountDownLatch(1);
        final CountDownLatch receiving = new CountDownLatch(1);
        final AtomicInteger uploaded = new AtomicInteger(-1);

        SlowStore() throws IOException {
            Thread serving = new Thread(this::serve, "slow-store");
            serving.setDaemon(true);
            serving.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (Socket client = listener.accept()) {
                    String head = readHead(client.getInputStream());
                    OutputStream out = client.getOutputStream();
                    if (head.startsWith("PUT ")) {
                        receiving.countDown();
                        uploaded.set(client.getInputStream().readNBytes(contentLength(head)).length);
                        out.write("HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 0\r\n\r\n".getBytes(US_ASCII));
                        continue;
                    }
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                            + BODY_PIECES * PIECE_BYTES + "\r\n\r\n").getBytes(US_ASCII));
                    for (int i = 0; i < BODY_PIECES; i++) {
                        out.write(new byte[PIECE_BYTES]);
                        out.flush();
                        streaming.countDown();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the listener closed, or the gateway dropped the connection
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed before the head's end");
                }
                head.append((char) b);
            }
            return head.toString();
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    return Integer.parseInt(line.substring(15).strip());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
