/**
 * Real identity providers for tests, shared with the sts and server tests through this module's test-jar: an OIDC
 * issuer on loopback HTTPS and a SAML IdP that signs responses.
 */
package org.opensts.federation.testing;
