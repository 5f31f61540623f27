package org.opensts.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Optional;

/**
 * S3 errors the gateway answers that {@code S3ErrorCode} does not list: {@code NoSuchBucket} for a bucket policy call
 * on a bucket the store does not have, and {@code ServiceUnavailable} for an audited call whose event cannot be
 * recorded. Written in S3's error document format (Amazon S3 API Reference, "Error responses", "List of error codes").
 *
 * @param code the error code
 * @param message S3's message for it
 * @param httpStatus S3's status for it
 * @param bucketName the bucket S3 names in {@code <BucketName>}, if any
 */
record ExtraS3Error(String code, String message, int httpStatus, Optional<String> bucketName) {
    /** An audited call whose event cannot be recorded: as the node answers its own calls then, and SDKs retry it. */
    static final ExtraS3Error SERVICE_UNAVAILABLE = new ExtraS3Error("ServiceUnavailable",
            "The request has failed due to a temporary failure of the server.", 503, Optional.empty());

    /** S3's answer for a bucket that does not exist. */
    static ExtraS3Error noSuchBucket(String bucket) {
        return new ExtraS3Error("NoSuchBucket", "The specified bucket does not exist", 404, Optional.of(bucket));
    }

    /**
     * The error document. The texts are fixed ASCII, the ids the gateway's own hex, and a bucket name has passed the
     * classifier's check (letters, digits, {@code .-_}), so nothing needs escaping.
     */
    byte[] document(String requestId, String hostId) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message>" + bucketName.map(name -> "<BucketName>" + name + "</BucketName>").orElse("")
                + "<RequestId>" + requestId + "</RequestId><HostId>" + hostId + "</HostId></Error>").getBytes(UTF_8);
    }
}
