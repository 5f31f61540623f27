package org.opensts.federation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The test IdP's signatures are real: an independent implementation ({@code xmlsec1}) accepts them. */
class TestSamlIdpTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");

    @Test
    void signedAssertion_verifiesWithXmlsec1() {
        assertThat(Xmlsec1.verifies(IDP.response(NOW).xml(), IDP)).isTrue();
    }

    @Test
    void signedResponse_verifiesWithXmlsec1() {
        assertThat(Xmlsec1.verifies(IDP.response(NOW).signAssertion(false).signResponse(true).xml(), IDP)).isTrue();
    }

    @Test
    void signedAssertion_changedAfterSigning_failsWithXmlsec1() {
        String xml = IDP.response(NOW).afterSigning(document -> document
                .getElementsByTagNameNS(TestSamlIdp.ASSERTION_NS, "NameID").item(0).setTextContent("admin"))
                .xml();
        assertThat(Xmlsec1.verifies(xml, IDP)).isFalse();
    }

    @Test
    void signedWithAnotherKey_failsWithXmlsec1() {
        var other = TestSamlIdp.create(IDP.entityId());
        assertThat(Xmlsec1.verifies(IDP.response(NOW).signWith(other).xml(), IDP)).isFalse();
    }

    @Test
    void ecdsaIdp_signatureVerifiesWithXmlsec1() {
        var ec = TestSamlIdp.create("https://ec.example.com/saml", "EC");
        assertThat(Xmlsec1.verifies(ec.response(NOW).xml(), ec)).isTrue();
    }

    @Test
    void signedByXmlsec1_bothSignaturesVerifyWithXmlsec1() {
        String xml = IDP.response(NOW).signResponse(true).signedByXmlsec1();
        assertThat(xml).contains("SignatureValue>").doesNotContain("<ds:SignatureValue/>");
        assertThat(Xmlsec1.verifies(xml, IDP)).isTrue();
    }

    @Test
    void xmlsec1Missing_failsWithAClearMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Xmlsec1.sign("<a/>", IDP, "xmlsec1-not-installed"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("xmlsec1-not-installed is not installed (Debian: apt-get install -y xmlsec1)");
    }

    @Test
    void metadata_namesTheEntityAndCarriesTheCertificate() throws Exception {
        String metadata = IDP.metadataXml();
        assertThat(metadata).contains("entityID=\"https://idp.example.com/saml\"")
                .contains(java.util.Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(IDP.certificate().getEncoded()).substring(0, 64));
    }
}
