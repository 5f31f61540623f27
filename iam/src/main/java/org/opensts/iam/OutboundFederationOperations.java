package org.opensts.iam;

import java.security.SecureRandom;
import java.util.UUID;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * Outbound identity federation, the account-wide switch for GetWebIdentityToken (IAM API Reference,
 * EnableOutboundWebIdentityFederation, DisableOutboundWebIdentityFederation, GetOutboundWebIdentityFederationInfo).
 *
 * <p>Enabling it the first time gives the account a random issuer id, the last segment of its issuer URL; the id stays
 * when the feature is disabled and enabled again, so external services that trust the issuer need no change. Disabling
 * stops new tokens only: tokens issued before stay verifiable against the issuer's keys until they expire ("This
 * operation does not affect tokens that were issued before the feature was disabled").
 */
public final class OutboundFederationOperations {
    private final IdentityStore store;
    private final SecureRandom random;

    OutboundFederationOperations(IdentityStore store, SecureRandom random) {
        this.store = store;
        this.random = random;
    }

    /**
     * EnableOutboundWebIdentityFederation.
     *
     * @throws ApiException {@code FeatureEnabled} (409) if it is enabled already
     */
    public OutboundFederation enable(String accountId) {
        IamChecks.requireAccount(store, accountId);
        return store.switchOutboundFederation(accountId, /* enabled= */ true, newIssuerId())
                .orElseThrow(() -> new ApiException(ErrorCode.FEATURE_ENABLED,
                        "Outbound identity federation is already enabled for this account. Use "
                                + "GetOutboundWebIdentityFederationInfo to fetch the issuer URL."));
    }

    /**
     * DisableOutboundWebIdentityFederation.
     *
     * @throws ApiException {@code FeatureDisabled} (404) if it is not enabled
     */
    public OutboundFederation disable(String accountId) {
        IamChecks.requireAccount(store, accountId);
        return store.switchOutboundFederation(accountId, /* enabled= */ false, newIssuerId())
                .orElseThrow(OutboundFederationOperations::disabled);
    }

    /**
     * GetOutboundWebIdentityFederationInfo: the issuer id and whether the feature is on.
     *
     * @throws ApiException {@code FeatureDisabled} (404) if the account never enabled it, so it has no issuer
     */
    public OutboundFederation info(String accountId) {
        IamChecks.requireAccount(store, accountId);
        return store.findOutboundFederation(accountId).orElseThrow(OutboundFederationOperations::disabled);
    }

    private static ApiException disabled() {
        return new ApiException(ErrorCode.FEATURE_DISABLED,
                "Outbound identity federation is disabled for this account.");
    }

    private String newIssuerId() {
        return randomUuid(random);
    }

    /** A random (version 4) UUID from {@code random}, rather than from a generator of the JDK's own choosing. */
    public static String randomUuid(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) (bytes[6] & 0x0f | 0x40);
        bytes[8] = (byte) (bytes[8] & 0x3f | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (bytes[i] & 0xff);
            low = low << 8 | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }
}
