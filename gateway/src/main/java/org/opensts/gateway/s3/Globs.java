package org.opensts.gateway.s3;

import java.util.BitSet;

/**
 * IAM's wildcards ({@code *} any run of characters, {@code ?} any one), matched by walking the pattern's positions as
 * a set: linear in pattern times text, with no backtracking blow-up on patterns such as {@code *a*a*a*b}.
 */
final class Globs {
    private Globs() {
    }

    /** Whether the pattern matches the whole text. */
    static boolean matches(String pattern, String text) {
        BitSet states = run(pattern, text);
        return states.get(pattern.length());
    }

    /** Whether the pattern can match some text that starts with {@code prefix}. */
    static boolean matchesSomePrefix(String pattern, String prefix) {
        // Any pattern position still alive can be completed: literals, '?' and '*' all accept some text.
        return !run(pattern, prefix).isEmpty();
    }

    private static BitSet run(String pattern, String text) {
        var states = new BitSet(pattern.length() + 1);
        states.set(0);
        closeOverStars(pattern, states);
        for (int i = 0; i < text.length() && !states.isEmpty(); i++) {
            char c = text.charAt(i);
            var next = new BitSet(pattern.length() + 1);
            for (int p = states.nextSetBit(0); p >= 0; p = states.nextSetBit(p + 1)) {
                if (p == pattern.length()) {
                    continue;
                }
                char pc = pattern.charAt(p);
                if (pc == '*') {
                    next.set(p);
                } else if (pc == '?' || pc == c) {
                    next.set(p + 1);
                }
            }
            closeOverStars(pattern, next);
            states = next;
        }
        return states;
    }

    /** A {@code *} may match nothing: wherever one is reachable, so is the position after it. */
    private static void closeOverStars(String pattern, BitSet states) {
        for (int p = 0; p < pattern.length(); p++) {
            if (states.get(p) && pattern.charAt(p) == '*') {
                states.set(p + 1);
            }
        }
    }
}
