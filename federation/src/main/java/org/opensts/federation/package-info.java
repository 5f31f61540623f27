/**
 * Identity federation: what AssumeRoleWithWebIdentity and AssumeRoleWithSAML need to trust an outside identity
 * provider. {@link org.opensts.federation.oidc} verifies OIDC ID tokens against the provider's published keys;
 * {@link org.opensts.federation.saml} verifies signed SAML 2.0 responses against the provider's metadata. Both refuse
 * with the AWS error codes of the STS API Reference ({@code InvalidIdentityToken}, {@code IDPRejectedClaim},
 * {@code IDPCommunicationError}, {@code ExpiredTokenException}) as {@link org.opensts.protocol.ApiException}s, and
 * neither knows of roles, trust policies or the store: the STS operations put the pieces together.
 */
package org.opensts.federation;
