package org.opensts.sigv4;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the SigV4a public keys derived from access keys: a derivation costs two ECDH multiplications, a
 * verification one ECDSA check. A hit needs the same access key id and the same secret, compared in constant time.
 * Least recently used entries go first; a lock guards the map (SigV4a is rare next to SigV4).
 */
final class SigV4aKeyCache {
    private final int capacity;
    private final Map<String, Entry> entries;

    private record Entry(byte[] secret, PublicKey publicKey) {
        @Override
        public String toString() {
            return "Entry[redacted]";
        }
    }

    SigV4aKeyCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > SigV4aKeyCache.this.capacity;
            }
        };
    }

    PublicKey publicKey(String accessKeyId, byte[] secretAccessKey) {
        if (capacity > 0) {
            synchronized (entries) {
                Entry entry = entries.get(accessKeyId);
                if (entry != null && MessageDigest.isEqual(entry.secret(), secretAccessKey)) {
                    return entry.publicKey();
                }
            }
        }
        PublicKey publicKey = SigV4a.derivePublicKey(accessKeyId, secretAccessKey);
        if (capacity > 0) {
            synchronized (entries) {
                entries.put(accessKeyId, new Entry(secretAccessKey.clone(), publicKey));
            }
        }
        return publicKey;
    }
}
