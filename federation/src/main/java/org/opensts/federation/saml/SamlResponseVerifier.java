package org.opensts.federation.saml;

import static java.util.Objects.requireNonNull;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Verifies a base64 SAML 2.0 {@code Response} for AssumeRoleWithSAML. One instance per node; thread-safe.
 *
 * <p>Design note: the order is parse (hardened, no DTD), then structure, then signatures, then values. The structure
 * check is what defeats signature wrapping: the document must hold exactly one {@code Assertion}, as a direct child of
 * the root {@code Response}; no {@code ID} value may appear twice anywhere; {@code Signature} elements may only be
 * direct children of that Response or that Assertion, one each. Each signature present must then verify over exactly
 * the element that carries it, and at least one of them must cover the Assertion. Values are read from the Assertion
 * element held since the structure check, never looked up again. Checks follow IAM User Guide, "Configure SAML
 * assertions for the authentication response"; messages are AWS's where known ({@link SamlMessages}).
 */
public final class SamlResponseVerifier {
    /** AWS's SAML service provider entity ids (IAM User Guide, "Configure SAML assertions ..."). */
    static final Set<String> AWS_AUDIENCES = Set.of("urn:amazon:webservices", "https://signin.aws.amazon.com/saml");
    /** The AWS sign-in endpoints a bearer assertion may be addressed to, global or regional. */
    private static final Pattern AWS_RECIPIENT = Pattern.compile(
            "https://(?:[a-z]{2}(?:-[a-z]+)+-\\d+\\.)?signin\\.aws\\.amazon\\.com/(?:static/)?saml");
    /**
     * Tolerance for the IdP's clock in every time comparison. AWS publishes none for SAML; five minutes is what it
     * documents for web identity tokens and what SAML libraries commonly allow.
     */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** AWS refuses an assertion issued more than five minutes ago ("Token must be redeemed within 5 minutes ..."). */
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private static final String BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    private static final String SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

    private final Clock clock;
    private final Expectations expectations;

    public SamlResponseVerifier(Clock clock) {
        this(clock, Expectations.aws());
    }

    /** With other expectations: for test corpora addressed to other service providers. */
    SamlResponseVerifier(Clock clock, Expectations expectations) {
        this.clock = requireNonNull(clock, "clock");
        this.expectations = requireNonNull(expectations, "expectations");
    }

    /**
     * What a response must be addressed to, and how long it may live.
     *
     * @param audiences an {@code AudienceRestriction} must name one of these
     * @param recipients the bearer confirmation's {@code Recipient} must satisfy this
     * @param clockSkew the tolerance in every time comparison
     * @param maxAge the longest time since the assertion's {@code IssueInstant}; {@code null} for no bound
     * @param allowSha1 whether RSA-SHA1 signatures and SHA-1 digests are accepted
     */
    record Expectations(Set<String> audiences, Predicate<String> recipients, Duration clockSkew, Duration maxAge,
            boolean allowSha1) {
        Expectations {
            audiences = Set.copyOf(audiences);
            requireNonNull(recipients, "recipients");
            requireNonNull(clockSkew, "clockSkew");
        }

        static Expectations aws() {
            return new Expectations(AWS_AUDIENCES, recipient -> AWS_RECIPIENT.matcher(recipient).matches(),
                    CLOCK_SKEW, MAX_AGE, /* allowSha1= */ true);
        }
    }

    /**
     * @param samlAssertion the {@code SAMLAssertion} parameter: base64 of the whole Response
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken}, {@code ExpiredTokenException} or
     *     {@code IDPRejectedClaim}, with AWS's messages
     */
    public VerifiedSamlAssertion verify(String samlAssertion, SamlMetadata metadata) {
        requireNonNull(metadata, "metadata");
        byte[] xml = HardenedXml.decodeBase64(requireNonNull(samlAssertion, "samlAssertion"));
        return verify(HardenedXml.parse(xml, SamlMessages.INVALID_RESPONSE), metadata);
    }

    /** Verifies a parsed Response (the base64 step is the caller's). */
    VerifiedSamlAssertion verify(Document document, SamlMetadata metadata) {
        Element response = document.getDocumentElement();
        if (!Dom.is(response, Dom.PROTOCOL_NS, "Response") || !"2.0".equals(Dom.attribute(response, "Version"))) {
            throw invalid(SamlMessages.INVALID_RESPONSE);
        }
        registerUniqueIds(document);
        Element assertion = theOneAssertion(document, response);
        verifySignatures(document, response, assertion, metadata);

        requireSuccess(response);
        Element responseIssuer = Dom.child(response, Dom.ASSERTION_NS, "Issuer");
        if (responseIssuer != null && !Dom.text(responseIssuer).equals(metadata.entityId())) {
            throw invalid(SamlMessages.ISSUER_NOT_IN_PROVIDER);
        }
        return readAssertion(assertion, metadata);
    }

    /**
     * Marks every {@code ID} attribute as a DOM ID, so that Santuario resolves {@code #ID} references, after making
     * sure no identifier-like value ({@code ID}, {@code Id}, {@code id}, {@code xml:id}) appears twice.
     */
    private static void registerUniqueIds(Document document) {
        var seen = new HashSet<String>();
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            var element = (Element) all.item(i);
            NamedNodeMap attributes = element.getAttributes();
            for (int j = 0; j < attributes.getLength(); j++) {
                var attribute = (Attr) attributes.item(j);
                String name = attribute.getLocalName() == null ? attribute.getName() : attribute.getLocalName();
                if (name.equals("ID") || name.equals("Id") || name.equals("id")) {
                    if (!seen.add(attribute.getValue())) {
                        throw invalid(SamlMessages.SIGNATURE_INVALID);
                    }
                }
            }
            if (element.hasAttributeNS(null, "ID")) {
                element.setIdAttributeNS(null, "ID", true);
            }
        }
    }

    private static Element theOneAssertion(Document document, Element response) {
        if (document.getElementsByTagNameNS(Dom.ASSERTION_NS, "EncryptedAssertion").getLength() > 0) {
            throw invalid(SamlMessages.ENCRYPTED_ASSERTION);
        }
        NodeList assertions = document.getElementsByTagNameNS(Dom.ASSERTION_NS, "Assertion");
        if (assertions.getLength() != 1 || assertions.item(0).getParentNode() != response) {
            throw invalid(SamlMessages.ONE_ASSERTION);
        }
        return (Element) assertions.item(0);
    }

    private void verifySignatures(Document document, Element response, Element assertion, SamlMetadata metadata) {
        Element responseSignature = null;
        Element assertionSignature = null;
        NodeList signatures = document.getElementsByTagNameNS(Dom.DSIG_NS, "Signature");
        for (int i = 0; i < signatures.getLength(); i++) {
            var signature = (Element) signatures.item(i);
            Node parent = signature.getParentNode();
            if (parent == response && responseSignature == null) {
                responseSignature = signature;
            } else if (parent == assertion && assertionSignature == null) {
                assertionSignature = signature;
            } else {
                // a second signature on one element, or one anywhere else: nothing a genuine IdP sends
                throw invalid(SamlMessages.SIGNATURE_INVALID);
            }
        }
        if (responseSignature == null && assertionSignature == null) {
            throw invalid(SamlMessages.SIGNATURE_INVALID);
        }
        List<PublicKey> keys = metadata.signingKeys();
        if (responseSignature != null
                && !EnvelopedSignature.verifies(responseSignature, response, keys, expectations.allowSha1())) {
            throw invalid(SamlMessages.SIGNATURE_INVALID);
        }
        if (assertionSignature != null
                && !EnvelopedSignature.verifies(assertionSignature, assertion, keys, expectations.allowSha1())) {
            throw invalid(SamlMessages.SIGNATURE_INVALID);
        }
    }

    private static void requireSuccess(Element response) {
        Element status = Dom.child(response, Dom.PROTOCOL_NS, "Status");
        Element code = status == null ? null : Dom.child(status, Dom.PROTOCOL_NS, "StatusCode");
        if (code == null || !SUCCESS.equals(Dom.attribute(code, "Value"))) {
            throw invalid(SamlMessages.STATUS_NOT_SUCCESS);
        }
    }

    private VerifiedSamlAssertion readAssertion(Element assertion, SamlMetadata metadata) {
        Instant now = clock.instant();
        Duration skew = expectations.clockSkew();

        Element issuer = Dom.child(assertion, Dom.ASSERTION_NS, "Issuer");
        if (issuer == null || !Dom.text(issuer).equals(metadata.entityId())) {
            throw invalid(SamlMessages.ISSUER_NOT_IN_PROVIDER);
        }
        String id = Dom.attribute(assertion, "ID");
        if (id == null || id.isEmpty() || !"2.0".equals(Dom.attribute(assertion, "Version"))) {
            throw invalid(SamlMessages.INVALID_RESPONSE);
        }
        Instant issueInstant = instant(Dom.attribute(assertion, "IssueInstant"));
        if (issueInstant.isAfter(now.plus(skew))) {
            throw invalid(SamlMessages.NOT_YET_VALID);
        }
        if (expectations.maxAge() != null && now.isAfter(issueInstant.plus(expectations.maxAge()).plus(skew))) {
            throw new ApiException(ErrorCode.IDP_TOKEN_EXPIRED, SamlMessages.TOO_OLD);
        }

        Element subject = Dom.child(assertion, Dom.ASSERTION_NS, "Subject");
        Element nameIdElement = subject == null ? null : Dom.child(subject, Dom.ASSERTION_NS, "NameID");
        if (nameIdElement == null || Dom.text(nameIdElement).isEmpty()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, SamlMessages.NOT_AUTHORIZED);
        }
        Element confirmationData = bearerConfirmationData(subject);
        String recipient = Dom.attribute(confirmationData, "Recipient");
        String confirmationNotOnOrAfter = Dom.attribute(confirmationData, "NotOnOrAfter");
        if (recipient == null || confirmationNotOnOrAfter == null || !expectations.recipients().test(recipient)) {
            throw invalid(SamlMessages.SUBJECT_CONFIRMATION);
        }
        Instant notOnOrAfter = instant(confirmationNotOnOrAfter);
        notYetValid(Dom.attribute(confirmationData, "NotBefore"), now, skew);

        Element conditions = Dom.child(assertion, Dom.ASSERTION_NS, "Conditions");
        if (conditions == null) {
            throw invalid(SamlMessages.CONDITIONS_MISSING);
        }
        notYetValid(Dom.attribute(conditions, "NotBefore"), now, skew);
        String conditionsNotOnOrAfter = Dom.attribute(conditions, "NotOnOrAfter");
        if (conditionsNotOnOrAfter != null) {
            Instant end = instant(conditionsNotOnOrAfter);
            notOnOrAfter = end.isBefore(notOnOrAfter) ? end : notOnOrAfter;
        }
        if (!now.isBefore(notOnOrAfter.plus(skew))) {
            throw new ApiException(ErrorCode.IDP_TOKEN_EXPIRED, SamlMessages.EXPIRED);
        }
        requireAudience(conditions);

        Optional<Instant> sessionNotOnOrAfter = Optional.empty();
        for (Element statement : Dom.children(assertion, Dom.ASSERTION_NS, "AuthnStatement")) {
            String value = Dom.attribute(statement, "SessionNotOnOrAfter");
            if (value != null) {
                Instant end = instant(value);
                if (!now.isBefore(end.plus(skew))) {
                    throw new ApiException(ErrorCode.IDP_TOKEN_EXPIRED, SamlMessages.EXPIRED);
                }
                if (sessionNotOnOrAfter.isEmpty() || end.isBefore(sessionNotOnOrAfter.get())) {
                    sessionNotOnOrAfter = Optional.of(end);
                }
            }
        }

        return new VerifiedSamlAssertion(id, Dom.text(issuer), Dom.text(nameIdElement),
                Optional.ofNullable(Dom.attribute(nameIdElement, "Format")), recipient, notOnOrAfter,
                sessionNotOnOrAfter, attributes(assertion));
    }

    /** AWS: exactly one bearer {@code SubjectConfirmation}, with a {@code SubjectConfirmationData}. */
    private static Element bearerConfirmationData(Element subject) {
        var bearers = new ArrayList<Element>();
        for (Element confirmation : Dom.children(subject, Dom.ASSERTION_NS, "SubjectConfirmation")) {
            if (BEARER.equals(Dom.attribute(confirmation, "Method"))) {
                bearers.add(confirmation);
            }
        }
        if (bearers.size() != 1) {
            throw invalid(SamlMessages.SUBJECT_CONFIRMATION);
        }
        List<Element> data = Dom.children(bearers.get(0), Dom.ASSERTION_NS, "SubjectConfirmationData");
        if (data.size() != 1) {
            throw invalid(SamlMessages.SUBJECT_CONFIRMATION);
        }
        return data.get(0);
    }

    /** Every {@code AudienceRestriction} must name one of ours (SAML 2.0 Core 2.5.1.4), and there must be one. */
    private void requireAudience(Element conditions) {
        List<Element> restrictions = Dom.children(conditions, Dom.ASSERTION_NS, "AudienceRestriction");
        if (restrictions.isEmpty()) {
            throw invalid(SamlMessages.AUDIENCE_MISSING);
        }
        for (Element restriction : restrictions) {
            boolean ours = false;
            for (Element audience : Dom.children(restriction, Dom.ASSERTION_NS, "Audience")) {
                ours |= expectations.audiences().contains(Dom.text(audience));
            }
            if (!ours) {
                throw invalid(SamlMessages.AUDIENCE_MISSING);
            }
        }
    }

    private static void notYetValid(String notBefore, Instant now, Duration skew) {
        if (notBefore != null && instant(notBefore).isAfter(now.plus(skew))) {
            throw invalid(SamlMessages.NOT_YET_VALID);
        }
    }

    private static Map<String, List<String>> attributes(Element assertion) {
        var attributes = new LinkedHashMap<String, List<String>>();
        for (Element statement : Dom.children(assertion, Dom.ASSERTION_NS, "AttributeStatement")) {
            for (Element attribute : Dom.children(statement, Dom.ASSERTION_NS, "Attribute")) {
                String name = Dom.attribute(attribute, "Name");
                if (name == null) {
                    continue;
                }
                List<String> values = attributes.computeIfAbsent(name, k -> new ArrayList<>());
                for (Element value : Dom.children(attribute, Dom.ASSERTION_NS, "AttributeValue")) {
                    values.add(value.getTextContent());
                }
            }
        }
        var copy = new LinkedHashMap<String, List<String>>();
        attributes.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    /** An {@code xs:dateTime} with a zone ({@code Z} or an offset), as SAML 2.0 Core 1.3.3 requires. */
    private static Instant instant(String value) {
        if (value == null) {
            throw invalid(SamlMessages.INVALID_RESPONSE);
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(SamlMessages.INVALID_RESPONSE);
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, message);
    }
}
