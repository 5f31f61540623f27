package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalInt;
import org.opensts.token.TemporaryCredentials;

/**
 * The output of AssumeRoleWithSAML (STS API Reference): the session, and what the assertion said of the user —
 * {@code subject} (its NameID), {@code subjectType} (the NameID format, short for the SAML 2.0 ones), {@code issuer},
 * {@code audience} (the subject confirmation's Recipient) and {@code nameQualifier}. The credentials print only their
 * access key id.
 */
public record AssumeRoleWithSamlResponse(TemporaryCredentials credentials, AssumedRoleUser assumedRoleUser,
        OptionalInt packedPolicySize, String subject, Optional<String> subjectType, String issuer, String audience,
        String nameQualifier, Optional<String> sourceIdentity) {
    public AssumeRoleWithSamlResponse {
        requireNonNull(credentials, "credentials");
        requireNonNull(assumedRoleUser, "assumedRoleUser");
        requireNonNull(packedPolicySize, "packedPolicySize");
        requireNonNull(subject, "subject");
        requireNonNull(subjectType, "subjectType");
        requireNonNull(issuer, "issuer");
        requireNonNull(audience, "audience");
        requireNonNull(nameQualifier, "nameQualifier");
        requireNonNull(sourceIdentity, "sourceIdentity");
    }
}
