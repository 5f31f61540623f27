package org.opensts.gateway;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opensts.verifier.VerifiedCaller;

/**
 * What one audited gateway call did, for the node's audit log to write as a CloudTrail record with event source
 * {@code s3.amazonaws.com}. Holds no secret: the caller's identity (its session's policies and tags, never a key or
 * token), the bucket and key, and for PutBucketPolicy the policy as sent, which the audit log bounds as it bounds every
 * string.
 *
 * @param eventName the S3 API operation ({@code PutBucketPolicy}, {@code DeleteBucket} …)
 * @param receivedAt when the request arrived
 * @param requestId the gateway's id of the request
 * @param sourceIp the client's address
 * @param userAgent the request's {@code User-Agent}
 * @param region the region the request was signed for
 * @param caller who signed the request
 * @param requestParameters {@code bucketName}, {@code key} and the like, in order
 * @param errorCode the S3 error code the call was answered with, if it failed
 * @param errorMessage that error's message
 */
public record S3AuditEvent(String eventName, Instant receivedAt, String requestId, String sourceIp,
        Optional<String> userAgent, String region, VerifiedCaller caller, Map<String, Object> requestParameters,
        Optional<String> errorCode, Optional<String> errorMessage) {
    /** CloudTrail's event source for Amazon S3. */
    public static final String EVENT_SOURCE = "s3.amazonaws.com";

    public S3AuditEvent {
        requireNonNull(eventName, "eventName");
        requireNonNull(receivedAt, "receivedAt");
        requireNonNull(requestId, "requestId");
        requireNonNull(sourceIp, "sourceIp");
        requireNonNull(userAgent, "userAgent");
        requireNonNull(region, "region");
        requireNonNull(caller, "caller");
        requestParameters = Collections.unmodifiableMap(new LinkedHashMap<>(requestParameters));
        requireNonNull(errorCode, "errorCode");
        requireNonNull(errorMessage, "errorMessage");
    }
}
