package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.sigv4.SigningCredentials;

/** HeadBucket against a loopback HTTP server standing in for the store, which answers by the bucket's name. */
class UpstreamBucketsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

    private HttpServer store;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private UpstreamBuckets buckets;

    @BeforeEach
    void start() throws Exception {
        store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        store.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            int status = switch (exchange.getRequestURI().getPath()) {
                case "/photos" -> 200;
                case "/gone" -> 404;
                case "/elsewhere" -> 301;
                default -> 403;
            };
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        store.start();
        var config = new S3GatewayConfig(new InetSocketAddress("127.0.0.1", 0),
                URI.create("http://127.0.0.1:" + store.getAddress().getPort()),
                SigningCredentials.of("UPSTREAMKEY", "upstream-secret".getBytes(UTF_8)), "us-east-1",
                "123456789012", Clock.fixed(NOW, ZoneOffset.UTC));
        buckets = new UpstreamBuckets(new UpstreamCalls(config, new UpstreamRequests(config)));
    }

    @AfterEach
    void stop() {
        store.stop(0);
    }

    @Test
    void exists_storeAnswers200_isTrue_askedWithASignedHeadOfTheBucket() throws Exception {
        assertThat(buckets.exists("photos")).isTrue();

        assertThat(received).singleElement().asString()
                .startsWith("HEAD /photos AWS4-HMAC-SHA256 Credential=UPSTREAMKEY/20261207/us-east-1/s3/aws4_request");
    }

    @Test
    void exists_storeAnswers404_isFalse() throws Exception {
        assertThat(buckets.exists("gone")).isFalse();
    }

    @Test
    void exists_storeAnswersNeither200Nor404_isInternalErrorRatherThanAGuess() {
        for (String bucket : List.of("forbidden", "elsewhere")) {
            assertThatThrownBy(() -> buckets.exists(bucket)).isInstanceOfSatisfying(S3Exception.class,
                    e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.INTERNAL_ERROR));
        }
    }

    @Test
    void exists_storeUnreachable_isInternalError() {
        store.stop(0);

        assertThatThrownBy(() -> buckets.exists("photos")).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error().code()).isEqualTo(S3ErrorCode.INTERNAL_ERROR));
    }
}
