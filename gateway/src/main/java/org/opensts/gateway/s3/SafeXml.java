package org.opensts.gateway.s3;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reading the small XML bodies the gateway must understand before it forwards them (DeleteObjects, PutObjectTagging)
 * safely: the body is capped before parsing; it must be UTF-8; a document type declaration, an entity reference other
 * than XML's five, or a processing instruction is refused outright, so no entity expansion and no external fetch can
 * happen; elements must be in no namespace or in S3's and carry no attributes. Every refusal is S3's
 * {@code MalformedXML}.
 */
final class SafeXml {
    static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    /** Reads a document from an open reader, positioned before its first event. */
    @FunctionalInterface
    interface DocumentReader<T> {
        T read(XMLStreamReader xml) throws XMLStreamException, S3Exception;
    }

    private SafeXml() {
    }

    /**
     * Parses a body.
     *
     * @throws S3Exception {@code MissingRequestBodyError} for an empty body, {@code MalformedXML} for one over
     *     {@code maxBytes} or one the reader refuses
     */
    static <T> T parse(byte[] body, int maxBytes, DocumentReader<T> reader) throws S3Exception {
        if (body.length == 0) {
            throw S3Error.of(S3ErrorCode.MISSING_REQUEST_BODY).toException();
        }
        if (body.length > maxBytes) {
            throw malformed();
        }
        Reader utf8 = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        XMLStreamReader xml = null;
        try {
            xml = factory().createXMLStreamReader(utf8);
            return reader.read(xml);
        } catch (XMLStreamException | RuntimeException e) {
            // A reader failure (bad UTF-8, a refused DTD) surfaces as either; both mean the body is not the document.
            throw malformed();
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (XMLStreamException ignored) {
                    // Nothing is held open: the input is an in-memory array.
                }
            }
        }
    }

    private static XMLInputFactory factory() {
        // The JDK's own implementation, whatever else is on the class path, with every way to reach outside or to
        // expand text switched off; a DTD is refused by the readers in any case.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("External resources are not read");
        });
        return factory;
    }

    /**
     * Reads the document's single root element with {@code body}, which must consume it up to its end tag; only
     * whitespace and comments may surround it.
     */
    static <T> T root(XMLStreamReader xml, String name, DocumentReader<T> body) throws XMLStreamException,
            S3Exception {
        T result = null;
        boolean rootSeen = false;
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (rootSeen) {
                        throw malformed();
                    }
                    rootSeen = true;
                    expect(xml, name);
                    result = body.read(xml);
                }
                case XMLStreamConstants.END_DOCUMENT -> {
                }
                default -> refuseOutsideContent(xml, event);
            }
        }
        if (!rootSeen) {
            throw malformed();
        }
        return result;
    }

    /**
     * The next child element's local name, or null at the parent's end tag; only whitespace and comments may come
     * between elements.
     */
    static String nextChild(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.END_ELEMENT -> {
                    return null;
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    expect(xml, xml.getLocalName());
                    return xml.getLocalName();
                }
                default -> refuseOutsideContent(xml, event);
            }
        }
    }

    /**
     * The text of a leaf element, up to its end tag; a child element makes the document malformed, and so does a
     * comment: the body goes upstream as received, and a parser there may keep only the text on one side of it
     * ({@code <Key>tmp/<!---->keep.txt</Key>} authorized as {@code tmp/keep.txt}, acted on as {@code keep.txt}).
     */
    static String readText(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        var text = new StringBuilder();
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                case XMLStreamConstants.END_ELEMENT -> {
                    return text.toString();
                }
                default -> throw malformed();
            }
        }
    }

    /** Between elements only whitespace and comments may appear. */
    private static void refuseOutsideContent(XMLStreamReader xml, int event) throws S3Exception {
        switch (event) {
            case XMLStreamConstants.COMMENT, XMLStreamConstants.START_DOCUMENT -> {
            }
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.SPACE -> {
                if (!xml.isWhiteSpace()) {
                    throw malformed();
                }
            }
            default -> throw malformed();
        }
    }

    /** An element in no namespace or in S3's, with the expected name and no attributes. */
    private static void expect(XMLStreamReader xml, String name) throws S3Exception {
        String namespace = xml.getNamespaceURI();
        boolean namespaceOk = namespace == null || namespace.isEmpty() || namespace.equals(S3_NAMESPACE);
        if (!namespaceOk || !xml.getLocalName().equals(name) || xml.getAttributeCount() != 0) {
            throw malformed();
        }
    }

    static S3Exception malformed() {
        return S3Error.of(S3ErrorCode.MALFORMED_XML).toException();
    }
}
