package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalInt;
import org.opensts.token.InvalidTokenException.Reason;

/**
 * Seals short messages for one named purpose under the session key ring, so that any node holding the ring can open
 * them and no one else can read or change them: the console's sign-in tokens and its sign-in
 * handoff (docs/console-api.md).
 *
 * <h2>Format</h2>
 * <pre>
 *   text             = base64url(header || nonce || ciphertext || tag), without '=' padding
 *   header           = 0xB1 (sealed message, version 1; 1 byte) || key id (4 bytes, big-endian)
 *   nonce, tag       = 12 random bytes, 16 bytes: AES-256-GCM under the session key the header names
 *   associated data  = header || "opensts:sealed:" || UTF-8(purpose) || 0x00 || UTF-8(scope)
 * </pre>
 * The purpose in the associated data keeps messages of different purposes apart (a sign-in token never opens as a
 * handoff), and the header's first byte keeps them apart from session tokens (1..3) and authorization messages (0xA1).
 * The text uses only {@code [A-Za-z0-9_-]}, so it may stand unescaped in a URL's query, as a sign-in token does in the
 * URLs identity brokers build. The codec does not look at the clock: what a message means, its expiry included, is the
 * caller's.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class SealedMessageCodec {
    /** The longest text {@link #open} considers, in characters. */
    public static final int MAX_TEXT_LENGTH = 16 * 1024;

    static final int FORMAT_BYTE = 0xB1;
    static final int HEADER_BYTES = 5;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int OVERHEAD_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
    private static final int MIN_TEXT_LENGTH = (OVERHEAD_BYTES * 8 + 5) / 6;
    private static final int MAX_PLAINTEXT_BYTES = MAX_TEXT_LENGTH * 6 / 8 - OVERHEAD_BYTES;

    private final KeyRing ring;
    private final byte[] label;

    /**
     * A codec sealing with the ring's primary key and opening with any of its keys, for messages of {@code purpose}
     * within {@code scope} (the same scope names as {@link SessionTokenCodec}'s).
     *
     * @throws IllegalArgumentException if {@code scope} or {@code purpose} is empty or {@code purpose} holds a NUL
     */
    public SealedMessageCodec(KeyRing ring, String scope, String purpose) {
        this.ring = requireNonNull(ring, "ring");
        requireNonNull(scope, "scope");
        requireNonNull(purpose, "purpose");
        if (scope.isEmpty() || purpose.isEmpty() || purpose.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("scope and purpose must not be empty, nor purpose hold a NUL");
        }
        this.label = ("opensts:sealed:" + purpose + "\0" + scope).getBytes(UTF_8);
    }

    /**
     * Seals {@code plaintext} under the ring's primary key.
     *
     * @throws IllegalArgumentException if the text would be longer than {@link #MAX_TEXT_LENGTH}
     */
    public String seal(byte[] plaintext) {
        requireNonNull(plaintext, "plaintext");
        if (plaintext.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("message too long to seal: " + plaintext.length + " bytes");
        }
        SessionKey key = ring.primary();
        byte[] ad = associatedData(key.id());
        try {
            byte[] sealed = key.aead().encrypt(plaintext, ad);
            byte[] binary = new byte[HEADER_BYTES + sealed.length];
            System.arraycopy(ad, 0, binary, 0, HEADER_BYTES);
            System.arraycopy(sealed, 0, binary, HEADER_BYTES, sealed.length);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(binary);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens a text that {@link #seal} made with a key of this ring, for the same purpose and scope.
     *
     * @return the plaintext; the caller should wipe it once read if it holds a secret
     * @throws InvalidTokenException if the text is too long, not canonical unpadded base64url, of another format,
     *     names a key the ring does not hold, or fails the AEAD check (changed, another purpose, scope or key); always
     *     with the same message
     */
    public byte[] open(String text) throws InvalidTokenException {
        requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new InvalidTokenException(Reason.TOO_LONG);
        }
        byte[] binary = decodeCanonical(text);
        if ((binary[0] & 0xff) != FORMAT_BYTE) {
            throw new InvalidTokenException(Reason.UNSUPPORTED_VERSION);
        }
        int keyId = readInt(binary, 1);
        SessionKey key = ring.key(keyId).orElseThrow(() -> new InvalidTokenException(Reason.UNKNOWN_KEY));
        try {
            return key.aead().decrypt(Arrays.copyOfRange(binary, HEADER_BYTES, binary.length), associatedData(keyId));
        } catch (GeneralSecurityException e) {
            throw new InvalidTokenException(Reason.DECRYPTION_FAILED);
        }
    }

    /**
     * The key id in a text's header, read <em>without</em> checking anything else: to tell whether the ring should be
     * reloaded, never for a decision. Empty if the text cannot be a message of this format.
     */
    public static OptionalInt peekUnverifiedKeyId(String text) {
        if (text == null || text.length() > MAX_TEXT_LENGTH) {
            return OptionalInt.empty();
        }
        try {
            byte[] binary = decodeCanonical(text);
            return (binary[0] & 0xff) == FORMAT_BYTE ? OptionalInt.of(readInt(binary, 1)) : OptionalInt.empty();
        } catch (InvalidTokenException e) {
            return OptionalInt.empty();
        }
    }

    /** Unpadded base64url in its one canonical spelling (unused trailing bits zero), or MALFORMED. */
    private static byte[] decodeCanonical(String text) throws InvalidTokenException {
        if (text.length() < MIN_TEXT_LENGTH || text.length() % 4 == 1) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new InvalidTokenException(Reason.MALFORMED);
            }
        }
        byte[] binary = Base64.getUrlDecoder().decode(text);
        // The decoder ignores set bits after the last whole byte; re-encoding tells a changed last character apart.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(binary).equals(text)) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        return binary;
    }

    private byte[] associatedData(int keyId) {
        var ad = new byte[HEADER_BYTES + label.length];
        ad[0] = (byte) FORMAT_BYTE;
        ad[1] = (byte) (keyId >>> 24);
        ad[2] = (byte) (keyId >>> 16);
        ad[3] = (byte) (keyId >>> 8);
        ad[4] = (byte) keyId;
        System.arraycopy(label, 0, ad, HEADER_BYTES, label.length);
        return ad;
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | bytes[offset + 3] & 0xff;
    }
}
