package org.opensts.federation.saml;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Child-by-child DOM navigation: never a search from the root, so what is read is where it was expected. */
final class Dom {
    static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    static final String PROTOCOL_NS = "urn:oasis:names:tc:SAML:2.0:protocol";
    static final String ASSERTION_NS = "urn:oasis:names:tc:SAML:2.0:assertion";

    private Dom() {
    }

    static boolean is(Node node, String namespace, String localName) {
        return node instanceof Element && namespace.equals(node.getNamespaceURI())
                && localName.equals(node.getLocalName());
    }

    static List<Element> children(Element parent) {
        var children = new ArrayList<Element>();
        if (parent != null) {
            for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element) {
                    children.add(element);
                }
            }
        }
        return children;
    }

    static List<Element> children(Element parent, String namespace, String localName) {
        var children = new ArrayList<Element>();
        for (Element child : children(parent)) {
            if (is(child, namespace, localName)) {
                children.add(child);
            }
        }
        return children;
    }

    /** The first such child, or {@code null}. */
    static Element child(Element parent, String namespace, String localName) {
        List<Element> children = children(parent, namespace, localName);
        return children.isEmpty() ? null : children.get(0);
    }

    /**
     * The element's text, comments left out and whitespace at both ends trimmed: {@code ross@<!-- c -->example.com}
     * reads {@code ross@example.com}, which is also what exclusive canonicalization without comments signs.
     */
    static String text(Element element) {
        return element.getTextContent().strip();
    }

    /** An attribute's value, or {@code null} when absent. */
    static String attribute(Element element, String name) {
        return element.hasAttributeNS(null, name) ? element.getAttributeNS(null, name) : null;
    }
}
