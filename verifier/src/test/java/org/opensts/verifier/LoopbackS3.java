package org.opensts.verifier;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP listener that records each request exactly as a client sent it (raw path and query, every header,
 * the raw body bytes) and answers as S3 answers a successful write, so that a real S3 client can be pointed at it.
 */
final class LoopbackS3 implements AutoCloseable {
    /** One recorded request. */
    record Captured(ReceivedRequest request, byte[] body) {
    }

    private final HttpServer server;
    final List<Captured> requests = new CopyOnWriteArrayList<>();

    LoopbackS3() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            ReceivedRequest.Builder builder = ReceivedRequest.builder()
                    .method(exchange.getRequestMethod())
                    .rawPath(exchange.getRequestURI().getRawPath())
                    .rawQuery(exchange.getRequestURI().getRawQuery() == null ? ""
                            : exchange.getRequestURI().getRawQuery());
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                for (String value : header.getValue()) {
                    builder.addHeader(header.getKey(), value);
                }
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.add(new Captured(builder.build(), body));
            exchange.getResponseHeaders().add("ETag", "\"9b2cf535f27731c974343645a3985328\"");
            exchange.getResponseHeaders().add("x-amz-request-id", "0A49CE4060975EAC");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
