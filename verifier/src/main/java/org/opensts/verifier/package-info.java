/**
 * What a resource service embeds to accept OpenSTS credentials.
 *
 * <ul>
 *   <li>{@link org.opensts.verifier.RequestAuthenticator}: a {@link org.opensts.verifier.ReceivedRequest} in any AWS
 *       signing form → a {@link org.opensts.verifier.Verification} (the {@link org.opensts.verifier.VerifiedCaller}
 *       and the {@link org.opensts.verifier.PayloadCheck} its body still owes), or a
 *       {@link org.opensts.verifier.VerificationException} naming the AWS error to return.
 *   <li>{@link org.opensts.verifier.AccessAuthorizer}: an {@link org.opensts.verifier.AccessRequest} → an
 *       {@link org.opensts.verifier.AccessDecision}, by AWS's policy evaluation logic;
 *       {@link org.opensts.verifier.SessionAuthorizer} implements it over a
 *       {@link org.opensts.verifier.PrincipalDirectory} of the users, roles and managed policies behind callers, and
 *       explains refusals with {@link org.opensts.verifier.AuthorizationMessageEncoder}'s encoded messages.
 * </ul>
 *
 * <p>No server, no JDBC, no threads: temporary credentials are verified from their session token alone; the
 * identities behind long-term keys and roles come through small interfaces the embedding service implements over its
 * (cached) store.
 */
package org.opensts.verifier;
