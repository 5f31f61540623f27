package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Secret access keys: 40 characters of the standard base64 alphabet, as AWS issues them. */
public final class SecretAccessKeys {
    /** The length of a secret access key in characters. */
    public static final int LENGTH = 40;

    private static final int RANDOM_BYTES = 30; // 30 bytes are exactly 40 base64 characters, with no padding

    private SecretAccessKeys() {
    }

    /** A new secret access key: 240 random bits written as 40 base64 characters ({@code A-Za-z0-9+/}). */
    public static Secret generate(SecureRandom random) {
        requireNonNull(random, "random");
        var raw = new byte[RANDOM_BYTES];
        random.nextBytes(raw);
        var secret = fromRandomBytes(raw, 0);
        Arrays.fill(raw, (byte) 0);
        return secret;
    }

    /** How many random bytes a secret access key takes. */
    static final int RANDOM_BYTES_PER_KEY = RANDOM_BYTES;

    /**
     * A new secret access key from {@link #RANDOM_BYTES_PER_KEY} bytes at {@code offset} of {@code randomBytes}, which
     * the caller drew from a {@link SecureRandom} and wipes.
     */
    static Secret fromRandomBytes(byte[] randomBytes, int offset) {
        var raw = Arrays.copyOfRange(randomBytes, offset, offset + RANDOM_BYTES);
        var text = Base64.getEncoder().encode(raw);
        Arrays.fill(raw, (byte) 0);
        return Secret.adopt(text);
    }
}
