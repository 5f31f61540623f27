package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Secret;

/**
 * Verifies the MFA code an STS caller presents with {@code SerialNumber} and {@code TokenCode} (IAM User Guide, "Secure
 * API access with MFA"): the virtual MFA device must be enabled for the calling IAM user, and the code must be the
 * device's {@link Totp} code for the previous, the current or the next time step and newer than the last code the
 * device accepted. "Current" is our clock's step plus the offset ResyncMFADevice measured for the device (0 until
 * then): a window of one step either side absorbs the few seconds an authenticator app's clock drifts, a resync the
 * rest.
 *
 * <p>Verifying takes two steps. {@link #check} reads the device and its seed and compares the code; {@link #spend}
 * records the code's time step with the store's compare-and-set ({@link IdentityWriter#acceptMfaTimeStep}), which
 * succeeds once per step on every node that shares the store. A request refused between the two, by its trust policy
 * for instance, leaves the code unspent.
 *
 * <p>Every failure is {@code AccessDenied} with AWS's words; none says whether the device, the user or the code was
 * wrong beyond what AWS says, and no message holds the code.
 */
public final class TotpVerifier {
    /** The device does not exist, is not enabled, or is not the caller's; or the caller is not an IAM user. */
    public static final String UNABLE_TO_VALIDATE = "MultiFactorAuthentication failed, unable to validate MFA code.  "
            + "Please verify your MFA serial number is valid and associated with this user.";
    /** The code is wrong, too old, or was used before. */
    public static final String INVALID_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code.";
    /** How many steps before and after the device's current step a code may belong to. */
    static final int STEPS_EITHER_SIDE = 1;

    private final IdentityStore store;

    public TotpVerifier(IdentityStore store) {
        this.store = requireNonNull(store, "store");
    }

    /**
     * A code that checked out and is not spent yet.
     *
     * @param timeStep the time step the code belongs to
     * @param authenticatedAt when the code was checked: the session's {@code mfaAuthenticatedAt}
     */
    public record VerifiedCode(String serialNumber, long timeStep, Instant authenticatedAt) {
        public VerifiedCode {
            requireNonNull(serialNumber, "serialNumber");
            requireNonNull(authenticatedAt, "authenticatedAt");
        }
    }

    /**
     * Checks a code without spending it.
     *
     * @param userId the calling IAM user's id; empty when the caller is not an IAM user (a role session, a federated
     *     user), who can have no MFA device
     * @param at the time of the request
     * @throws ApiException {@code AccessDenied}: {@link #UNABLE_TO_VALIDATE} or {@link #INVALID_CODE}
     */
    public VerifiedCode check(Optional<String> userId, String serialNumber, String tokenCode, Instant at) {
        requireNonNull(userId, "userId");
        requireNonNull(serialNumber, "serialNumber");
        requireNonNull(tokenCode, "tokenCode");
        Optional<MfaDevice> device = userId.flatMap(id -> store.findMfaDevice(serialNumber)
                .filter(found -> found.userId().equals(Optional.of(id))));
        Optional<Secret> seed = device.flatMap(found -> store.findMfaSeed(serialNumber));
        if (device.isEmpty() || seed.isEmpty()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, UNABLE_TO_VALIDATE);
        }
        long current = Totp.timeStep(at) + device.get().stepOffset();
        long lastAccepted = device.get().lastTimeStep();
        // Every step of the window is compared, so the time taken does not tell which one matched. Should a code match
        // two steps, the older unspent one is taken: it spends the least.
        long found = Long.MIN_VALUE;
        for (long step = current + STEPS_EITHER_SIDE; step >= current - STEPS_EITHER_SIDE; step--) {
            if (Totp.matches(seed.get(), step, tokenCode) && step > lastAccepted) {
                found = step;
            }
        }
        if (found == Long.MIN_VALUE) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, INVALID_CODE);
        }
        return new VerifiedCode(serialNumber, found, at);
    }

    /**
     * Spends a checked code: its time step becomes the device's last accepted one, so neither it nor an older code
     * is accepted again, here or on another node.
     *
     * @throws ApiException {@code AccessDenied} ({@link #INVALID_CODE}) if a code of this or a later step was
     *     accepted since the check
     */
    public void spend(VerifiedCode code) {
        // A usage record: no cache holds a device's last accepted step (every check reads the store), so spending a
        // code need not empty every node's caches the way a change to an identity must.
        if (!store.recordUse(writer -> writer.acceptMfaTimeStep(code.serialNumber(), code.timeStep()))) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, INVALID_CODE);
        }
    }
}
