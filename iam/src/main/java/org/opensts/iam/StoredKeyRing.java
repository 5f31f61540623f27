package org.opensts.iam;

/**
 * The session-token key ring as the store keeps it: wrapped by the master key, with a version for compare-and-set,
 * so that nodes sharing a store never overwrite each other's rotation.
 */
public record StoredKeyRing(byte[] wrapped, long version) {
    public StoredKeyRing {
        wrapped = wrapped.clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public String toString() {
        return "StoredKeyRing[version=" + version + ", " + wrapped.length + " bytes]";
    }
}
