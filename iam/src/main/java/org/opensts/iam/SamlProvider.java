package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** An IAM SAML identity provider: its name and the IdP's metadata document. */
public record SamlProvider(String arn, String accountId, String name, String providerUuid, String metadataDocument,
        Optional<Instant> validUntil, Optional<String> assertionEncryptionMode, Instant createDate, List<Tag> tags) {
    public SamlProvider {
        requireNonNull(arn, "arn");
        requireNonNull(accountId, "accountId");
        requireNonNull(name, "name");
        requireNonNull(providerUuid, "providerUuid");
        requireNonNull(metadataDocument, "metadataDocument");
        requireNonNull(validUntil, "validUntil");
        requireNonNull(assertionEncryptionMode, "assertionEncryptionMode");
        requireNonNull(createDate, "createDate");
        tags = List.copyOf(tags);
    }

    /**
     * The {@code ValidUntil} IAM reports: the metadata's own {@code validUntil}, or, when it sets none, 100 years
     * after the provider was created (as AWS answers: {@code CreateDate} 2017-03-06T22:29:46Z, {@code ValidUntil}
     * 2117-03-06T22:29:46Z).
     */
    public Instant reportedValidUntil() {
        return validUntil.orElseGet(() -> createDate.atOffset(ZoneOffset.UTC).plusYears(100).toInstant());
    }

    public SamlProvider with(String newMetadataDocument, Optional<Instant> newValidUntil,
            Optional<String> newAssertionEncryptionMode, List<Tag> newTags) {
        return new SamlProvider(arn, accountId, name, providerUuid, newMetadataDocument, newValidUntil,
                newAssertionEncryptionMode, createDate, newTags);
    }
}
