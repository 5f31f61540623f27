/**
 * AWS Signature Version 4 (SigV4): the canonical request, the string to sign, signing-key derivation and its cache,
 * and a signer and a verifier for both the {@code Authorization} header form and the presigned query form.
 *
 * <p>The public types are the values a caller handles ({@link org.opensts.sigv4.SignableRequest},
 * {@link org.opensts.sigv4.SignedRequest}, {@link org.opensts.sigv4.CredentialScope},
 * {@link org.opensts.sigv4.SigningCredentials}), the two engines ({@link org.opensts.sigv4.SigV4Verifier},
 * {@link org.opensts.sigv4.SigV4Signer}), the failure ({@link org.opensts.sigv4.SigV4Exception},
 * {@link org.opensts.sigv4.SigV4Failure}) and the named steps of the algorithm
 * ({@link org.opensts.sigv4.CanonicalRequest}, {@link org.opensts.sigv4.SigV4}). Everything else is package-private.
 *
 * <p>This package is a pure core: values in, values out. It does no I/O, keeps no clock (the caller passes
 * {@code now}), logs nothing and depends on nothing but the JDK. It does not know where secrets come from: the
 * caller looks the secret access key up by the access key id of a parsed {@link org.opensts.sigv4.SignedRequest}
 * and checks the credential scope's region and service before asking for verification. SigV4A (ECDSA) and
 * chunked payload signing are not supported.
 */
package org.opensts.sigv4;
