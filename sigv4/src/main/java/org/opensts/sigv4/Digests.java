package org.opensts.sigv4;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256, the two primitives of SigV4. Each thread keeps one {@link MessageDigest} and one
 * {@link Mac}, because looking a provider up per call costs more than the hash of a small request.
 */
final class Digests {

    private static final String SHA_256 = "SHA-256";
    private static final String HMAC_SHA_256 = "HmacSHA256";

    private static final ThreadLocal<MessageDigest> SHA_256_DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance(SHA_256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + SHA_256, e);
        }
    });

    private static final ThreadLocal<Mac> HMAC_SHA_256_MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(HMAC_SHA_256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides " + HMAC_SHA_256, e);
        }
    });

    private Digests() {
    }

    static byte[] sha256(byte[] data) {
        return SHA_256_DIGEST.get().digest(data);
    }

    /** Hashes the remaining bytes of {@code data} without moving the caller's position. */
    static byte[] sha256(ByteBuffer data) {
        MessageDigest digest = SHA_256_DIGEST.get();
        digest.update(data.duplicate());
        return digest.digest();
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        Mac mac = HMAC_SHA_256_MAC.get();
        try {
            mac.init(new SecretKeySpec(key, HMAC_SHA_256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an HMAC key of any length is valid", e);
        }
        return mac.doFinal(data);
    }
}
