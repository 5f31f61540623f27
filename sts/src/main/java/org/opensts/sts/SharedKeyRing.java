package org.opensts.sts;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.StoredKeyRing;
import org.opensts.token.AuthorizationMessageCodec;
import org.opensts.token.KeyRing;
import org.opensts.token.MasterKey;
import org.opensts.token.SessionTokenCodec;
import org.opensts.verifier.SessionKeys;

/**
 * The session-token key ring as every node of a deployment shares it: kept in the identity store, wrapped by the
 * master key, and held here as a ready {@link SessionTokenCodec}.
 *
 * <p>Rotation is a compare-and-set on the stored ring, so when several nodes rotate at once exactly one wins and the
 * others adopt its ring. A node that meets a token sealed with a key it does not know yet (another node rotated a
 * moment ago) reloads the ring, at most once per {@link #RELOAD_INTERVAL}, so a flood of forged key ids cannot turn
 * into a flood of store reads. Where the store announces changes (PostgreSQL), a node also reloads as soon as another
 * node replaced the ring, so it seals new tokens with the new primary key within moments.
 */
public final class SharedKeyRing implements SessionKeys {
    /**
     * How long a key seals new tokens before a new one takes over. Each token is sealed with AES-GCM under a random
     * 96-bit nonce, and NIST SP 800-38D, section 8.3, allows one key 2^32 such encryptions: 6 hours keep two nodes
     * minting 25,000 sessions a second each near 2^30, a quarter of the bound (a day would reach it).
     */
    public static final Duration ROTATION_PERIOD = Duration.ofHours(6);
    /** Old keys stay for the longest session (36 h), the clock skew and one rotation period. */
    public static final Duration RETENTION = Duration.ofHours(36).plus(Duration.ofMinutes(15)).plus(ROTATION_PERIOD);
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
    /** Tokens are valid in every region of the partition, as AWS's v2 tokens are. */
    static final String TOKEN_SCOPE = "aws";

    private final IdentityStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final SecureRandom random;
    private volatile Loaded current;
    private final AtomicReference<Instant> lastReload = new AtomicReference<>(Instant.MIN);
    /** Held by the one reload under way; see {@link #reloadFor} for why a call does not queue on it. */
    private final ReentrantLock reloading = new ReentrantLock();

    private record Loaded(KeyRing ring, long version, SessionTokenCodec codec, AuthorizationMessageCodec messageCodec) {
    }

    private SharedKeyRing(IdentityStore store, MasterKey masterKey, Clock clock, SecureRandom random) {
        this.store = store;
        this.masterKey = masterKey;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads the stored ring, creating and storing one if there is none yet, and rotates it if it is due.
     *
     * @throws IllegalStateException if the stored ring does not open with this master key
     */
    public static SharedKeyRing open(IdentityStore store, MasterKey masterKey, Clock clock, SecureRandom random) {
        var keyRing = new SharedKeyRing(store, masterKey, clock, random);
        keyRing.reload();
        if (keyRing.current == null) {
            store.replaceKeyRing(keyRing.wrap(KeyRing.generate(clock.instant(), random)), 0);
            keyRing.reload();
        }
        keyRing.rotateIfDue();
        return keyRing;
    }

    /** The codec for the current ring: seals with the primary key, opens with any key of the ring. */
    @Override
    public SessionTokenCodec codec() {
        return current.codec();
    }

    /**
     * The codec of encoded authorization messages for the current ring: the same keys as session tokens, kept apart
     * by the messages' own purpose label.
     */
    public AuthorizationMessageCodec messageCodec() {
        return current.messageCodec();
    }

    /** The age of the primary key, for metrics. */
    public Duration primaryKeyAge() {
        return Duration.between(current.ring().primary().createdAt(), clock.instant());
    }

    /** Rotates the stored ring if its primary key is older than {@link #ROTATION_PERIOD}. */
    public void rotateIfDue() {
        if (current.ring().needsRotation(clock.instant(), ROTATION_PERIOD)) {
            rotate();
        }
    }

    /**
     * Rotates the stored ring now, whatever the primary key's age: a new primary key seals new tokens, and the older
     * keys stay for {@link #RETENTION}, so tokens sealed before keep working. If another node replaced the ring first,
     * this node adopts that ring instead.
     */
    public void rotate() {
        Loaded loaded = current;
        KeyRing rotated = loaded.ring().rotate(clock.instant(), random, RETENTION);
        store.replaceKeyRing(wrap(rotated), loaded.version());
        // Whether we won or another node did, the store now holds the ring to use.
        reload();
    }

    /**
     * Reloads the ring if a token names a key we do not hold, at most once per {@link #RELOAD_INTERVAL}.
     *
     * <p>Called on a call's thread with a key id an unauthenticated client may choose, so it never waits for another
     * reload: only the call that claims the interval reloads, and only if no reload (the change feed's, a rotation's)
     * is under way, which brings the key anyway if the store has it. A call that queued behind a reload reading a
     * silent database would hold its thread for as long, and every call thread in turn could.
     *
     * @return whether the ring now holds {@code keyId}
     */
    @Override
    public boolean reloadFor(int keyId) {
        if (current.ring().key(keyId).isPresent()) {
            return true;
        }
        Instant now = clock.instant();
        Instant last = lastReload.get();
        if (Duration.between(last, now).compareTo(RELOAD_INTERVAL) < 0 || !lastReload.compareAndSet(last, now)
                || !reloading.tryLock()) {
            return false;
        }
        try {
            load();
        } finally {
            reloading.unlock();
        }
        return current.ring().key(keyId).isPresent();
    }

    /**
     * Reads the ring from the store; called at start, after rotation, and when another node reports a change. The
     * ring is unwrapped only if its version moved, so a change to anything else costs one small query.
     *
     * @throws IllegalStateException if the stored ring does not open with this master key
     * @throws RuntimeException as the store does, if it cannot be read; the ring held so far stays in use
     */
    public void reload() {
        reloading.lock();
        try {
            lastReload.set(clock.instant());
            load();
        } finally {
            reloading.unlock();
        }
    }

    /** The work of a reload, under {@link #reloading}. */
    private void load() {
        Optional<StoredKeyRing> stored = store.loadKeyRing();
        if (stored.isEmpty() || current != null && current.version() == stored.get().version()) {
            return;
        }
        KeyRing ring;
        try {
            ring = masterKey.unwrap(stored.get().wrapped());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The stored session key ring does not open with this master key", e);
        }
        current = new Loaded(ring, stored.get().version(), new SessionTokenCodec(ring, TOKEN_SCOPE),
                new AuthorizationMessageCodec(ring, TOKEN_SCOPE));
    }

    private byte[] wrap(KeyRing ring) {
        try {
            return masterKey.wrap(ring);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap the session key ring", e);
        }
    }
}
