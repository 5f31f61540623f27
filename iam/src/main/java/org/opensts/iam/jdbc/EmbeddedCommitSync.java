package org.opensts.iam.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes the embedded store's committed writes durable before they are acknowledged. H2 writes each commit to its file
 * ({@code WRITE_DELAY=0}) but leaves it in the kernel's page cache: a power cut or a kernel crash would lose changes
 * answered seconds before — a user the audit log says was created, a key whose secret was handed out. So after a
 * write commits, {@code CHECKPOINT SYNC} forces the file to the disk before the call is answered.
 *
 * <p>Writers that commit while a sync is under way share the next one (group commit): a write waits for the first
 * sync that began after its commit, at most one sync runs at a time, and one sync covers every commit made before
 * it began. So concurrent writes cost about one fsync each round, not one each. PostgreSQL needs none of this: its own
 * commit is durable ({@code synchronous_commit}, on by default).
 */
final class EmbeddedCommitSync {
    private final ReentrantLock syncing = new ReentrantLock();
    /** The number of commits that asked for a sync, guarded by {@code this}. */
    private long requested;
    /** Every commit numbered up to this one is on the disk; written with {@link #syncing} held. */
    private volatile long synced;

    /**
     * Called right after {@code connection} committed a write: returns once that commit is on the disk.
     *
     * @throws SQLException if the sync failed (the commit stands, but is not known to be on the disk)
     */
    void afterCommit(Connection connection) throws SQLException {
        long mine;
        synchronized (this) {
            mine = ++requested;
        }
        syncing.lock();
        try {
            if (synced >= mine) {
                return; // a sync that began after this commit has finished meanwhile
            }
            long upTo;
            synchronized (this) {
                upTo = requested;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
            synced = upTo;
        } finally {
            syncing.unlock();
        }
    }
}
