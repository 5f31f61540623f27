package org.opensts.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The audit events a node has written, read back newest first a page at a time for the console's activity view
 * ({@code POST /audit/events}, docs/console-api.md).
 */
interface AuditEventSource {
    /**
     * One page: the events that passed the filter, newest first, and where the next page starts if there may be more.
     * A page may hold fewer than asked for (even none) and still have a next token, when a call's scanning budget ran
     * out first.
     */
    record Page(List<ObjectNode> events, Optional<String> nextToken) {
        public Page {
            events = List.copyOf(events);
        }
    }

    /**
     * The newest events older than {@code nextToken}'s position (from the newest event when empty) that {@code filter}
     * accepts, at most {@code maxResults}.
     *
     * @throws IllegalArgumentException if {@code nextToken} is not one this source gave
     * @throws java.io.UncheckedIOException if the events cannot be read
     */
    default Page newestFirst(Predicate<ObjectNode> filter, int maxResults, Optional<String> nextToken) {
        return newestFirst(filter, maxResults, nextToken, Optional.empty());
    }

    /**
     * As {@link #newestFirst(Predicate, int, Optional)}, knowing that {@code filter} accepts no event older than
     * {@code since}, so that what holds only older events need not be read.
     */
    Page newestFirst(Predicate<ObjectNode> filter, int maxResults, Optional<String> nextToken, Optional<Instant> since);
}
