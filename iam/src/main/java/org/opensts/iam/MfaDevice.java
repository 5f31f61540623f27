package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A virtual MFA device. Its serial number is its ARN ({@code arn:aws:iam::ACCOUNT:mfa/path/name}); its TOTP seed is
 * kept apart, sealed (see {@link IdentityReader#findMfaSeed}). Once enabled it belongs to one user.
 *
 * @param lastTimeStep the newest TOTP time step a code was accepted for: an older or equal step is a replay
 */
public record MfaDevice(String serialNumber, String accountId, String deviceName, String path, Optional<String> userId,
        Optional<Instant> enableDate, long lastTimeStep, Instant createDate, List<Tag> tags) {
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

    public MfaDevice enabledFor(String newUserId, Instant at, long acceptedTimeStep) {
        return new MfaDevice(serialNumber, accountId, deviceName, path, Optional.of(newUserId), Optional.of(at),
                acceptedTimeStep, createDate, tags);
    }

    public MfaDevice deactivated() {
        return new MfaDevice(serialNumber, accountId, deviceName, path, Optional.empty(), Optional.empty(),
                lastTimeStep, createDate, tags);
    }
}
