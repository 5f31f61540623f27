package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256, the two primitives of SigV4. Each thread keeps one {@link MessageDigest} and one
 * {@link Mac}, because looking a provider up per call costs more than the hash of a small request, and one small
 * buffer through which text is fed to them as UTF-8 without a {@code String} or {@code byte[]} of the whole.
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

    /** Text is encoded into this buffer a chunk at a time: a canonical request is a few kilobytes at most. */
    private static final int CHUNK = 1024;

    private static final ThreadLocal<Chunk> CHUNKS = ThreadLocal.withInitial(Chunk::new);

    private Digests() {
    }

    /** Returns the SHA-256 of the UTF-8 encoding of {@code text}: {@code sha256(text.toString().getBytes(UTF_8))}. */
    static byte[] sha256(StringBuilder text) {
        MessageDigest digest = SHA_256_DIGEST.get();
        // A digest left half-fed by a failure would put one request's bytes into the next one's hash.
        digest.reset();
        if (!updateAscii(text, digest, null)) {
            digest.reset();
            return digest.digest(text.toString().getBytes(UTF_8));
        }
        return digest.digest();
    }

    static byte[] sha256(byte[] data) {
        return SHA_256_DIGEST.get().digest(data);
    }

    /** Hashes the remaining bytes of {@code data} without moving the caller's position. */
    static byte[] sha256(ByteBuffer data) {
        MessageDigest digest = SHA_256_DIGEST.get();
        digest.reset();
        digest.update(data.duplicate());
        return digest.digest();
    }

    static byte[] hmacSha256(byte[] key, byte[] data) {
        Mac mac = hmacKeyedWith(key);
        return mac.doFinal(data);
    }

    /** Returns the HMAC-SHA256 of the UTF-8 encoding of {@code text}, without a {@code byte[]} of it. */
    static byte[] hmacSha256(byte[] key, StringBuilder text) {
        Mac mac = hmacKeyedWith(key);
        if (!updateAscii(text, null, mac)) {
            mac.reset();
            return mac.doFinal(text.toString().getBytes(UTF_8));
        }
        return mac.doFinal();
    }

    /** The thread's HMAC-SHA256, initialized with {@code key} (which also resets it). */
    private static Mac hmacKeyedWith(byte[] key) {
        Mac mac = HMAC_SHA_256_MAC.get();
        try {
            mac.init(new SecretKeySpec(key, HMAC_SHA_256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an HMAC key of any length is valid", e);
        }
        return mac;
    }

    /**
     * Feeds {@code text} to {@code digest} or {@code mac}, one byte per character, and returns true; returns false if
     * a character is not ASCII (its UTF-8 is then more than one byte), the caller resetting what was fed. What SigV4
     * hashes is ASCII but for header values that are not, which take the slower path. Each chunk is copied out whole
     * and narrowed in a loop without an early exit, which the compiler vectorizes.
     */
    private static boolean updateAscii(StringBuilder text, MessageDigest digest, Mac mac) {
        Chunk chunk = CHUNKS.get();
        int length = text.length();
        for (int start = 0; start < length; start += CHUNK) {
            int count = Math.min(CHUNK, length - start);
            text.getChars(start, start + count, chunk.chars, 0);
            int bits = 0;
            for (int i = 0; i < count; i++) {
                char c = chunk.chars[i];
                bits |= c;
                chunk.bytes[i] = (byte) c;
            }
            if (bits >= 0x80) {
                return false;
            }
            update(chunk.bytes, count, digest, mac);
        }
        return true;
    }

    /** A thread's buffers for one chunk of text, as characters and as bytes. */
    private static final class Chunk {
        final char[] chars = new char[CHUNK];
        final byte[] bytes = new byte[CHUNK];
    }

    private static void update(byte[] chunk, int length, MessageDigest digest, Mac mac) {
        if (digest != null) {
            digest.update(chunk, 0, length);
        } else {
            mac.update(chunk, 0, length);
        }
    }
}
