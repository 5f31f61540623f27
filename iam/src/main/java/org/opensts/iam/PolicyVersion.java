package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One version of a managed policy: {@code v1}, {@code v2}, … with its document. */
public record PolicyVersion(String policyId, String versionId, String document, boolean isDefaultVersion,
        Instant createDate) {
    public PolicyVersion {
        requireNonNull(policyId, "policyId");
        requireNonNull(versionId, "versionId");
        requireNonNull(document, "document");
        requireNonNull(createDate, "createDate");
    }
}
