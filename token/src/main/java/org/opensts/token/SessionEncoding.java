package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import org.opensts.token.internal.ByteReader;
import org.opensts.token.internal.ByteWriter;

/**
 * The plaintext of a session token: a session and its secret access key in a compact binary form. {@link
 * SessionTokenCodec} encrypts it; the layout is documented there and in the module README. Tokens are sealed in
 * format version 3, which adds the region scope (one byte) after {@code federatedProvider}; version 2 added the
 * federated user's {@code sourceUniqueId} after {@code sourceArn}. Tokens of versions 1 and 2 still open: their
 * federated users without the issuer's id, and all of them valid in every region, as they were when sealed.
 *
 * <p>The collections (session policies, policy ARNs, tags, transitive keys, federation claims) form one packed
 * section, stored as is or deflated. Deflating is worth it only when it saves at least {@link #MIN_DEFLATE_SAVING}
 * bytes, since each {@code open} then pays for an {@link java.util.zip.Inflater}; long policies and many tags shrink
 * by half or more. It is not even tried below {@link #MIN_DEFLATE_INPUT} bytes: one attempt costs about 10 µs, most of what a
 * seal costs, and a typical role session's section (one short policy, three tags: 168 bytes) would save only 24.
 */
final class SessionEncoding {
    /** Deflate the packed section only when that saves at least this many bytes (about 85 characters of text). */
    static final int MIN_DEFLATE_SAVING = 64;
    /** Sections shorter than this are stored without trying: deflate seldom saves a quarter of so little. */
    static final int MIN_DEFLATE_INPUT = 256;
    /**
     * The longest packed section, before deflation: {@code open} never inflates more, so {@code seal} refuses more.
     * Far above what a session within its packed policy size holds.
     */
    static final int MAX_PACKED_SECTION = 64 * 1024;

    /** The first format, without {@code sourceUniqueId}. */
    static final int VERSION_1 = 1;
    /** The second format, without the region scope. */
    static final int VERSION_2 = 2;
    /** The current format. */
    static final int VERSION_3 = 3;

    private static final int ALL_REGIONS = 0;
    private static final int DEFAULT_REGIONS = 1;
    private static final int STORED = 0;
    private static final int DEFLATED = 1;
    private static final int ACCESS_KEY_PAYLOAD = 10;

    private SessionEncoding() {
    }

    /**
     * Encodes the session and secret in format version 3, followed by zero padding so that {@code fixedOverhead} plus
     * the result is a multiple of 3 bytes. The result holds the secret: wipe it once encrypted.
     *
     * @throws IllegalArgumentException if the policies, tags and claims exceed {@link #MAX_PACKED_SECTION} bytes
     */
    static byte[] encode(Session session, Secret secretAccessKey, int fixedOverhead) {
        var out = new ByteWriter(512);
        var secret = secretAccessKey.revealBytes();
        try {
            out.writeByte(typeCode(session.type()));
            out.writeBytes(AccessKeyIds.payloadOf(session.accessKeyId()));
            out.writeLengthPrefixed(secret);
            out.writeString(session.principalArn());
            out.writeString(session.principalId());
            out.writeString(session.sourceArn());
            // Role sessions and session users read theirs from principalId: only a federated user's is written.
            writeOptional(out, session.type() == SessionType.FEDERATED_USER ? session.sourceUniqueId()
                    : Optional.empty());
            writeOptional(out, session.sessionName());
            writeOptional(out, session.sourceIdentity());
            long issuedAt = session.issuedAt().toEpochMilli();
            out.writeVarint(issuedAt);
            out.writeVarint(session.expiration().toEpochMilli() - issuedAt);
            out.writeVarint(session.mfaAuthenticatedAt().map(at -> issuedAt - at.toEpochMilli() + 1).orElse(0L));
            out.writeVarint(session.roleChainDepth());
            writeOptional(out, session.federatedProvider());
            out.writeByte(session.regionScope() == RegionScope.DEFAULT_REGIONS ? DEFAULT_REGIONS : ALL_REGIONS);
            writePackedSection(out, session);
            out.writeZeros((3 - (fixedOverhead + out.size()) % 3) % 3);
            return out.toByteArray();
        } finally {
            Arrays.fill(secret, (byte) 0);
            out.wipe();
        }
    }

    /**
     * Decodes what {@link #encode} wrote in format {@code version} (1, 2 or 3), insisting on its exact shape: every byte
     * accounted for and the padding zero.
     *
     * @throws IllegalArgumentException if the bytes do not encode a valid session
     */
    static OpenedSession decode(byte[] plaintext, int version) {
        if (version < VERSION_1 || version > VERSION_3) {
            throw new IllegalArgumentException("unknown format version " + version);
        }
        var in = new ByteReader(plaintext);
        var builder = Session.builder().type(typeOf(in.readByte()));
        var accessKeyId = AccessKeyIds.temporaryFromPayload(in.readBytes(ACCESS_KEY_PAYLOAD));
        builder.accessKeyId(accessKeyId)
                .accountId(AccessKeyIds.accountIdOf(accessKeyId)
                        .orElseThrow(() -> new IllegalArgumentException("access key id embeds no account")));
        var secret = Secret.adopt(in.readLengthPrefixed());
        builder.principalArn(in.readString())
                .principalId(in.readString())
                .sourceArn(in.readString())
                .sourceUniqueId(version == VERSION_1 ? null : readOptional(in))
                .sessionName(readOptional(in))
                .sourceIdentity(readOptional(in));
        long issuedAt = in.readVarint();
        long lifetime = in.readVarint();
        long mfa = in.readVarint();
        if (lifetime > Long.MAX_VALUE - issuedAt) {
            throw new IllegalArgumentException("expiration out of range");
        }
        builder.issuedAt(Instant.ofEpochMilli(issuedAt))
                .expiration(Instant.ofEpochMilli(issuedAt + lifetime))
                .mfaAuthenticatedAt(mfa == 0 ? null : Instant.ofEpochMilli(issuedAt - (mfa - 1)))
                .roleChainDepth(in.readVarint(Integer.MAX_VALUE))
                .federatedProvider(readOptional(in));
        builder.regionScope(version < VERSION_3 ? RegionScope.ALL_REGIONS : regionScopeOf(in.readByte()));
        readPackedSection(in, builder);
        if (in.remaining() > 2) {
            throw new IllegalArgumentException("trailing bytes after the session");
        }
        while (in.remaining() > 0) {
            if (in.readByte() != 0) {
                throw new IllegalArgumentException("non-zero padding");
            }
        }
        return new OpenedSession(builder.build(), secret);
    }

    private static RegionScope regionScopeOf(int code) {
        return switch (code) {
            case ALL_REGIONS -> RegionScope.ALL_REGIONS;
            case DEFAULT_REGIONS -> RegionScope.DEFAULT_REGIONS;
            default -> throw new IllegalArgumentException("unknown region scope " + code);
        };
    }

    private static void writePackedSection(ByteWriter out, Session session) {
        var packed = new ByteWriter(256);
        writeStrings(packed, session.sessionPolicies());
        writeStrings(packed, session.policyArns());
        packed.writeVarint(session.tags().size());
        for (var tag : session.tags()) {
            packed.writeString(tag.key());
            packed.writeString(tag.value());
        }
        writeStrings(packed, session.transitiveTagKeys());
        packed.writeVarint(session.federationClaims().size());
        session.federationClaims().forEach((key, values) -> {
            packed.writeString(key);
            writeStrings(packed, values);
        });

        var raw = packed.toByteArray();
        if (raw.length > MAX_PACKED_SECTION) {
            throw new IllegalArgumentException("session too large for a session token: " + raw.length
                    + " bytes of policies, tags and claims");
        }
        var deflated = raw.length >= MIN_DEFLATE_INPUT ? RawDeflate.deflate(raw, Deflater.DEFAULT_COMPRESSION)
                : null;
        if (deflated != null && deflated.length + MIN_DEFLATE_SAVING <= raw.length) {
            out.writeByte(DEFLATED);
            out.writeVarint(raw.length);
            out.writeLengthPrefixed(deflated);
        } else {
            out.writeByte(STORED);
            out.writeBytes(raw);
        }
    }

    private static void readPackedSection(ByteReader in, Session.Builder builder) {
        int packing = in.readByte();
        if (packing == STORED) {
            readPackedFields(in, builder);
        } else if (packing == DEFLATED) {
            int inflatedLength = in.readVarint(MAX_PACKED_SECTION);
            int deflatedLength = in.readVarint(in.remaining());
            var inflated = inflate(in, deflatedLength, inflatedLength);
            var packed = new ByteReader(inflated);
            readPackedFields(packed, builder);
            if (packed.remaining() != 0) {
                throw new IllegalArgumentException("trailing bytes in the packed section");
            }
        } else {
            throw new IllegalArgumentException("unknown packing " + packing);
        }
    }

    private static void readPackedFields(ByteReader in, Session.Builder builder) {
        builder.sessionPolicies(readStrings(in)).policyArns(readStrings(in));
        int tagCount = in.readCount(2);
        var tags = new ArrayList<SessionTag>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(new SessionTag(in.readString(), in.readString()));
        }
        builder.tags(tags).transitiveTagKeys(new LinkedHashSet<>(readStrings(in)));
        int claimCount = in.readCount(2);
        var claims = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < claimCount; i++) {
            if (claims.put(in.readString(), readStrings(in)) != null) {
                throw new IllegalArgumentException("repeated claim");
            }
        }
        builder.federationClaims(claims);
    }

    private static byte[] inflate(ByteReader in, int deflatedLength, int inflatedLength) {
        return RawDeflate.inflate(in.readBytes(deflatedLength), inflatedLength);
    }

    private static void writeStrings(ByteWriter out, Collection<String> values) {
        out.writeVarint(values.size());
        for (var value : values) {
            out.writeString(value);
        }
    }

    private static List<String> readStrings(ByteReader in) {
        int count = in.readCount(1);
        var values = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.readString());
        }
        return values;
    }

    private static void writeOptional(ByteWriter out, Optional<String> value) {
        if (value.isEmpty()) {
            out.writeVarint(0);
            return;
        }
        var bytes = value.get().getBytes(UTF_8);
        out.writeVarint(bytes.length + 1L);
        out.writeBytes(bytes);
    }

    private static String readOptional(ByteReader in) {
        int lengthPlusOne = in.readVarint(in.remaining() + 1);
        if (lengthPlusOne == 0) {
            return null;
        }
        var bytes = in.readBytes(lengthPlusOne - 1);
        return new String(bytes, UTF_8);
    }

    private static int typeCode(SessionType type) {
        return switch (type) {
            case ASSUMED_ROLE -> 1;
            case FEDERATED_USER -> 2;
            case SESSION_USER -> 3;
        };
    }

    private static SessionType typeOf(int code) {
        return switch (code) {
            case 1 -> SessionType.ASSUMED_ROLE;
            case 2 -> SessionType.FEDERATED_USER;
            case 3 -> SessionType.SESSION_USER;
            default -> throw new IllegalArgumentException("unknown session type " + code);
        };
    }
}
