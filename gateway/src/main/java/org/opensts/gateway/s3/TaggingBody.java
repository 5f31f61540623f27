package org.opensts.gateway.s3;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The body of a {@code PutObjectTagging} request, parsed for its {@code s3:RequestObjectTag/<key>} and
 * {@code s3:RequestObjectTagKeys} condition keys (Amazon S3 API Reference, "PutObjectTagging"):
 *
 * <pre>{@code
 * <Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
 *   <TagSet><Tag><Key>project</Key><Value>blue</Value></Tag> …</TagSet>
 * </Tagging>
 * }</pre>
 *
 * <p>Read as safely as {@link DeleteObjectsBody} (see {@link SafeXml}): anything else is {@code MalformedXML}. S3's
 * own limits on a tag set are kept, as S3 words them ({@code InvalidTag}): at most {@link #MAX_TAGS} tags, each key
 * once — a key given twice would leave open which value a condition saw.
 *
 * @param tags the tags, in order
 */
public record TaggingBody(Map<String, String> tags) {
    /** S3's limit on an object's tags. */
    public static final int MAX_TAGS = 10;
    /** The largest body parsed: ten tags of a 128-character key and a 256-character value, escaped, and markup. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public TaggingBody {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    /**
     * Parses a PutObjectTagging body.
     *
     * @throws S3Exception {@code MalformedXML} for anything that is not a well-formed Tagging document within the
     *     size cap, {@code InvalidTag} for too many tags or a repeated key, {@code MissingRequestBodyError} for an
     *     empty body
     */
    public static TaggingBody parse(byte[] body) throws S3Exception {
        requireNonNull(body, "body");
        return SafeXml.parse(body, MAX_BODY_BYTES, xml -> SafeXml.root(xml, "Tagging", TaggingBody::readTagging));
    }

    private static TaggingBody readTagging(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        Map<String, String> tags = null;
        String child;
        while ((child = SafeXml.nextChild(xml)) != null) {
            if (!child.equals("TagSet") || tags != null) {
                throw SafeXml.malformed();
            }
            tags = readTagSet(xml);
        }
        if (tags == null) {
            throw SafeXml.malformed();
        }
        return new TaggingBody(tags);
    }

    private static Map<String, String> readTagSet(XMLStreamReader xml) throws XMLStreamException, S3Exception {
        var tags = new LinkedHashMap<String, String>();
        String child;
        while ((child = SafeXml.nextChild(xml)) != null) {
            if (!child.equals("Tag")) {
                throw SafeXml.malformed();
            }
            String key = null;
            String value = null;
            String field;
            while ((field = SafeXml.nextChild(xml)) != null) {
                if (field.equals("Key") && key == null) {
                    key = SafeXml.readText(xml);
                } else if (field.equals("Value") && value == null) {
                    value = SafeXml.readText(xml);
                } else {
                    throw SafeXml.malformed();
                }
            }
            if (key == null || value == null) {
                throw SafeXml.malformed();
            }
            if (tags.putIfAbsent(key, value) != null) {
                throw S3Error.of(S3ErrorCode.INVALID_TAG, "Cannot provide multiple Tags with the same key")
                        .toException();
            }
            if (tags.size() > MAX_TAGS) {
                throw S3Error.of(S3ErrorCode.INVALID_TAG, "Object tags cannot be greater than 10").toException();
            }
        }
        return tags;
    }
}
