package org.opensts.policy.internal;

import java.util.Arrays;

/**
 * A compiled IAM wildcard pattern: {@code *} matches any run of characters (including none), {@code ?}
 * matches exactly one character, everything else matches itself.
 *
 * <p>Design note: the pattern is kept as an array of UTF-16 code units in which the two wildcards are
 * negative sentinels, so a pattern may also hold a literal {@code *} or {@code ?} (the policy variables
 * {@code ${*}} and {@code ${?}}, or a substituted variable value). Matching is the classic two-pointer
 * algorithm that backtracks only to the last {@code *}: linear for the patterns policies use and never
 * worse than O(pattern × input). Patterns without wildcards, and those that are a literal followed by one
 * trailing {@code *}, take a fast path. Matching is case-sensitive; callers that need case-insensitive
 * matching (actions) lower-case both sides once.
 */
public final class Wildcard {
    private static final int ANY = -1;
    private static final int ONE = -2;
    private static final Wildcard MATCH_ALL = new Wildcard(new int[] {ANY});

    private enum Shape { EXACT, PREFIX, EVERYTHING, GENERAL }

    private final int[] pattern;
    private final Shape shape;
    private final String literal;

    private Wildcard(int[] pattern) {
        this.pattern = pattern;
        int wildcards = 0;
        for (int c : pattern) {
            if (c < 0) {
                wildcards++;
            }
        }
        if (wildcards == 0) {
            shape = Shape.EXACT;
            literal = text(pattern, pattern.length);
        } else if (pattern.length == 1 && pattern[0] == ANY) {
            shape = Shape.EVERYTHING;
            literal = "";
        } else if (wildcards == 1 && pattern[pattern.length - 1] == ANY) {
            shape = Shape.PREFIX;
            literal = text(pattern, pattern.length - 1);
        } else {
            shape = Shape.GENERAL;
            literal = null;
        }
    }

    /** Compiles {@code pattern}, reading every {@code *} and {@code ?} as a wildcard. */
    public static Wildcard compile(String pattern) {
        if (pattern.equals("*")) {
            return MATCH_ALL;
        }
        return builder().appendPattern(pattern).build();
    }

    /** Starts a pattern assembled from wildcard text and literal pieces. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the pattern matches all of {@code input}. */
    public boolean matches(CharSequence input) {
        return matches(input, 0, input.length());
    }

    /** Whether the pattern matches {@code input} from {@code from} (inclusive) to {@code to} (exclusive). */
    public boolean matches(CharSequence input, int from, int to) {
        switch (shape) {
            case EVERYTHING:
                return true;
            case EXACT:
                return to - from == literal.length() && regionEquals(input, from, literal);
            case PREFIX:
                return to - from >= literal.length() && regionEquals(input, from, literal);
            default:
                return matchesGeneral(input, from, to);
        }
    }

    private static boolean regionEquals(CharSequence input, int from, String literal) {
        for (int i = 0; i < literal.length(); i++) {
            if (input.charAt(from + i) != literal.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean matchesGeneral(CharSequence input, int from, int to) {
        int p = 0;
        int s = from;
        int starP = -1;
        int starS = -1;
        while (s < to) {
            if (p < pattern.length && (pattern[p] == ONE || pattern[p] == input.charAt(s))) {
                p++;
                s++;
            } else if (p < pattern.length && pattern[p] == ANY) {
                starP = p++;
                starS = s;
            } else if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == ANY) {
            p++;
        }
        return p == pattern.length;
    }

    /**
     * Whether some text matches both this pattern and {@code other}. Decided exactly by walking both patterns
     * together: a state is a position in each, and a step consumes one character both can take (or lets a
     * {@code *} match nothing). At most (|this| + 1) × (|other| + 1) states, each visited once.
     */
    public boolean intersects(Wildcard other) {
        if (shape == Shape.EVERYTHING || other.shape == Shape.EVERYTHING) {
            return true;
        }
        int[] p = pattern;
        int[] q = other.pattern;
        int width = q.length + 1;
        var seen = new boolean[(p.length + 1) * width];
        var stack = new int[seen.length];
        int top = 0;
        stack[top++] = 0;
        seen[0] = true;
        while (top > 0) {
            int state = stack[--top];
            int i = state / width;
            int j = state % width;
            if (i == p.length && j == q.length) {
                return true;
            }
            int a = i < p.length ? p[i] : Integer.MIN_VALUE;
            int b = j < q.length ? q[j] : Integer.MIN_VALUE;
            // A * may match nothing.
            if (a == ANY) {
                top = push(seen, stack, top, (i + 1) * width + j);
            }
            if (b == ANY) {
                top = push(seen, stack, top, i * width + j + 1);
            }
            // Both take one character: a literal takes only itself, ? any one, * any one and stays.
            if (a != Integer.MIN_VALUE && b != Integer.MIN_VALUE && (a < 0 || b < 0 || a == b)) {
                int nextI = a == ANY ? i : i + 1;
                int nextJ = b == ANY ? j : j + 1;
                if (nextI != i || nextJ != j) {
                    top = push(seen, stack, top, nextI * width + nextJ);
                }
            }
        }
        return false;
    }

    private static int push(boolean[] seen, int[] stack, int top, int state) {
        if (!seen[state]) {
            seen[state] = true;
            stack[top++] = state;
        }
        return top;
    }

    /**
     * Whether every text {@code other} matches, this pattern matches too. Decided by matching {@code other}'s
     * symbols as if they were text: a {@code *} of this pattern takes any run of them, a {@code ?} takes one
     * character or one {@code ?}, a literal only itself. That is exact for the patterns policies use; for a few
     * contrived pairs (such as {@code ?*} and {@code *?}) it answers false although the sets are equal, which
     * errs towards "does not cover".
     */
    public boolean covers(Wildcard other) {
        if (shape == Shape.EVERYTHING) {
            return true;
        }
        int[] p = pattern;
        int[] q = other.pattern;
        int pi = 0;
        int qi = 0;
        int starP = -1;
        int starQ = -1;
        while (qi < q.length) {
            if (pi < p.length && p[pi] != ANY && (p[pi] == q[qi] || p[pi] == ONE && q[qi] >= 0)) {
                pi++;
                qi++;
            } else if (pi < p.length && p[pi] == ANY) {
                starP = pi++;
                starQ = qi;
            } else if (starP >= 0) {
                pi = starP + 1;
                qi = ++starQ;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == ANY) {
            pi++;
        }
        return pi == p.length;
    }

    /** Whether the pattern is {@code *} alone, which matches everything. */
    public boolean matchesEverything() {
        return shape == Shape.EVERYTHING;
    }

    /** The patterns {@code parts[from..to)} joined by the literal {@code separator}. */
    public static Wildcard join(Wildcard[] parts, int from, int to, char separator) {
        if (to - from == 1) {
            return parts[from];
        }
        var builder = builder();
        for (int i = from; i < to; i++) {
            if (i > from) {
                builder.appendLiteral(separator);
            }
            for (int c : parts[i].pattern) {
                builder.add(c);
            }
        }
        return builder.build();
    }

    private static String text(int[] pattern, int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) pattern[i]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Wildcard && Arrays.equals(pattern, ((Wildcard) o).pattern);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pattern);
    }

    /** The pattern as policy text: wildcards as {@code *}/{@code ?}, literal ones as {@code ${*}}/{@code ${?}}. */
    @Override
    public String toString() {
        var sb = new StringBuilder();
        for (int c : pattern) {
            if (c == ANY) {
                sb.append('*');
            } else if (c == ONE) {
                sb.append('?');
            } else if (c == '*' || c == '?' || c == '$') {
                sb.append("${").append((char) c).append('}');
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** Assembles a pattern from pieces; each piece says whether its {@code *} and {@code ?} are wildcards. */
    public static final class Builder {
        private int[] buffer = new int[32];
        private int length;

        private Builder() {
        }

        /** Appends text whose {@code *} and {@code ?} are wildcards. */
        public Builder appendPattern(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                add(c == '*' ? ANY : c == '?' ? ONE : c);
            }
            return this;
        }

        /** Appends text that matches only itself. */
        public Builder appendLiteral(CharSequence text) {
            for (int i = 0; i < text.length(); i++) {
                add(text.charAt(i));
            }
            return this;
        }

        /** Appends one literal character. */
        public Builder appendLiteral(char c) {
            add(c);
            return this;
        }

        private void add(int c) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, length * 2);
            }
            buffer[length++] = c;
        }

        public Wildcard build() {
            if (length == 1 && buffer[0] == ANY) {
                return MATCH_ALL;
            }
            return new Wildcard(Arrays.copyOf(buffer, length));
        }
    }
}
