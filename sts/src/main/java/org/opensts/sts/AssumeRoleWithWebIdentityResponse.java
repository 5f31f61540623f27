package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;
import org.opensts.token.TemporaryCredentials;

/**
 * The output of AssumeRoleWithWebIdentity. {@code provider} is the IAM OIDC provider's ARN and {@code audience} the
 * client id the token was accepted for, as AWS's real responses carry them; {@code packedPolicySize} is present when
 * the caller passed session policies or the token carried session tags. The credentials print only their access key
 * id.
 */
public record AssumeRoleWithWebIdentityResponse(TemporaryCredentials credentials, String subjectFromWebIdentityToken,
        AssumedRoleUser assumedRoleUser, OptionalInt packedPolicySize, String provider, String audience,
        Optional<String> sourceIdentity) {
    public AssumeRoleWithWebIdentityResponse {
        requireNonNull(credentials, "credentials");
        requireNonNull(subjectFromWebIdentityToken, "subjectFromWebIdentityToken");
        requireNonNull(assumedRoleUser, "assumedRoleUser");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(provider, "provider");
        requireNonNull(audience, "audience");
        requireNonNull(sourceIdentity, "sourceIdentity");
    }
}
