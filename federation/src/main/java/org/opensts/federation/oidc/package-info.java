/**
 * OIDC web identity tokens (AssumeRoleWithWebIdentity): a token's claims read before anything is trusted
 * ({@link org.opensts.federation.oidc.WebIdentityToken}), the provider's keys fetched over HTTPS and cached
 * ({@link org.opensts.federation.oidc.IdpHttpsClient}), and the signature and claims checked
 * ({@link org.opensts.federation.oidc.WebIdentityTokenVerifier}).
 */
package org.opensts.federation.oidc;
