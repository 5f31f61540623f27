package org.opensts.gateway;

import java.net.http.HttpResponse;
import java.util.Map;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.gateway.s3.S3Keys;
import org.opensts.gateway.s3.S3ObjectRef;
import org.opensts.gateway.s3.TaggingBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches an object's tags from the upstream store (GetObjectTagging, signed with the gateway's key), on a decision
 * thread: only a decision in which a statement tested {@code s3:ExistingObjectTag/<key>} costs this one more small
 * upstream request. A tag set is at most 10 tags of 128 + 256 characters, so an answer longer than a Tagging body may
 * be is not one.
 */
final class UpstreamObjectTags implements ObjectTags {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamObjectTags.class);
    private final UpstreamCalls calls;

    UpstreamObjectTags(UpstreamCalls calls) {
        this.calls = calls;
    }

    @Override
    public Map<String, String> tags(S3ObjectRef object) throws S3Exception {
        String path = "/" + S3Keys.encodePath(object.bucket()) + "/" + S3Keys.encodePath(object.key());
        String query = "tagging" + object.versionId().map(v -> "&versionId=" + S3Keys.encodeQuery(v)).orElse("");
        HttpResponse<byte[]> response = calls.send("GET", path, query, HttpResponse.BodyHandlers.ofByteArray(),
                "Fetching an object's tags from the upstream store");
        if (response.statusCode() == 404 || response.statusCode() == 501) {
            // No such object (or bucket), or a store that keeps no tags at all: there are no tags to test, and the
            // operation itself will answer for a missing object.
            return Map.of();
        }
        if (response.statusCode() != 200 || response.body().length > TaggingBody.MAX_BODY_BYTES) {
            LOG.warn("The upstream store answered GetObjectTagging with {}", response.statusCode());
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
        return parse(response.body());
    }

    /**
     * The tags of a {@code Tagging} document, in order, read by the one hardened reader the gateway has for that
     * document ({@link TaggingBody#parse}, which PutObjectTagging's body goes through): a GetObjectTagging answer is
     * the same document. Whatever that reader refuses is the upstream store's fault, so an {@code InternalError}.
     */
    static Map<String, String> parse(byte[] document) throws S3Exception {
        try {
            return TaggingBody.parse(document).tags();
        } catch (S3Exception e) {
            throw S3Error.of(S3ErrorCode.INTERNAL_ERROR).toException();
        }
    }
}
