package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;
import org.opensts.token.InvalidTokenException.Reason;
import org.opensts.token.internal.StrictBase64;

/**
 * Seals a {@link Session} and its secret access key into a self-contained session token, and opens such tokens: any
 * node holding the key ring can verify a token without I/O.
 *
 * <h2>Format, version 3</h2>
 * <pre>
 *   token            = base64(header || nonce || ciphertext || tag)
 *   header           = version (1 byte, 0x03) || key id (4 bytes, big-endian)
 *   nonce, tag       = 12 random bytes, 16 bytes: AES-256-GCM under the key the header names
 *   associated data  = header || UTF-8(scope)
 *   plaintext        = the session encoding below || 0..2 zero bytes
 * </pre>
 * The header is in clear (so a node finds the key without trying each) but authenticated, together with the scope: a
 * token sealed for another scope, or whose header was edited, fails. The padding makes the binary a multiple of
 * 3 bytes, so the text is standard base64 without {@code =} and every character carries six bits; with the decoder
 * refusing anything but that one spelling, <em>every</em> single-character change of a token makes it fail.
 *
 * <p>The session encoding uses varints (unsigned LEB128), strings as a varint UTF-8 length and the bytes, and optional
 * strings as 0 (absent) or length + 1 and the bytes:
 * <pre>
 *   type (1 byte: 1 assumed role, 2 federated user, 3 session user)
 *   access key id (10 bytes: the 16 base32 characters after "ASIA"; the account id is read from them)
 *   secret access key (varint length, bytes)
 *   principalArn, principalId, sourceArn (strings); sourceUniqueId (optional string: written for federated users,
 *            the other kinds read it from principalId); sessionName, sourceIdentity (optional strings)
 *   issuedAt (varint epoch ms), lifetime (varint ms to expiration), MFA (varint: 0 none, else issuedAt - MFA time + 1)
 *   roleChainDepth (varint), federatedProvider (optional string)
 *   region scope (1 byte: 0 every region, AWS's version 2 token; 1 only regions enabled by default, version 1)
 *   packing (1 byte: 0 stored, then the packed section; 1 deflated, then varint inflated length, varint deflated
 *            length and the raw deflate stream of the packed section)
 *   packed section: session policies, policy ARNs (each a count and strings), tags (count, key/value strings),
 *            transitive tag keys (count, strings), federation claims (count, key string, count, value strings)
 * </pre>
 * Version 2, sealed before, is the same without the region scope, and version 1 also without {@code sourceUniqueId};
 * such tokens still open, for as long as their keys are in the ring, valid in every region. A typical role session (one short policy, three tags) makes a token of 588 characters.
 * Deflating pays only for long policies or many tags: it is tried from 256 bytes of packed section and used when it
 * saves at least 64.
 *
 * <h2>Contract</h2>
 * {@link #open} returns only once the AEAD tag has checked out and the contents decode to a valid {@link Session}; it
 * does not look at the clock (the caller compares {@link Session#expiration()} with its own). It rejects text longer
 * than {@link #MAX_TOKEN_LENGTH} before decoding anything. Every failure has the same message; the
 * {@linkplain InvalidTokenException#reason() reason} is for a debug line.
 *
 * <p>A codec is safe to share between threads. A node that rotates its ring makes a new codec with
 * {@link #withKeyRing} and publishes it the way it publishes any configuration (a volatile field); the swap is one
 * reference write.
 *
 * <h2>Cache of opened tokens</h2>
 * A client signs every request of a session with the same token, so each codec keeps the tokens it opened lately
 * ({@link #CACHED_CHARACTERS} characters at most, each for {@link #CACHE_RETENTION} at most), keyed by the exact token
 * text, and answers a token it holds without decrypting and decoding it again. Keying by the text is safe because the
 * text is the whole input of {@link #open}: the same text opens to the same session under the same ring, and a changed
 * character makes another key that goes through every check. Holding a token grants nothing by itself either: the
 * request that presents it must still be signed with the session's secret access key, which the caller checks with
 * SigV4 on every request, cached or not. Only tokens that opened are kept, so a refusal is never remembered. The cached
 * answer is the very {@link OpenedSession} the first open made, immutable (its {@link Secret} too) and so safe to hand
 * to every caller. The cache lives and dies with its codec, so a token opened under one ring is never answered by a
 * codec of another ring (a rotation that drops a key makes a new codec). The codec still does not look at the clock:
 * callers compare {@link Session#expiration()} with theirs on every use, as for a token opened afresh; the retention
 * only bounds how long a token stays in memory.
 */
public final class SessionTokenCodec {
    /** The longest token text that {@link #open} considers, in characters. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    /** The format {@link #seal} writes; {@link #open} reads it and versions 1 and 2. */
    static final int FORMAT_VERSION = SessionEncoding.VERSION_3;
    static final int HEADER_BYTES = 5;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    static final int OVERHEAD_BYTES = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
    private static final int MAX_BINARY_BYTES = MAX_TOKEN_LENGTH / 4 * 3;
    private static final int MIN_TOKEN_LENGTH = OVERHEAD_BYTES / 3 * 4;
    /**
     * How many characters of opened tokens a codec keeps, counting each token's text and the texts its session holds
     * (see {@link #weight}): some 4,000 typical role sessions (about 1,500 each), or fewer large ones, a few tens of
     * megabytes of heap at most. Bounding the characters rather than the entries keeps a caller who mints many
     * sessions with long policies and many tags from filling the heap.
     */
    static final int CACHED_CHARACTERS = 6 * 1024 * 1024;
    /** What one string of a session costs the heap beyond its characters, in characters (see {@link #weight}). */
    static final int PER_TEXT = 32;
    /** How long a codec keeps an opened token, at most: well under the shortest session (15 minutes). */
    static final Duration CACHE_RETENTION = Duration.ofMinutes(5);

    private final KeyRing ring;
    private final String scope;
    private final int[] keyIds;
    private final SessionKey[] keys;
    private final byte[][][] associatedData; // per format version - 1, per key: its header, then the scope
    private final int primaryIndex;
    private final Cache<String, OpenedSession> opened;

    /**
     * A codec sealing with the ring's primary key and opening with any of its keys, for tokens of {@code scope}: a
     * name for the set of nodes that accept each other's tokens, such as the partition and deployment
     * ({@code "aws/opensts-prod"}).
     *
     * @throws IllegalArgumentException if {@code scope} is empty
     */
    public SessionTokenCodec(KeyRing ring, String scope) {
        this.ring = requireNonNull(ring, "ring");
        this.scope = requireNonNull(scope, "scope");
        if (scope.isEmpty()) {
            throw new IllegalArgumentException("scope must not be empty");
        }
        var scopeBytes = scope.getBytes(UTF_8);
        var ringKeys = ring.keys();
        int n = ringKeys.size();
        keyIds = new int[n];
        keys = ringKeys.toArray(new SessionKey[0]);
        associatedData = new byte[FORMAT_VERSION][n][];
        int primary = -1;
        for (int i = 0; i < n; i++) {
            keyIds[i] = keys[i].id();
            for (int version = SessionEncoding.VERSION_1; version <= FORMAT_VERSION; version++) {
                var ad = new byte[HEADER_BYTES + scopeBytes.length];
                ad[0] = (byte) version;
                writeInt(ad, 1, keyIds[i]);
                System.arraycopy(scopeBytes, 0, ad, HEADER_BYTES, scopeBytes.length);
                associatedData[version - 1][i] = ad;
            }
            if (keys[i] == ring.primary()) {
                primary = i;
            }
        }
        primaryIndex = primary;
        // Maintenance runs on the calling thread: a pure core starts no threads of its own.
        opened = Caffeine.newBuilder()
                .maximumWeight(CACHED_CHARACTERS)
                .weigher(SessionTokenCodec::weight)
                .expireAfterWrite(CACHE_RETENTION)
                .executor(Runnable::run)
                .build();
    }

    /** A codec for the same scope with another ring, e.g. after a rotation. */
    public SessionTokenCodec withKeyRing(KeyRing newRing) {
        return new SessionTokenCodec(newRing, scope);
    }

    public KeyRing keyRing() {
        return ring;
    }

    public String scope() {
        return scope;
    }

    /**
     * Seals {@code session} and {@code secretAccessKey} into a token under the primary key. The token is a secret too.
     *
     * @throws IllegalArgumentException if the token would be longer than {@link #MAX_TOKEN_LENGTH}, or its policies,
     *     tags and claims take more than 64 KiB before compression; a session whose {@link PackedPolicySize} is
     *     within 100 % always fits
     */
    public String seal(Session session, Secret secretAccessKey) {
        requireNonNull(session, "session");
        requireNonNull(secretAccessKey, "secretAccessKey");
        var plaintext = SessionEncoding.encode(session, secretAccessKey, OVERHEAD_BYTES);
        try {
            int binaryLength = OVERHEAD_BYTES + plaintext.length;
            if (binaryLength > MAX_BINARY_BYTES) {
                throw new IllegalArgumentException("session too large for a session token: " + binaryLength + " bytes");
            }
            var ad = associatedData[FORMAT_VERSION - 1][primaryIndex];
            var sealed = keys[primaryIndex].aead().encrypt(plaintext, ad); // nonce || ciphertext || tag
            var binary = new byte[HEADER_BYTES + sealed.length];
            System.arraycopy(ad, 0, binary, 0, HEADER_BYTES); // the associated data starts with the header
            System.arraycopy(sealed, 0, binary, HEADER_BYTES, sealed.length);
            return StrictBase64.encode(binary);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Opens a token that {@link #seal} made with a key of this ring and the same scope.
     *
     * @throws InvalidTokenException if the token is too long, not canonical base64, of another format version, names
     *     a key the ring does not hold, fails the AEAD check (changed, another scope, another key), or does not hold a
     *     valid session; always with the same message
     */
    public OpenedSession open(String token) throws InvalidTokenException {
        requireNonNull(token, "token");
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(Reason.TOO_LONG);
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        OpenedSession cached = opened.getIfPresent(token);
        if (cached != null) {
            return cached;
        }
        OpenedSession session = openUncached(token);
        opened.put(token, session);
        return session;
    }

    /** {@link #open} without the cache: every check, every time. */
    OpenedSession openUncached(String token) throws InvalidTokenException {
        byte[] header;
        byte[] sealed; // nonce || ciphertext || tag: decoded into an array of its own, as the cipher takes it
        try {
            sealed = StrictBase64.decode(token, HEADER_BYTES);
            header = StrictBase64.decodePrefix(token, /* groups= */ 2); // 6 bytes: the header and one more
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.MALFORMED);
        }
        int version = header[0];
        if (!isReadableVersion(version)) {
            throw new InvalidTokenException(Reason.UNSUPPORTED_VERSION);
        }
        int index = indexOfKey(readInt(header, 1));
        if (index < 0) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY);
        }
        byte[] plaintext;
        try {
            plaintext = keys[index].aead().decrypt(sealed, associatedData[version - 1][index]);
        } catch (GeneralSecurityException e) {
            throw new InvalidTokenException(Reason.DECRYPTION_FAILED);
        }
        try {
            return SessionEncoding.decode(plaintext, version);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.INVALID_CONTENTS);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * About how many characters a cache entry holds: the token's text and the strings of its session, which
     * dominate what the entry keeps alive (its policies, tags and claims, of any length within the token's limits).
     * Each string counts {@link #PER_TEXT} more for its object and its slot: deflated, a token can carry thousands of
     * empty strings (a web identity token's {@code amr} claim) in a few bytes, each a {@code String} once opened.
     */
    static int weight(String token, OpenedSession opened) {
        Session session = opened.session();
        long characters = 2L * token.length() // the text, and the session's fixed fields, which hold about as much
                + length(session.sessionPolicies()) + length(session.policyArns())
                + length(session.transitiveTagKeys());
        for (SessionTag tag : session.tags()) {
            characters += 2 * PER_TEXT + tag.key().length() + tag.value().length();
        }
        for (var claim : session.federationClaims().entrySet()) {
            characters += PER_TEXT + claim.getKey().length() + length(claim.getValue());
        }
        return (int) Math.min(characters, Integer.MAX_VALUE);
    }

    private static long length(Iterable<String> texts) {
        long characters = 0;
        for (String text : texts) {
            characters += PER_TEXT + text.length();
        }
        return characters;
    }

    /**
     * The key id in a token's header, read <em>without</em> checking anything else: for routing and metrics (which key
     * do clients still use?), never for a decision. Empty if the text cannot be a token of this format.
     */
    public OptionalInt peekUnverifiedKeyId(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || token.length() < MIN_TOKEN_LENGTH
                || !StrictBase64.hasCanonicalShape(token)) {
            return OptionalInt.empty();
        }
        byte[] head;
        try {
            head = StrictBase64.decodePrefix(token, /* groups= */ 2); // 8 characters, 6 bytes: the header and one more
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        return isReadableVersion(head[0]) ? OptionalInt.of(readInt(head, 1)) : OptionalInt.empty();
    }

    private static boolean isReadableVersion(int version) {
        return version >= SessionEncoding.VERSION_1 && version <= FORMAT_VERSION;
    }

    private int indexOfKey(int keyId) {
        for (int i = 0; i < keyIds.length; i++) { // a ring holds a handful of keys: a scan beats hashing
            if (keyIds[i] == keyId) {
                return i;
            }
        }
        return -1;
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16 | (bytes[offset + 2] & 0xff) << 8
                | bytes[offset + 3] & 0xff;
    }

    private static void writeInt(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 24);
        bytes[offset + 1] = (byte) (value >>> 16);
        bytes[offset + 2] = (byte) (value >>> 8);
        bytes[offset + 3] = (byte) value;
    }

    @Override
    public String toString() {
        return "SessionTokenCodec[scope=" + scope + ", primaryKeyId=" + Integer.toUnsignedString(keyIds[primaryIndex])
                + "]";
    }
}
