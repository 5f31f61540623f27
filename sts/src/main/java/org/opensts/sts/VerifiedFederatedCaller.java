package org.opensts.sts;

import static java.util.Objects.requireNonNull;

/**
 * Who the web identity token or SAML assertion of an AssumeRoleWithWebIdentity or AssumeRoleWithSAML call names, known
 * only once the provider's signature, issuer, audience and time window have checked out: what the audit event records
 * as the call's federated user, whether the call is then answered or refused by a later check (the trust policy, the
 * duration, the packed size). Nothing of a token or assertion that did not check out is ever one of these: its claims
 * are the caller's words, not the provider's.
 */
public sealed interface VerifiedFederatedCaller {
    /** The subject the provider vouches for: the token's {@code sub}, or the assertion's {@code NameID}. */
    String subject();

    /**
     * A verified OIDC ID token.
     *
     * @param providerArn the IAM OIDC provider that verified it, as the response's {@code Provider}
     * @param audience the client id it was accepted for, as the response's {@code Audience}
     * @param subject its {@code sub}, as the response's {@code SubjectFromWebIdentityToken}
     */
    record WebIdentity(String providerArn, String audience, String subject) implements VerifiedFederatedCaller {
        public WebIdentity {
            requireNonNull(providerArn, "providerArn");
            requireNonNull(audience, "audience");
            requireNonNull(subject, "subject");
        }
    }

    /**
     * A verified SAML assertion.
     *
     * @param nameQualifier the {@code saml:namequalifier} of its issuer and provider, as the response's
     *     {@code NameQualifier}
     * @param subject its {@code NameID}, as the response's {@code Subject}
     */
    record Saml(String nameQualifier, String subject) implements VerifiedFederatedCaller {
        public Saml {
            requireNonNull(nameQualifier, "nameQualifier");
            requireNonNull(subject, "subject");
        }
    }
}
