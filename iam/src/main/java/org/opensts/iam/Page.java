package org.opensts.iam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.protocol.ApiException;

/**
 * One page of an IAM list: the items, and the {@code Marker} to pass for the next page when the list is truncated.
 *
 * <p>IAM's markers are opaque. Ours encode the sort key of the first item of the next page, so a page stays correct
 * when entities are created or deleted between calls: nothing is returned twice and nothing present throughout is
 * skipped.
 */
public record Page<T>(List<T> items, Optional<String> marker) {
    public static final int DEFAULT_MAX_ITEMS = 100;

    public Page {
        items = List.copyOf(items);
        requireNonNull(marker, "marker");
    }

    public boolean isTruncated() {
        return marker.isPresent();
    }

    /**
     * Sorts {@code items} by {@code sortKey} in Java's order and cuts out one page: for lists held in memory. The
     * store pages users and roles in SQL ({@link #startKey}, {@link #ofFetched}) in the same order, since their name
     * keys sort bytewise there (migration V11).
     *
     * @param marker the marker of a previous page, if any
     * @param maxItems at most this many items (default 100)
     * @throws ApiException {@code InvalidInput} if the marker is not one of ours
     */
    public static <T> Page<T> of(List<T> items, Function<T, String> sortKey, Optional<String> marker,
            Optional<Integer> maxItems) {
        var sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(sortKey));
        int limit = maxItems.orElse(DEFAULT_MAX_ITEMS);
        int start = 0;
        if (marker.isPresent()) {
            String from = decode(marker.get());
            while (start < sorted.size() && sortKey.apply(sorted.get(start)).compareTo(from) < 0) {
                start++;
            }
        }
        int end = Math.min(sorted.size(), start + limit);
        Optional<String> next = end < sorted.size()
                ? Optional.of(encode(sortKey.apply(sorted.get(end))))
                : Optional.empty();
        return new Page<>(sorted.subList(start, end), next);
    }

    /** Where the page a marker asks for starts: the sort key of its first item; nothing for the first page. */
    public static Optional<String> startKey(Optional<String> marker) {
        return marker.map(Page::decode);
    }

    /**
     * One page out of {@code fetched}: the items from {@link #startKey} on, already sorted by {@code sortKey} (by the
     * store, which stops reading after {@code limit + 1} of them). The one past the page, if fetched, is where the
     * next page starts.
     */
    public static <T> Page<T> ofFetched(List<T> fetched, Function<T, String> sortKey, int limit) {
        if (fetched.size() <= limit) {
            return new Page<>(fetched, Optional.empty());
        }
        return new Page<>(fetched.subList(0, limit), Optional.of(encode(sortKey.apply(fetched.get(limit)))));
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(UTF_8));
    }

    /**
     * A marker that is not ours is a {@code ValidationError}, as in AWS's real responses. Ours decode to a sort key:
     * well-formed UTF-8 without control characters, which no name or path holds — and which a database may refuse to
     * compare (PostgreSQL refuses NUL in text), so such a key never reaches a query.
     */
    private static String decode(String marker) {
        String key;
        try {
            key = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Base64.getUrlDecoder().decode(marker)))
                    .toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw ApiException.validationError("Invalid Marker.");
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw ApiException.validationError("Invalid Marker.");
        }
        return key;
    }
}
