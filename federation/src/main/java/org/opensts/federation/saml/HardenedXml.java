package org.opensts.federation.saml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.Base64;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The one way SAML documents (responses and IdP metadata) become DOM trees: a parser that refuses any DTD, so that no
 * entity is declared, expanded or fetched (XXE, billion laughs, parameter entities), with external DTDs, external
 * entities and XInclude off as a second line, and secure processing on. {@code xsi:schemaLocation} hints are plain
 * attributes to a non-validating parser and are never fetched.
 *
 * <p>Also the strict base64 decoding of {@code SAMLAssertion}: line breaks and other XML whitespace are tolerated
 * (IdPs and browsers wrap it at 64 or 76 characters), anything else outside the base64 alphabet is refused.
 */
final class HardenedXml {
    /** Decoded bytes accepted: the request binder caps the parameter at 100,000 characters, so 75,000 bytes. */
    static final int MAX_DECODED_BYTES = 100_000 * 3 / 4;

    private static final DocumentBuilderFactory FACTORY = factory();

    private HardenedXml() {
    }

    /**
     * Decodes {@code SAMLAssertion}.
     *
     * @throws ApiException {@code InvalidIdentityToken} when it is not base64 or decodes to too many bytes
     */
    static byte[] decodeBase64(String text) {
        var compact = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            compact.append(c);
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(compact.toString());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, SamlMessages.INVALID_RESPONSE);
        }
        if (decoded.length == 0 || decoded.length > MAX_DECODED_BYTES) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, SamlMessages.INVALID_RESPONSE);
        }
        return decoded;
    }

    /**
     * Parses a SAML document.
     *
     * @throws ApiException {@code InvalidIdentityToken} with {@code message} when it is not well-formed XML, declares
     *     a DTD, or uses an undeclared entity
     */
    static Document parse(byte[] xml, String message) {
        return parse(new InputSource(new ByteArrayInputStream(xml)), message);
    }

    static Document parse(String xml, String message) {
        return parse(new InputSource(new StringReader(xml)), message);
    }

    private static Document parse(InputSource source, String message) {
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(SILENT);
            // Never reached with DTDs refused; a resolver that fetches nothing in case a parser reaches for one.
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused");
            });
            return builder.parse(source);
        } catch (SAXException | IOException e) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, message);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
    }

    private static DocumentBuilderFactory factory() {
        var factory = DocumentBuilderFactory.newInstance();
        try {
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setIgnoringComments(false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("XML parser cannot be hardened", e);
        }
        return factory;
    }

    /** The JDK parser prints fatal errors to stderr by default; the exception is enough. */
    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };
}
