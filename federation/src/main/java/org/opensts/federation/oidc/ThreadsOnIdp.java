package org.opensts.federation.oidc;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;

/**
 * How many request threads may be on identity providers at once, for one account's providers and for all: fetching
 * keys ({@code fetches}), or waiting for a fetch under way ({@code waits}). The two are counted apart, so that callers
 * waiting on a provider that never answers cannot stop another provider from being asked at all, and many callers of a
 * healthy provider seen for the first time can wait the few milliseconds its fetch takes.
 *
 * <p>Every thread here waits on a provider's server and lends its place in the node's call threads meanwhile (the
 * node has 256 spares for all its waits), so the node-wide bounds stay well under that.
 *
 * @param fetchesPerAccount fetches of one account's providers at once
 * @param fetches fetches at once in all
 * @param waitsPerAccount callers of one account's providers waiting on a fetch at once
 * @param waits callers waiting on a fetch at once in all
 */
record ThreadsOnIdp(int fetchesPerAccount, int fetches, int waitsPerAccount, int waits) {
    /**
     * Two fetches per account, 32 in all, and for an account holding none one more when others hold the 32 (sixteen
     * accounts, each with two providers that never answer, do). Thirty-two waiting callers per account, 128 in all: one
     * account's callers cannot fill them, four can.
     */
    static final ThreadsOnIdp DEFAULTS = new ThreadsOnIdp(2, 32, 32, 128);

    ThreadsOnIdp {
        if (fetchesPerAccount < 1 || fetches < fetchesPerAccount || waitsPerAccount < 0 || waits < waitsPerAccount) {
            throw new IllegalArgumentException("need 1 <= fetchesPerAccount <= fetches and 0 <= waitsPerAccount <= "
                    + "waits: " + this);
        }
    }

    /**
     * Permits of one kind, by account and for the node; taken without waiting. With {@code oneBeyondTheNodes}, an
     * account that holds none may take one even when the node's are all held: accounts that keep the node's busy
     * (sixteen of them, each with providers that never answer) cannot stop another account's provider from being
     * asked at all. Threads on it are then bounded by the node's permits plus one per account with a fetch due.
     */
    static final class Permits {
        private final int perAccount;
        private final boolean oneBeyondTheNodes;
        private final Semaphore node;
        /** By account id: grows with the accounts that registered providers. */
        private final ConcurrentMap<String, Semaphore> byAccount = new ConcurrentHashMap<>();

        Permits(int perAccount, int inAll, boolean oneBeyondTheNodes) {
            this.perAccount = perAccount;
            this.oneBeyondTheNodes = oneBeyondTheNodes;
            this.node = new Semaphore(inAll);
        }

        /** One of the account's, and one of the node's unless the account's first is taken beyond them; or null. */
        Permit tryTake(String accountId) {
            Semaphore account = byAccount.computeIfAbsent(accountId, id -> new Semaphore(perAccount));
            if (!account.tryAcquire()) {
                return null;
            }
            if (node.tryAcquire()) {
                return new Permit(account, node);
            }
            // The account held none before this one (another of its threads taking one meanwhile makes this look
            // otherwise, which only refuses it).
            if (oneBeyondTheNodes && account.availablePermits() == perAccount - 1) {
                return new Permit(account, null);
            }
            account.release();
            return null;
        }
    }

    /** A taken permit: the account's, and the node's when one was free (null when taken beyond them). */
    record Permit(Semaphore account, Semaphore node) {
        void release() {
            if (node != null) {
                node.release();
            }
            account.release();
        }
    }
}
