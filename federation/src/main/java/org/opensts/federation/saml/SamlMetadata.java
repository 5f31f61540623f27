package org.opensts.federation.saml;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An IdP's SAML metadata as IAM stores it ({@code SAMLMetadataDocument}): its {@code entityID} and the certificates
 * of its {@code IDPSSODescriptor} that may sign (key descriptors with {@code use="signing"} or no {@code use}).
 * Parsed once per document by the hardened parser; immutable.
 */
public final class SamlMetadata {
    private SamlMetadata() {
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the document is not IdP metadata
     *     with at least one signing certificate
     */
    public static SamlMetadata parse(String metadataDocument) {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }

    public String entityId() {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }

    public List<X509Certificate> signingCertificates() {
        throw new UnsupportedOperationException("issue 8: saml helper");
    }
}
