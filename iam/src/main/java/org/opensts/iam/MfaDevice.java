package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/**
 * A virtual MFA device. Its serial number is its ARN ({@code arn:aws:iam::ACCOUNT:mfa/path/name}); its TOTP seed is
 * kept apart, sealed (see {@link IdentityReader#findMfaSeed}). Once enabled it belongs to one user.
 *
 * @param lastTimeStep the newest TOTP time step a code was accepted for: an older or equal step is a replay. Steps are
 *     the device's own, the ones its codes are computed for.
 * @param stepOffset how many time steps the device's clock is ahead of ours (negative: behind), as ResyncMFADevice
 *     last measured it; 0 until then. A code is looked for around our current step plus this offset.
 */
public record MfaDevice(String serialNumber, String accountId, String deviceName, String path, Optional<String> userId,
        Optional<Instant> enableDate, long lastTimeStep, long stepOffset, Instant createDate, List<Tag> tags) {
    public MfaDevice {
        requireNonNull(serialNumber, "serialNumber");
        requireNonNull(accountId, "accountId");
        requireNonNull(deviceName, "deviceName");
        requireNonNull(path, "path");
        requireNonNull(userId, "userId");
        requireNonNull(enableDate, "enableDate");
        requireNonNull(createDate, "createDate");
        tags = List.copyOf(tags);
    }

    public boolean isEnabled() {
        return userId.isPresent();
    }

    /** Enabled for a user: the enabling codes were read on our clock, so the device starts with no offset. */
    public MfaDevice enabledFor(String newUserId, Instant at, long acceptedTimeStep) {
        return new MfaDevice(serialNumber, accountId, deviceName, path, Optional.of(newUserId), Optional.of(at),
                acceptedTimeStep, 0, createDate, tags);
    }

    public MfaDevice deactivated() {
        return new MfaDevice(serialNumber, accountId, deviceName, path, Optional.empty(), Optional.empty(),
                lastTimeStep, stepOffset, createDate, tags);
    }

    /**
     * This device's TOTP seed sealed for storage with {@code masterKey}, bound to the serial number: a ciphertext
     * moved to another device's row does not open there.
     */
    public byte[] sealSeed(Secret seed, MasterKey masterKey) throws GeneralSecurityException {
        byte[] plain = seed.revealBytes();
        try {
            return masterKey.encrypt(plain, seedContext(serialNumber));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The seed that {@link #sealSeed} sealed for the device {@code serialNumber} with the same master key. */
    public static Secret openSeed(String serialNumber, byte[] sealed, MasterKey masterKey)
            throws GeneralSecurityException {
        byte[] plain = masterKey.decrypt(sealed, seedContext(serialNumber));
        try {
            return Secret.copyOf(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] seedContext(String serialNumber) {
        return ("opensts MFA seed " + serialNumber).getBytes(UTF_8);
    }
}
