package org.opensts.token;

import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One AES-256-GCM key of a {@link KeyRing}: an id that session tokens name in their header, the time it was created,
 * and 32 bytes of key material that never leave this package.
 *
 * <p>Not a record: a record would print and compare its bytes. {@link #toString()} shows the id and creation time.
 */
public final class SessionKey {
    /** The length of the key material in bytes (AES-256). */
    static final int KEY_BYTES = 32;

    private final int id;
    private final Instant createdAt;
    private final byte[] keyBytes;
    private final Aead aead;

    /**
     * Takes ownership of {@code keyBytes}.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    SessionKey(int id, Instant createdAt, byte[] keyBytes) {
        if (keyBytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("session keys are " + KEY_BYTES + " bytes");
        }
        this.id = id;
        this.createdAt = requireNonNull(createdAt, "createdAt").truncatedTo(ChronoUnit.MILLIS);
        this.keyBytes = keyBytes;
        try {
            this.aead = new AesGcmJce(keyBytes);
        } catch (GeneralSecurityException e) {
            // A 32-byte key is always valid; this means the JCE lacks AES-GCM, which nothing here can mend.
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /** The id that a session token sealed with this key carries in its header. */
    public int id() {
        return id;
    }

    /** When the key was created, to the millisecond. */
    public Instant createdAt() {
        return createdAt;
    }

    /** The AEAD (random 96-bit nonce, 128-bit tag) built once from the key material. */
    Aead aead() {
        return aead;
    }

    /** The key material itself, not a copy: for serialization inside this package only. */
    byte[] keyBytes() {
        return keyBytes;
    }

    @Override
    public String toString() {
        return "SessionKey[id=" + Integer.toUnsignedString(id) + ", createdAt=" + createdAt + "]";
    }
}
