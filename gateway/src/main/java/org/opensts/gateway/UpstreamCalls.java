package org.opensts.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.protocol.CallExecutor;
import org.opensts.sigv4.SignableRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's requests of its own to the upstream store (whether a bucket exists, an object's tags), made on a
 * decision thread: bodiless, signed with the gateway's key, through one HTTP client, each within {@link #TIMEOUT}.
 * A request that gets no answer is {@code InternalError}, logged; what an answer means is the caller's to say.
 */
final class UpstreamCalls {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamCalls.class);
    /** How long the gateway waits for the store to connect, and then to answer, a request of its own. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final S3GatewayConfig config;
    private final UpstreamRequests requests;
    private final HttpClient http;

    UpstreamCalls(S3GatewayConfig config, UpstreamRequests requests) {
        this.config = config;
        this.requests = requests;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /**
     * Sends {@code method path?query}, signed now, and returns the store's answer.
     *
     * @param rawPath the path, its segments already encoded
     * @param rawQuery the query, encoded, or empty
     * @param what what the request is for, in the log line of a failure ("Fetching an object's tags from the store")
     * @throws S3Exception {@code InternalError} if no answer came
     */
    <T> HttpResponse<T> send(String method, String rawPath, String rawQuery, HttpResponse.BodyHandler<T> body,
            String what) throws S3Exception {
        // The request's thread waits on the store: it lends its place to a spare meanwhile, if one is needed.
        return CallExecutor.blocking(() -> sendNow(method, rawPath, rawQuery, body, what));
    }

    private <T> HttpResponse<T> sendNow(String method, String rawPath, String rawQuery,
            HttpResponse.BodyHandler<T> body, String what) throws S3Exception {
        SignableRequest signed = requests.signBodiless(method, rawPath, rawQuery, config.clock().instant());
        var builder = HttpRequest.newBuilder(URI.create(config.upstream().getScheme() + "://"
                        + config.upstreamHostHeader() + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery)))
                .timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i);
            if (!name.equalsIgnoreCase("Host")) { // the client's own, from the URI
                builder.header(name, signed.headerValue(i));
            }
        }
        try {
            return http.send(builder.build(), body);
        } catch (IOException e) {
            LOG.warn("{} failed: {}", what, e.toString());
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
    }
}
