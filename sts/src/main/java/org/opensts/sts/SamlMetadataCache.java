package org.opensts.sts;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opensts.federation.saml.SamlMetadata;

/**
 * SAML providers' metadata, parsed once per (provider ARN, metadata document) and kept for the most recently used
 * ones. Parsing an IdP's metadata (up to 10 MB of XML, certificates to decode) costs far more than verifying one
 * response, and a provider's document changes only when an administrator updates it — then its key changes too, so
 * nothing stale is ever served. A document that fails to parse is not kept.
 */
final class SamlMetadataCache {
    private record Key(String providerArn, String document) {
    }

    private final int maximumSize;
    private final Map<Key, SamlMetadata> parsed;

    SamlMetadataCache(int maximumSize) {
        this.maximumSize = maximumSize;
        this.parsed = new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, SamlMetadata> eldest) {
                return size() > SamlMetadataCache.this.maximumSize;
            }
        };
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the document is not usable metadata
     */
    SamlMetadata metadata(String providerArn, String document) {
        var key = new Key(providerArn, document);
        synchronized (parsed) {
            SamlMetadata cached = parsed.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Parsed outside the lock: two requests may parse one new document at once, and both results are equal.
        SamlMetadata metadata = SamlMetadata.parse(document);
        synchronized (parsed) {
            parsed.put(key, metadata);
        }
        return metadata;
    }

    int size() {
        synchronized (parsed) {
            return parsed.size();
        }
    }
}
