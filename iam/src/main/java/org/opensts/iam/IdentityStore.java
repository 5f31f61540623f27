package org.opensts.iam;

import java.util.Optional;
import java.util.function.Function;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * The identity store: every account, user, key, role and policy, and the wrapped session-token key ring.
 *
 * <p>Reads may be served from a cache. {@link #write} runs its work in one transaction and returns only once it has
 * committed, so an acknowledged change survives a crash.
 */
public interface IdentityStore extends IdentityReader, AutoCloseable {
    /**
     * Runs {@code transaction} against one transaction, commits, and returns its result; rolls back if it throws.
     * Every entity the transaction finds stays as it found it until it commits: a concurrent write of the same entity
     * waits for it, so a read-modify-write never undoes another.
     *
     * @throws ApiException {@code ConcurrentModification} if a concurrent write held an entity
     *     this one needed for too long, or the two waited for each other; nothing was changed
     */
    <T> T write(Function<IdentityWriter, T> transaction);

    /**
     * IAM's answer to a write that lost to a concurrent one, in AWS's words (the {@code ConcurrentModification} error
     * of the IAM API Reference's write actions); SDKs retry it.
     */
    static ApiException concurrentModification() {
        return new ApiException(ErrorCode.CONCURRENT_MODIFICATION, "The request was rejected because multiple "
                + "requests to change this object were submitted simultaneously. Wait a few minutes and submit your "
                + "request again.");
    }

    /**
     * Writes usage records — when access keys and roles were last used — in one transaction. No cache holds them, so
     * unlike {@link #write} this neither drops caches nor tells other nodes of a change: a busy deployment records
     * uses every few seconds, and each announcement would empty every node's caches.
     */
    default <T> T recordUse(Function<IdentityWriter, T> transaction) {
        return write(transaction);
    }

    Optional<StoredKeyRing> loadKeyRing();

    /**
     * Stores a new wrapped key ring if the stored one still has {@code expectedVersion} (0: none stored yet).
     *
     * @return false if another node got there first; reload and try again
     */
    boolean replaceKeyRing(byte[] wrapped, long expectedVersion);

    /** The signing keys of web identity tokens, wrapped by the master key, as {@link #loadKeyRing} keeps its ring. */
    Optional<StoredKeyRing> loadSigningKeys();

    /**
     * Stores a new wrapped set of signing keys if the stored one still has {@code expectedVersion} (0: none yet).
     *
     * @return false if another node got there first; reload and try again
     */
    boolean replaceSigningKeys(byte[] wrapped, long expectedVersion);

    /** The account's outbound identity federation setting, if it ever enabled the feature. */
    Optional<OutboundFederation> findOutboundFederation(String accountId);

    /** The setting whose issuer id is {@code issuerId}, if any. */
    Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId);

    /**
     * Turns outbound identity federation on or off for an account in one transaction; turning it on the first time
     * gives the account {@code newIssuerId}, later times keep the issuer id it had.
     *
     * @return the setting now, or empty if it already was {@code enabled} (never enabled counts as off)
     */
    Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled, String newIssuerId);

    @Override
    void close();
}
