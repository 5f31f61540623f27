package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The body of a {@code DeleteObjects} request ({@code POST /bucket?delete}), parsed so that each key can be
 * authorized before the request goes anywhere (Amazon S3 API Reference, "DeleteObjects"):
 *
 * <pre>{@code
 * <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
 *   <Object><Key>a.txt</Key><VersionId>v1</VersionId></Object> …
 *   <Quiet>true</Quiet>
 * </Delete>
 * }</pre>
 *
 * <p>The parser is hostile-input safe: the body is capped at {@link #MAX_BODY_BYTES} before parsing; a document type
 * declaration, an entity reference other than XML's five, or a processing instruction is refused outright (so no
 * entity expansion and no external fetch can happen); nesting deeper than {@code Delete/Object/Key} and any element
 * S3's schema does not have are refused; more than {@link #MAX_OBJECTS} entries, or none, are refused as S3 does. All
 * of these are S3's {@code MalformedXML}. Checking {@code Content-MD5} or the checksum header is the caller's job.
 *
 * @param objects the entries, in order
 * @param quiet whether the client asked for quiet mode
 */
public record DeleteObjectsBody(List<ObjectIdentifier> objects, boolean quiet) {
    /** S3's limit on entries in one request. */
    public static final int MAX_OBJECTS = 1000;
    /**
     * The largest body parsed: 1000 entries of a 1024-byte key, each byte possibly escaped as a 6-character character
     * reference, and a version id, with room for the markup.
     */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private static final String S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final Set<String> OBJECT_ELEMENTS = Set.of("Key", "VersionId", "ETag", "LastModifiedTime", "Size");

    public DeleteObjectsBody {
        objects = List.copyOf(objects);
    }

    /** One entry: a key, and the version to delete if it names one. */
    public record ObjectIdentifier(String key, Optional<String> versionId) {
        public ObjectIdentifier {
            requireNonNull(key, "key");
            requireNonNull(versionId, "versionId");
        }
    }

    /**
     * Parses a DeleteObjects body.
     *
     * @throws S3Exception {@code MalformedXML} for anything that is not a well-formed, schema-valid Delete document
     *     within the limits above; {@code MissingRequestBodyError} for an empty body
     */
    public static DeleteObjectsBody parse(byte[] body) throws S3Exception {
        requireNonNull(body, "body");
        if (body.length == 0) {
            throw S3Error.of(S3ErrorCode.MISSING_REQUEST_BODY).toException();
        }
        if (body.length > MAX_BODY_BYTES) {
            throw malformed();
        }
        Reader utf8 = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        XMLStreamReader xml = null;
        try {
            xml = factory().createXMLStreamReader(utf8);
            return read(xml);
        } catch (XMLStreamException | RuntimeException e) {
            // A reader failure (bad UTF-8, a refused DTD) surfaces as either; both mean the body is not a Delete.
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
        // expand text switched off; a DTD is refused below in any case.
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

    private static DeleteObjectsBody read(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        var objects = new ArrayList<ObjectIdentifier>();
        Boolean quiet = null;
        boolean rootSeen = false;
        while (xml.hasNext()) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (rootSeen) {
                        throw malformed();
                    }
                    rootSeen = true;
                    expect(xml, "Delete");
                    quiet = readDelete(xml, objects);
                }
                case XMLStreamConstants.END_DOCUMENT -> {
                }
                default -> refuseOutsideContent(xml, event);
            }
        }
        if (!rootSeen || objects.isEmpty()) {
            throw malformed();
        }
        return new DeleteObjectsBody(objects, quiet != null && quiet);
    }

    /** Reads the children of {@code <Delete>} up to its end tag; returns Quiet's value, or null without one. */
    private static Boolean readDelete(XMLStreamReader xml, List<ObjectIdentifier> objects)
            throws XMLStreamException, S3Exception {
        Boolean quiet = null;
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.END_ELEMENT -> {
                    return quiet;
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    String name = xml.getLocalName();
                    if (name.equals("Object")) {
                        expect(xml, "Object");
                        if (objects.size() == MAX_OBJECTS) {
                            throw malformed();
                        }
                        objects.add(readObject(xml));
                    } else if (name.equals("Quiet")) {
                        expect(xml, "Quiet");
                        if (quiet != null) {
                            throw malformed();
                        }
                        quiet = switch (readText(xml).strip().toLowerCase(Locale.ROOT)) {
                            case "true" -> true;
                            case "false" -> false;
                            default -> throw malformed();
                        };
                    } else {
                        throw malformed();
                    }
                }
                default -> refuseOutsideContent(xml, event);
            }
        }
    }

    private static ObjectIdentifier readObject(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        String key = null;
        String versionId = null;
        var seen = new java.util.HashSet<String>();
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.END_ELEMENT -> {
                    if (key == null) {
                        throw malformed();
                    }
                    return new ObjectIdentifier(key, Optional.ofNullable(versionId));
                }
                case XMLStreamConstants.START_ELEMENT -> {
                    String name = xml.getLocalName();
                    if (!OBJECT_ELEMENTS.contains(name) || !seen.add(name)) {
                        throw malformed();
                    }
                    expect(xml, name);
                    String text = readText(xml);
                    if (name.equals("Key")) {
                        key = text;
                    } else if (name.equals("VersionId")) {
                        versionId = text;
                    }
                }
                default -> refuseOutsideContent(xml, event);
            }
        }
    }

    /** The text of a leaf element, up to its end tag; a child element makes the document malformed. */
    private static String readText(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        var text = new StringBuilder();
        while (true) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                case XMLStreamConstants.COMMENT -> {
                }
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

    private static S3Exception malformed() {
        return S3Error.of(S3ErrorCode.MALFORMED_XML).toException();
    }
}
