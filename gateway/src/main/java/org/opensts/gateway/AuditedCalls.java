package org.opensts.gateway;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import org.opensts.gateway.s3.S3Operation;
import org.opensts.verifier.ReceivedRequest;
import org.opensts.verifier.Verification;

/**
 * Which gateway calls leave an audit event, and the event. CloudTrail records S3's bucket-level calls as management
 * events, logged by default, and object-level calls as data events, logged only when a trail asks for them (AWS
 * CloudTrail User Guide, "Logging management events"; Amazon S3 User Guide, "Logging Amazon S3 API calls using AWS
 * CloudTrail"), a failed call with its {@code errorCode} and {@code errorMessage}. The gateway records every call to
 * one of {@link #BUCKET_CALLS}, whatever its outcome, and of other calls every one it refuses itself once it knows the
 * caller: an authorization refusal ({@code AccessDenied}), which is what an auditor looks for, but also a body that
 * fails its check, a request it will not take (its length unknown or beyond a bound) and a store it cannot reach, so
 * that no answer of the gateway's own to a known caller is missing from the log. An object read or write that the
 * store answers leaves none, so the streaming path never waits for the audit log.
 *
 * <p>Only an authenticated call has an event: a request whose signature did not check out names no caller worth
 * recording, and would let anyone fill the log.
 */
final class AuditedCalls {
    /** The bucket-level calls the gateway serves: CloudTrail management events. */
    static final Set<String> BUCKET_CALLS = Set.of("CreateBucket", "DeleteBucket", "PutBucketPolicy",
            "GetBucketPolicy", "DeleteBucketPolicy");
    private static final String PUT_BUCKET_POLICY = "PutBucketPolicy";

    private AuditedCalls() {
    }

    /**
     * Whether a call of {@code operation} answered with {@code errorCode} leaves an event.
     *
     * @param errorCode the error the call is answered with, none when it succeeded: the gateway's own refusal, or the
     *     store's error for a bucket-level call (the store's answers to other calls stream past the audit)
     */
    static boolean isAudited(S3Operation operation, Optional<String> errorCode) {
        return BUCKET_CALLS.contains(operation.name()) || errorCode.isPresent();
    }

    /** Whether the store's answer to a forwarded call is held until its event is recorded. */
    static boolean holdsAnswer(S3Operation operation) {
        return BUCKET_CALLS.contains(operation.name());
    }

    /**
     * The event of a call.
     *
     * @param policy the policy document a PutBucketPolicy sent, which the event records bounded
     */
    static S3AuditEvent event(ReceivedRequest request, Instant receivedAt, String requestId,
            Verification verification, S3Operation operation, Optional<String> policy, Optional<String> errorCode,
            Optional<String> errorMessage) {
        var parameters = new LinkedHashMap<String, Object>();
        operation.bucket().ifPresent(bucket -> parameters.put("bucketName", bucket));
        operation.key().ifPresent(key -> parameters.put("key", key));
        operation.versionId().ifPresent(version -> parameters.put("versionId", version));
        if (operation.name().equals(PUT_BUCKET_POLICY)) {
            policy.ifPresent(document -> parameters.put("bucketPolicy", document));
        }
        return new S3AuditEvent(operation.name(), receivedAt, requestId, request.sourceIp(),
                request.firstHeader("User-Agent"), verification.region(), verification.caller(), parameters,
                errorCode, errorMessage);
    }
}
