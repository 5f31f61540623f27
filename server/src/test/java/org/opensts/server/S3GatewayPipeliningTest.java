package org.opensts.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * HTTP/1.1 pipelining against the S3 gateway of a real node in front of a real S3 server: requests a client sends
 * without waiting for the answers are answered in their order (RFC 9112 §9.3.2), none runs after a response that
 * closes the connection (§9.6), and a client that sends without reading is not read on until it reads.
 */
class S3GatewayPipeliningTest {
    private static final int GIVE_UP_MILLIS = 30_000;

    @TempDir
    static Path dataDir;

    private static UpstreamS3 upstream;
    private static OpenStsNode node;
    private static S3Client adminS3;
    private static S3Presigner presigner;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        upstream = UpstreamS3.start();
        var gateway = upstream.gatewayOptions();
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                TestNodes.ACCOUNT).withRateLimit(RateLimit.DISABLED), Optional.empty(), Optional.of(gateway));
        AwsBasicCredentials admin = SdkClients.credentials(node.initialAdmin().orElseThrow());
        endpoint = node.s3GatewayEndpoint().orElseThrow();
        adminS3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(admin))
                .httpClient(UrlConnectionHttpClient.create()).build();
        presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(admin)).build();
        adminS3.createBucket(b -> b.bucket("pipes"));
        adminS3.putObject(p -> p.bucket("pipes").key("first.txt"), RequestBody.fromString("first"));
        adminS3.putObject(p -> p.bucket("pipes").key("second.txt"), RequestBody.fromString("second"));
    }

    @AfterAll
    static void stop() throws Exception {
        presigner.close();
        adminS3.close();
        node.close();
        upstream.close();
    }

    /**
     * Four requests in one write: two reads of different objects, an unsigned request and a read that closes. Each
     * is answered in its turn, though each waits for its decision off the event loop and the third is refused.
     */
    @Test
    void pipelinedRequests_areAnsweredInTheOrderTheyWereSent() throws IOException {
        String requests = presignedGet("first.txt", "") + presignedGet("second.txt", "")
                + "GET /pipes/first.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + presignedGet("first.txt", "Connection: close\r\n");

        try (Socket socket = connect()) {
            socket.getOutputStream().write(requests.getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfirst");
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nsecond");
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 403 ").contains("<Code>AccessDenied</Code>");
            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfirst");
            assertThat(in.read()).as("closed after the answer that said so").isEqualTo(-1);
        }
    }

    /** A delete sent after a read that closes the connection is never answered, and never reaches the store. */
    @Test
    void requestAfterAResponseThatCloses_neverRuns() throws IOException {
        adminS3.putObject(p -> p.bucket("pipes").key("kept.txt"), RequestBody.fromString("kept"));
        URL delete = presigner.presignDeleteObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .deleteObjectRequest(o -> o.bucket("pipes").key("kept.txt"))).url();
        String requests = presignedGet("first.txt", "Connection: close\r\n") + "DELETE " + delete.getFile()
                + " HTTP/1.1\r\nHost: " + hostHeader() + "\r\n\r\n";

        try (Socket socket = connect()) {
            socket.getOutputStream().write(requests.getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nfirst");
            assertThat(in.read()).as("nothing after the closing answer").isEqualTo(-1);
        }
        assertThat(adminS3.getObjectAsBytes(g -> g.bucket("pipes").key("kept.txt")).asUtf8String())
                .isEqualTo("kept");
    }

    /**
     * A body the codec cannot read (a chunk size that is not hexadecimal) ends the connection with a 400 at once: the
     * codec reads nothing more of it, so a request pipelined behind would otherwise wait for an answer that never
     * comes.
     */
    @Test
    void bodyTheCodecCannotRead_is400AndClosesTheConnection() throws IOException {
        URL put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(o -> o.bucket("pipes").key("broken.txt"))).url();
        String requests = "PUT " + put.getFile() + " HTTP/1.1\r\nHost: " + hostHeader()
                + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbody\r\n0\r\n\r\n" + presignedGet("first.txt", "");

        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(requests.getBytes(US_ASCII));
            InputStream in = socket.getInputStream();

            assertThat(RawHttpAnswers.readOne(in)).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
                    .contains("<Code>BadRequest</Code>");
            assertThat(in.read()).as("closed after the refusal").isEqualTo(-1);
        }
    }

    /**
     * A client that keeps sending requests and reads none of the answers: once the answers back up, the gateway reads
     * no more of the connection (so that it holds a bounded amount of them), and the client's writes stall; once the
     * client reads, it gets an answer to every request, in order, on the same connection.
     */
    @Test
    @Timeout(120) // a channel's reads have no timeout of their own
    void clientThatSendsWithoutReading_isNotReadOnUntilItReads_andThenGetsEveryAnswer() throws Exception {
        // Unsigned, so each is refused (403) without reaching the store; the padding makes the stall come sooner.
        byte[] request = ("GET /pipes/first.txt HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + "p".repeat(2000)
                + "\r\n\r\n").getBytes(US_ASCII);
        long giveUpAfterBytes = 256L * 1024 * 1024;
        try (SocketChannel channel = SocketChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            channel.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
            channel.configureBlocking(false);
            int whole = 0;
            long sent = 0;
            ByteBuffer next = ByteBuffer.wrap(request);
            long stalledSince = 0;
            while (sent < giveUpAfterBytes) {
                int written = channel.write(next);
                sent += written;
                if (!next.hasRemaining()) {
                    whole++;
                    next = ByteBuffer.wrap(request);
                    stalledSince = 0;
                } else if (written > 0) {
                    stalledSince = 0;
                } else if (stalledSince == 0) {
                    stalledSince = System.nanoTime();
                } else if (System.nanoTime() - stalledSince > Duration.ofSeconds(2).toNanos()) {
                    break;
                } else {
                    Thread.sleep(5);
                }
            }
            assertThat(sent).as("bytes the client could send without reading").isLessThan(giveUpAfterBytes);

            // Now the client reads: the rest of the request it was writing, and one that closes, go out meanwhile.
            channel.configureBlocking(true);
            ByteBuffer rest = next;
            CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
                try {
                    while (rest.hasRemaining()) {
                        channel.write(rest);
                    }
                    channel.write(ByteBuffer.wrap(("GET /pipes/first.txt HTTP/1.1\r\nHost: localhost\r\n"
                            + "Connection: close\r\n\r\n").getBytes(US_ASCII)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < whole + 2; i++) {
                String answer = RawHttpAnswers.readOne(in);
                statuses.add(answer.substring(0, answer.indexOf("\r\n")));
            }
            writes.join();

            assertThat(statuses).hasSize(whole + 2).containsOnly("HTTP/1.1 403 Forbidden");
            assertThat(in.read()).as("closed after the last answer, which said so").isEqualTo(-1);
        }
    }

    /** A presigned GET of an object of the bucket, as its raw request with {@code extraHeaders} (each with CRLF). */
    private static String presignedGet(String key, String extraHeaders) {
        URL url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(o -> o.bucket("pipes").key(key))).url();
        return "GET " + url.getFile() + " HTTP/1.1\r\nHost: " + hostHeader() + "\r\n" + extraHeaders + "\r\n";
    }

    /** The Host a presigned URL of the gateway was signed with. */
    private static String hostHeader() {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    private static Socket connect() throws IOException {
        var socket = new Socket(endpoint.getHost(), endpoint.getPort());
        socket.setSoTimeout(GIVE_UP_MILLIS);
        return socket;
    }
}
