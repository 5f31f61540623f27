package org.opensts.federation.saml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.federation.testing.TestSamlIdp.ASSERTION_NS;
import static org.opensts.federation.testing.TestSamlIdp.DSIG_NS;
import static org.opensts.federation.testing.TestSamlIdp.PROTOCOL_NS;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The verifier against responses our test IdP signs: genuine ones pass with every value read from the signed
 * assertion; each broken or hostile one is refused with AWS's error.
 */
class SamlResponseVerifierTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String ENTITY_ID = "https://idp.example.com/saml";
    static final TestSamlIdp IDP = TestSamlIdp.create(ENTITY_ID);
    static final SamlMetadata METADATA = SamlMetadata.parse(IDP.metadataXml());
    static final String ROLE = "arn:aws:iam::123456789012:role/dev";
    static final String PROVIDER = "arn:aws:iam::123456789012:saml-provider/corp";

    private static final SamlResponseVerifier VERIFIER = verifierAt(NOW);

    static SamlResponseVerifier verifierAt(Instant now) {
        return new SamlResponseVerifier(Clock.fixed(now, ZoneOffset.UTC));
    }

    static TestSamlIdp.Response response() {
        return IDP.response(NOW).role(ROLE, PROVIDER);
    }

    // --- genuine responses ---

    @Test
    void verify_signedAssertion_readsEverythingFromIt() {
        String saml = response().assertionId("_a1").principalTag("Team", "blue").base64();
        VerifiedSamlAssertion verified = VERIFIER.verify(saml, METADATA);

        assertThat(verified.assertionId()).isEqualTo("_a1");
        assertThat(verified.issuer()).isEqualTo(ENTITY_ID);
        assertThat(verified.nameId()).isEqualTo("ross@example.com");
        assertThat(verified.nameIdFormat()).contains(TestSamlIdp.EMAIL_FORMAT);
        assertThat(verified.recipient()).isEqualTo("https://signin.aws.amazon.com/saml");
        assertThat(verified.notOnOrAfter()).isEqualTo(NOW.plusSeconds(300));
        assertThat(verified.sessionNotOnOrAfter()).contains(NOW.plusSeconds(8 * 3600));
        assertThat(verified.attributes()).containsEntry(TestSamlIdp.ROLE, List.of(ROLE + "," + PROVIDER))
                .containsEntry(TestSamlIdp.PRINCIPAL_TAG + "Team", List.of("blue"));
    }

    @Test
    void verify_signedResponseOnly_isAccepted() {
        assertThat(VERIFIER.verify(response().signAssertion(false).signResponse(true).base64(), METADATA).nameId())
                .isEqualTo("ross@example.com");
    }

    @Test
    void verify_bothSigned_isAccepted() {
        assertThat(VERIFIER.verify(response().signResponse(true).base64(), METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_ecdsaIdp_isAccepted() {
        var ec = TestSamlIdp.create(ENTITY_ID, "EC");
        var metadata = SamlMetadata.parse(ec.metadataXml());
        var verified = VERIFIER.verify(ec.response(NOW).signResponse(true).base64(), metadata);
        assertThat(verified.issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_rsaSha512_isAccepted() {
        String saml = response().signatureAlgorithm(TestSamlIdp.RSA_SHA512).digestAlgorithm(TestSamlIdp.SHA512)
                .base64();
        assertThat(VERIFIER.verify(saml, METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_rsaSha1_isAcceptedAsAwsDoes() {
        String saml = response().signatureAlgorithm(TestSamlIdp.RSA_SHA1).digestAlgorithm(TestSamlIdp.SHA1).base64();
        assertThat(VERIFIER.verify(saml, METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_rsaSha1_isRefusedWhenShaOneIsNotAllowed() {
        var strict = new SamlResponseVerifier(Clock.fixed(NOW, ZoneOffset.UTC), new SamlResponseVerifier.Expectations(
                SamlResponseVerifier.AWS_AUDIENCES, r -> true, Duration.ofMinutes(5), null, /* allowSha1= */ false));
        String sha1 = response().signatureAlgorithm(TestSamlIdp.RSA_SHA1).digestAlgorithm(TestSamlIdp.SHA1).base64();
        String sha1Digest = response().digestAlgorithm(TestSamlIdp.SHA1).base64();

        assertRejected(() -> strict.verify(sha1, METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response signature invalid");
        assertRejected(() -> strict.verify(sha1Digest, METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response signature invalid");
        assertThat(strict.verify(response().base64(), METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_metadataWithOldAndNewCertificate_acceptsEither() {
        var rotated = TestSamlIdp.create(ENTITY_ID);
        var metadata = SamlMetadata.parse(TestSamlIdp.metadataXml(ENTITY_ID,
                List.of(IDP.certificate(), rotated.certificate())));
        assertThat(VERIFIER.verify(response().base64(), metadata).issuer()).isEqualTo(ENTITY_ID);
        assertThat(VERIFIER.verify(rotated.response(NOW).base64(), metadata).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_base64WrappedAt76Columns_isAccepted() {
        String wrapped = java.util.Base64.getMimeEncoder().encodeToString(response().xml().getBytes());
        assertThat(wrapped).contains("\r\n");
        assertThat(VERIFIER.verify(wrapped, METADATA).issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_regionalAndStaticRecipients_areAccepted() {
        for (String recipient : List.of("https://eu-west-1.signin.aws.amazon.com/saml",
                "https://signin.aws.amazon.com/static/saml", "https://us-gov-west-1.signin.aws.amazon.com/saml")) {
            assertThat(VERIFIER.verify(response().recipient(recipient).base64(), METADATA).recipient())
                    .isEqualTo(recipient);
        }
    }

    @Test
    void verify_signinAudience_isAccepted() {
        assertThat(VERIFIER.verify(response().audiences("https://signin.aws.amazon.com/saml").base64(), METADATA)
                .issuer()).isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_commentInsideNameId_readsTheWholeName() {
        String saml = response().nameId("ross@octolabs.io").signResponse(true).afterSigning(document -> {
            Element nameId = first(document, ASSERTION_NS, "NameID");
            nameId.setTextContent("ross@");
            nameId.appendChild(document.createComment(" c "));
            nameId.appendChild(document.createTextNode("octolabs.io"));
        }).base64();
        assertThat(new String(java.util.Base64.getDecoder().decode(saml))).contains("ross@<!-- c -->octolabs.io");

        assertThat(VERIFIER.verify(saml, METADATA).nameId()).isEqualTo("ross@octolabs.io");
    }

    @Test
    void verify_commentAfterTheName_breaksTheSignature() {
        String saml = response().nameId("ross@octolabs.io").afterSigning(document -> {
            Element nameId = first(document, ASSERTION_NS, "NameID");
            nameId.appendChild(document.createComment(" c "));
            nameId.appendChild(document.createTextNode(".example.com"));
        }).base64();
        assertRejected(() -> VERIFIER.verify(saml, METADATA), ErrorCode.INVALID_IDENTITY_TOKEN,
                "Response signature invalid");
    }

    // --- the table of refusals ---

    record Case(String name, UnaryOperator<TestSamlIdp.Response> change, Instant now, ErrorCode code,
            String message) {
        Case(String name, UnaryOperator<TestSamlIdp.Response> change, ErrorCode code, String message) {
            this(name, change, NOW, code, message);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String SIGNATURE = "Response signature invalid";
    static final ErrorCode INVALID = ErrorCode.INVALID_IDENTITY_TOKEN;
    static final ErrorCode EXPIRED = ErrorCode.IDP_TOKEN_EXPIRED;
    static final TestSamlIdp OTHER = TestSamlIdp.create(ENTITY_ID);

    static Stream<Case> refusals() {
        return Stream.of(
                new Case("unsigned response", r -> r.signAssertion(false), INVALID, SIGNATURE),
                new Case("signed with a key not in the metadata", r -> r.signWith(OTHER), INVALID, SIGNATURE),
                new Case("response signed with a key not in the metadata, assertion genuine",
                        r -> r.afterSigning(d -> OTHER.sign(d.getDocumentElement(), TestSamlIdp.RSA_SHA256,
                                TestSamlIdp.SHA256)), INVALID, SIGNATURE),
                new Case("embedded KeyInfo certificate of another key is ignored",
                        r -> r.signWith(OTHER).keyInfoCertificate(OTHER.certificate()), INVALID, SIGNATURE),
                new Case("NameID changed after signing", r -> r.afterSigning(d -> first(d, ASSERTION_NS, "NameID")
                        .setTextContent("admin@example.com")), INVALID, SIGNATURE),
                new Case("Role attribute value changed after signing", r -> r.afterSigning(d -> first(d,
                        ASSERTION_NS, "AttributeValue").setTextContent("admin")), INVALID, SIGNATURE),
                new Case("attribute added to the signed assertion", r -> r.afterSigning(d -> first(d,
                        ASSERTION_NS, "AttributeStatement").appendChild(copyOf(first(d, ASSERTION_NS, "Attribute")))),
                        INVALID, SIGNATURE),
                new Case("signed response, second unsigned assertion injected", r -> r.signAssertion(false)
                        .signResponse(true).afterSigning(d -> injectAssertion(d, "_evil", "admin@evil.com")),
                        INVALID, "Response must contain exactly one Assertion"),
                new Case("signed assertion, a second unsigned assertion before it", r -> r.afterSigning(d -> {
                    Element evil = injectAssertion(d, "_evil", "admin@evil.com");
                    d.getDocumentElement().insertBefore(evil, first(d, ASSERTION_NS, "Assertion"));
                }), INVALID, "Response must contain exactly one Assertion"),
                new Case("XSW: signed assertion moved into Extensions, evil one with its ID in its place",
                        r -> r.afterSigning(d -> wrapSignedAssertion(d, "Extensions", true)), INVALID, SIGNATURE),
                new Case("XSW: signed assertion moved into Extensions, evil one with another ID in its place",
                        r -> r.afterSigning(d -> wrapSignedAssertion(d, "Extensions", false)), INVALID,
                        "Response must contain exactly one Assertion"),
                new Case("XSW: signed assertion hidden in the evil assertion's Advice, same ID",
                        r -> r.afterSigning(SamlResponseVerifierTest::hideInAdvice), INVALID,
                        "Response must contain exactly one Assertion"),
                new Case("XSW: evil copy with the same ID, signature kept", r -> r.afterSigning(d -> {
                    Element copy = copyOf(first(d, ASSERTION_NS, "Assertion"));
                    first(copy, ASSERTION_NS, "NameID").setTextContent("admin@evil.com");
                    first(d, PROTOCOL_NS, "Status").appendChild(copy);
                }), INVALID, SIGNATURE),
                new Case("XSW: signed response wrapped in an evil response", r -> r.signAssertion(false)
                        .signResponse(true).afterSigning(SamlResponseVerifierTest::wrapResponse), INVALID,
                        "Response must contain exactly one Assertion"),
                new Case("signature moved from the assertion to the response", r -> r.afterSigning(d -> {
                    Element signature = first(d, DSIG_NS, "Signature");
                    d.getDocumentElement().insertBefore(signature, first(d, PROTOCOL_NS, "Status"));
                }), INVALID, SIGNATURE),
                new Case("assertion signature referencing its sibling (the response)", r -> r.signResponse(true)
                        .afterSigning(d -> {
                            Element responseSig = firstChild(d.getDocumentElement(), DSIG_NS, "Signature");
                            Element assertion = first(d, ASSERTION_NS, "Assertion");
                            Element assertionSig = firstChild(assertion, DSIG_NS, "Signature");
                            assertion.replaceChild(copyOf(responseSig), assertionSig);
                        }), INVALID, SIGNATURE),
                new Case("signature placed inside Subject", r -> r.afterSigning(d -> first(d, ASSERTION_NS,
                        "Subject").appendChild(first(d, DSIG_NS, "Signature"))), INVALID, SIGNATURE),
                new Case("two signatures on the assertion", r -> r.afterSigning(d -> {
                    Element assertion = first(d, ASSERTION_NS, "Assertion");
                    assertion.insertBefore(copyOf(first(d, DSIG_NS, "Signature")), first(d, ASSERTION_NS,
                            "Subject"));
                }), INVALID, SIGNATURE),
                new Case("duplicate ID elsewhere in the document", r -> r.afterSigning(d -> {
                    Element status = first(d, PROTOCOL_NS, "Status");
                    Element detail = d.createElementNS(PROTOCOL_NS, "samlp:StatusDetail");
                    detail.setAttribute("ID", first(d, ASSERTION_NS, "Assertion").getAttribute("ID"));
                    status.appendChild(detail);
                }), INVALID, SIGNATURE),
                new Case("reference URI names no element", r -> r.afterSigning(d -> first(d, DSIG_NS, "Reference")
                        .setAttribute("URI", "#_nothing")), INVALID, SIGNATURE),
                new Case("whole-document reference", r -> r.afterSigning(d -> first(d, DSIG_NS, "Reference")
                        .setAttribute("URI", "")), INVALID, SIGNATURE),
                new Case("encrypted assertion", r -> r.afterSigning(d -> {
                    Element assertion = first(d, ASSERTION_NS, "Assertion");
                    Element encrypted = d.createElementNS(ASSERTION_NS, "saml:EncryptedAssertion");
                    d.getDocumentElement().replaceChild(encrypted, assertion);
                }), INVALID, "Encrypted assertions are not supported: configure the identity provider to sign the"
                        + " assertion unencrypted"),
                new Case("status not Success", r -> r.signResponse(true).statusCode(
                        "urn:oasis:names:tc:SAML:2.0:status:Requester"), INVALID, "Response status is not Success"),
                new Case("wrong assertion issuer", r -> r.issuer("https://evil.example.com"), INVALID,
                        "Issuer not present in specified provider"),
                new Case("no assertion issuer", r -> r.issuer(null), INVALID,
                        "Issuer not present in specified provider"),
                new Case("wrong response issuer", r -> r.responseIssuer("https://evil.example.com"), INVALID,
                        "Issuer not present in specified provider"),
                new Case("wrong audience", r -> r.audiences("https://sp.example.com"), INVALID,
                        "Response does not contain the required audience"),
                new Case("no audience restriction", r -> r.audiences(), INVALID,
                        "Response does not contain the required audience"),
                new Case("wrong recipient", r -> r.recipient("https://sp.example.com/acs"), INVALID,
                        SamlMessages.SUBJECT_CONFIRMATION),
                new Case("recipient on a look-alike host",
                        r -> r.recipient("https://signin.aws.amazon.com.evil.io/saml"), INVALID,
                        SamlMessages.SUBJECT_CONFIRMATION),
                new Case("no recipient", r -> r.recipient(null), INVALID, SamlMessages.SUBJECT_CONFIRMATION),
                new Case("subject confirmation without NotOnOrAfter", r -> r.subjectConfirmationNotOnOrAfter(null),
                        INVALID, SamlMessages.SUBJECT_CONFIRMATION),
                new Case("holder-of-key instead of bearer", r -> r.subjectConfirmationMethod(
                        "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key"), INVALID, SamlMessages.SUBJECT_CONFIRMATION),
                new Case("no NameID", r -> r.beforeSigning(d -> {
                    Element nameId = first(d, ASSERTION_NS, "NameID");
                    nameId.getParentNode().removeChild(nameId);
                }), ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithSAML"),
                new Case("conditions expired", r -> r, NOW.plus(Duration.ofMinutes(10)), EXPIRED,
                        "Response has expired"),
                new Case("conditions expired although the confirmation is not", r -> r.notOnOrAfter(NOW.minusSeconds(
                        301)).subjectConfirmationNotOnOrAfter(NOW.plusSeconds(300)), EXPIRED, "Response has expired"),
                new Case("subject confirmation expired", r -> r.issueInstant(NOW.minusSeconds(200))
                        .notOnOrAfter(NOW.plusSeconds(300)).subjectConfirmationNotOnOrAfter(NOW.minusSeconds(301)),
                        EXPIRED, "Response has expired"),
                new Case("session ended", r -> r.sessionNotOnOrAfter(NOW.minusSeconds(301)), EXPIRED,
                        "Response has expired"),
                new Case("issued more than five minutes ago", r -> r.issueInstant(NOW.minusSeconds(601))
                        .expiresAt(NOW.plusSeconds(3600)), EXPIRED,
                        "Token must be redeemed within 5 minutes of issuance"),
                new Case("not yet valid", r -> r.notBefore(NOW.plusSeconds(301)), INVALID,
                        "Response is not yet valid"),
                new Case("issued in the future", r -> r.issueInstant(NOW.plusSeconds(301)).notBefore(null), INVALID,
                        "Response is not yet valid"),
                new Case("time without a zone", r -> r.beforeSigning(d -> first(d, ASSERTION_NS, "Conditions")
                        .setAttribute("NotOnOrAfter", "2026-03-01T12:05:00")), INVALID, "Invalid SAML response"),
                new Case("not a Response", r -> r.signAssertion(false).afterSigning(d -> d.renameNode(
                        d.getDocumentElement(), PROTOCOL_NS, "samlp:LogoutResponse")), INVALID,
                        "Invalid SAML response"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void verify_refuses(Case c) {
        String saml = c.change().apply(response()).base64();
        assertRejected(() -> verifierAt(c.now()).verify(saml, METADATA), c.code(), c.message());
    }

    @Test
    void verify_withinTheClockSkew_isAccepted() {
        assertThat(verifierAt(NOW.plusSeconds(599)).verify(response().base64(), METADATA).issuer())
                .isEqualTo(ENTITY_ID);
        assertThat(verifierAt(NOW.minusSeconds(299)).verify(response().base64(), METADATA).issuer())
                .isEqualTo(ENTITY_ID);
    }

    @Test
    void verify_notBase64_isInvalidIdentityToken() {
        assertRejected(() -> VERIFIER.verify("PHNhbWxwOlJlc3BvbnNl*", METADATA), INVALID, "Invalid SAML response");
        assertRejected(() -> VERIFIER.verify("", METADATA), INVALID, "Invalid SAML response");
    }

    @Test
    void verify_notXml_isInvalidIdentityToken() {
        assertRejected(() -> VERIFIER.verify(TestSamlIdp.base64("<samlp:Response"), METADATA), INVALID,
                "Invalid SAML response");
    }

    @Test
    void verify_tooLargeWhenDecoded_isInvalidIdentityToken() {
        String big = TestSamlIdp.base64("<a>" + "x".repeat(HardenedXml.MAX_DECODED_BYTES) + "</a>");
        assertRejected(() -> VERIFIER.verify(big, METADATA), INVALID, "Invalid SAML response");
    }

    // --- helpers ---

    static void assertRejected(Runnable call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(code);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    static Element first(Node root, String namespace, String localName) {
        Document document = root instanceof Document d ? d : root.getOwnerDocument();
        var list = root instanceof Document d ? d.getElementsByTagNameNS(namespace, localName)
                : ((Element) root).getElementsByTagNameNS(namespace, localName);
        assertThat(list.getLength()).as(localName + " in " + document.getDocumentElement().getLocalName())
                .isPositive();
        return (Element) list.item(0);
    }

    static Element firstChild(Element parent, String namespace, String localName) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && namespace.equals(e.getNamespaceURI())
                    && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new AssertionError("no " + localName);
    }

    static Element copyOf(Element element) {
        return (Element) element.cloneNode(true);
    }

    /** An unsigned assertion for {@code nameId}, appended to the root; returned. */
    static Element injectAssertion(Document document, String id, String nameId) {
        Element evil = copyOf(first(document, ASSERTION_NS, "Assertion"));
        for (Node child = evil.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e && DSIG_NS.equals(e.getNamespaceURI())) {
                evil.removeChild(e);
                break;
            }
        }
        evil.setAttribute("ID", id);
        first(evil, ASSERTION_NS, "NameID").setTextContent(nameId);
        document.getDocumentElement().appendChild(evil);
        return evil;
    }

    /** Moves the signed assertion into a new child of the response and puts an evil copy in its place. */
    static void wrapSignedAssertion(Document document, String wrapperName, boolean sameId) {
        Element signed = first(document, ASSERTION_NS, "Assertion");
        Element evil = copyOf(signed);
        evil.removeChild(firstChild(evil, DSIG_NS, "Signature"));
        first(evil, ASSERTION_NS, "NameID").setTextContent("admin@evil.com");
        if (!sameId) {
            evil.setAttribute("ID", "_evil");
        }
        Element wrapper = document.createElementNS(PROTOCOL_NS, "samlp:" + wrapperName);
        document.getDocumentElement().replaceChild(evil, signed);
        wrapper.appendChild(signed);
        document.getDocumentElement().insertBefore(wrapper, first(document, PROTOCOL_NS, "Status"));
    }

    static void hideInAdvice(Document document) {
        Element signed = first(document, ASSERTION_NS, "Assertion");
        Element evil = copyOf(signed);
        evil.removeChild(firstChild(evil, DSIG_NS, "Signature"));
        evil.setAttribute("ID", "_evil");
        first(evil, ASSERTION_NS, "NameID").setTextContent("admin@evil.com");
        Element advice = document.createElementNS(ASSERTION_NS, "saml:Advice");
        document.getDocumentElement().replaceChild(evil, signed);
        advice.appendChild(signed);
        evil.insertBefore(advice, first(evil, ASSERTION_NS, "Subject"));
    }

    /** XSW1: the genuine signed response becomes a child of an evil response with another ID. */
    static void wrapResponse(Document document) {
        Element genuine = document.getDocumentElement();
        Element evil = copyOf(genuine);
        evil.removeChild(firstChild(evil, DSIG_NS, "Signature"));
        evil.setAttribute("ID", "_evil");
        first(evil, ASSERTION_NS, "NameID").setTextContent("admin@evil.com");
        first(evil, ASSERTION_NS, "Assertion").setAttribute("ID", "_evilAssertion");
        document.replaceChild(evil, genuine);
        evil.appendChild(genuine);
    }
}
