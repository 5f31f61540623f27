package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
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
        return SafeXml.parse(body, MAX_BODY_BYTES, xml -> SafeXml.root(xml, "Delete", DeleteObjectsBody::readDelete));
    }

    private static DeleteObjectsBody readDelete(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        var objects = new ArrayList<ObjectIdentifier>();
        Boolean quiet = null;
        String child;
        while ((child = SafeXml.nextChild(xml)) != null) {
            if (child.equals("Object")) {
                if (objects.size() == MAX_OBJECTS) {
                    throw SafeXml.malformed();
                }
                objects.add(readObject(xml));
            } else if (child.equals("Quiet") && quiet == null) {
                quiet = switch (SafeXml.readText(xml).strip().toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw SafeXml.malformed();
                };
            } else {
                throw SafeXml.malformed();
            }
        }
        if (objects.isEmpty()) {
            throw SafeXml.malformed();
        }
        return new DeleteObjectsBody(objects, quiet != null && quiet);
    }

    private static ObjectIdentifier readObject(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        String key = null;
        String versionId = null;
        var seen = new HashSet<String>();
        String child;
        while ((child = SafeXml.nextChild(xml)) != null) {
            if (!OBJECT_ELEMENTS.contains(child) || !seen.add(child)) {
                throw SafeXml.malformed();
            }
            String text = SafeXml.readText(xml);
            if (child.equals("Key")) {
                key = text;
            } else if (child.equals("VersionId")) {
                versionId = text;
            }
        }
        if (key == null) {
            throw SafeXml.malformed();
        }
        return new ObjectIdentifier(key, Optional.ofNullable(versionId));
    }
}
