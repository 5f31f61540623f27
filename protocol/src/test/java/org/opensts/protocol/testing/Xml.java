package org.opensts.protocol.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads the XML documents the server writes and the protocol vectors hold, as a client would: namespace-aware, with
 * DTDs and external entities refused.
 */
public final class Xml {
    private Xml() {
    }

    /**
     * The document element of {@code xml}.
     *
     * @throws IllegalArgumentException if the text is not a well-formed XML document, or declares a DTD
     */
    public static Element parse(String xml) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new ByteArrayInputStream(xml.getBytes(UTF_8))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("Not well-formed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The element children of {@code parent}, in document order; text between them is left out. */
    public static List<Element> children(Element parent) {
        var children = new ArrayList<Element>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                children.add(element);
            }
        }
        return children;
    }

    /** The element children of {@code parent} with the local name {@code name}, in document order. */
    public static List<Element> children(Element parent, String name) {
        return children(parent).stream().filter(child -> name.equals(child.getLocalName())).toList();
    }

    /**
     * The only child named {@code name}.
     *
     * @throws AssertionError if there is none or more than one
     */
    public static Element child(Element parent, String name) {
        List<Element> matches = children(parent, name);
        if (matches.size() != 1) {
            throw new AssertionError("Expected one <" + name + "> in <" + parent.getLocalName() + ">, found "
                    + matches.size());
        }
        return matches.get(0);
    }

    /**
     * The element as an outline that ignores whitespace between elements and namespace declarations: {@code
     * Name[child, child]} for an element with children, {@code Name=text} for one without.
     */
    public static String outline(Element element) {
        List<Element> children = children(element);
        if (children.isEmpty()) {
            return element.getLocalName() + '=' + element.getTextContent();
        }
        var out = new StringBuilder(element.getLocalName()).append('[');
        for (int i = 0; i < children.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(outline(children.get(i)));
        }
        return out.append(']').toString();
    }
}
