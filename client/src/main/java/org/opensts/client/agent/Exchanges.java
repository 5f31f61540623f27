package org.opensts.client.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** What both endpoints share: a small daemon-threaded JDK server, and writing a whole response at once. */
final class Exchanges {
    private static final int THREADS = 4;
    /** Requests carry no body we read; anything beyond this is drained no further. */
    private static final int MAX_DRAIN = 64 * 1024;

    private Exchanges() {
    }

    static HttpServer server(InetSocketAddress listen, String name) throws IOException {
        HttpServer server = HttpServer.create(listen, 0);
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        return server;
    }

    static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readNBytes(MAX_DRAIN);
        }
        byte[] bytes = body.getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
