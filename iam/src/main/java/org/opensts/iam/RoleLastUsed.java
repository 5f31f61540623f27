package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** When and in which region a role was last assumed. */
public record RoleLastUsed(Instant lastUsedDate, String region) {
    public RoleLastUsed {
        requireNonNull(lastUsedDate, "lastUsedDate");
        requireNonNull(region, "region");
    }
}
