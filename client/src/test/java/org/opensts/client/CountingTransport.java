package org.opensts.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The real HTTP transport, counting every STS call attempted (reached or not): how tests count refreshes. */
final class CountingTransport implements StsWireClient.Transport {
    private final StsWireClient.Transport http = StsWireClient.Transport.http(HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build(), 1 << 20);
    private final AtomicInteger attempts = new AtomicInteger();

    @Override
    public StsWireClient.Reply send(HttpRequest request) throws IOException, InterruptedException {
        attempts.incrementAndGet();
        return http.send(request);
    }

    int attempts() {
        return attempts.get();
    }
}
