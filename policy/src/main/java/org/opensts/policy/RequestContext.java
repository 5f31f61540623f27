package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.HashMap;
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

    /**
     * The characters of every value, plus one per value: what a condition value may be compared with
     * ({@link EvaluationCost}).
     */
    public long characters() {
        long characters = 0;
        for (ContextValues v : entries.values()) {
            characters += charactersOf(v);
        }
        return characters;
    }

    /** The characters of the values of {@code lowerCaseKey}, plus one per value; 0 when the request lacks it. */
    long characters(String lowerCaseKey) {
        ContextValues v = entries.get(lowerCaseKey);
        return v == null ? 0 : charactersOf(v);
    }

    private static long charactersOf(ContextValues v) {
        long characters = 0;
        for (String value : v.asList()) {
            characters += value.length() + 1;
        }
        return characters;
    }

    /** How many values {@code lowerCaseKey} has; 0 when the request lacks it. */
    long valueCount(String lowerCaseKey) {
        ContextValues v = entries.get(lowerCaseKey);
        return v == null ? 0 : v.asList().size();
    }

    /** How many values the request's keys have in all. */
    long valueCount() {
        long count = 0;
        for (ContextValues v : entries.values()) {
            count += v.asList().size();
        }
        return count;
    }

    /** The entry for a key that is already lower case, or null. */
    ContextValues lookup(String lowerCaseKey) {
        return entries.get(lowerCaseKey);
    }

    /**
     * The key in lower case. The global keys every request carries are mostly mixed case ({@code aws:CurrentTime}):
     * they are looked up in a fixed table of their lower-case forms instead of being lower-cased again for each
     * request. Any other key is lower-cased as given; the table never grows.
     */
    static String lower(String key) {
        String known = WELL_KNOWN_LOWER.get(key);
        return known != null ? known : key.toLowerCase(Locale.ROOT);
    }

    private static final Map<String, String> WELL_KNOWN_LOWER = wellKnownLower(GlobalConditionKeys.CURRENT_TIME,
            GlobalConditionKeys.EPOCH_TIME, GlobalConditionKeys.FEDERATED_PROVIDER,
            GlobalConditionKeys.MULTI_FACTOR_AUTH_AGE, GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT,
            GlobalConditionKeys.PRINCIPAL_ACCOUNT, GlobalConditionKeys.PRINCIPAL_ARN,
            GlobalConditionKeys.PRINCIPAL_TYPE,
            GlobalConditionKeys.REQUESTED_REGION, GlobalConditionKeys.SECURE_TRANSPORT,
            GlobalConditionKeys.SOURCE_ACCOUNT, GlobalConditionKeys.SOURCE_ARN, GlobalConditionKeys.SOURCE_IDENTITY,
            GlobalConditionKeys.SOURCE_IP, GlobalConditionKeys.TAG_KEYS, GlobalConditionKeys.TOKEN_ISSUE_TIME,
            GlobalConditionKeys.USER_AGENT, GlobalConditionKeys.USERID, GlobalConditionKeys.USERNAME,
            GlobalConditionKeys.STS_EXTERNAL_ID, GlobalConditionKeys.STS_ROLE_SESSION_NAME,
            GlobalConditionKeys.STS_SOURCE_IDENTITY, GlobalConditionKeys.STS_TRANSITIVE_TAG_KEYS,
            GlobalConditionKeys.STS_DURATION_SECONDS);

    private static Map<String, String> wellKnownLower(String... keys) {
        var table = new HashMap<String, String>();
        for (String key : keys) {
            table.put(key, key.toLowerCase(Locale.ROOT));
        }
        return Map.copyOf(table);
    }

    @Override
    public String toString() {
        return "RequestContext" + entries.values();
    }

    /** Collects keys; a later {@code put} of the same key (in any case) replaces the earlier one. */
    public static final class Builder {
        // Keyed by the lower-case key. Plain hash maps: a built context's order of keys is unspecified anyway.
        private final Map<String, ContextValues> explicit = new HashMap<>();
        private final Map<String, ContextValues> derived = new HashMap<>();

        private Builder() {
        }

        /** Sets {@code key} to {@code values}. */
        public Builder put(String key, String... values) {
            return put(key, Optional.empty(), values.clone());
        }

        /** Sets {@code key} to {@code values}. */
        public Builder put(String key, List<String> values) {
            return put(key, Optional.empty(), values.toArray(new String[0]));
        }

        /** Sets {@code key}, typed as the simulator's {@code ContextKeyType}, to {@code values}. */
        public Builder put(String key, ContextKeyType type, List<String> values) {
            return put(key, Optional.of(type), values.toArray(new String[0]));
        }

        /** Takes {@code values}, a copy no one else holds. */
        private Builder put(String key, Optional<ContextKeyType> type, String[] values) {
            requireNonNull(key, "key");
            for (String value : values) {
                // The message is built only on failure: this runs for every value of every request's context.
                requireNonNull(value, () -> "value of " + key);
            }
            explicit.put(lower(key), new ContextValues(key, type, values));
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
            principal.forEachContextKey((key, value) ->
                    derived.put(lower(key), new ContextValues(key, Optional.empty(), new String[] {value})));
            return this;
        }

        /** The context; the builder may be reused. */
        public RequestContext build() {
            int size = derived.size() + explicit.size();
            if (size == 0) {
                return EMPTY;
            }
            // Sized so that it never resizes; the map stays private to the context and is never changed again.
            var all = new HashMap<String, ContextValues>((int) (size / 0.75f) + 1);
            all.putAll(derived);
            all.putAll(explicit);
            return new RequestContext(all);
        }
    }
}
