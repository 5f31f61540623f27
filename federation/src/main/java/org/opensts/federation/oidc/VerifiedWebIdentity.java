package org.opensts.federation.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A web identity token whose signature, issuer, audience and validity window were checked.
 *
 * @param issuer the {@code iss} claim, equal to the provider's URL
 * @param subject the {@code sub} claim
 * @param audience the client id the token was accepted for: the {@code aud} value (or {@code azp} where AWS reads it)
 *     that is in the provider's client ids; AWS returns it as {@code Audience} and keys {@code PROVIDER:aud} on it
 * @param audiences every {@code aud} value, in token order ({@code PROVIDER:oaud})
 * @param authorizedParty the {@code azp} claim
 * @param authenticationMethods the {@code amr} claim's values ({@code PROVIDER:amr})
 * @param issuedAt the {@code iat} claim
 * @param expiration the {@code exp} claim
 * @param tags the session tags of the {@code https://aws.amazon.com/tags} claim, as sent; not yet checked against
 *     AWS's tag limits
 * @param transitiveTagKeys that claim's {@code transitive_tag_keys}
 * @param sourceIdentity the {@code https://aws.amazon.com/source_identity} claim, as sent
 */
public record VerifiedWebIdentity(String issuer, String subject, String audience, List<String> audiences,
        Optional<String> authorizedParty, List<String> authenticationMethods, Instant issuedAt, Instant expiration,
        Map<String, String> tags, List<String> transitiveTagKeys, Optional<String> sourceIdentity) {
    public VerifiedWebIdentity {
        audiences = List.copyOf(audiences);
        authenticationMethods = List.copyOf(authenticationMethods);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
        transitiveTagKeys = List.copyOf(transitiveTagKeys);
    }
}
