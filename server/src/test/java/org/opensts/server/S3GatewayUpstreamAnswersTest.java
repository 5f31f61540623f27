package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * How the S3 gateway relays answers of a store that are unusual but legal HTTP, with requests pipelined behind them:
 * an interim answer (103 Early Hints) before the final one, and a final answer whose body ends only where the store's
 * connection does. The store here is a scripted one on loopback, since a real one sends neither on cue.
 */
class S3GatewayUpstreamAnswersTest {
    private static final int GIVE_UP_MILLIS = 30_000;

    @TempDir
    static Path dataDir;

    private static ScriptedStore store;
    private static OpenStsNode node;
    private static S3Presigner presigner;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        store = new ScriptedStore();
        var gateway = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0),
                URI.create("http://127.0.0.1:" + store.port()),
                SigningCredentials.of("SCRIPTEDSTOREKEY0001", "scripted-store-secret".getBytes(UTF_8)),
                Optional.empty());
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        endpoint = node.s3GatewayEndpoint().orElseThrow();
        presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        SdkClients.credentials(node.initialAdmin().orElseThrow())))
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        presigner.close();
        node.close();
        store.close();
    }

    /** The interim answer is not taken for the final one: each of two pipelined reads gets its own object. */
    @Test
    void interimAnswerOfTheStore_isNotTakenForTheFinalOne() throws IOException {
        store.answer = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal";
        int before = store.requests;

        try (Socket socket = connect()) {
            socket.getOutputStream().write((presignedGet("a.txt") + presignedGet("b.txt")).getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfinal");
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfinal");
        }
        assertThat(store.requests - before).isEqualTo(2);
    }

    /**
     * An answer without a length whose end is where the store closes its connection: the client is told the
     * connection closes too, and finds the end of the body the same way; the read pipelined behind it never runs.
     */
    @Test
    void answerThatEndsWhereTheStoresConnectionDoes_closesTheClientConnectionToo() throws IOException {
        store.answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nthe whole body";
        store.closeAfterAnswer = true;
        int before = store.requests;

        try (Socket socket = connect()) {
            socket.getOutputStream().write((presignedGet("a.txt") + presignedGet("b.txt")).getBytes(US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 200 ").containsIgnoringCase("\r\nconnection: close\r\n")
                    .endsWith("\r\n\r\nthe whole body");
        } finally {
            store.closeAfterAnswer = false;
        }
        assertThat(store.requests - before).isEqualTo(1);
    }

    /**
     * A bucket-level answer is held until its audit event is recorded: a store that drops its connection in the middle
     * of it leaves the client with the gateway's own error, not a connection closed without an answer.
     */
    @Test
    void storeLostInTheMiddleOfAHeldBucketAnswer_isAnsweredInternalError() {
        store.answer = "HTTP/1.1 409 Conflict\r\nContent-Type: application/xml\r\nContent-Length: 200\r\n\r\n"
                + "<Error><Code>BucketNotEmpty</Code>";
        store.closeAfterAnswer = true;
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        SdkClients.credentials(node.initialAdmin().orElseThrow())))
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build()) {
            assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("bucket")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(500);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalError");
                    });
        } finally {
            store.closeAfterAnswer = false;
            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /** Store answers the gateway's HTTP client cannot read, each named for what is wrong with it. */
    static Stream<Arguments> unreadableAnswers() {
        return Stream.of(
                Arguments.of("a length beside chunked", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                Arguments.of("two different lengths",
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                Arguments.of("100 KB of headers", "HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(100 * 1024)
                        + "\r\nContent-Length: 0\r\n\r\n"),
                Arguments.of("not HTTP", "SSH-2.0-OpenSSH_9.6\r\n\r\n"));
    }

    /**
     * An answer the gateway cannot read is not relayed (nor a placeholder for it): the client gets S3's InternalError
     * at once, as for a store that drops the request, and its connection serves the next request.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableAnswers")
    void unreadableStoreAnswer_isInternalErrorAtOnce_andTheConnectionGoesOn(String name, String unreadable)
            throws IOException {
        try (Socket socket = connect()) {
            store.answer = unreadable;
            socket.getOutputStream().write(presignedGet("a.txt").getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 500 ")
                    .contains("<Code>InternalError</Code>");

            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal";
            socket.getOutputStream().write(presignedGet("b.txt").getBytes(US_ASCII));
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfinal");
        } finally {
            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /**
     * A 204 followed by bytes that belong to no answer: the 204 is relayed, and the next read gets either a fresh
     * answer of the store or the gateway's InternalError, never the codec's placeholder for what it could not read.
     */
    @Test
    void bytesAfterABodilessAnswer_areNeverRelayedAsAnAnswer() throws IOException {
        store.answer = "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello";
        try (Socket socket = connect()) {
            socket.getOutputStream().write((presignedGet("a.txt") + presignedGet("b.txt")).getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 204 ");
            assertThat(RawHttpAnswers.readOne(in)).matches("(?s)HTTP/1\\.1 (204 |500 .*<Code>InternalError</Code>).*");
        } finally {
            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /**
     * RFC 9112 §6.1: no Transfer-Encoding in an answer to an HTTP/1.0 request. A chunked answer of the store reaches
     * such a client decoded, its end marked by the connection closing.
     */
    @Test
    void chunkedStoreAnswer_reachesAnHttp10ClientDecoded_andDelimitedByTheClose() throws IOException {
        store.answer = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n"
                + "0\r\n\r\n";
        try (Socket socket = connect()) {
            socket.getOutputStream().write(presignedGet("a.txt").replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n")
                    .getBytes(US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), US_ASCII);

            assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContainIgnoringCase("transfer-encoding")
                    .containsIgnoringCase("\r\nconnection: close\r\n").endsWith("\r\n\r\nhello world");
        } finally {
            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        }
    }

    /** Clients sign for the gateway's region: HeadBucket names it, whatever region the store keeps the bucket in. */
    @Test
    void headBucket_namesTheGatewaysRegion_notTheStores() {
        store.answer = "HTTP/1.1 200 OK\r\nx-amz-bucket-region: eu-central-1\r\nContent-Length: 0\r\n\r\n";
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(
                        SdkClients.credentials(node.initialAdmin().orElseThrow())))
                .build()) {
            assertThat(s3.headBucket(h -> h.bucket("bucket")).bucketRegion()).isEqualTo("us-east-1");
        } finally {
            store.answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        }
    }

    private static String presignedGet(String key) {
        URL url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(o -> o.bucket("bucket").key(key))).url();
        return "GET " + url.getFile() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\n\r\n";
    }

    private static Socket connect() throws IOException {
        var socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }

    /** A store that answers every request, whatever it asks, with {@link #answer}. */
    private static final class ScriptedStore implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        volatile String answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        volatile boolean closeAfterAnswer;
        volatile int requests;

        ScriptedStore() throws IOException {
            var thread = new Thread(this::serve, "scripted-store");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void serve() {
            while (!listener.isClosed()) {
                try (Socket connection = listener.accept()) {
                    InputStream in = connection.getInputStream();
                    while (readHead(in)) {
                        requests++;
                        connection.getOutputStream().write(answer.getBytes(US_ASCII));
                        if (closeAfterAnswer) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    // The gateway closed its connection, or the store was closed.
                }
            }
        }

        /** Reads a request's head (the gateway's GETs have no body); false at the end of the connection. */
        private static boolean readHead(InputStream in) throws IOException {
            var head = new ByteArrayOutputStream();
            while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                head.write(b);
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
