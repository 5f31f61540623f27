/**
 * Credentials and the self-contained session token.
 *
 * <ul>
 *   <li>{@link org.opensts.token.AccessKeyIds}, {@link org.opensts.token.SecretAccessKeys}: ids that embed the
 *       account id as AWS's do, and secrets in AWS's format; {@link org.opensts.token.Secret} holds every secret.
 *   <li>{@link org.opensts.token.Session}: everything a session carries; {@link org.opensts.token.SessionTokenCodec}
 *       seals it with its secret access key into an AES-256-GCM token and opens such tokens without I/O;
 *       {@link org.opensts.token.CredentialMinter} makes {@link org.opensts.token.TemporaryCredentials}.
 *   <li>{@link org.opensts.token.KeyRing}: the token keys and their rotation; {@link org.opensts.token.MasterKey}
 *       encrypts the ring and other secrets at rest.
 *   <li>{@link org.opensts.token.PackedPolicySize}: the {@code PackedPolicySize} of a request.
 * </ul>
 *
 * <p>A pure core: values in, values out. Time and randomness are passed in; nothing here does I/O, starts a thread
 * or logs. The only dependency is Tink.
 */
package org.opensts.token;
