package org.opensts.gateway;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A received request as S3 understands it.
 *
 * @param operation the S3 operation, e.g. {@code GetObject}
 * @param bucket the bucket it addresses, if any
 * @param key the object key it addresses, if any
 * @param accesses what it must be allowed, all of it
 */
record MappedRequest(String operation, Optional<String> bucket, Optional<String> key, List<RequiredAccess> accesses) {
    MappedRequest {
        requireNonNull(operation, "operation");
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        accesses = List.copyOf(accesses);
    }
}
