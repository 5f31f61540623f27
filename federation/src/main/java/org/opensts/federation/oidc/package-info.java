/**
 * OIDC web identity tokens (AssumeRoleWithWebIdentity): a token's claims read before anything is trusted
 * ({@link org.opensts.federation.oidc.WebIdentityToken}), the provider's keys fetched over HTTPS and cached
 * ({@link org.opensts.federation.oidc.IdpHttpsClient}), and the signature and claims checked
 * ({@link org.opensts.federation.oidc.WebIdentityTokenVerifier}).
 *
 * <p>The rules, in the order they are applied, with AWS's error for each:
 * <ol>
 *   <li>a compact JWS with a JSON claim set and an {@code iss}: else {@code InvalidIdentityToken} ("The ID Token
 *       provided is not a valid JWT. ..." / "Missing a required claim: iss");</li>
 *   <li>{@code iss} equal to the provider's URL: else "No OpenIDConnect provider found in your account for ISS";</li>
 *   <li>RS256/384/512 or ES256/384/512, no {@code crit}; keys from the provider's JWKS only (fetched from
 *       {@code URL/.well-known/openid-configuration}'s {@code jwks_uri}, over HTTPS, within size and time limits;
 *       failures are {@code IDPCommunicationError}, a certificate chain without a registered thumbprint is
 *       {@code InvalidIdentityToken}); no fitting key is "Couldn't retrieve verification key from your identity
 *       provider, ...";</li>
 *   <li>the signature;</li>
 *   <li>{@code exp} (five minutes of skew; past it {@code ExpiredTokenException} "Token expired: ..."), {@code iat}
 *       and {@code nbf} not ahead by more than the skew, {@code sub}, {@code aud} among the client ids ("Incorrect
 *       token audience"; {@code azp} for Google), then the session tags and source identity claims.</li>
 * </ol>
 * Keys are cached per provider: fresh for 15 minutes; an unknown {@code kid} refetches at most once per 30 seconds,
 * and a failed fetch is remembered for as long. At most {@code max(2, cores)} request threads, over all providers,
 * fetch keys or wait for a fetch at once (one fetch per provider at a time, the others waiting for it); a request
 * that would need one more is {@code IDPCommunicationError} at once, and its provider is not asked. Keys past their 15
 * minutes still verify a {@code kid} they hold, without waiting, while a refresh is under way, cannot start or has
 * failed, for 15 minutes more at most; only a completed refresh replaces them.
 *
 * <p>Nothing here logs a token or sends one anywhere.
 */
package org.opensts.federation.oidc;
