package org.opensts.gateway;

import java.net.http.HttpResponse;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the upstream store whether a bucket exists with {@code HEAD /bucket} (HeadBucket, signed with the gateway's
 * key), on a decision thread, within the same timeouts as the gateway's other requests of its own
 * ({@link UpstreamCalls#TIMEOUT}). Only the bucket policy calls ask, so no object request pays for it. HeadBucket
 * answers 200 for a bucket the key may use and 404 for none (Amazon S3 API Reference, "HeadBucket"); anything else
 * (403: the gateway's key may not use it; 301: another region; 5xx) is no answer to the question, so it is
 * {@code InternalError}, logged, rather than a guess either way.
 */
final class UpstreamBuckets implements Buckets {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBuckets.class);
    private final UpstreamCalls calls;

    UpstreamBuckets(UpstreamCalls calls) {
        this.calls = calls;
    }

    @Override
    public boolean exists(String bucket) throws S3Exception {
        int status = calls.send("HEAD", "/" + S3Keys.encodePath(bucket), "", HttpResponse.BodyHandlers.discarding(),
                "Asking the upstream store whether a bucket exists").statusCode();
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
