package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.xml.security.c14n.Canonicalizer;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.opensts.federation.saml.AwsSamlAttributes;
import org.opensts.federation.saml.SamlMetadata;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.federation.saml.VerifiedSamlAssertion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Verifying a typical AssumeRoleWithSAML response: about 8 KB of XML (a corporate IdP's assertion with four Role
 * pairs, session tags and eight group values), the assertion signed with RSA-SHA256 by a 2048-bit key, sent base64.
 * Each verification decodes, parses with the hardened parser, checks the structure, verifies the signature with
 * Santuario (exclusive c14n of the assertion, one SHA-256 digest, one RSA verify) and checks issuer, audience,
 * recipient and times. The baseline in the same run is one bare {@code SHA256withRSA} verify, with a ready
 * {@link Signature}, of a signature over a buffer as long as the response: the cryptographic floor.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar SamlVerificationBenchmark -f 1 -wi 3 -i 5 -w 1 -r 2
 * </pre>
 *
 * <p>The IdP's key and certificate come from the JDK's {@code keytool}, run once at setup (the JDK has no API to
 * make a certificate). Thread-scoped, because a {@link Signature} is not thread-safe. Not final: JMH generates a
 * subclass of each {@code @State} class.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SamlVerificationBenchmark {
    private static final String ENTITY_ID = "https://idp.example.com/adfs/services/trust";
    private static final Instant ISSUED_AT = Instant.parse("2026-11-25T12:00:00Z");
    private static final String PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final String ATTRIBUTES = "https://aws.amazon.com/SAML/Attributes/";

    private SamlResponseVerifier verifier;
    private SamlMetadata metadata;
    private String samlAssertion;

    private Signature baseline;
    private PublicKey publicKey;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        org.apache.xml.security.Init.init();
        KeyStore.PrivateKeyEntry idp = generateIdpKey();
        var certificate = (X509Certificate) idp.getCertificate();
        metadata = SamlMetadata.parse(metadataXml(certificate));
        String xml = signedResponse(idp.getPrivateKey(), certificate);
        samlAssertion = Base64.getEncoder().encodeToString(xml.getBytes(UTF_8));
        verifier = new SamlResponseVerifier(Clock.fixed(ISSUED_AT.plusSeconds(30), ZoneOffset.UTC));
        VerifiedSamlAssertion verified = verifier.verify(samlAssertion, metadata);
        System.out.println("typical SAML response: " + xml.length() + " characters of XML, " + samlAssertion.length()
                + " of base64, " + AwsSamlAttributes.of(verified).roles().size() + " roles");

        message = new byte[xml.length()];
        new SecureRandom().nextBytes(message);
        var signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(idp.getPrivateKey());
        signer.update(message);
        signature = signer.sign();
        baseline = Signature.getInstance("SHA256withRSA");
        publicKey = certificate.getPublicKey();
    }

    @Benchmark
    public VerifiedSamlAssertion verify() {
        return verifier.verify(samlAssertion, metadata);
    }

    @Benchmark
    public AwsSamlAttributes verifyAndReadAttributes() {
        return AwsSamlAttributes.of(verifier.verify(samlAssertion, metadata));
    }

    @Benchmark
    public boolean baselineRsaSha256Verify() throws GeneralSecurityException {
        baseline.initVerify(publicKey);
        baseline.update(message);
        return baseline.verify(signature);
    }

    private static KeyStore.PrivateKeyEntry generateIdpKey() throws Exception {
        Path dir = Files.createTempDirectory("saml-benchmark-");
        Path store = dir.resolve("idp.p12");
        try {
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "idp", "-keyalg", "RSA",
                    "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=Benchmark IdP", "-validity", "3650",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "benchmark")
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (process.waitFor() != 0) {
                throw new IOException("keytool failed");
            }
            var keyStore = KeyStore.getInstance("PKCS12");
            try (var in = new ByteArrayInputStream(Files.readAllBytes(store))) {
                keyStore.load(in, "benchmark".toCharArray());
            }
            return (KeyStore.PrivateKeyEntry) keyStore.getEntry("idp",
                    new KeyStore.PasswordProtection("benchmark".toCharArray()));
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }

    private static String metadataXml(X509Certificate certificate) throws GeneralSecurityException {
        return "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"" + ENTITY_ID
                + "\"><md:IDPSSODescriptor protocolSupportEnumeration=\"" + PROTOCOL + "\"><md:KeyDescriptor"
                + " use=\"signing\"><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:X509Data>"
                + "<ds:X509Certificate>" + Base64.getEncoder().encodeToString(certificate.getEncoded())
                + "</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor>"
                + "</md:EntityDescriptor>";
    }

    /** A response shaped like a corporate IdP's for AWS, the assertion signed. */
    private static String signedResponse(PrivateKey key, X509Certificate certificate) throws Exception {
        var xml = new StringBuilder();
        xml.append("<samlp:Response xmlns:samlp=\"").append(PROTOCOL).append("\" xmlns:saml=\"").append(ASSERTION)
                .append("\" ID=\"_8e8dc5f69a98cc4c1ff3427e5ce34606fd672f91e6\" Version=\"2.0\" IssueInstant=\"")
                .append(ISSUED_AT).append("\" Destination=\"https://signin.aws.amazon.com/saml\">")
                .append("<saml:Issuer>").append(ENTITY_ID).append("</saml:Issuer>")
                .append("<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>")
                .append("</samlp:Status>")
                .append("<saml:Assertion xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/")
                .append("2001/XMLSchema-instance\" ID=\"_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75\" Version=\"2.0\"")
                .append(" IssueInstant=\"").append(ISSUED_AT).append("\"><saml:Issuer>").append(ENTITY_ID)
                .append("</saml:Issuer><saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:")
                .append("persistent\">CORP\\jane.doe</saml:NameID><saml:SubjectConfirmation Method=\"urn:oasis:names:")
                .append("tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData NotOnOrAfter=\"")
                .append(ISSUED_AT.plusSeconds(300)).append("\" Recipient=\"https://signin.aws.amazon.com/saml\"/>")
                .append("</saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore=\"").append(ISSUED_AT)
                .append("\" NotOnOrAfter=\"").append(ISSUED_AT.plusSeconds(3600))
                .append("\"><saml:AudienceRestriction>")
                .append("<saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction>")
                .append("</saml:Conditions><saml:AuthnStatement AuthnInstant=\"").append(ISSUED_AT)
                .append("\" SessionIndex=\"_d71a3a8e9fcc45c9e9d248ef7049393fc8f04e5f75\"><saml:AuthnContext>")
                .append("<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:")
                .append("PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>")
                .append("</saml:AuthnStatement><saml:AttributeStatement>");
        attribute(xml, ATTRIBUTES + "Role", "arn:aws:iam::123456789012:role/ReadOnly,arn:aws:iam::123456789012:"
                + "saml-provider/CorpIdP", "arn:aws:iam::123456789012:role/Developer,arn:aws:iam::123456789012:"
                + "saml-provider/CorpIdP", "arn:aws:iam::210987654321:role/ReadOnly,arn:aws:iam::210987654321:"
                + "saml-provider/CorpIdP", "arn:aws:iam::210987654321:role/Operator,arn:aws:iam::210987654321:"
                + "saml-provider/CorpIdP");
        attribute(xml, ATTRIBUTES + "RoleSessionName", "jane.doe@example.com");
        attribute(xml, ATTRIBUTES + "SessionDuration", "28800");
        attribute(xml, ATTRIBUTES + "PrincipalTag:Department", "Engineering");
        attribute(xml, ATTRIBUTES + "PrincipalTag:CostCenter", "12345");
        attribute(xml, ATTRIBUTES + "TransitiveTagKeys", "Department", "CostCenter");
        attribute(xml, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "jane.doe@example.com");
        attribute(xml, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "Jane");
        attribute(xml, "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "Doe");
        var groups = new String[8];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = "CN=grp-engineering-team-" + i + ",OU=Groups,DC=corp,DC=example,DC=com";
        }
        attribute(xml, "http://schemas.xmlsoap.org/claims/Group", groups);
        xml.append("</saml:AttributeStatement></saml:Assertion></samlp:Response>");

        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(
                xml.toString().getBytes(UTF_8)));
        Element assertion = (Element) document.getElementsByTagNameNS(ASSERTION, "Assertion").item(0);
        assertion.setIdAttributeNS(null, "ID", true);
        var signature = new XMLSignature(document, "", XMLSignature.ALGO_ID_SIGNATURE_RSA_SHA256,
                Canonicalizer.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
        assertion.insertBefore(signature.getElement(), assertion.getFirstChild().getNextSibling());
        var transforms = new Transforms(document);
        transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        signature.addDocument("#" + assertion.getAttribute("ID"), transforms,
                "http://www.w3.org/2001/04/xmlenc#sha256");
        signature.addKeyInfo(certificate);
        signature.sign(key);

        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
        var out = new StringWriter();
        transformer.transform(new DOMSource(document), new StreamResult(out));
        return out.toString();
    }

    private static void attribute(StringBuilder xml, String name, String... values) {
        xml.append("<saml:Attribute Name=\"").append(name)
                .append("\" NameFormat=\"urn:oasis:names:tc:SAML:2.0:attrname-format:uri\">");
        for (String value : values) {
            xml.append("<saml:AttributeValue xsi:type=\"xs:string\">").append(value).append("</saml:AttributeValue>");
        }
        xml.append("</saml:Attribute>");
    }
}
