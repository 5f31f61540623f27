package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What an encoded authorization message carries: when it was issued, the account whose principals may decode it, and
 * the decoded document (AWS's JSON, built by the caller). Nothing here is secret — the document explains a refusal to
 * whoever is allowed {@code sts:DecodeAuthorizationMessage} — but it is privileged, hence the encryption.
 *
 * @param issuedAt when the refusal happened, to the millisecond; the message expires
 *     {@link AuthorizationMessageCodec#LIFETIME} later
 * @param accountId the account of the refused caller: only its principals may decode the message
 * @param document the decoded message, as {@code DecodeAuthorizationMessage} returns it
 */
public record AuthorizationMessage(Instant issuedAt, String accountId, String document) {
    public AuthorizationMessage {
        issuedAt = requireNonNull(issuedAt, "issuedAt").truncatedTo(ChronoUnit.MILLIS);
        requireNonNull(accountId, "accountId");
        requireNonNull(document, "document");
        if (issuedAt.isBefore(Instant.EPOCH)) {
            throw new IllegalArgumentException("issuedAt before the epoch");
        }
    }
}
