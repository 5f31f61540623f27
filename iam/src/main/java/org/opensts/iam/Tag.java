package org.opensts.iam;

import static java.util.Objects.requireNonNull;

/** An IAM tag. Keys are case-insensitive but case-preserving; values are case-sensitive. */
public record Tag(String key, String value) {
    public Tag {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
    }
}
