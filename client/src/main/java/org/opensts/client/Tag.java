package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** A session tag passed to AssumeRole or GetFederationToken. Tag values are not secret. */
public record Tag(String key, String value) {
    public Tag {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
    }
}
