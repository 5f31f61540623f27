package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;
import org.opensts.token.TemporaryCredentials;

/**
 * The output of AssumeRole. {@code packedPolicySize} is present when the caller passed session policies or tags, as
 * AWS reports it only then. The credentials print only their access key id.
 */
public record AssumeRoleResponse(TemporaryCredentials credentials, AssumedRoleUser assumedRoleUser,
        OptionalInt packedPolicySize, Optional<String> sourceIdentity) {
    public AssumeRoleResponse {
        requireNonNull(credentials, "credentials");
        requireNonNull(assumedRoleUser, "assumedRoleUser");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(sourceIdentity, "sourceIdentity");
    }
}
