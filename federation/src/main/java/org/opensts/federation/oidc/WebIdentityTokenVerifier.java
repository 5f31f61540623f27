package org.opensts.federation.oidc;

import java.time.Clock;

/**
 * Verifies a web identity token against its provider: keys from the provider's JWKS (discovered through
 * {@code ISSUER/.well-known/openid-configuration}, cached by {@code kid}, refetched on an unknown {@code kid} at a
 * bounded rate), RS256/384/512 or ES256/384/512 only, never a key carried by the token itself; then {@code exp} and
 * {@code nbf} with AWS's clock tolerance, {@code iat}, {@code sub}, and the audience among the provider's client ids.
 * One instance per node, shared by every request; thread-safe.
 */
public final class WebIdentityTokenVerifier {
    public WebIdentityTokenVerifier(IdpHttpsClient https, Clock clock) {
        throw new UnsupportedOperationException("issue 8: oidc helper");
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken}, {@code ExpiredTokenException},
     *     {@code IDPRejectedClaim} or {@code IDPCommunicationError}, with AWS's messages
     */
    public VerifiedWebIdentity verify(WebIdentityToken token, OidcProvider provider) {
        throw new UnsupportedOperationException("issue 8: oidc helper");
    }
}
