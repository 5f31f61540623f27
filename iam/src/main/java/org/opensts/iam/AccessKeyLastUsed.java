package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** When, where and for which service an access key last signed a request. */
public record AccessKeyLastUsed(Instant lastUsedDate, String region, String serviceName) {
    public AccessKeyLastUsed {
        requireNonNull(lastUsedDate, "lastUsedDate");
        requireNonNull(region, "region");
        requireNonNull(serviceName, "serviceName");
    }
}
