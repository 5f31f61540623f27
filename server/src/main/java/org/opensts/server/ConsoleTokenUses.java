package org.opensts.server;

import java.time.Instant;

/**
 * Where the console's single-use tokens are marked used: the store's table on a node, shared by every node of the
 * store, so that a sign-in token or handoff is redeemed once across them all.
 */
@FunctionalInterface
interface ConsoleTokenUses {
    /**
     * Records a use of the token with {@code tokenId}, which is refused anyway after {@code expiresAt}.
     *
     * @return whether this is its first use, on any node
     */
    boolean firstUse(String tokenId, Instant expiresAt);
}
