package org.opensts.client.agent;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * IMDSv2 session tokens: unguessable, unforgeable, expiring, and stateless so that a flood of PUTs costs no memory.
 * A token is base64url of its expiry (8 bytes, epoch milliseconds, so that it lives its whole TTL whenever in a second
 * it is issued), 16 random bytes, and an HMAC-SHA256 over both (16 bytes) under a key drawn at start; a restart
 * invalidates every token, as an instance stop does on EC2.
 */
final class ImdsTokens {
    static final int MIN_TTL_SECONDS = 1;
    static final int MAX_TTL_SECONDS = 21600;

    private static final int RANDOM_BYTES = 16;
    private static final int MAC_BYTES = 16;
    private static final int TOKEN_BYTES = Long.BYTES + RANDOM_BYTES + MAC_BYTES;

    private final SecureRandom random;
    private final byte[] key = new byte[32];
    private final Clock clock;

    ImdsTokens(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
        random.nextBytes(key);
    }

    /** Issues a token valid for {@code ttl} from now. */
    String issue(Duration ttl) {
        ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES);
        token.putLong(clock.instant().plus(ttl).toEpochMilli());
        byte[] nonce = new byte[RANDOM_BYTES];
        random.nextBytes(nonce);
        token.put(nonce);
        token.put(mac(token.array(), Long.BYTES + RANDOM_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.array());
    }

    /** Returns whether {@code token} was issued by this instance and has not expired. */
    boolean isValid(String token) {
        if (token == null || token.length() > 64) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Only the canonical spelling: the last character's unused bits must not give a second form of one token.
        if (bytes.length != TOKEN_BYTES
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            return false;
        }
        byte[] expected = mac(bytes, Long.BYTES + RANDOM_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, Long.BYTES + RANDOM_BYTES, TOKEN_BYTES))) {
            return false;
        }
        long expiry = ByteBuffer.wrap(bytes).getLong();
        return clock.instant().isBefore(Instant.ofEpochMilli(expiry));
    }

    /** Returns the seconds a valid token has left (for the TTL header EC2 returns). */
    long secondsLeft(String token) {
        long expiry = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token)).getLong();
        long millisLeft = expiry - clock.instant().toEpochMilli();
        return Math.max(0, (millisLeft + 999) / 1000);
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
