package org.opensts.federation.saml;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * An IdP's SAML metadata as IAM stores it ({@code SAMLMetadataDocument}): its {@code entityID} and the certificates
 * of its {@code IDPSSODescriptor} that may sign (key descriptors with {@code use="signing"} or no {@code use}).
 * Parsed once per document by the hardened parser; immutable.
 */
public final class SamlMetadata {
    static final String METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    /** IAM refuses metadata whose keys are shorter (IAM User Guide, "Create a SAML identity provider in IAM"). */
    private static final int MIN_RSA_BITS = 1024;

    private final String entityId;
    private final List<X509Certificate> signingCertificates;
    private final List<PublicKey> signingKeys;

    private SamlMetadata(String entityId, List<X509Certificate> signingCertificates) {
        this(entityId, signingCertificates, List.of());
    }

    /**
     * Metadata made of parts, for test corpora whose IdP key comes as a certificate file or a bare public key.
     *
     * @param bareKeys keys to trust beyond the certificates' (no metadata document can carry one: IAM takes only
     *     certificates)
     */
    SamlMetadata(String entityId, List<X509Certificate> signingCertificates, List<PublicKey> bareKeys) {
        this.entityId = entityId;
        this.signingCertificates = List.copyOf(signingCertificates);
        var keys = new ArrayList<PublicKey>();
        signingCertificates.forEach(certificate -> keys.add(certificate.getPublicKey()));
        keys.addAll(bareKeys);
        this.signingKeys = List.copyOf(keys);
    }

    /**
     * Parses an {@code EntityDescriptor}, or an {@code EntitiesDescriptor} holding exactly one IdP.
     *
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the document is not IdP metadata
     *     with at least one signing certificate
     */
    public static SamlMetadata parse(String metadataDocument) {
        Document document = HardenedXml.parse(metadataDocument, SamlMessages.METADATA_INVALID);
        Element root = document.getDocumentElement();
        var idps = new ArrayList<Element>();
        if (Dom.is(root, METADATA_NS, "EntityDescriptor")) {
            collectIdp(root, idps);
        } else if (Dom.is(root, METADATA_NS, "EntitiesDescriptor")) {
            collectIdps(root, idps);
        }
        if (idps.size() != 1) {
            throw invalid();
        }
        Element entity = idps.get(0);
        String entityId = entity.getAttribute("entityID");
        if (entityId.isEmpty()) {
            throw invalid();
        }
        var certificates = new ArrayList<X509Certificate>();
        Element idp = Dom.child(entity, METADATA_NS, "IDPSSODescriptor");
        for (Element keyDescriptor : Dom.children(idp, METADATA_NS, "KeyDescriptor")) {
            String use = keyDescriptor.getAttribute("use");
            if (!use.isEmpty() && !use.equals("signing")) {
                continue;
            }
            for (Element keyInfo : Dom.children(keyDescriptor, Dom.DSIG_NS, "KeyInfo")) {
                for (Element x509Data : Dom.children(keyInfo, Dom.DSIG_NS, "X509Data")) {
                    for (Element encoded : Dom.children(x509Data, Dom.DSIG_NS, "X509Certificate")) {
                        certificates.add(certificate(encoded.getTextContent()));
                    }
                }
            }
        }
        if (certificates.isEmpty()) {
            throw invalid();
        }
        return new SamlMetadata(entityId, certificates);
    }

    /** The {@code entityID}: what the assertion's {@code Issuer} must equal. */
    public String entityId() {
        return entityId;
    }

    /** The certificates whose keys may sign a response, in document order. */
    public List<X509Certificate> signingCertificates() {
        return signingCertificates;
    }

    /** The keys a signature may verify with: the certificates' keys, in document order. */
    List<PublicKey> signingKeys() {
        return signingKeys;
    }

    private static void collectIdps(Element entities, List<Element> idps) {
        for (Element child : Dom.children(entities)) {
            if (Dom.is(child, METADATA_NS, "EntityDescriptor")) {
                collectIdp(child, idps);
            } else if (Dom.is(child, METADATA_NS, "EntitiesDescriptor")) {
                collectIdps(child, idps);
            }
        }
    }

    private static void collectIdp(Element entity, List<Element> idps) {
        if (Dom.child(entity, METADATA_NS, "IDPSSODescriptor") != null) {
            idps.add(entity);
        }
    }

    private static X509Certificate certificate(String base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64.strip());
            var certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            if (certificate.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw invalid();
            }
            return certificate;
        } catch (CertificateException | IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, SamlMessages.METADATA_INVALID);
    }

    @Override
    public String toString() {
        return "SamlMetadata[entityId=" + entityId + ", signingCertificates=" + signingCertificates.size() + "]";
    }
}
