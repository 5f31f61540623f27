package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A received request that is not authentic, with the AWS error a service should return ({@link #failure()}) and the
 * message to return with it. The message never carries a secret, a signature the service computed, or which of a
 * token's checks failed.
 *
 * <p>An S3 refusal may carry {@link #s3Details()}: the extra elements S3 writes in its error document for that code
 * ({@code <AWSAccessKeyId>}, {@code <StringToSign>}, {@code <HeadersNotSigned>} …). They are derived from the request
 * alone, never from a secret or a signing key, but may repeat what the request carried (its signed header values, a
 * session token it signed): they are for the caller's answer only, and are in neither the message nor
 * {@link #toString()}.
 */
public final class VerificationException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient VerificationFailure failure;
    private final transient Map<String, String> s3Details;

    public VerificationException(VerificationFailure failure, String message) {
        this(failure, message, Map.of());
    }

    /**
     * @param s3Details the extra elements of S3's error document, by element name, in the order S3 writes them
     */
    public VerificationException(VerificationFailure failure, String message, Map<String, String> s3Details) {
        super(requireNonNull(message, "message"), null, false, false);
        this.failure = requireNonNull(failure, "failure");
        this.s3Details = s3Details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(s3Details));
    }

    /** Why the request was refused, and so which error code to return. */
    public VerificationFailure failure() {
        return failure;
    }

    /** The extra elements of S3's error document, in order; empty for most failures and for other services. */
    public Map<String, String> s3Details() {
        return s3Details;
    }
}
