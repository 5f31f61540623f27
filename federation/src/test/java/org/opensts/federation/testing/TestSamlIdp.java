package org.opensts.federation.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.exceptions.XMLSecurityException;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A SAML 2.0 identity provider for tests: a key pair with a self-signed certificate, the metadata document IAM's
 * {@code CreateSAMLProvider} takes, and AWS-shaped SAML Responses (IAM User Guide, "Configure SAML assertions for the
 * authentication response") signed with Apache Santuario the way real IdPs sign them: enveloped signatures,
 * exclusive canonicalization, a reference by {@code ID} to the signed Assertion and/or Response.
 *
 * <p>Every part of a response can be set, and hooks reach the DOM before and after signing, so that tests can build
 * the attacks a verifier must refuse (signature wrapping, injected assertions, changed values). Nothing here reads
 * the wall clock: the caller gives the instant a response is issued at.
 *
 * <pre>{@code
 * var idp = TestSamlIdp.create("https://idp.example.com/saml");
 * String metadata = idp.metadataXml();
 * String samlAssertion = idp.response(now)
 *         .role("arn:aws:iam::123456789012:role/dev", "arn:aws:iam::123456789012:saml-provider/corp")
 *         .roleSessionName("ross@example.com")
 *         .base64();
 * }</pre>
 */
public final class TestSamlIdp {
    public static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    public static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";
    public static final String METADATA_NS = "urn:oasis:names:tc:SAML:2.0:metadata";
    public static final String DSIG_NS = Constants.SignatureSpecNS;

    /** AWS's SAML service provider entity id, the usual {@code Audience} (IAM User Guide). */
    public static final String AWS_AUDIENCE = "urn:amazon:webservices";
    /** AWS's sign-in endpoint, the usual {@code Recipient} (IAM User Guide). */
    public static final String AWS_RECIPIENT = "https://signin.aws.amazon.com/saml";
    public static final String ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/";
    public static final String ROLE = ATTRIBUTES + "Role";
    public static final String ROLE_SESSION_NAME = ATTRIBUTES + "RoleSessionName";
    public static final String SESSION_DURATION = ATTRIBUTES + "SessionDuration";
    public static final String SOURCE_IDENTITY = ATTRIBUTES + "SourceIdentity";
    public static final String TRANSITIVE_TAG_KEYS = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
    public static final String PRINCIPAL_TAG = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";

    public static final String RSA_SHA1 = XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA1;
    public static final String RSA_SHA256 = XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256;
    public static final String RSA_SHA512 = XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA512;
    public static final String ECDSA_SHA256 = XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256;
    public static final String SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";
    public static final String SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
    public static final String SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512";

    public static final String EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    public static final String PERSISTENT_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
    public static final String TRANSIENT_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

    private static final AtomicLong SERIALS = new AtomicLong(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    static {
        org.apache.xml.security.Init.init();
    }

    private final String entityId;
    private final KeyPair keyPair;
    private final X509Certificate certificate;

    private TestSamlIdp(String entityId, KeyPair keyPair) {
        this.entityId = Objects.requireNonNull(entityId, "entityId");
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        this.certificate = SelfSignedCertificates.create(keyPair, "Test SAML IdP", SERIALS.getAndIncrement());
    }

    /** An IdP with a fresh RSA 2048 key. */
    public static TestSamlIdp create(String entityId) {
        return new TestSamlIdp(entityId, generateKeyPair("RSA"));
    }

    /** An IdP with a fresh key of {@code algorithm}: {@code RSA} (2048 bits) or {@code EC} (P-256). */
    public static TestSamlIdp create(String entityId, String algorithm) {
        return new TestSamlIdp(entityId, generateKeyPair(algorithm));
    }

    /** An IdP with the given key pair (e.g. a 1024-bit RSA key, or the key of another IdP under another name). */
    public static TestSamlIdp create(String entityId, KeyPair keyPair) {
        return new TestSamlIdp(entityId, keyPair);
    }

    public static KeyPair generateKeyPair(String algorithm) {
        try {
            var generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String entityId() {
        return entityId;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** The certificate in PEM, e.g. for {@code xmlsec1 --privkey-pem key,cert}. */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key in PKCS#8 PEM. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", keyPair.getPrivate().getEncoded());
    }

    /** The signature method this IdP's key signs with by default: RSA-SHA256 or ECDSA-SHA256. */
    public String defaultSignatureAlgorithm() {
        return keyPair.getPublic() instanceof ECKey ? ECDSA_SHA256 : RSA_SHA256;
    }

    /** Metadata for this IdP: one {@code IDPSSODescriptor} with its certificate under {@code use="signing"}. */
    public String metadataXml() {
        return metadataXml(entityId, List.of(certificate));
    }

    /**
     * Metadata as an IdP publishes it ({@code EntityDescriptor}, {@code IDPSSODescriptor}, a {@code KeyDescriptor
     * use="signing"} per certificate, an SSO endpoint), e.g. with an old and a new certificate during a rotation.
     */
    public static String metadataXml(String entityId, List<X509Certificate> signingCertificates) {
        var xml = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<md:EntityDescriptor xmlns:md=\"").append(METADATA_NS).append("\" xmlns:ds=\"")
                .append(DSIG_NS).append("\" entityID=\"").append(escape(entityId)).append("\">\n")
                .append("  <md:IDPSSODescriptor WantAuthnRequestsSigned=\"false\" protocolSupportEnumeration=\"")
                .append(PROTOCOL_NS).append("\">\n");
        for (X509Certificate certificate : signingCertificates) {
            try {
                xml.append("    <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>")
                        .append(Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                                .encodeToString(certificate.getEncoded()))
                        .append("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return xml.append("    <md:NameIDFormat>").append(PERSISTENT_FORMAT).append("</md:NameIDFormat>\n")
                .append("    <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\"")
                .append(" Location=\"").append(escape(entityId)).append("/sso\"/>\n")
                .append("  </md:IDPSSODescriptor>\n</md:EntityDescriptor>\n")
                .toString();
    }

    /**
     * A response issued at {@code issuedAt}: Response and Assertion IDs fresh, status Success, the Assertion signed
     * (RSA-SHA256 or ECDSA-SHA256, SHA-256 digests), the Response not; {@code NotBefore} = issuedAt,
     * {@code NotOnOrAfter} (Conditions and subject confirmation) = issuedAt + 5 minutes, {@code SessionNotOnOrAfter}
     * = issuedAt + 8 hours; audience {@value #AWS_AUDIENCE}, recipient {@value #AWS_RECIPIENT}; NameID and
     * RoleSessionName {@code ross@example.com} (email format); no Role values until {@link Response#role} adds them.
     */
    public Response response(Instant issuedAt) {
        return new Response(this, issuedAt);
    }

    /**
     * Signs {@code element} the way the builder does: an enveloped signature inserted right after the element's
     * {@code Issuer} child (or first), one reference to {@code #ID}, exclusive c14n, this IdP's certificate in
     * {@code KeyInfo}. For attacks: sign any element of a document, then move things around.
     */
    public Element sign(Element element, String signatureAlgorithm, String digestAlgorithm) {
        return sign(element, signatureAlgorithm, digestAlgorithm, keyPair.getPrivate(), certificate);
    }

    static Element sign(Element element, String signatureAlgorithm, String digestAlgorithm, PrivateKey key,
            X509Certificate certificate) {
        try {
            Document document = element.getOwnerDocument();
            String id = element.getAttribute("ID");
            element.setIdAttributeNS(null, "ID", true);
            var signature = new XMLSignature(document, "", signatureAlgorithm,
                    Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            Node after = firstChild(element, ASSERTION_NS, "Issuer");
            Node before = after == null ? element.getFirstChild() : after.getNextSibling();
            element.insertBefore(signature.getElement(), before);
            var transforms = new Transforms(document);
            transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            signature.addDocument("#" + id, transforms, digestAlgorithm);
            if (certificate != null) {
                signature.addKeyInfo(certificate);
            }
            signature.sign(key);
            return signature.getElement();
        } catch (XMLSecurityException e) {
            throw new IllegalStateException("cannot sign " + element.getLocalName(), e);
        }
    }

    /** The document as text, without reformatting (signatures stay valid). */
    public static String serialize(Document document) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            var out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses XML for a test to change (namespace aware; a test parser, not the verifier's hardened one). */
    public static Document parse(String xml) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not XML", e);
        }
    }

    /** {@code SAMLAssertion} as a client sends it: the standard base64 of the UTF-8 XML. */
    public static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(UTF_8));
    }

    public static String newId() {
        var bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "_" + HexFormat.of().formatHex(bytes);
    }

    static Element firstChild(Element parent, String namespace, String localName) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && namespace.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }

    /** A SAML Response under construction; every setter returns {@code this}. Not thread-safe. */
    public static final class Response {
        private final TestSamlIdp idp;
        private String responseId = newId();
        private String assertionId = newId();
        private Instant issueInstant;
        private String responseIssuer;
        private String assertionIssuer;
        private String destination = AWS_RECIPIENT;
        private String statusCode = "urn:oasis:names:tc:SAML:2.0:status:Success";
        private String nameId = "ross@example.com";
        private String nameIdFormat = EMAIL_FORMAT;
        private String nameQualifierAttribute;
        private String subjectConfirmationMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
        private String recipient = AWS_RECIPIENT;
        private Instant subjectConfirmationNotOnOrAfter;
        private Instant notBefore;
        private Instant notOnOrAfter;
        private List<String> audiences = new ArrayList<>(List.of(AWS_AUDIENCE));
        private Instant sessionNotOnOrAfter;
        private final Map<String, List<String>> attributes = new LinkedHashMap<>();
        private boolean signAssertion = true;
        private boolean signResponse;
        private String signatureAlgorithm;
        private String digestAlgorithm = SHA256;
        private PrivateKey signingKey;
        private X509Certificate keyInfoCertificate;
        private final List<Consumer<Document>> beforeSigning = new ArrayList<>();
        private final List<Consumer<Document>> afterSigning = new ArrayList<>();

        private Response(TestSamlIdp idp, Instant issuedAt) {
            this.idp = idp;
            this.issueInstant = issuedAt.truncatedTo(ChronoUnit.MILLIS);
            this.responseIssuer = idp.entityId;
            this.assertionIssuer = idp.entityId;
            this.notBefore = issueInstant;
            this.notOnOrAfter = issueInstant.plusSeconds(300);
            this.subjectConfirmationNotOnOrAfter = issueInstant.plusSeconds(300);
            this.sessionNotOnOrAfter = issueInstant.plusSeconds(8 * 3600);
            this.signatureAlgorithm = idp.defaultSignatureAlgorithm();
            this.signingKey = idp.keyPair.getPrivate();
            this.keyInfoCertificate = idp.certificate;
            attributes.put(ROLE_SESSION_NAME, new ArrayList<>(List.of(nameId)));
        }

        public Response responseId(String id) {
            this.responseId = id;
            return this;
        }

        public Response assertionId(String id) {
            this.assertionId = id;
            return this;
        }

        public String assertionId() {
            return assertionId;
        }

        /** IssueInstant of the Response and the Assertion (the validity times stay as set). */
        public Response issueInstant(Instant instant) {
            this.issueInstant = instant;
            return this;
        }

        /** The Response's optional {@code Issuer}; {@code null} leaves it out. */
        public Response responseIssuer(String issuer) {
            this.responseIssuer = issuer;
            return this;
        }

        /** The Assertion's {@code Issuer}; {@code null} leaves it out. */
        public Response issuer(String issuer) {
            this.assertionIssuer = issuer;
            return this;
        }

        public Response destination(String destination) {
            this.destination = destination;
            return this;
        }

        public Response statusCode(String statusCode) {
            this.statusCode = statusCode;
            return this;
        }

        public Response nameId(String nameId) {
            this.nameId = nameId;
            return this;
        }

        /** {@code null} leaves the {@code Format} attribute out. */
        public Response nameIdFormat(String format) {
            this.nameIdFormat = format;
            return this;
        }

        /** The NameID's own {@code NameQualifier} attribute (not AWS's computed NameQualifier). */
        public Response nameIdNameQualifier(String qualifier) {
            this.nameQualifierAttribute = qualifier;
            return this;
        }

        public Response subjectConfirmationMethod(String method) {
            this.subjectConfirmationMethod = method;
            return this;
        }

        /** The bearer {@code SubjectConfirmationData}'s {@code Recipient}; {@code null} leaves it out. */
        public Response recipient(String recipient) {
            this.recipient = recipient;
            return this;
        }

        /** {@code null} leaves the attribute out. */
        public Response subjectConfirmationNotOnOrAfter(Instant instant) {
            this.subjectConfirmationNotOnOrAfter = instant;
            return this;
        }

        /** The {@code Conditions}' {@code NotBefore}; {@code null} leaves it out. */
        public Response notBefore(Instant instant) {
            this.notBefore = instant;
            return this;
        }

        /** The {@code Conditions}' {@code NotOnOrAfter}; {@code null} leaves it out. */
        public Response notOnOrAfter(Instant instant) {
            this.notOnOrAfter = instant;
            return this;
        }

        /** Both expiry times, Conditions and subject confirmation. */
        public Response expiresAt(Instant instant) {
            this.notOnOrAfter = instant;
            this.subjectConfirmationNotOnOrAfter = instant;
            return this;
        }

        /** The one {@code AudienceRestriction}'s audiences; none leaves the restriction out. */
        public Response audiences(String... audiences) {
            this.audiences = new ArrayList<>(List.of(audiences));
            return this;
        }

        /** {@code null} leaves the attribute out. */
        public Response sessionNotOnOrAfter(Instant instant) {
            this.sessionNotOnOrAfter = instant;
            return this;
        }

        /** Adds a {@code Role} value {@code "roleArn,providerArn"}. */
        public Response role(String roleArn, String providerArn) {
            return addAttributeValue(ROLE, roleArn + "," + providerArn);
        }

        /** Adds a raw {@code Role} value, e.g. in the provider-first order or malformed. */
        public Response roleValue(String value) {
            return addAttributeValue(ROLE, value);
        }

        /** Sets the one {@code RoleSessionName} value; {@code null} leaves the attribute out. */
        public Response roleSessionName(String name) {
            return attribute(ROLE_SESSION_NAME, name == null ? new String[0] : new String[] {name});
        }

        public Response sessionDuration(String seconds) {
            return attribute(SESSION_DURATION, seconds);
        }

        public Response sourceIdentity(String sourceIdentity) {
            return attribute(SOURCE_IDENTITY, sourceIdentity);
        }

        public Response principalTag(String key, String value) {
            return attribute(PRINCIPAL_TAG + key, value);
        }

        public Response transitiveTagKeys(String... keys) {
            return attribute(TRANSITIVE_TAG_KEYS, keys);
        }

        /** Sets attribute {@code name} to {@code values}, in order; no values removes it. */
        public Response attribute(String name, String... values) {
            if (values.length == 0) {
                attributes.remove(name);
            } else {
                attributes.put(name, new ArrayList<>(List.of(values)));
            }
            return this;
        }

        private Response addAttributeValue(String name, String value) {
            attributes.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        public Response signAssertion(boolean sign) {
            this.signAssertion = sign;
            return this;
        }

        public Response signResponse(boolean sign) {
            this.signResponse = sign;
            return this;
        }

        public Response signatureAlgorithm(String uri) {
            this.signatureAlgorithm = uri;
            return this;
        }

        public Response digestAlgorithm(String uri) {
            this.digestAlgorithm = uri;
            return this;
        }

        /** Signs with another IdP's key (and puts its certificate in {@code KeyInfo}). */
        public Response signWith(TestSamlIdp other) {
            this.signingKey = other.keyPair.getPrivate();
            this.keyInfoCertificate = other.certificate;
            this.signatureAlgorithm = other.defaultSignatureAlgorithm();
            return this;
        }

        /** Signs with this IdP's key but puts {@code certificate} in {@code KeyInfo} (or none, if null). */
        public Response keyInfoCertificate(X509Certificate certificate) {
            this.keyInfoCertificate = certificate;
            return this;
        }

        /** Changes the DOM before anything is signed. */
        public Response beforeSigning(Consumer<Document> change) {
            beforeSigning.add(change);
            return this;
        }

        /** Changes the DOM after signing: what an attacker does to a genuine response. */
        public Response afterSigning(Consumer<Document> change) {
            afterSigning.add(change);
            return this;
        }

        /** The response built, signed as configured, and changed by the hooks. */
        public Document document() {
            Document document = unsignedDocument();
            beforeSigning.forEach(change -> change.accept(document));
            Element response = document.getDocumentElement();
            Element assertion = firstChild(response, ASSERTION_NS, "Assertion");
            if (signAssertion && assertion != null) {
                sign(assertion, signatureAlgorithm, digestAlgorithm, signingKey, keyInfoCertificate);
            }
            if (signResponse) {
                sign(response, signatureAlgorithm, digestAlgorithm, signingKey, keyInfoCertificate);
            }
            afterSigning.forEach(change -> change.accept(document));
            return document;
        }

        public String xml() {
            return serialize(document());
        }

        /** The {@code SAMLAssertion} parameter. */
        public String base64() {
            return TestSamlIdp.base64(xml());
        }

        /**
         * The response signed by {@code xmlsec1} instead of Santuario (Assertion first, then Response, as configured;
         * the signature algorithm must be RSA-SHA256 or another that xmlsec1 knows by the same URI), with the
         * {@link #afterSigning} changes applied.
         */
        public String signedByXmlsec1() {
            Document document = unsignedDocument();
            beforeSigning.forEach(change -> change.accept(document));
            String xml = serialize(document);
            if (signAssertion) {
                Document next = parse(xml);
                insertTemplate(firstChild(next.getDocumentElement(), ASSERTION_NS, "Assertion"));
                xml = Xmlsec1.sign(serialize(next), idp);
            }
            if (signResponse) {
                // xmlsec1 fills the first template in document order: the Response's, ahead of the Assertion.
                Document next = parse(xml);
                insertTemplate(next.getDocumentElement());
                xml = Xmlsec1.sign(serialize(next), idp);
            }
            if (afterSigning.isEmpty()) {
                return xml;
            }
            Document signed = parse(xml);
            afterSigning.forEach(change -> change.accept(signed));
            return serialize(signed);
        }

        private void insertTemplate(Element element) {
            Document document = element.getOwnerDocument();
            Element signature = document.createElementNS(DSIG_NS, "ds:Signature");
            signature.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:ds", DSIG_NS);
            Element signedInfo = child(signature, DSIG_NS, "ds:SignedInfo");
            child(signedInfo, DSIG_NS, "ds:CanonicalizationMethod")
                    .setAttribute("Algorithm", Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            child(signedInfo, DSIG_NS, "ds:SignatureMethod").setAttribute("Algorithm", signatureAlgorithm);
            Element reference = child(signedInfo, DSIG_NS, "ds:Reference");
            reference.setAttribute("URI", "#" + element.getAttribute("ID"));
            Element transforms = child(reference, DSIG_NS, "ds:Transforms");
            child(transforms, DSIG_NS, "ds:Transform").setAttribute("Algorithm",
                    Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
            child(transforms, DSIG_NS, "ds:Transform").setAttribute("Algorithm",
                    Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
            child(reference, DSIG_NS, "ds:DigestMethod").setAttribute("Algorithm", digestAlgorithm);
            child(reference, DSIG_NS, "ds:DigestValue");
            child(signature, DSIG_NS, "ds:SignatureValue");
            child(child(signature, DSIG_NS, "ds:KeyInfo"), DSIG_NS, "ds:X509Data");
            Node after = firstChild(element, ASSERTION_NS, "Issuer");
            element.insertBefore(signature, after == null ? element.getFirstChild() : after.getNextSibling());
        }

        private Document unsignedDocument() {
            Document document;
            try {
                var factory = DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                document = factory.newDocumentBuilder().newDocument();
            } catch (ParserConfigurationException e) {
                throw new IllegalStateException(e);
            }
            Element response = document.createElementNS(PROTOCOL_NS, "samlp:Response");
            document.appendChild(response);
            response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:samlp", PROTOCOL_NS);
            response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:saml", ASSERTION_NS);
            response.setAttribute("ID", responseId);
            response.setAttribute("Version", "2.0");
            response.setAttribute("IssueInstant", issueInstant.toString());
            if (destination != null) {
                response.setAttribute("Destination", destination);
            }
            if (responseIssuer != null) {
                child(response, ASSERTION_NS, "saml:Issuer").setTextContent(responseIssuer);
            }
            Element status = child(response, PROTOCOL_NS, "samlp:Status");
            child(status, PROTOCOL_NS, "samlp:StatusCode").setAttribute("Value", statusCode);

            Element assertion = child(response, ASSERTION_NS, "saml:Assertion");
            assertion.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xs",
                    XMLConstants.W3C_XML_SCHEMA_NS_URI);
            assertion.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xsi",
                    XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI);
            assertion.setAttribute("ID", assertionId);
            assertion.setAttribute("Version", "2.0");
            assertion.setAttribute("IssueInstant", issueInstant.toString());
            if (assertionIssuer != null) {
                child(assertion, ASSERTION_NS, "saml:Issuer").setTextContent(assertionIssuer);
            }
            Element subject = child(assertion, ASSERTION_NS, "saml:Subject");
            Element name = child(subject, ASSERTION_NS, "saml:NameID");
            if (nameIdFormat != null) {
                name.setAttribute("Format", nameIdFormat);
            }
            if (nameQualifierAttribute != null) {
                name.setAttribute("NameQualifier", nameQualifierAttribute);
            }
            name.setTextContent(nameId);
            Element confirmation = child(subject, ASSERTION_NS, "saml:SubjectConfirmation");
            confirmation.setAttribute("Method", subjectConfirmationMethod);
            Element confirmationData = child(confirmation, ASSERTION_NS, "saml:SubjectConfirmationData");
            if (subjectConfirmationNotOnOrAfter != null) {
                confirmationData.setAttribute("NotOnOrAfter", subjectConfirmationNotOnOrAfter.toString());
            }
            if (recipient != null) {
                confirmationData.setAttribute("Recipient", recipient);
            }
            Element conditions = child(assertion, ASSERTION_NS, "saml:Conditions");
            if (notBefore != null) {
                conditions.setAttribute("NotBefore", notBefore.toString());
            }
            if (notOnOrAfter != null) {
                conditions.setAttribute("NotOnOrAfter", notOnOrAfter.toString());
            }
            if (!audiences.isEmpty()) {
                Element restriction = child(conditions, ASSERTION_NS, "saml:AudienceRestriction");
                for (String audience : audiences) {
                    child(restriction, ASSERTION_NS, "saml:Audience").setTextContent(audience);
                }
            }
            Element authn = child(assertion, ASSERTION_NS, "saml:AuthnStatement");
            authn.setAttribute("AuthnInstant", issueInstant.toString());
            authn.setAttribute("SessionIndex", assertionId);
            if (sessionNotOnOrAfter != null) {
                authn.setAttribute("SessionNotOnOrAfter", sessionNotOnOrAfter.toString());
            }
            child(child(authn, ASSERTION_NS, "saml:AuthnContext"), ASSERTION_NS, "saml:AuthnContextClassRef")
                    .setTextContent("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
            if (!attributes.isEmpty()) {
                Element statement = child(assertion, ASSERTION_NS, "saml:AttributeStatement");
                for (var attribute : attributes.entrySet()) {
                    Element element = child(statement, ASSERTION_NS, "saml:Attribute");
                    element.setAttribute("Name", attribute.getKey());
                    element.setAttribute("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri");
                    for (String value : attribute.getValue()) {
                        Element valueElement = child(element, ASSERTION_NS, "saml:AttributeValue");
                        valueElement.setAttributeNS(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "xsi:type",
                                "xs:string");
                        valueElement.setTextContent(value);
                    }
                }
            }
            return document;
        }

        private static Element child(Element parent, String namespace, String qualifiedName) {
            Element child = parent.getOwnerDocument().createElementNS(namespace, qualifiedName);
            parent.appendChild(child);
            return child;
        }
    }
}
