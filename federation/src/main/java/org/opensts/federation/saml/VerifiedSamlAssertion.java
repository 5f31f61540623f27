package org.opensts.federation.saml;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one assertion of a SAML response whose signature (its own or the enclosing Response's) verified with the IdP's
 * metadata, and whose issuer, audience, recipient and time window were checked. Everything here was read from the
 * signed element.
 *
 * @param assertionId the assertion's {@code ID} (the replay key, with the role)
 * @param issuer the assertion's {@code Issuer}, equal to the metadata's entity id
 * @param nameId the text of {@code Subject/NameID}, read whole (a comment inside does not truncate it)
 * @param nameIdFormat its {@code Format} attribute
 * @param recipient the bearer {@code SubjectConfirmationData}'s {@code Recipient} (AWS's {@code Audience})
 * @param notOnOrAfter the earliest of the assertion's expiry times ({@code Conditions}, the subject confirmation, and
 *     its {@code IssueInstant} plus the five minutes AWS allows for redeeming it)
 * @param sessionNotOnOrAfter the {@code AuthnStatement}'s {@code SessionNotOnOrAfter}
 * @param attributes the {@code AttributeStatement}'s values by attribute {@code Name}, in document order
 */
public record VerifiedSamlAssertion(String assertionId, String issuer, String nameId, Optional<String> nameIdFormat,
        String recipient, Instant notOnOrAfter, Optional<Instant> sessionNotOnOrAfter,
        Map<String, List<String>> attributes) {
}
