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
 *
 * <p>A struct knows its shape, and asking it for a member the shape does not declare throws
 * {@link IllegalArgumentException}: a misspelt member name is a programming error, and answering it with "absent"
 * would hide it (a check on a member that can never be present is a check that never fires).
 */
public final class Struct {
    private final StructureShape shape;
    private final Map<String, Object> values;

    Struct(StructureShape shape, Map<String, Object> values) {
        this.shape = requireNonNull(shape, "shape");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A struct of {@code shape} with no member present. */
    public static Struct empty(StructureShape shape) {
        return new Struct(shape, Map.of());
    }

    /** The shape this struct is a value of. */
    public StructureShape shape() {
        return shape;
    }

    /**
     * Whether the member is present. This and every accessor below throw {@link IllegalArgumentException} for a
     * member the shape does not declare.
     */
    public boolean has(String member) {
        requireDeclared(shape, member);
        return values.containsKey(member);
    }

    public Optional<String> string(String member) {
        return Optional.ofNullable((String) value(member));
    }

    /** A member the shape declares required; the binder has already rejected requests without it. */
    public String requiredString(String member) {
        String value = (String) value(member);
        if (value == null) {
            throw new IllegalStateException("Required member " + member + " is absent");
        }
        return value;
    }

    public Optional<Integer> integer(String member) {
        return Optional.ofNullable((Integer) value(member));
    }

    public Optional<Long> longValue(String member) {
        return Optional.ofNullable((Long) value(member));
    }

    public Optional<Boolean> bool(String member) {
        return Optional.ofNullable((Boolean) value(member));
    }

    public Optional<Instant> timestamp(String member) {
        return Optional.ofNullable((Instant) value(member));
    }

    public Optional<byte[]> blob(String member) {
        byte[] value = (byte[]) value(member);
        return value == null ? Optional.empty() : Optional.of(value.clone());
    }

    public Optional<Struct> struct(String member) {
        return Optional.ofNullable((Struct) value(member));
    }

    /** A list of strings; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public List<String> strings(String member) {
        Object value = value(member);
        return value == null ? List.of() : (List<String>) value;
    }

    /** A list of structures; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public List<Struct> structs(String member) {
        Object value = value(member);
        return value == null ? List.of() : (List<Struct>) value;
    }

    /** A map of strings; empty when the member is absent. */
    @SuppressWarnings("unchecked")
    public Map<String, String> stringMap(String member) {
        Object value = value(member);
        return value == null ? Map.of() : (Map<String, String>) value;
    }

    /** The raw value of a member, or null when it is absent. */
    public Object get(String member) {
        return value(member);
    }

    /** Every present member in model order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object value(String member) {
        requireDeclared(shape, member);
        return values.get(member);
    }

    private static void requireDeclared(StructureShape shape, String member) {
        if (!shape.declares(member)) {
            throw new IllegalArgumentException(shape.name() + " has no member " + member);
        }
    }

    /** Starts a struct of {@code shape} by hand, for callers that build requests in Java rather than from Query. */
    public static Builder builder(StructureShape shape) {
        return new Builder(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Struct that && shape == that.shape && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    /** The shape's and the present members' names only: values may be secrets (an assertion, a token, an MFA code). */
    @Override
    public String toString() {
        return shape.name() + values.keySet();
    }

    /** Builds a struct member by member. */
    public static final class Builder {
        private final StructureShape shape;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(StructureShape shape) {
            this.shape = requireNonNull(shape, "shape");
        }

        /**
         * Sets a member.
         *
         * @throws IllegalArgumentException if the shape declares no such member
         */
        public Builder put(String member, Object value) {
            requireDeclared(shape, requireNonNull(member, "member"));
            values.put(member, requireNonNull(value, "value"));
            return this;
        }

        public Struct build() {
            return new Struct(shape, values);
        }
    }
}
