package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.StoredKeyRing;
import org.opensts.token.MasterKey;

/**
 * The keys that sign web identity tokens (GetWebIdentityToken), as every node of a deployment shares them: one RSA-2048
 * key for RS256 and one P-384 key for ES384 in use at a time, kept in the identity store as one set encrypted with the
 * master key, like the session key ring ({@link SharedKeyRing}).
 *
 * <p>Rotation replaces both signing keys every {@link #ROTATION_PERIOD} by compare-and-set on the stored set, so when
 * several nodes rotate at once one wins and the others adopt its set. A successor is published
 * {@link #PUBLICATION_LEAD} before it signs, so that verifiers which cache the key set (for its {@code max-age}, or
 * between refetches) know its {@code kid} before the first token names it; every node computes the moment it takes
 * over from the stored set and its own clock, so all switch together. A replaced key signs nothing more but its public
 * half stays published for {@link #RETIRED_KEY_RETENTION} — the longest token life and the clock skew a verifier may
 * allow — so every token it signed verifies until it has expired. Each key's {@code kid} is its RFC 7638 thumbprint.
 * A rotation asked for by hand ({@link #rotate}, after a suspected compromise) switches at once.
 *
 * <p>One set serves every account: a token names its account's issuer in {@code iss}, which verifiers check, so a
 * token of one account is no token of another even though the keys are the same.
 */
public final class WebIdentitySigningKeys {
    /** How long a key signs new tokens before a new one takes over. */
    public static final Duration ROTATION_PERIOD = Duration.ofHours(24);
    /** How long a successor is published before it signs: longer than verifiers commonly cache a key set. */
    public static final Duration PUBLICATION_LEAD = Duration.ofHours(1);
    /** The longest token life (GetWebIdentityToken's DurationSeconds maximum) and five minutes of clock skew. */
    public static final Duration RETIRED_KEY_RETENTION = Duration.ofSeconds(3600).plus(Duration.ofMinutes(5));
    /** What the stored set is bound to, so that no other secret of the store can be swapped in for it. */
    private static final byte[] ASSOCIATED_DATA = "opensts:jwt-signing-keys:v1".getBytes(UTF_8);
    /** The algorithms GetWebIdentityToken signs with, in the order the discovery document lists them. */
    public static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES384);

    private final IdentityStore store;
    private final MasterKey masterKey;
    private final Clock clock;
    private final SecureRandom random;
    private volatile Loaded current;

    /** One key of the set: the private JWK, when it started signing, and when it stopped (empty: still signing). */
    record SigningKey(JWK jwk, Instant createdAt, Optional<Instant> retiredAt) {
        JWSAlgorithm algorithm() {
            return JWSAlgorithm.parse(jwk.getAlgorithm().getName());
        }
    }

    private record Loaded(List<SigningKey> keys, long version, JWKSet publicKeys) {
    }

    private WebIdentitySigningKeys(IdentityStore store, MasterKey masterKey, Clock clock, SecureRandom random) {
        this.store = store;
        this.masterKey = masterKey;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Loads the stored set, creating and storing one if there is none yet, and rotates it if it is due.
     *
     * @throws IllegalStateException if the stored set does not open with this master key
     */
    public static WebIdentitySigningKeys open(IdentityStore store, MasterKey masterKey, Clock clock,
            SecureRandom random) {
        var keys = new WebIdentitySigningKeys(store, masterKey, clock, random);
        keys.reload();
        if (keys.current == null) {
            store.replaceSigningKeys(keys.wrap(keys.rotated(List.of(), /* replaceAll= */ true)), 0);
            keys.reload();
        }
        keys.rotateIfDue();
        return keys;
    }

    /** The key that signs new tokens with {@code algorithm}, one of {@link #ALGORITHMS}. */
    JWK signingKey(JWSAlgorithm algorithm) {
        List<SigningKey> live = live(current.keys(), algorithm);
        if (live.isEmpty()) {
            throw new IllegalStateException("No signing key for " + algorithm);
        }
        return signing(live, clock.instant()).jwk();
    }

    /** The keys of {@code algorithm} not retired, oldest first. */
    private static List<SigningKey> live(List<SigningKey> keys, JWSAlgorithm algorithm) {
        var live = new ArrayList<SigningKey>();
        for (SigningKey key : keys) {
            if (key.retiredAt().isEmpty() && key.algorithm().equals(algorithm)) {
                live.add(key);
            }
        }
        live.sort(Comparator.comparing(SigningKey::createdAt));
        return live;
    }

    /**
     * Of the live keys of one algorithm (oldest first, at least one), the one that signs at {@code now}: the newest
     * published for {@link #PUBLICATION_LEAD}, or, when none has been (a new set, or one rotated by hand), the oldest.
     */
    private static SigningKey signing(List<SigningKey> live, Instant now) {
        for (int i = live.size() - 1; i >= 0; i--) {
            if (!live.get(i).createdAt().plus(PUBLICATION_LEAD).isAfter(now)) {
                return live.get(i);
            }
        }
        return live.get(0);
    }

    /** The public halves of the keys in use and of the retired keys still kept, as a JWK set. */
    public JWKSet publicKeys() {
        return current.publicKeys();
    }

    /** The age of the newest key that signs, for metrics. */
    public Duration signingKeyAge() {
        Instant now = clock.instant();
        Instant newest = Instant.MIN;
        for (JWSAlgorithm algorithm : ALGORITHMS) {
            List<SigningKey> live = live(current.keys(), algorithm);
            if (!live.isEmpty() && signing(live, now).createdAt().isAfter(newest)) {
                newest = signing(live, now).createdAt();
            }
        }
        return newest.equals(Instant.MIN) ? Duration.ZERO : Duration.between(newest, now);
    }

    /**
     * Rotates if a signing key has signed for {@link #ROTATION_PERIOD} and has no successor yet, a successor has taken
     * over from a key not yet retired, or a retired key is due to be dropped.
     */
    public void rotateIfDue() {
        if (isDue(current.keys(), clock.instant())) {
            replace(/* replaceAll= */ false);
        }
    }

    private static boolean isDue(List<SigningKey> keys, Instant now) {
        for (SigningKey key : keys) {
            if (key.retiredAt().isPresent() && !key.retiredAt().get().plus(RETIRED_KEY_RETENTION).isAfter(now)) {
                return true;
            }
        }
        for (JWSAlgorithm algorithm : ALGORITHMS) {
            List<SigningKey> live = live(keys, algorithm);
            if (live.isEmpty()) {
                return true;
            }
            SigningKey signing = signing(live, now);
            int at = live.indexOf(signing);
            boolean succeeded = at < live.size() - 1;
            if (at > 0 || !succeeded && !signing.createdAt().plus(ROTATION_PERIOD).isAfter(now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rotates now: new keys sign, the old ones are retired and published until their tokens have expired, keys retired
     * longer ago than {@link #RETIRED_KEY_RETENTION} are dropped. If another node replaced the set first, this node
     * adopts that set instead.
     */
    public void rotate() {
        replace(/* replaceAll= */ true);
    }

    private void replace(boolean replaceAll) {
        Loaded loaded = current;
        store.replaceSigningKeys(wrap(rotated(loaded.keys(), replaceAll)), loaded.version());
        // Whether we won or another node did, the store now holds the set to use.
        reload();
    }

    /**
     * Reads the set from the store; called at start, after rotation, and when another node reports a change.
     *
     * @throws IllegalStateException if the stored set does not open with this master key
     */
    public synchronized void reload() {
        Optional<StoredKeyRing> stored = store.loadSigningKeys();
        if (stored.isEmpty() || current != null && current.version() == stored.get().version()) {
            return;
        }
        List<SigningKey> keys = unwrap(stored.get().wrapped());
        var publicKeys = new ArrayList<JWK>();
        keys.forEach(key -> publicKeys.add(key.jwk().toPublicJWK()));
        current = new Loaded(keys, stored.get().version(), new JWKSet(publicKeys));
    }

    /**
     * {@code keys} with expired retirees dropped, and per algorithm: the keys a successor has taken over from retired,
     * a successor published for the signing key that has signed for {@link #ROTATION_PERIOD}; or, if
     * {@code replaceAll}, every live key retired and a new one signing at once.
     */
    private List<SigningKey> rotated(List<SigningKey> keys, boolean replaceAll) {
        Instant now = clock.instant();
        var next = new ArrayList<SigningKey>();
        for (SigningKey key : keys) {
            if (key.retiredAt().isPresent() && key.retiredAt().get().plus(RETIRED_KEY_RETENTION).isAfter(now)) {
                next.add(key);
            }
        }
        for (JWSAlgorithm algorithm : ALGORITHMS) {
            List<SigningKey> live = live(keys, algorithm);
            int signingAt = live.isEmpty() || replaceAll ? live.size() : live.indexOf(signing(live, now));
            for (int i = 0; i < live.size(); i++) {
                SigningKey key = live.get(i);
                next.add(i < signingAt ? new SigningKey(key.jwk(), key.createdAt(), Optional.of(now)) : key);
            }
            boolean hasSuccessor = signingAt < live.size() - 1;
            if (signingAt == live.size()
                    || !hasSuccessor && !live.get(signingAt).createdAt().plus(ROTATION_PERIOD).isAfter(now)) {
                next.add(new SigningKey(generate(algorithm), now, Optional.empty()));
            }
        }
        return next;
    }

    private JWK generate(JWSAlgorithm algorithm) {
        try {
            return JWSAlgorithm.RS256.equals(algorithm)
                    ? new RSAKeyGenerator(2048).secureRandom(random).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                            .keyIDFromThumbprint(true).generate()
                    : new ECKeyGenerator(Curve.P_384).secureRandom(random).keyUse(KeyUse.SIGNATURE)
                            .algorithm(algorithm).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate a " + algorithm + " signing key", e);
        }
    }

    private byte[] wrap(List<SigningKey> keys) {
        var entries = new ArrayList<Object>();
        for (SigningKey key : keys) {
            var entry = new LinkedHashMap<String, Object>();
            entry.put("jwk", key.jwk().toJSONObject());
            entry.put("createdAt", key.createdAt().getEpochSecond());
            key.retiredAt().ifPresent(at -> entry.put("retiredAt", at.getEpochSecond()));
            entries.add(entry);
        }
        byte[] plaintext = JSONObjectUtils.toJSONString(Map.of("keys", entries)).getBytes(UTF_8);
        try {
            return masterKey.encrypt(plaintext, ASSOCIATED_DATA);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot wrap the web identity token signing keys", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private List<SigningKey> unwrap(byte[] wrapped) {
        byte[] plaintext;
        try {
            plaintext = masterKey.decrypt(wrapped, ASSOCIATED_DATA);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "The stored web identity token signing keys do not open with this master key", e);
        }
        try {
            var keys = new ArrayList<SigningKey>();
            for (Object entry : JSONObjectUtils.getJSONArray(
                    JSONObjectUtils.parse(new String(plaintext, UTF_8)), "keys")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) entry;
                Optional<Instant> retiredAt = object.containsKey("retiredAt")
                        ? Optional.of(Instant.ofEpochSecond(JSONObjectUtils.getLong(object, "retiredAt")))
                        : Optional.empty();
                keys.add(new SigningKey(JWK.parse(JSONObjectUtils.getJSONObject(object, "jwk")),
                        Instant.ofEpochSecond(JSONObjectUtils.getLong(object, "createdAt")), retiredAt));
            }
            return List.copyOf(keys);
        } catch (ParseException | RuntimeException e) {
            throw new IllegalStateException("The stored web identity token signing keys are malformed", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "WebIdentitySigningKeys[" + current.keys().size() + " keys, redacted]";
    }
}
