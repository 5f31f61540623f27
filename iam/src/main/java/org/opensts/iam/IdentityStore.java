package org.opensts.iam;

import java.util.Optional;
import java.util.function.Function;

/**
 * The identity store: every account, user, key, role and policy, and the wrapped session-token key ring.
 *
 * <p>Reads may be served from a cache. {@link #write} runs its work in one transaction and returns only once it has
 * committed, so an acknowledged change survives a crash.
 */
public interface IdentityStore extends IdentityReader, AutoCloseable {
    /**
     * Runs {@code transaction} against one transaction, commits, and returns its result; rolls back if it throws.
     */
    <T> T write(Function<IdentityWriter, T> transaction);

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

    @Override
    void close();
}
