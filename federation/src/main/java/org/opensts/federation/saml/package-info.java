/**
 * SAML 2.0 responses (AssumeRoleWithSAML): the IdP's metadata ({@link org.opensts.federation.saml.SamlMetadata}),
 * the response parsed by a hardened parser and its XML signature verified so that exactly the signed assertion is
 * read ({@link org.opensts.federation.saml.SamlResponseVerifier}), and the attributes AWS reads from it
 * ({@link org.opensts.federation.saml.AwsSamlAttributes}).
 */
package org.opensts.federation.saml;
