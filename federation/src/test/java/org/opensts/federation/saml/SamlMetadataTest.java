package org.opensts.federation.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.TestData;

/** IdP metadata as IAM stores it: the entity id and the signing certificates. */
class SamlMetadataTest {
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");

    @Test
    void parse_testIdpMetadata_givesEntityIdAndCertificate() {
        var metadata = SamlMetadata.parse(IDP.metadataXml());
        assertThat(metadata.entityId()).isEqualTo("https://idp.example.com/saml");
        assertThat(metadata.signingCertificates()).containsExactly(IDP.certificate());
        assertThat(metadata.toString()).contains("https://idp.example.com/saml");
    }

    @Test
    void parse_realIdpMetadata_fromTheCorpus() throws Exception {
        var okta = SamlMetadata.parse(Files.readString(TestData.file("saml", "crewjam-saml", "testdata",
                "TestSPCanHandleOktaSignedResponseEncryptedAssertion_IDPMetadata")));
        assertThat(okta.entityId()).isEqualTo("http://www.okta.com/exkppsa1qwuFV4D7z0h7");
        assertThat(okta.signingCertificates()).hasSize(1);
        var testshib = SamlMetadata.parse(Files.readString(TestData.file("saml", "crewjam-saml", "testdata",
                "SP_IDPMetadata")));
        assertThat(testshib.entityId()).isEqualTo("https://idp.testshib.org/idp/shibboleth");
        assertThat(testshib.signingCertificates()).isNotEmpty();
    }

    @Test
    void parse_keyDescriptorWithoutUse_isSigning_encryptionOnlyIsNot() {
        String both = IDP.metadataXml().replace("<md:KeyDescriptor use=\"signing\">", "<md:KeyDescriptor>");
        assertThat(SamlMetadata.parse(both).signingCertificates()).hasSize(1);
        String encryption = IDP.metadataXml().replace("use=\"signing\"", "use=\"encryption\"");
        assertInvalid(encryption);
    }

    @Test
    void parse_entitiesDescriptorWithOneIdp_isAccepted() {
        String inner = IDP.metadataXml().replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
        String entities = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + inner
                + "<md:EntityDescriptor entityID=\"https://sp.example.com\"><md:SPSSODescriptor"
                + " protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>"
                + "</md:EntitiesDescriptor>";
        assertThat(SamlMetadata.parse(entities).entityId()).isEqualTo("https://idp.example.com/saml");
        String twoIdps = "<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">" + inner + inner
                + "</md:EntitiesDescriptor>";
        assertInvalid(twoIdps);
    }

    @Test
    void parse_notIdpMetadata_isRefused() {
        assertInvalid("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\">"
                + "<md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"
                + "</md:EntityDescriptor>");
        assertInvalid(IDP.metadataXml().replace("entityID=\"https://idp.example.com/saml\"", ""));
        assertInvalid(IDP.metadataXml().replaceAll("<ds:X509Certificate>[^<]*", "<ds:X509Certificate>AAAA"));
        assertInvalid("not xml");
    }

    @Test
    void parse_rsaKeyBelow1024Bits_isRefused() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(768);
        var weak = TestSamlIdp.create("https://weak.example.com", generator.generateKeyPair());
        assertInvalid(weak.metadataXml());
        generator.initialize(1024);
        var enough = TestSamlIdp.create("https://ok.example.com", generator.generateKeyPair());
        assertThat(SamlMetadata.parse(enough.metadataXml()).signingCertificates()).hasSize(1);
    }

    @Test
    void parse_twoCertificates_keepsBothInOrder() {
        var next = TestSamlIdp.create(IDP.entityId());
        var metadata = SamlMetadata.parse(TestSamlIdp.metadataXml(IDP.entityId(),
                List.of(IDP.certificate(), next.certificate())));
        assertThat(metadata.signingCertificates()).containsExactly(IDP.certificate(), next.certificate());
    }

    private static void assertInvalid(String document) {
        assertThatThrownBy(() -> SamlMetadata.parse(document)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
            assertThat(e.getMessage()).isEqualTo("Could not parse metadata");
        });
    }
}
