package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.zip.Deflater;
import org.opensts.token.InvalidAuthorizationMessageException.Reason;
import org.opensts.token.internal.ByteReader;
import org.opensts.token.internal.ByteWriter;

/**
 * Seals the explanation of a refused request into the opaque text that follows "Encoded authorization failure
 * message:" in an {@code AccessDenied}, and opens it again for {@code DecodeAuthorizationMessage}, on any node that
 * holds the key ring.
 *
 * <h2>Format, version 1</h2>
 * <pre>
 *   message          = base64url(header || nonce || ciphertext || tag), without '=' padding
 *   header           = 0xA1 (authorization message, version 1; 1 byte) || key id (4 bytes, big-endian)
 *   nonce, tag       = 12 random bytes, 16 bytes: AES-256-GCM under the session key the header names
 *   associated data  = header || "opensts:authorization-message" || 0x00 || UTF-8(scope)
 *   plaintext        = issuedAt (varint epoch ms) || accountId (varint length, UTF-8)
 *                      || document length (varint) || raw deflate stream of the UTF-8 document
 * </pre>
 * The keys are the session keys, but the purpose label in the associated data and the header's first byte (session
 * tokens start with 1 or 2) keep the two apart: a session token never opens as a message, nor a message as a token.
 *
 * <h2>Limits</h2>
 * A message is at most {@link #MAX_MESSAGE_LENGTH} characters, the most {@code DecodeAuthorizationMessage} accepts;
 * {@link #seal} refuses a document that does not fit, so the caller can shorten it. A message expires
 * {@link #LIFETIME} after it was issued: the key ring keeps a key for longer than that after it last sealed anything,
 * so a message is readable for its whole life, and not after it.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class AuthorizationMessageCodec {
    /** The longest message, in characters: {@code EncodedMessage} of DecodeAuthorizationMessage is 1..10240. */
    public static final int MAX_MESSAGE_LENGTH = 10_240;
    /** How long a message can be decoded after it was issued. */
    public static final Duration LIFETIME = Duration.ofHours(24);
    /** Nodes may disagree about the time by this much; a message issued a little "later" than now still opens. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(15);
    /** The largest document a message may inflate to: a cap on what a forged length could make us allocate. */
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;

    static final int FORMAT_BYTE = 0xA1;
    static final int HEADER_BYTES = 5;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int OVERHEAD_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
    private static final int MAX_BINARY_BYTES = MAX_MESSAGE_LENGTH * 6 / 8;
    private static final int MIN_MESSAGE_LENGTH = (OVERHEAD_BYTES * 8 + 5) / 6;
    private static final byte[] PURPOSE = "opensts:authorization-message\0".getBytes(UTF_8);

    private final KeyRing ring;
    private final String scope;
    private final byte[] scopeBytes;

    /**
     * A codec sealing with the ring's primary key and opening with any of its keys, for messages of {@code scope}
     * (the same scope names as {@link SessionTokenCodec}'s).
     *
     * @throws IllegalArgumentException if {@code scope} is empty
     */
    public AuthorizationMessageCodec(KeyRing ring, String scope) {
        this.ring = requireNonNull(ring, "ring");
        this.scope = requireNonNull(scope, "scope");
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("scope must not be empty");
        }
        this.scopeBytes = scope.getBytes(UTF_8);
    }

    /**
     * Seals {@code message} under the ring's primary key.
     *
     * @throws IllegalArgumentException if the sealed text would be longer than {@link #MAX_MESSAGE_LENGTH}
     */
    public String seal(AuthorizationMessage message) {
        requireNonNull(message, "message");
        byte[] document = message.document().getBytes(UTF_8);
        if (document.length > MAX_DOCUMENT_BYTES) {
            throw new IllegalArgumentException("document too large for an authorization message");
        }
        var plain = new ByteWriter(64 + document.length / 2);
        plain.writeVarint(message.issuedAt().toEpochMilli());
        plain.writeString(message.accountId());
        plain.writeVarint(document.length);
        plain.writeBytes(RawDeflate.deflate(document, Deflater.BEST_COMPRESSION));
        byte[] plaintext = plain.toByteArray();
        if (OVERHEAD_BYTES + plaintext.length > MAX_BINARY_BYTES) {
            throw new IllegalArgumentException("authorization message too long: " + plaintext.length + " bytes");
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
     * Opens a message that {@link #seal} made with a key of this ring and the same scope, if it is still within its
     * {@link #LIFETIME} at {@code now}.
     *
     * @throws InvalidAuthorizationMessageException if the text is too long, not canonical unpadded base64url, of
     *     another format, names a key the ring does not hold, fails the AEAD check, does not decode, or has expired;
     *     always with the same message
     */
    public AuthorizationMessage open(String text, Instant now) throws InvalidAuthorizationMessageException {
        requireNonNull(text, "text");
        requireNonNull(now, "now");
        if (text.length() > MAX_MESSAGE_LENGTH) {
            throw new InvalidAuthorizationMessageException(Reason.TOO_LONG);
        }
        byte[] binary = decodeCanonical(text);
        if ((binary[0] & 0xff) != FORMAT_BYTE) {
            throw new InvalidAuthorizationMessageException(Reason.UNSUPPORTED_VERSION);
        }
        int keyId = readInt(binary, 1);
        SessionKey key = ring.key(keyId)
                .orElseThrow(() -> new InvalidAuthorizationMessageException(Reason.UNKNOWN_KEY));
        byte[] plaintext;
        try {
            plaintext = key.aead().decrypt(Arrays.copyOfRange(binary, HEADER_BYTES, binary.length),
                    associatedData(keyId));
        } catch (GeneralSecurityException e) {
            throw new InvalidAuthorizationMessageException(Reason.DECRYPTION_FAILED);
        }
        AuthorizationMessage message;
        try {
            var in = new ByteReader(plaintext);
            var issuedAt = Instant.ofEpochMilli(in.readVarint());
            String accountId = in.readString();
            int documentLength = in.readVarint(MAX_DOCUMENT_BYTES);
            byte[] document = RawDeflate.inflate(in.readBytes(in.remaining()), documentLength);
            message = new AuthorizationMessage(issuedAt, accountId, new String(document, UTF_8));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new InvalidAuthorizationMessageException(Reason.INVALID_CONTENTS);
        }
        if (now.isAfter(message.issuedAt().plus(LIFETIME)) || message.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidAuthorizationMessageException(Reason.EXPIRED);
        }
        return message;
    }

    /**
     * The key id in a message's header, read <em>without</em> checking anything else: to tell whether the ring should
     * be reloaded, never for a decision. Empty if the text cannot be a message of this format.
     */
    public OptionalInt peekUnverifiedKeyId(String text) {
        if (text == null || text.length() > MAX_MESSAGE_LENGTH) {
            return OptionalInt.empty();
        }
        try {
            byte[] binary = decodeCanonical(text);
            return (binary[0] & 0xff) == FORMAT_BYTE ? OptionalInt.of(readInt(binary, 1)) : OptionalInt.empty();
        } catch (InvalidAuthorizationMessageException e) {
            return OptionalInt.empty();
        }
    }

    /** A codec for the same scope with another ring, e.g. after a rotation. */
    public AuthorizationMessageCodec withKeyRing(KeyRing newRing) {
        return new AuthorizationMessageCodec(newRing, scope);
    }

    /** Unpadded base64url in its one canonical spelling (unused trailing bits zero), or MALFORMED. */
    private static byte[] decodeCanonical(String text) throws InvalidAuthorizationMessageException {
        if (text.length() < MIN_MESSAGE_LENGTH || text.length() % 4 == 1) {
            throw new InvalidAuthorizationMessageException(Reason.MALFORMED);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new InvalidAuthorizationMessageException(Reason.MALFORMED);
            }
        }
        byte[] binary = Base64.getUrlDecoder().decode(text);
        // The decoder ignores set bits after the last whole byte; re-encoding tells a changed last character apart.
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(binary).equals(text)) {
            throw new InvalidAuthorizationMessageException(Reason.MALFORMED);
        }
        return binary;
    }

    private byte[] associatedData(int keyId) {
        var ad = new byte[HEADER_BYTES + PURPOSE.length + scopeBytes.length];
        ad[0] = (byte) FORMAT_BYTE;
        ad[1] = (byte) (keyId >>> 24);
        ad[2] = (byte) (keyId >>> 16);
        ad[3] = (byte) (keyId >>> 8);
        ad[4] = (byte) keyId;
        System.arraycopy(PURPOSE, 0, ad, HEADER_BYTES, PURPOSE.length);
        System.arraycopy(scopeBytes, 0, ad, HEADER_BYTES + PURPOSE.length, scopeBytes.length);
        return ad;
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | bytes[offset + 3] & 0xff;
    }

    @Override
    public String toString() {
        return "AuthorizationMessageCodec[scope=" + scope + ", primaryKeyId="
                + Integer.toUnsignedString(ring.primary().id()) + "]";
    }
}
