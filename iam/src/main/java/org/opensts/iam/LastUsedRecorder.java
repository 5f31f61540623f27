package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers, in memory, when each entity (a role, an access key) was last used, and writes what it gathered to the
 * store in one transaction when {@link #flush} is called — by a node's maintenance thread every few seconds.
 *
 * <p>Design note. "Last used" is recorded on the hot path (every AssumeRole, every signed request), where the store
 * must not be touched. So {@link #record} only merges the use into a concurrent map, keeping the latest use per entity;
 * the map holds at most one entry per entity that exists, however many calls there were. {@link #flush} drains the
 * map and writes each entity once. What a crash loses is at most one flush interval of last-use dates: they are
 * advisory, as on AWS. A flush that fails puts its entries back (unless a newer use arrived meanwhile), so the next
 * flush tries again. Several nodes may flush the same entity; the store keeps the latest date, whichever node wrote
 * it last.
 *
 * @param <U> the use recorded: {@link RoleLastUsed} or {@link AccessKeyLastUsed}
 */
public final class LastUsedRecorder<U> {
    /** Writes one entity's latest use, inside the flush's transaction. */
    @FunctionalInterface
    public interface Sink<U> {
        void write(IdentityWriter writer, String entityId, U use);
    }

    private final ConcurrentHashMap<String, U> pending = new ConcurrentHashMap<>();
    private final Function<U, Instant> usedAt;
    private final Sink<U> sink;

    private LastUsedRecorder(Function<U, Instant> usedAt, Sink<U> sink) {
        this.usedAt = requireNonNull(usedAt, "usedAt");
        this.sink = requireNonNull(sink, "sink");
    }

    /** Records role uses by role id ({@code AROA…}), written with {@link IdentityWriter#recordRoleUse}. */
    public static LastUsedRecorder<RoleLastUsed> forRoles() {
        return new LastUsedRecorder<>(RoleLastUsed::lastUsedDate, IdentityWriter::recordRoleUse);
    }

    /** Records access key uses by access key id, written with {@link IdentityWriter#recordAccessKeyUse}. */
    public static LastUsedRecorder<AccessKeyLastUsed> forAccessKeys() {
        return new LastUsedRecorder<>(AccessKeyLastUsed::lastUsedDate, IdentityWriter::recordAccessKeyUse);
    }

    /** Notes a use of an entity; of two uses of one entity the later one is kept. Never touches the store. */
    public void record(String entityId, U use) {
        requireNonNull(entityId, "entityId");
        requireNonNull(use, "use");
        pending.merge(entityId, use, this::later);
    }

    private U later(U held, U offered) {
        return usedAt.apply(offered).isBefore(usedAt.apply(held)) ? held : offered;
    }

    /** The entities whose latest use has not been written yet. */
    public int pendingCount() {
        return pending.size();
    }

    /**
     * Writes every use recorded since the last flush to {@code store} in one transaction.
     *
     * @return how many entities' uses were written
     * @throws RuntimeException as the store does; the uses are then kept for the next flush
     */
    public int flush(IdentityStore store) {
        if (pending.isEmpty()) {
            return 0;
        }
        Map<String, U> batch = new HashMap<>();
        for (String entityId : pending.keySet()) {
            U use = pending.remove(entityId);
            if (use != null) {
                batch.put(entityId, use);
            }
        }
        try {
            store.recordUse(writer -> {
                batch.forEach((entityId, use) -> sink.write(writer, entityId, use));
                return null;
            });
        } catch (RuntimeException e) {
            batch.forEach(this::record);
            throw e;
        }
        return batch.size();
    }
}
