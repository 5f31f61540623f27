package org.opensts.federation.oidc;

import com.nimbusds.jose.jwk.JWKSet;

/**
 * Where a provider's signing keys come from. {@link IdpHttpsClient} fetches them over HTTPS; a benchmark or a test
 * may hand in a fixed set. {@link WebIdentityTokenVerifier} caches what a source returns.
 */
@FunctionalInterface
public interface JwksSource {
    /**
     * The provider's published key set, fetched now.
     *
     * @throws org.opensts.protocol.ApiException {@code IDPCommunicationError} when the keys cannot be fetched, or
     *     {@code InvalidIdentityToken} when the IdP's certificate matches none of the provider's thumbprints
     */
    JWKSet fetchJwks(OidcProvider provider);
}
