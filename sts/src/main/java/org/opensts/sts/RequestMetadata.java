package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the transport knows about a request besides its parameters: its id, when it arrived, from where, over what,
 * and the region it was signed for. These become the global condition keys {@code aws:SourceIp},
 * {@code aws:SecureTransport}, {@code aws:RequestedRegion}, {@code aws:CurrentTime} and {@code aws:UserAgent}.
 */
public record RequestMetadata(String requestId, Instant receivedAt, String sourceIp, boolean secureTransport,
        Optional<String> userAgent, String region) {
    public RequestMetadata {
        requireNonNull(requestId, "requestId");
        requireNonNull(receivedAt, "receivedAt");
        requireNonNull(sourceIp, "sourceIp");
        requireNonNull(userAgent, "userAgent");
        requireNonNull(region, "region");
    }

    /** The same request, once authentication has told us the region it was signed for. */
    public RequestMetadata withRegion(String signedRegion) {
        return new RequestMetadata(requestId, receivedAt, sourceIp, secureTransport, userAgent, signedRegion);
    }
}
