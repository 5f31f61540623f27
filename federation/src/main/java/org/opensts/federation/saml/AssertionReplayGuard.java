package org.opensts.federation.saml;

import java.time.Instant;

/**
 * Remembers which assertions were redeemed, across every node, until they expire: the same assertion ID for the same
 * role is accepted once.
 */
public interface AssertionReplayGuard {
    /**
     * Records a use and tells whether it is the first.
     *
     * @param assertionId the verified assertion's {@code ID}
     * @param roleArn the role it is redeemed for
     * @param expiresAt after this instant the assertion is refused as expired anyway, so the record may be forgotten
     * @return {@code true} the first time, {@code false} on every later call with the same id and role
     */
    boolean firstUse(String assertionId, String roleArn, Instant expiresAt);
}
