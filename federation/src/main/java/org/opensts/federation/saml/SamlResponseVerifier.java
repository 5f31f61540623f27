package org.opensts.federation.saml;

import java.time.Clock;

/**
 * Verifies a base64 SAML 2.0 {@code Response} for AssumeRoleWithSAML. One instance per node; thread-safe.
 */
public final class SamlResponseVerifier {
    public SamlResponseVerifier(Clock clock) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }

    /**
     * @param samlAssertion the {@code SAMLAssertion} parameter: base64 of the whole Response
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken}, {@code ExpiredTokenException} or
     *     {@code IDPRejectedClaim}, with AWS's messages
     */
    public VerifiedSamlAssertion verify(String samlAssertion, SamlMetadata metadata) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }
}
