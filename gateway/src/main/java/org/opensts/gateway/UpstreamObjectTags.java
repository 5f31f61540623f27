package org.opensts.gateway;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.sigv4.SignableRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches an object's tags from the upstream store (GetObjectTagging, signed with the gateway's key), on a decision
 * thread: the few operations whose authorization takes {@code s3:ExistingObjectTag/<key>} cost one more small
 * upstream request.
 */
final class UpstreamObjectTags implements ObjectTags {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamObjectTags.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A tag set is at most 10 tags of 128 + 256 characters; anything much larger is not a tag set. */
    private static final int MAX_TAGGING_BYTES = 64 * 1024;

    private final S3GatewayConfig config;
    private final UpstreamRequests requests;
    private final HttpClient http;

    UpstreamObjectTags(S3GatewayConfig config, UpstreamRequests requests) {
        this.config = config;
        this.requests = requests;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @Override
    public Map<String, String> tags(S3ObjectRef object) throws S3Exception {
        String path = "/" + S3Keys.encodePath(object.bucket()) + "/" + S3Keys.encodePath(object.key());
        String query = "tagging" + object.versionId().map(v -> "&versionId=" + S3Keys.encodeQuery(v)).orElse("");
        SignableRequest signed = requests.signGet(path, query, config.clock().instant());
        var builder = HttpRequest.newBuilder(URI.create(config.upstream().getScheme() + "://"
                + config.upstreamHostHeader() + path + "?" + query)).timeout(TIMEOUT).GET();
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i);
            if (!name.equalsIgnoreCase("Host")) {
                builder.header(name, signed.headerValue(i));
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            LOG.warn("Fetching an object's tags from the upstream store failed: {}", e.toString());
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
        if (response.statusCode() == 404 || response.statusCode() == 501) {
            // No such object (or bucket), or a store that keeps no tags at all: there are no tags to test, and the
            // operation itself will answer for a missing object.
            return Map.of();
        }
        if (response.statusCode() != 200 || response.body().length > MAX_TAGGING_BYTES) {
            LOG.warn("The upstream store answered GetObjectTagging with {}", response.statusCode());
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
        return parse(response.body());
    }

    /** The tags of a {@code Tagging} document, in order. */
    static Map<String, String> parse(byte[] document) throws S3Exception {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        var tags = new LinkedHashMap<String, String>();
        try {
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            String key = null;
            String value = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    switch (reader.getLocalName()) {
                        case "Tag" -> {
                            key = null;
                            value = null;
                        }
                        case "Key" -> key = reader.getElementText();
                        case "Value" -> value = reader.getElementText();
                        default -> {
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && reader.getLocalName().equals("Tag")
                        && key != null) {
                    tags.put(key, value == null ? "" : value);
                }
            }
        } catch (XMLStreamException e) {
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
        return tags;
    }
}
