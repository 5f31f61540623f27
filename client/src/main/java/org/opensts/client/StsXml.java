package org.opensts.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads STS's XML responses. The parser refuses any document type declaration, so entities (external or expanding)
 * cannot reach it, and elements are found by local name under their expected parent, as the SDKs' unmarshallers do.
 */
final class StsXml {

    private static final DocumentBuilderFactory FACTORY = newFactory();

    private final Element root;

    private StsXml(Element root) {
        this.root = root;
    }

    /** Parses {@code body}; throws {@link StsTransportException} if it is not well-formed XML without a DTD. */
    static StsXml parse(byte[] body) {
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(null);
            Document document = builder.parse(new ByteArrayInputStream(body));
            return new StsXml(document.getDocumentElement());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured securely", e);
        } catch (SAXException | IOException e) {
            throw new StsTransportException("the response is not well-formed XML without a DTD", e);
        }
    }

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        try {
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot refuse DTDs", e);
        }
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    String rootName() {
        return root.getLocalName();
    }

    /** Returns the element at {@code path} below the root (local names), if present. */
    Optional<Element> element(String... path) {
        Element current = root;
        for (String name : path) {
            current = child(current, name);
            if (current == null) {
                return Optional.empty();
            }
        }
        return Optional.of(current);
    }

    Optional<String> text(String... path) {
        return element(path).map(Node::getTextContent);
    }

    /** Returns the text at {@code path}, or throws {@link StsTransportException} naming what is missing. */
    String required(String... path) {
        return text(path).orElseThrow(() -> new StsTransportException(
                "the " + rootName() + " has no " + String.join("/", path)));
    }

    OptionalInt integer(String... path) {
        Optional<String> text = text(path);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(text.get().strip()));
        } catch (NumberFormatException e) {
            throw new StsTransportException("the " + rootName() + " has a non-numeric " + String.join("/", path), e);
        }
    }

    /** Reads a Credentials element below {@code result}. */
    StsCredentials credentials(String result) {
        String expiration = required(result, "Credentials", "Expiration");
        Instant expires;
        try {
            expires = Instant.parse(expiration.strip());
        } catch (DateTimeParseException e) {
            throw new StsTransportException("the " + rootName() + " has an unreadable Expiration", e);
        }
        return StsCredentials.of(required(result, "Credentials", "AccessKeyId").strip(),
                required(result, "Credentials", "SecretAccessKey").strip(),
                required(result, "Credentials", "SessionToken").strip(), expires);
    }

    private static Element child(Element parent, String localName) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }
}
