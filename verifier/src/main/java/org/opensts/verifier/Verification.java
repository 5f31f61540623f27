package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

/**
 * A request whose signature checked out: who signed it, for which region and service, and how its body must still be
 * checked as it streams.
 *
 * @param caller the verified caller
 * @param region the region of the credential scope (for SigV4a, the region set as signed, e.g. {@code *} or
 *     {@code us-east-1,eu-west-1}; for Signature Version 2, which has no scope, {@code us-east-1})
 * @param service the service of the credential scope ({@code s3}, {@code sts} …)
 * @param payload the checks still owed by the body
 */
public record Verification(VerifiedCaller caller, String region, String service, PayloadCheck payload) {
    public Verification {
        requireNonNull(caller, "caller");
        requireNonNull(region, "region");
        requireNonNull(service, "service");
        requireNonNull(payload, "payload");
    }
}
