package org.opensts.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.sigv4.SignableRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the upstream store whether a bucket exists with {@code HEAD /bucket} (HeadBucket, signed with the gateway's
 * key), on a decision thread, within the same timeouts as the gateway's other requests of its own
 * ({@link UpstreamObjectTags#TIMEOUT}). Only the bucket policy calls ask, so no object request pays for it. HeadBucket
 * answers 200 for a bucket the key may use and 404 for none (Amazon S3 API Reference, "HeadBucket"); anything else
 * (403: the gateway's key may not use it; 301: another region; 5xx) is no answer to the question, so it is
 * {@code InternalError}, logged, rather than a guess either way.
 */
final class UpstreamBuckets implements Buckets {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBuckets.class);
    private final S3GatewayConfig config;
    private final UpstreamRequests requests;
    private final HttpClient http;

    UpstreamBuckets(S3GatewayConfig config, UpstreamRequests requests) {
        this.config = config;
        this.requests = requests;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(UpstreamObjectTags.TIMEOUT).build();
    }

    @Override
    public boolean exists(String bucket) throws S3Exception {
        String path = "/" + S3Keys.encodePath(bucket);
        SignableRequest signed = requests.signBodiless("HEAD", path, "", config.clock().instant());
        var builder = HttpRequest.newBuilder(URI.create(config.upstream().getScheme() + "://"
                + config.upstreamHostHeader() + path)).timeout(UpstreamObjectTags.TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, signed.headerValue(i));
            }
        }
        int status;
        try {
            status = http.send(builder.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            LOG.warn("Asking the upstream store whether a bucket exists failed: {}", e.toString());
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
        if (status == 200) {
            return true;
        }
        if (status == 404) {
            return false;
        }
        LOG.warn("The upstream store answered HeadBucket with {}", status);
        throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
    }
}
