package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The condition keys of one request and their values, immutable once built.
 *
 * <p>Keys are case-insensitive, as in IAM ({@code aws:CurrentTime} is {@code AWS:currenttime}); values are
 * kept as given and compared as each condition operator says. A key may have several values
 * ({@code aws:TagKeys}); a key with no values behaves as an empty set (false for {@code ForAnyValue}, true
 * for {@code ForAllValues}) and is not reported missing. Keys are lower-cased once, when the context is
 * built, so a lookup during evaluation costs one hash probe.
 */
public final class RequestContext {
    private static final RequestContext EMPTY = new RequestContext(Map.of());

    private final Map<String, ContextValues> entries;

    private RequestContext(Map<String, ContextValues> entries) {
        this.entries = entries;
    }

    /** A context with no keys. */
    public static RequestContext empty() {
        return EMPTY;
    }

    /** Starts an empty context. */
    public static Builder builder() {
        return new Builder();
    }

    /** The values of {@code key} (any case), if the request has it. */
    public Optional<List<String>> values(String key) {
        ContextValues v = entries.get(lower(key));
        return v == null ? Optional.empty() : Optional.of(v.asList());
    }

    /** The type the caller gave {@code key}, if any. */
    public Optional<ContextKeyType> type(String key) {
        ContextValues v = entries.get(lower(key));
        return v == null ? Optional.empty() : v.type();
    }

    /** The keys, spelled as they were put. */
    public Set<String> keys() {
        var names = new LinkedHashSet<String>();
        for (ContextValues v : entries.values()) {
            names.add(v.name());
        }
        return Collections.unmodifiableSet(names);
    }

    /** The entry for a key that is already lower case, or null. */
    ContextValues lookup(String lowerCaseKey) {
        return entries.get(lowerCaseKey);
    }

    static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "RequestContext" + entries.values();
    }

    /** Collects keys; a later {@code put} of the same key (in any case) replaces the earlier one. */
    public static final class Builder {
        private final Map<String, ContextValues> explicit = new LinkedHashMap<>();
        private final Map<String, ContextValues> derived = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code key} to {@code values}. */
        public Builder put(String key, String... values) {
            return put(key, List.of(values));
        }

        /** Sets {@code key} to {@code values}. */
        public Builder put(String key, List<String> values) {
            return put(key, Optional.empty(), values);
        }

        /** Sets {@code key}, typed as the simulator's {@code ContextKeyType}, to {@code values}. */
        public Builder put(String key, ContextKeyType type, List<String> values) {
            return put(key, Optional.of(type), values);
        }

        private Builder put(String key, Optional<ContextKeyType> type, List<String> values) {
            requireNonNull(key, "key");
            var copy = new ArrayList<String>(values.size());
            for (String value : values) {
                // The message is built only on failure: this runs for every value of every request's context.
                copy.add(requireNonNull(value, () -> "value of " + key));
            }
            explicit.put(lower(key), new ContextValues(key, type, copy));
            return this;
        }

        /** Sets every key of {@code keys} to its single value. */
        public Builder putAll(Map<String, String> keys) {
            keys.forEach(this::put);
            return this;
        }

        /**
         * Adds the keys every request of {@code principal} carries ({@link RequestPrincipal#contextKeys()}).
         * A key also {@linkplain #put put} explicitly keeps the explicit value, whatever the order of calls.
         */
        public Builder principal(RequestPrincipal principal) {
            principal.contextKeys().forEach((key, value) ->
                    derived.put(lower(key), new ContextValues(key, Optional.empty(), List.of(value))));
            return this;
        }

        /** The context; the builder may be reused. */
        public RequestContext build() {
            var all = new HashMap<String, ContextValues>(derived);
            all.putAll(explicit);
            return all.isEmpty() ? EMPTY : new RequestContext(Map.copyOf(all));
        }
    }
}
