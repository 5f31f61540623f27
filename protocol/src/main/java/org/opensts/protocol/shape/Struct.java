package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated value of a structure shape, as {@link QueryBinder} produced it: member name to value.
 *
 * <p>Values are {@code String}, {@code Integer}, {@code Long}, {@code Boolean}, {@code Double}, {@code Float},
 * {@link Instant}, {@code byte[]} (blobs, copied on the way out), {@code List} (of values), {@code Map} (string keys)
 * and nested {@code Struct}s. An absent member has no entry; an explicitly empty list ({@code Tags=}) is an empty
 * {@code List}.
 */
public final class Struct {
    private static final Struct EMPTY = new Struct(Map.of());

    private final Map<String, Object> values;

    Struct(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Struct empty() {
        return EMPTY;
    }

    public boolean has(String member) {
        return values.containsKey(member);
    }

    public Optional<String> string(String member) {
        return Optional.ofNullable((String) values.get(member));
    }

    /** A member the shape declares required; the binder has already rejected requests without it. */
    public String requiredString(String member) {
        String value = (String) values.get(member);
        if (value == null) {
            throw new IllegalStateException("Required member " + member + " is absent");
        }
        return value;
    }

    public Optional<Integer> integer(String member) {
        return Optional.ofNullable((Integer) values.get(member));
    }

    public Optional<Long> longValue(String member) {
        return Optional.ofNullable((Long) values.get(member));
    }

    public Optional<Boolean> bool(String member) {
        return Optional.ofNullable((Boolean) values.get(member));
    }

    public Optional<Instant> timestamp(String member) {
        return Optional.ofNullable((Instant) values.get(member));
    }

    public Optional<byte[]> blob(String member) {
        byte[] value = (byte[]) values.get(member);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public Optional<Struct> struct(String member) {
        return Optional.ofNullable((Struct) values.get(member));
    }

    /** A list of strings; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public List<String> strings(String member) {
        Object value = values.get(member);
        return value == null ? List.of() : (List<String>) value;
    }

    /** A list of structures; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public List<Struct> structs(String member) {
        Object value = values.get(member);
        return value == null ? List.of() : (List<Struct>) value;
    }

    /** A map of strings; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String member) {
        Object value = values.get(member);
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    /** The raw value of a member, or null. */
    public Object get(String member) {
        return values.get(member);
    }

    /** Every present member in model order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** Starts a struct by hand, for callers that build requests in Java rather than from Query parameters. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Struct that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** Member names only: values may be secrets (an assertion, a token, an MFA code). */
    @Override
    public String toString() {
        return "Struct" + values.keySet();
    }

    /** Builds a struct member by member. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String member, Object value) {
            values.put(requireNonNull(member, "member"), requireNonNull(value, "value"));
            return this;
        }

        public Struct build() {
            return new Struct(values);
        }
    }
}
