package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.opensts.protocol.AwsRegions;

/**
 * A request whose signature checked out: who signed it, for which region and service, and how its body must still be
 * checked as it streams.
 *
 * @param caller the verified caller
 * @param region the region of the credential scope (for SigV4a, the region set as signed, e.g. {@code *} or
 *     {@code us-east-1,eu-west-1}; for Signature Version 2, which has no scope, {@code us-east-1})
 * @param service the service of the credential scope ({@code s3}, {@code sts} …)
 * @param payload the checks still owed by the body
 * @param regionSigned whether the signature names its region: false for Signature Version 2, whose {@code region}
 *     is only the default above, not the client's
 * @param signedS3Resource for S3's Signature Version 2, the resource it signed: the CanonicalizedResource without its
 *     sub-resources, {@code /bucket/key} (the key as sent, percent-encoded), {@code /bucket}, {@code /bucket/} or
 *     {@code /}. Signature Version 2 does not sign {@code Host}, so a service that decides on a bucket must check that
 *     this addresses it; empty for every other signature
 */
public record Verification(VerifiedCaller caller, String region, String service, PayloadCheck payload,
        boolean regionSigned, Optional<String> signedS3Resource) {
    public Verification {
        requireNonNull(caller, "caller");
        requireNonNull(region, "region");
        requireNonNull(service, "service");
        requireNonNull(payload, "payload");
        requireNonNull(signedS3Resource, "signedS3Resource");
    }

    /**
     * This verification as served in {@code serviceRegion}, the region of the service deciding on it. A signature that
     * names its region is returned as it is (the service compares that region with its own). Signature Version 2,
     * which names none, is served in the service's region, which becomes its {@code aws:RequestedRegion} — unless that
     * is a region where AWS accepts only Signature Version 4 ({@link AwsRegions#acceptsOnlySignatureVersion4}), where
     * it is refused as S3 refuses it.
     *
     * @throws VerificationException {@link VerificationFailure#SIGNATURE_VERSION_NOT_SUPPORTED} in such a region
     */
    public Verification servedIn(String serviceRegion) throws VerificationException {
        requireNonNull(serviceRegion, "serviceRegion");
        if (regionSigned) {
            return this;
        }
        if (AwsRegions.acceptsOnlySignatureVersion4(serviceRegion)) {
            throw new VerificationException(VerificationFailure.SIGNATURE_VERSION_NOT_SUPPORTED, Messages.S3_USE_SIGV4);
        }
        return new Verification(caller, serviceRegion, service, payload, false, signedS3Resource);
    }

    /** A verified signature that names its region (Signature Version 4 and 4a). */
    public Verification(VerifiedCaller caller, String region, String service, PayloadCheck payload) {
        this(caller, region, service, payload, /* regionSigned= */ true, Optional.empty());
    }
}
