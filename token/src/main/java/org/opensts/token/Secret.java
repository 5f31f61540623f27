package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;

/**
 * A secret value: a secret access key, a session token, key material. It holds a private copy of its bytes, compares
 * in constant time and never shows itself in {@link #toString()}.
 *
 * <p>There is deliberately no {@code equals}/{@code hashCode}: equality of secrets is {@link #matches(byte[])}, which
 * takes the same time wherever the first difference lies. Reading the value is spelled {@code reveal…} so that every
 * place that does it can be found with a search.
 */
public final class Secret {
    private final byte[] bytes;

    private Secret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A secret holding the UTF-8 encoding of {@code value}. */
    public static Secret ofUtf8(String value) {
        return new Secret(requireNonNull(value, "value").getBytes(UTF_8));
    }

    /** A secret holding a copy of {@code bytes}; the caller may wipe its array afterwards. */
    public static Secret copyOf(byte[] bytes) {
        return new Secret(requireNonNull(bytes, "bytes").clone());
    }

    /** Takes ownership of {@code bytes} without copying: the caller must not keep or change the array. */
    static Secret adopt(byte[] bytes) {
        return new Secret(bytes);
    }

    /**
     * Whether {@code candidate} holds exactly this secret's bytes, compared in time that does not depend on where
     * they differ. A {@code null} candidate matches nothing.
     */
    public boolean matches(byte[] candidate) {
        return candidate != null && MessageDigest.isEqual(bytes, candidate);
    }

    /** The secret as text, decoded as UTF-8. Every call site is a place where the secret leaves this type. */
    public String revealUtf8() {
        return new String(bytes, UTF_8);
    }

    /** A copy of the secret's bytes; wipe it when done. */
    public byte[] revealBytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
