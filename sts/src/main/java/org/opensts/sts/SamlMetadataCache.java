package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opensts.federation.saml.SamlMetadata;

/**
 * SAML providers' metadata, parsed once per document and kept for the most recently used providers. Parsing an IdP's
 * metadata (up to 10 MB of XML, certificates to decode) costs far more than verifying one response, and a provider's
 * document changes only when an administrator updates it.
 *
 * <p>One entry per provider ARN, holding the SHA-256 of the document it was parsed from: a document that no longer
 * matches is parsed again and replaces the entry, so nothing stale is served and a provider updated over and over
 * holds one parsed document, never the text of its past ones. A document that fails to parse is not kept.
 */
final class SamlMetadataCache {
    private record Parsed(byte[] documentDigest, SamlMetadata metadata) {
    }

    private final int maximumSize;
    private final Map<String, Parsed> parsed;

    /** @param maximumSize how many providers' metadata to keep */
    SamlMetadataCache(int maximumSize) {
        this.maximumSize = maximumSize;
        this.parsed = new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Parsed> eldest) {
                return size() > SamlMetadataCache.this.maximumSize;
            }
        };
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the document is not usable metadata
     */
    SamlMetadata metadata(String providerArn, String document) {
        byte[] digest = sha256(document);
        synchronized (parsed) {
            Parsed cached = parsed.get(providerArn);
            if (cached != null && MessageDigest.isEqual(cached.documentDigest(), digest)) {
                return cached.metadata();
            }
        }
        // Parsed outside the lock: two requests may parse one new document at once, and both results are equal.
        SamlMetadata metadata = SamlMetadata.parse(document);
        synchronized (parsed) {
            parsed.put(providerArn, new Parsed(digest, metadata));
        }
        return metadata;
    }

    int size() {
        synchronized (parsed) {
            return parsed.size();
        }
    }

    private static byte[] sha256(String document) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(document.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
