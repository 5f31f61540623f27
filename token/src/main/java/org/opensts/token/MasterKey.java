package org.opensts.token;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.Configuration;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig2026;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The key that encrypts secrets at rest: the {@link KeyRing}, long-term secret access keys, MFA seeds. It is a Tink
 * AEAD keyset (AES-256-GCM), so the master key itself can later be rotated by adding a key to the keyset: ciphertexts
 * name the keyset key that made them.
 *
 * <p>The keyset is kept as Tink's JSON keyset, in clear text; the embedded setup keeps it in a file only its owner may
 * read (mode 600). Reading and writing that file is the caller's job: this type takes and gives strings.
 *
 * <p>Every ciphertext is bound to associated data that names what it holds, so that one secret cannot be swapped for
 * another in the store: the key ring uses {@code "opensts:key-ring:v1"}; callers of {@link #encrypt} choose their own
 * (for instance {@code "opensts:secret-access-key:" + accessKeyId}).
 *
 * <p>Tink is told which algorithms it may use by passing its AEAD configuration to each call, rather than by
 * registering them in its process-wide registry: the result then does not depend on what else the process has
 * registered, and this pure core changes no global state.
 */
public final class MasterKey {
    private static final byte[] KEY_RING_ASSOCIATED_DATA = "opensts:key-ring:v1".getBytes(UTF_8);
    private static final Configuration AEAD_CONFIGURATION = AeadConfig2026.get();

    private final Aead aead;

    private MasterKey(Aead aead) {
        this.aead = aead;
    }

    /** A new keyset with one AES-256-GCM key, as Tink's JSON keyset format. The result is key material. */
    public static String generateKeysetJson() throws GeneralSecurityException {
        var handle = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, AEAD_CONFIGURATION);
        return TinkJsonProtoKeysetFormat.serializeKeyset(handle, AEAD_CONFIGURATION, InsecureSecretKeyAccess.get());
    }

    /**
     * The master key held by a JSON keyset.
     *
     * @throws GeneralSecurityException if the text is not a Tink JSON keyset of AEAD keys
     */
    public static MasterKey fromKeysetJson(String keysetJson) throws GeneralSecurityException {
        var handle = TinkJsonProtoKeysetFormat.parseKeyset(requireNonNull(keysetJson, "keysetJson"),
                AEAD_CONFIGURATION, InsecureSecretKeyAccess.get());
        return new MasterKey(handle.getPrimitive(AEAD_CONFIGURATION, Aead.class));
    }

    /** The key ring, encrypted for storage. */
    public byte[] wrap(KeyRing ring) throws GeneralSecurityException {
        var plaintext = ring.toBytes();
        try {
            return aead.encrypt(plaintext, KEY_RING_ASSOCIATED_DATA);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The key ring that {@link #wrap} encrypted.
     *
     * @throws GeneralSecurityException if {@code wrapped} was not made by this master key for a key ring, was changed,
     *     or does not hold a well-formed ring
     */
    public KeyRing unwrap(byte[] wrapped) throws GeneralSecurityException {
        var plaintext = aead.decrypt(requireNonNull(wrapped, "wrapped"), KEY_RING_ASSOCIATED_DATA);
        try {
            return KeyRing.fromBytes(plaintext);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("malformed key ring", e);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Encrypts a secret for storage, bound to {@code associatedData} (which is not secret and not stored: the caller
     * supplies the same bytes to {@link #decrypt}).
     */
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
        return aead.encrypt(requireNonNull(plaintext, "plaintext"), requireNonNull(associatedData, "associatedData"));
    }

    /**
     * Decrypts what {@link #encrypt} made with the same associated data.
     *
     * @throws GeneralSecurityException if the ciphertext was changed, made by another key or bound to other data
     */
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return aead.decrypt(requireNonNull(ciphertext, "ciphertext"), requireNonNull(associatedData, "associatedData"));
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
