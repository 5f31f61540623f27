package org.opensts.federation.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.federation.saml.SamlResponseVerifierTest.ENTITY_ID;
import static org.opensts.federation.saml.SamlResponseVerifierTest.IDP;
import static org.opensts.federation.saml.SamlResponseVerifierTest.METADATA;
import static org.opensts.federation.saml.SamlResponseVerifierTest.NOW;
import static org.opensts.federation.saml.SamlResponseVerifierTest.assertRejected;

import org.junit.jupiter.api.Test;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.protocol.ErrorCode;

/**
 * Responses signed by an independent implementation, {@code xmlsec1} (Debian's package, run as a subprocess): what
 * IdPs built on it send verifies, and the same attacks fail. These tests fail, never skip, without xmlsec1.
 */
class SamlXmlsec1InteropTest {
    private static final SamlResponseVerifier VERIFIER = SamlResponseVerifierTest.verifierAt(NOW);

    private static TestSamlIdp.Response response() {
        return SamlResponseVerifierTest.response().roleSessionName("xmlsec1-user");
    }

    @Test
    void assertionSignedByXmlsec1_verifies() {
        String xml = response().signedByXmlsec1();
        var verified = VERIFIER.verify(TestSamlIdp.base64(xml), METADATA);
        assertThat(verified.issuer()).isEqualTo(ENTITY_ID);
        assertThat(AwsSamlAttributes.of(verified).roleSessionName()).isEqualTo("xmlsec1-user");
    }

    @Test
    void responseSignedByXmlsec1_verifies() {
        String xml = response().signAssertion(false).signResponse(true).signedByXmlsec1();
        assertThat(VERIFIER.verify(TestSamlIdp.base64(xml), METADATA).nameId()).isEqualTo("ross@example.com");
    }

    @Test
    void bothSignedByXmlsec1_verify() {
        String xml = response().signResponse(true).signedByXmlsec1();
        assertThat(xml).containsPattern("(?s)<ds:Signature.*<ds:Signature");
        assertThat(VERIFIER.verify(TestSamlIdp.base64(xml), METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void ecdsaSignedByXmlsec1_verifies() {
        var ec = TestSamlIdp.create(ENTITY_ID, "EC");
        String xml = ec.response(NOW).signedByXmlsec1();
        assertThat(VERIFIER.verify(TestSamlIdp.base64(xml), SamlMetadata.parse(ec.metadataXml())).issuer())
                .isEqualTo(ENTITY_ID);
    }

    @Test
    void signedByXmlsec1ThenChanged_isRefused() {
        String xml = response().afterSigning(document -> SamlResponseVerifierTest.first(document,
                TestSamlIdp.ASSERTION_NS, "NameID").setTextContent("admin@example.com")).signedByXmlsec1();
        assertRejected(() -> VERIFIER.verify(TestSamlIdp.base64(xml), METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response signature invalid");
    }

    @Test
    void signedByXmlsec1WithAKeyNotInTheMetadata_isRefused() {
        var other = TestSamlIdp.create(ENTITY_ID);
        String xml = other.response(NOW).role(SamlResponseVerifierTest.ROLE, SamlResponseVerifierTest.PROVIDER)
                .signedByXmlsec1();
        assertRejected(() -> VERIFIER.verify(TestSamlIdp.base64(xml), METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response signature invalid");
    }

    @Test
    void wrappedAfterXmlsec1Signed_isRefused() {
        String xml = response().afterSigning(SamlResponseVerifierTest::hideInAdvice).signedByXmlsec1();
        assertRejected(() -> VERIFIER.verify(TestSamlIdp.base64(xml), METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response must contain exactly one Assertion");
    }

    @Test
    void ourSignatures_verifyWithXmlsec1() {
        assertThat(org.opensts.federation.testing.Xmlsec1.verifies(response().signResponse(true).xml(), IDP)).isTrue();
    }
}
