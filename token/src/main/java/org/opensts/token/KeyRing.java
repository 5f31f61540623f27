package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.opensts.token.internal.ByteReader;
import org.opensts.token.internal.ByteWriter;

/**
 * The session keys of a deployment: the newest is the primary and seals new tokens; older ones only open tokens they
 * sealed while those can still be alive. Immutable; {@link #rotate} returns a new ring.
 *
 * <h2>Retention</h2>
 * A key seals tokens from its creation until its successor is created (its retirement). A token lives at most 36 hours
 * (GetFederationToken and GetSessionToken allow 129,600 s), and nodes may disagree about the time. So a retired key
 * must stay until {@code retirement + longest session + clock skew}. {@link #rotate} counts a key's age from its
 * retirement, not its creation: a rotation that comes late (a cluster that was down for a week) cannot then drop the
 * key that sealed yesterday's tokens. A caller that passes {@code 36 h + 15 min + rotation period} as the retention
 * therefore keeps keys one period longer than needed, which is harmless.
 *
 * <h2>Serialized form</h2>
 * {@link MasterKey#wrap} stores the ring encrypted; the plaintext is a version byte {@code 1}, a varint count, then per
 * key, oldest first: its id (4 bytes, big-endian), creation time (8 bytes, epoch milliseconds) and 32 key bytes.
 */
public final class KeyRing {
    private static final int FORMAT_VERSION = 1;
    private static final int MAX_KEYS = 1024;

    private final List<SessionKey> keys; // oldest first; the last is the primary

    /** @throws IllegalArgumentException unless there is a key, ids are unique and keys are in creation order */
    private KeyRing(List<SessionKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a key ring holds at least one key");
        }
        var ids = new HashSet<Integer>();
        Instant previous = Instant.MIN;
        for (var key : keys) {
            if (!ids.add(key.id())) {
                throw new IllegalArgumentException("repeated key id " + Integer.toUnsignedString(key.id()));
            }
            if (key.createdAt().isBefore(previous)) {
                throw new IllegalArgumentException("keys out of creation order");
            }
            previous = key.createdAt();
        }
        this.keys = List.copyOf(keys);
    }

    /** A ring holding one new primary key created at {@code now}. */
    public static KeyRing generate(Instant now, SecureRandom random) {
        requireNonNull(now, "now");
        requireNonNull(random, "random");
        return new KeyRing(List.of(newKey(random.nextInt(), now, random)));
    }

    /**
     * A ring with a new primary key created at {@code now}, keeping the older keys that may still have live tokens:
     * each retired key stays while less than {@code retention} has passed since it was retired (see the class note).
     *
     * @throws IllegalArgumentException if {@code retention} is not positive or {@code now} is before the current
     *     primary's creation (the clock went backwards)
     */
    public KeyRing rotate(Instant now, SecureRandom random, Duration retention) {
        requireNonNull(now, "now");
        requireNonNull(random, "random");
        requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + retention);
        }
        if (now.isBefore(primary().createdAt())) {
            throw new IllegalArgumentException("now is before the primary key's creation time");
        }
        var kept = new ArrayList<SessionKey>(keys.size() + 1);
        for (int i = 0; i < keys.size(); i++) {
            Instant retiredAt = i + 1 < keys.size() ? keys.get(i + 1).createdAt() : now;
            if (now.isBefore(retiredAt.plus(retention))) {
                kept.add(keys.get(i));
            }
        }
        int id;
        do {
            id = random.nextInt();
        } while (key(id).isPresent());
        kept.add(newKey(id, now, random));
        return new KeyRing(kept);
    }

    /** Whether the primary key is at least {@code rotationPeriod} old at {@code now}. */
    public boolean needsRotation(Instant now, Duration rotationPeriod) {
        return !now.isBefore(primary().createdAt().plus(rotationPeriod));
    }

    /** The key that seals new tokens: the newest. */
    public SessionKey primary() {
        return keys.get(keys.size() - 1);
    }

    /** The key with {@code id}, if the ring still holds it. */
    public Optional<SessionKey> key(int id) {
        for (var key : keys) {
            if (key.id() == id) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** All keys, oldest first; the last is the primary. */
    public List<SessionKey> keys() {
        return keys;
    }

    /** The serialized ring (see the class note). It holds key material: encrypt it, then wipe it. */
    byte[] toBytes() {
        var out = new ByteWriter(2 + keys.size() * (4 + 8 + SessionKey.KEY_BYTES));
        out.writeByte(FORMAT_VERSION);
        out.writeVarint(keys.size());
        for (var key : keys) {
            out.writeInt(key.id());
            out.writeLong(key.createdAt().toEpochMilli());
            out.writeBytes(key.keyBytes());
        }
        var bytes = out.toByteArray();
        out.wipe();
        return bytes;
    }

    /**
     * Reads what {@link #toBytes()} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a well-formed ring: another version, no keys, repeated
     *     ids, keys out of creation order, or trailing bytes
     */
    static KeyRing fromBytes(byte[] bytes) {
        var in = new ByteReader(bytes);
        if (in.readByte() != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown key ring format");
        }
        int count = in.readVarint(MAX_KEYS);
        var keys = new ArrayList<SessionKey>(count);
        for (int i = 0; i < count; i++) {
            int id = in.readInt();
            var createdAt = Instant.ofEpochMilli(in.readLong());
            keys.add(new SessionKey(id, createdAt, in.readBytes(SessionKey.KEY_BYTES)));
        }
        if (in.remaining() != 0) {
            throw new IllegalArgumentException("trailing bytes after the key ring");
        }
        return new KeyRing(keys);
    }

    /** A ring of exactly these keys, oldest first; for tests that need a chosen id or key. */
    static KeyRing of(List<SessionKey> keys) {
        return new KeyRing(keys);
    }

    private static SessionKey newKey(int id, Instant now, SecureRandom random) {
        var material = new byte[SessionKey.KEY_BYTES];
        random.nextBytes(material);
        return new SessionKey(id, now, material);
    }

    @Override
    public String toString() {
        return "KeyRing[primary=" + Integer.toUnsignedString(primary().id()) + ", keys=" + keys + "]";
    }
}
