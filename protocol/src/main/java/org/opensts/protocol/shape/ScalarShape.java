package org.opensts.protocol.shape;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A string, number, boolean, timestamp or blob shape with the model's constraints.
 *
 * <p>The model's patterns are ECMAScript-flavoured and unanchored (Smithy semantics); we keep the model's text for
 * error messages, translate it to a Java pattern once, and match it against the whole value.
 */
public final class ScalarShape implements Shape {
    private final String name;
    private final ScalarType type;
    private final Long min;
    private final Long max;
    private final String pattern;
    private final Pattern compiledPattern;
    private final List<String> enumValues;
    private final boolean sensitive;
    private final boolean nonNull;

    private ScalarShape(Builder builder) {
        this.name = requireNonNull(builder.name, "name");
        this.type = requireNonNull(builder.type, "type");
        this.min = builder.min;
        this.max = builder.max;
        this.pattern = builder.pattern;
        this.compiledPattern = builder.pattern == null ? null : Pattern.compile(toJavaRegex(builder.pattern));
        this.enumValues = List.copyOf(builder.enumValues);
        this.sensitive = builder.sensitive;
        this.nonNull = builder.nonNull;
    }

    public static Builder string(String name) {
        return new Builder(name, ScalarType.STRING);
    }

    public static Builder integer(String name) {
        return new Builder(name, ScalarType.INTEGER);
    }

    public static Builder builder(String name, ScalarType type) {
        return new Builder(name, type);
    }

    @Override
    public String name() {
        return name;
    }

    public ScalarType type() {
        return type;
    }

    /** Minimum length (strings, in code points) or value (numbers). */
    public Optional<Long> min() {
        return Optional.ofNullable(min);
    }

    /** Maximum length (strings, in code points) or value (numbers). */
    public Optional<Long> max() {
        return Optional.ofNullable(max);
    }

    /** The pattern as the model writes it. */
    public Optional<String> pattern() {
        return Optional.ofNullable(pattern);
    }

    /** Whether {@code value} as a whole matches the pattern (any value does when there is none). */
    public boolean matchesPattern(String value) {
        return compiledPattern == null || compiledPattern.matcher(value).matches();
    }

    public List<String> enumValues() {
        return enumValues;
    }

    /** A sensitive value is never echoed in an error message. */
    public boolean sensitive() {
        return sensitive;
    }

    /**
     * Whether AWS's own model declares this member of a list non-null, which the botocore model does not say: IAM then
     * ends the constraints it lists for the list's elements with {@code Member must not be null}.
     */
    public boolean nonNull() {
        return nonNull;
    }

    /**
     * Java's {@code \\uXXXX} takes exactly four hex digits, so the model's {@code \\u10000-\\u10FFFF} would silently
     * read as {@code \\u1000} followed by {@code 0}. Rewrite five- and six-digit escapes as {@code \\x{...}}; keep every
     * other escape as written (an escaped backslash followed by {@code u} is a backslash and a letter, not an escape).
     */
    static String toJavaRegex(String modelPattern) {
        var out = new StringBuilder(modelPattern.length());
        int i = 0;
        while (i < modelPattern.length()) {
            char c = modelPattern.charAt(i);
            if (c != '\\' || i + 1 == modelPattern.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (modelPattern.charAt(i + 1) == 'u') {
                int digits = 0;
                while (digits < 6 && i + 2 + digits < modelPattern.length()
                        && isHexDigit(modelPattern.charAt(i + 2 + digits))) {
                    digits++;
                }
                if (digits >= 5) {
                    out.append("\\x{").append(modelPattern, i + 2, i + 2 + digits).append('}');
                    i += 2 + digits;
                    continue;
                }
            }
            // Copy the escape and the character it escapes together, so that "\\\\" never starts a new escape.
            out.append(c).append(modelPattern.charAt(i + 1));
            i += 2;
        }
        return out.toString();
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    @Override
    public String toString() {
        return "ScalarShape[" + name + ", " + type + "]";
    }

    /** Builds a scalar shape; {@link #build()} compiles the pattern. */
    public static final class Builder {
        private final String name;
        private final ScalarType type;
        private Long min;
        private Long max;
        private String pattern;
        private List<String> enumValues = List.of();
        private boolean sensitive;
        private boolean nonNull;

        private Builder(String name, ScalarType type) {
            this.name = name;
            this.type = type;
        }

        public Builder min(long min) {
            this.min = min;
            return this;
        }

        public Builder max(long max) {
            this.max = max;
            return this;
        }

        public Builder length(long min, long max) {
            return min(min).max(max);
        }

        public Builder range(long min, long max) {
            return min(min).max(max);
        }

        public Builder pattern(String modelPattern) {
            this.pattern = modelPattern;
            return this;
        }

        public Builder enumValues(String... values) {
            this.enumValues = List.of(values);
            return this;
        }

        public Builder sensitive() {
            this.sensitive = true;
            return this;
        }

        /** See {@link ScalarShape#nonNull()}. */
        public Builder nonNull() {
            this.nonNull = true;
            return this;
        }

        public ScalarShape build() {
            return new ScalarShape(this);
        }
    }
}
