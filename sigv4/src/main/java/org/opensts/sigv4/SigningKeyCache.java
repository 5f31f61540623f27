package org.opensts.sigv4;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Remembers derived signing keys so that a busy access key costs one HMAC per request instead of five.
 *
 * <p>Design: a fixed-size, direct-mapped table of immutable entries, like a CPU cache. A key (access key id, secret,
 * scope) maps to one slot by the hash of the access key id and the scope, both of which are cached or cheap, so a
 * lookup allocates nothing and takes no lock. An entry holds the access key id, a private copy of the secret, the
 * scope and the derived key; it is a hit only if the access key id and scope are equal <em>and</em> the secret is
 * equal in constant time, so a rotated or wrong secret never reuses a key derived from another. A miss derives the
 * key and overwrites the slot. Slots are published with release/acquire semantics and entries have only final
 * fields, so racing threads see either the old or the new entry, never half of one; two threads missing on one
 * slot both derive the key, and the last write wins.
 *
 * <p>Cost: colliding keys evict each other. With the scope in the index, yesterday's and today's keys of one access
 * key id (both valid around midnight, within the clock skew) usually land in different slots. Capacity 0 disables
 * the cache, which the benchmark uses as its baseline.
 */
final class SigningKeyCache {

    /** The largest capacity accepted: a million slots is far beyond any deployment's active keys. */
    static final int MAX_CAPACITY = 1 << 20;

    private final AtomicReferenceArray<Entry> entries;
    private final int mask;

    /** @param capacity the number of slots, rounded up to a power of two; 0 disables caching */
    SigningKeyCache(int capacity) {
        if (capacity < 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(
                    "signing-key cache capacity must be between 0 and " + MAX_CAPACITY + ": " + capacity);
        }
        int slots = capacity <= 1 ? capacity : Integer.highestOneBit(capacity - 1) << 1;
        this.entries = slots == 0 ? null : new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
    }

    /**
     * Returns the signing key for the arguments, derived now or earlier. The returned array is shared: callers must
     * not modify it.
     */
    byte[] signingKey(String accessKeyId, byte[] secretAccessKey, CredentialScope scope) {
        if (entries == null) {
            return SigV4.deriveSigningKey(secretAccessKey, scope);
        }
        int slot = slot(accessKeyId, scope);
        Entry entry = entries.getAcquire(slot);
        if (entry != null && entry.matches(accessKeyId, secretAccessKey, scope)) {
            return entry.signingKey;
        }
        byte[] signingKey = SigV4.deriveSigningKey(secretAccessKey, scope);
        entries.setRelease(slot, new Entry(accessKeyId, secretAccessKey.clone(), scope, signingKey));
        return signingKey;
    }

    /** Returns the number of slots; 0 when disabled. */
    int capacity() {
        return entries == null ? 0 : entries.length();
    }

    private int slot(String accessKeyId, CredentialScope scope) {
        int h = 31 * accessKeyId.hashCode() + scope.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }

    private static final class Entry {
        final String accessKeyId;
        final byte[] secretAccessKey;
        final CredentialScope scope;
        final byte[] signingKey;

        Entry(String accessKeyId, byte[] secretAccessKey, CredentialScope scope, byte[] signingKey) {
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            this.scope = scope;
            this.signingKey = signingKey;
        }

        boolean matches(String accessKeyId, byte[] secretAccessKey, CredentialScope scope) {
            return this.accessKeyId.equals(accessKeyId)
                    && this.scope.equals(scope)
                    && MessageDigest.isEqual(this.secretAccessKey, secretAccessKey);
        }

        @Override
        public String toString() {
            return "Entry[" + accessKeyId + ", " + scope.toScopeString() + ']';
        }
    }
}
