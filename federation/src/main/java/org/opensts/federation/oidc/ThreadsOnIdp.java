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
     * Two fetches per account, 32 in all: a fetch that hangs ends within 5 s and its failure is remembered for 30 s, so
     * the 32 stay busy only with some two hundred providers that never answer, in sixteen accounts at least. Thirty-two
     * waiting callers per account, 128 in all: one account's callers cannot fill them.
     */
    static final ThreadsOnIdp DEFAULTS = new ThreadsOnIdp(2, 32, 32, 128);

    ThreadsOnIdp {
        if (fetchesPerAccount < 1 || fetches < fetchesPerAccount || waitsPerAccount < 0 || waits < waitsPerAccount) {
            throw new IllegalArgumentException("need 1 <= fetchesPerAccount <= fetches and 0 <= waitsPerAccount <= "
                    + "waits: " + this);
        }
    }

    /** Permits of one kind, by account and for the node; taken without waiting. */
    static final class Permits {
        private final int perAccount;
        private final Semaphore node;
        /** By account id: grows with the accounts that registered providers. */
        private final ConcurrentMap<String, Semaphore> byAccount = new ConcurrentHashMap<>();

        Permits(int perAccount, int inAll) {
            this.perAccount = perAccount;
            this.node = new Semaphore(inAll);
        }

        /** Takes one of the account's and one of the node's, or neither. */
        boolean tryTake(String accountId) {
            Semaphore account = byAccount.computeIfAbsent(accountId, id -> new Semaphore(perAccount));
            if (!account.tryAcquire()) {
                return false;
            }
            if (!node.tryAcquire()) {
                account.release();
                return false;
            }
            return true;
        }

        void release(String accountId) {
            node.release();
            byAccount.get(accountId).release();
        }
    }
}
