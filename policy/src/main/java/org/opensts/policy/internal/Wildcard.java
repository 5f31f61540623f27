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
     * Whether some text matches both this pattern and {@code other}. Decided exactly, in constant space:
     * <ul>
     *   <li>when both patterns have a {@code *}, they overlap exactly when their fixed starts (up to the first
     *       {@code *}) agree where both are fixed, and so do their fixed ends (after the last {@code *}): a text made
     *       of the two starts merged, then every inner piece of one pattern and then of the other, then the two ends
     *       merged, matches both, each pattern's first and last {@code *} taking what the other put in between;</li>
     *   <li>otherwise one of them has a fixed length, and the other is matched against its symbols as if they were
     *       text, a {@code ?} standing for a character of one's choice.</li>
     * </ul>
     * Two symbols agree when they are the same literal or either is a {@code ?}. Time is linear in the first case and
     * at most (|this| × |other|) in the second, with no allocation: the policy simulator compares policy patterns of
     * up to 131,072 characters with requested ones of up to 2,048.
     */
    public boolean intersects(Wildcard other) {
        if (shape == Shape.EVERYTHING || other.shape == Shape.EVERYTHING) {
            return true;
        }
        int[] p = pattern;
        int[] q = other.pattern;
        int firstP = indexOf(p, ANY);
        int firstQ = indexOf(q, ANY);
        if (firstP >= 0 && firstQ >= 0) {
            int lastP = lastIndexOf(p, ANY);
            int lastQ = lastIndexOf(q, ANY);
            for (int i = 0; i < Math.min(firstP, firstQ); i++) {
                if (!agree(p[i], q[i])) {
                    return false;
                }
            }
            int endP = p.length - lastP - 1;
            int endQ = q.length - lastQ - 1;
            for (int i = 1; i <= Math.min(endP, endQ); i++) {
                if (!agree(p[p.length - i], q[q.length - i])) {
                    return false;
                }
            }
            return true;
        }
        return firstP >= 0 ? matchesSymbols(p, q) : matchesSymbols(q, p);
    }

    /** Whether {@code glob} matches some text of the fixed-length {@code fixed} (no {@code *}): two-pointer matching. */
    private static boolean matchesSymbols(int[] glob, int[] fixed) {
        int g = 0;
        int f = 0;
        int starG = -1;
        int starF = -1;
        while (f < fixed.length) {
            if (g < glob.length && glob[g] != ANY && agree(glob[g], fixed[f])) {
                g++;
                f++;
            } else if (g < glob.length && glob[g] == ANY) {
                starG = g++;
                starF = f;
            } else if (starG >= 0) {
                g = starG + 1;
                f = ++starF;
            } else {
                return false;
            }
        }
        while (g < glob.length && glob[g] == ANY) {
            g++;
        }
        return g == glob.length;
    }

    /** Whether two symbols, neither a {@code *}, can stand for the same character. */
    private static boolean agree(int a, int b) {
        return a == b || a == ONE || b == ONE;
    }

    private static int indexOf(int[] symbols, int symbol) {
        for (int i = 0; i < symbols.length; i++) {
            if (symbols[i] == symbol) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(int[] symbols, int symbol) {
        for (int i = symbols.length - 1; i >= 0; i--) {
            if (symbols[i] == symbol) {
                return i;
            }
        }
        return -1;
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
