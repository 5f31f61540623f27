package org.opensts.policy.internal;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A compiled IAM wildcard pattern: {@code *} matches any run of characters (including none), {@code ?}
 * matches exactly one character, everything else matches itself.
 *
 * <p>Design note: the pattern is kept as an array of UTF-16 code units in which the two wildcards are
 * negative sentinels, so a pattern may also hold a literal {@code *} or {@code ?} (the policy variables
 * {@code ${*}} and {@code ${?}}, or a substituted variable value). Matching never backtracks: it looks for
 * the pattern's {@code *}-separated segments left to right, in time linear in pattern + input (a little more for
 * long segments holding {@code ?}), because patterns and inputs come from callers and a quadratic matcher lets one
 * request hold a core for minutes. Patterns without wildcards, and those that are a literal followed by one
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
    /** Built on first general match; racing threads build equal copies, and the fields it holds are final. */
    private Segments segments;

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

    /**
     * Matches the pattern as its {@code *}-separated segments: the first anchored at the start, the last at the
     * end, and each one between at its leftmost occurrence after the previous one. Taking the leftmost occurrence is
     * never worse than a later one (whatever a later one leaves to match, the leftmost leaves more), so no segment is
     * ever reconsidered and the input is scanned once: time is linear in pattern + input for segments of literals
     * (Knuth-Morris-Pratt) and those with few {@code ?}, and O((pattern + input) log pattern) for a long segment
     * holding {@code ?} (see {@link SegmentSearch}). Backtracking to the last {@code *}, O(pattern × input), let one
     * crafted condition pattern occupy a core for minutes.
     */
    private boolean matchesGeneral(CharSequence input, int from, int to) {
        Segments segs = segments();
        int count = segs.count();
        if (count == 1) {
            return to - from == pattern.length && segs.matchesAt(0, input, from);
        }
        int headLength = segs.length(0);
        int tailLength = segs.length(count - 1);
        if (to - from < headLength + tailLength) {
            return false;
        }
        if (!segs.matchesAt(0, input, from) || !segs.matchesAt(count - 1, input, to - tailLength)) {
            return false;
        }
        int s = from + headLength;
        int end = to - tailLength;
        for (int k = 1; k < count - 1; k++) {
            int at = segs.find(k, input, s, end);
            if (at < 0) {
                return false;
            }
            s = at + segs.length(k);
        }
        return true;
    }

    private Segments segments() {
        Segments segs = segments;
        if (segs == null) {
            segs = new Segments(pattern);
            segments = segs;
        }
        return segs;
    }

    /**
     * Whether some text matches both this pattern and {@code other}. Decided exactly:
     * <ul>
     *   <li>when both patterns have a {@code *}, they overlap exactly when their fixed starts (up to the first
     *       {@code *}) agree where both are fixed, and so do their fixed ends (after the last {@code *}): a text made
     *       of the two starts merged, then every inner piece of one pattern and then of the other, then the two ends
     *       merged, matches both, each pattern's first and last {@code *} taking what the other put in between;</li>
     *   <li>otherwise one of them has a fixed length, and the other is matched against its symbols as if they were
     *       text, a {@code ?} on either side standing for a character of one's choice.</li>
     * </ul>
     * Two symbols agree when they are the same literal or either is a {@code ?}. Time is linear in the first case and,
     * in the second, that of {@link #matches} (segments found left to right, never backtracking): the policy
     * simulator compares policy patterns of up to 131,072 characters with requested ones of up to 2,048, and a
     * backtracking walk multiplies the two.
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
        return firstP >= 0 ? matchesSymbols(q, /* dontCares= */ indexOf(q, ONE) >= 0)
                : other.matchesSymbols(p, /* dontCares= */ indexOf(p, ONE) >= 0);
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
     * errs towards "does not cover". Time is that of {@link #matches} on a text as long as {@code other}.
     */
    public boolean covers(Wildcard other) {
        if (shape == Shape.EVERYTHING) {
            return true;
        }
        return matchesSymbols(other.pattern, /* dontCares= */ false);
    }

    /**
     * Whether this pattern matches {@code text}, a sequence of pattern symbols read as text, with the segment
     * algorithm of {@link #matchesGeneral}. A {@code *} in the text is a character only this pattern's {@code *} can
     * take, so no segment is looked for across one; a {@code ?} in the text is a character of its own that only a
     * {@code ?} of this pattern takes, or, when {@code dontCares}, a character of one's choice that any symbol takes.
     */
    private boolean matchesSymbols(int[] text, boolean dontCares) {
        if (shape == Shape.EVERYTHING) {
            return true;
        }
        Segments segs = segments();
        int count = segs.count();
        int n = text.length;
        int[] nextStar = nextStars(text);
        if (count == 1) {
            return n == pattern.length && starFree(nextStar, 0, n) && segs.matchesAt(0, text, 0, dontCares);
        }
        int headLength = segs.length(0);
        int tailLength = segs.length(count - 1);
        if (n < headLength + tailLength
                || !starFree(nextStar, 0, headLength) || !segs.matchesAt(0, text, 0, dontCares)
                || !starFree(nextStar, n - tailLength, n)
                || !segs.matchesAt(count - 1, text, n - tailLength, dontCares)) {
            return false;
        }
        int s = headLength;
        int end = n - tailLength;
        for (int k = 1; k < count - 1; k++) {
            int at;
            while (true) {
                int barrier = nextStar == null ? end : Math.min(end, nextStar[s]);
                at = segs.find(k, text, s, barrier, dontCares);
                if (at >= 0 || barrier == end) {
                    break;
                }
                s = barrier + 1;
            }
            if (at < 0) {
                return false;
            }
            s = at + segs.length(k);
        }
        return true;
    }

    /** For each position of {@code text}, where its next {@code *} is (its length if none); null if it has none. */
    private static int[] nextStars(int[] text) {
        if (indexOf(text, ANY) < 0) {
            return null;
        }
        int[] next = new int[text.length + 1];
        next[text.length] = text.length;
        for (int i = text.length - 1; i >= 0; i--) {
            next[i] = text[i] == ANY ? i : next[i + 1];
        }
        return next;
    }

    private static boolean starFree(int[] nextStar, int from, int to) {
        return nextStar == null || from >= to || nextStar[from] >= to;
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

    /** The pattern cut at its {@code *}s: each segment's bounds, and how to look for it in a text. */
    private static final class Segments {
        private final int[] pattern;
        private final int[] starts;
        private final int[] ends;
        private final SegmentSearch[] searches;

        Segments(int[] pattern) {
            this.pattern = pattern;
            int count = 1;
            for (int c : pattern) {
                if (c == ANY) {
                    count++;
                }
            }
            starts = new int[count];
            ends = new int[count];
            int k = 0;
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i] == ANY) {
                    ends[k++] = i;
                    starts[k] = i + 1;
                }
            }
            ends[k] = pattern.length;
            searches = new SegmentSearch[count];
            for (int i = 1; i < count - 1; i++) {
                searches[i] = SegmentSearch.of(Arrays.copyOfRange(pattern, starts[i], ends[i]));
            }
        }

        int count() {
            return starts.length;
        }

        int length(int k) {
            return ends[k] - starts[k];
        }

        /** Whether segment {@code k} matches the input at {@code at}; the caller has checked there is room. */
        boolean matchesAt(int k, CharSequence input, int at) {
            for (int i = starts[k]; i < ends[k]; i++, at++) {
                if (pattern[i] != ONE && pattern[i] != input.charAt(at)) {
                    return false;
                }
            }
            return true;
        }

        /** Where segment {@code k} first occurs wholly within {@code input[from, to)}, or -1. */
        int find(int k, CharSequence input, int from, int to) {
            return searches[k].find(input, from, to);
        }

        /** {@link #matchesAt} on pattern symbols read as text (see {@link SegmentSearch#symbolsAgree}). */
        boolean matchesAt(int k, int[] text, int at, boolean dontCares) {
            for (int i = starts[k]; i < ends[k]; i++, at++) {
                if (!SegmentSearch.symbolsAgree(pattern[i], text[at], dontCares)) {
                    return false;
                }
            }
            return true;
        }

        /** {@link #find} on pattern symbols read as text; {@code text[from, to)} holds no {@code *}. */
        int find(int k, int[] text, int from, int to, boolean dontCares) {
            return searches[k].find(text, from, to, dontCares);
        }
    }

    /**
     * Finds the leftmost occurrence of one segment in time that does not multiply segment length by text length:
     * <ul>
     *   <li>a segment of literals: Knuth-Morris-Pratt, linear;</li>
     *   <li>a short segment with {@code ?}: compared at each position, at most {@value #SHORT} steps each;</li>
     *   <li>a long segment with {@code ?}: no linear algorithm is known for matching with wildcards, so each window of
     *       text is compared with the segment at every offset at once, as the correlation
     *       {@code Σ w[j]·(p[j] − t[i+j])²} over the segment's literals, computed with number-theoretic transforms modulo
     *       a prime in O(window × log window). The weights {@code w} are random and secret, so a nonzero sum vanishes
     *       modulo the prime with probability about 1 in 10⁹; every offset the transform reports is then confirmed
     *       by direct comparison, so the answer is always exact and only the time is probabilistic.</li>
     * </ul>
     */
    abstract static class SegmentSearch {
        static final int SHORT = 32;
        /** What a {@code ?} read as text stands for when it is a character of its own: none a pattern spells. */
        static final int LITERAL_ONE = 0x10000;

        abstract int find(CharSequence input, int from, int to);

        /**
         * The leftmost occurrence in pattern symbols read as text, which hold no {@code *}: a {@code ?} there is a
         * character of its own, or a character of one's choice when {@code dontCares}.
         */
        abstract int find(int[] text, int from, int to, boolean dontCares);

        /**
         * Whether a pattern symbol (not {@code *}) takes a text symbol: a {@code ?} takes anything, a literal itself,
         * and a text {@code ?} that is a don't-care is taken by anything.
         */
        static boolean symbolsAgree(int patternSymbol, int textSymbol, boolean dontCares) {
            return patternSymbol == ONE || patternSymbol == textSymbol || dontCares && textSymbol == ONE;
        }

        static boolean matchesAt(int[] segment, int[] text, int at, boolean dontCares) {
            for (int j = 0; j < segment.length; j++) {
                if (!symbolsAgree(segment[j], text[at + j], dontCares)) {
                    return false;
                }
            }
            return true;
        }

        /** A search that allows for don't-cares in the text: Knuth-Morris-Pratt needs equality to be transitive. */
        static SegmentSearch forDontCares(int[] segment) {
            return segment.length <= SHORT || segment.length > Transform.MAX_SEGMENT
                    ? new Direct(segment) : new Transform(segment);
        }

        static SegmentSearch of(int[] segment) {
            boolean anyOne = false;
            for (int c : segment) {
                anyOne |= c == ONE;
            }
            if (!anyOne) {
                return new Literal(segment);
            }
            // The transform's prime supports windows up to 2^23; policy documents are far shorter than half that.
            return segment.length <= SHORT || segment.length > Transform.MAX_SEGMENT
                    ? new Direct(segment) : new Transform(segment);
        }

        static boolean matchesAt(int[] segment, CharSequence input, int at) {
            for (int j = 0; j < segment.length; j++) {
                if (segment[j] != ONE && segment[j] != input.charAt(at + j)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Literal extends SegmentSearch {
        private final int[] segment;
        private final int[] failure;
        /** Built on first use with don't-cares in the text; racing threads build equal copies. */
        private SegmentSearch dontCareSearch;

        Literal(int[] segment) {
            this.segment = segment;
            failure = new int[segment.length];
            for (int i = 1, k = 0; i < segment.length; i++) {
                while (k > 0 && segment[i] != segment[k]) {
                    k = failure[k - 1];
                }
                if (segment[i] == segment[k]) {
                    k++;
                }
                failure[i] = k;
            }
        }

        @Override
        int find(CharSequence input, int from, int to) {
            if (segment.length == 0) {
                return from <= to ? from : -1;
            }
            for (int i = from, k = 0; i < to; i++) {
                char c = input.charAt(i);
                while (k > 0 && segment[k] != c) {
                    k = failure[k - 1];
                }
                if (segment[k] == c && ++k == segment.length) {
                    return i - segment.length + 1;
                }
            }
            return -1;
        }

        @Override
        int find(int[] text, int from, int to, boolean dontCares) {
            if (dontCares) {
                SegmentSearch search = dontCareSearch;
                if (search == null) {
                    search = forDontCares(segment);
                    dontCareSearch = search;
                }
                return search.find(text, from, to, /* dontCares= */ true);
            }
            if (segment.length == 0) {
                return from <= to ? from : -1;
            }
            for (int i = from, k = 0; i < to; i++) {
                int c = text[i];
                while (k > 0 && segment[k] != c) {
                    k = failure[k - 1];
                }
                if (segment[k] == c && ++k == segment.length) {
                    return i - segment.length + 1;
                }
            }
            return -1;
        }
    }

    private static final class Direct extends SegmentSearch {
        private final int[] segment;

        Direct(int[] segment) {
            this.segment = segment;
        }

        @Override
        int find(CharSequence input, int from, int to) {
            for (int i = from; i + segment.length <= to; i++) {
                if (matchesAt(segment, input, i)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        int find(int[] text, int from, int to, boolean dontCares) {
            for (int i = from; i + segment.length <= to; i++) {
                if (matchesAt(segment, text, i, dontCares)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class Transform extends SegmentSearch {
        private static final long P = 998_244_353L;
        private static final long ROOT = 3;
        static final int MAX_SEGMENT = 1 << 22;

        private final int[] segment;
        /**
         * Per window size, the transforms of the reversed weights × literals, of the reversed weights, and of the
         * reversed weights × squared literals (for texts with don't-cares).
         */
        private final AtomicReferenceArray<long[][]> transforms = new AtomicReferenceArray<>(32);
        private final long[] weights;
        /** Σ w·p² over the segment's literals: the third correlation's value where the text has no don't-cares. */
        private final long constant;

        Transform(int[] segment) {
            this.segment = segment;
            weights = new long[segment.length];
            var random = ThreadLocalRandom.current();
            long sum = 0;
            for (int j = 0; j < segment.length; j++) {
                if (segment[j] != ONE) {
                    weights[j] = 1 + random.nextLong(P - 1);
                    sum = (sum + weights[j] * ((long) segment[j] * segment[j] % P)) % P;
                }
            }
            constant = sum;
        }

        @Override
        int find(CharSequence input, int from, int to) {
            return find(new CharText(input), from, to);
        }

        @Override
        int find(int[] text, int from, int to, boolean dontCares) {
            return find(new SymbolText(text, dontCares), from, to);
        }

        private int find(Text input, int from, int to) {
            int m = segment.length;
            int base = from;
            while (to - base >= m) {
                int size = Integer.highestOneBit(Math.max(2 * m, 2) - 1) << 1;
                size = Math.min(size, Integer.highestOneBit(Math.max(to - base, 2) - 1) << 1);
                int window = Math.min(size, to - base);
                int found = findInWindow(input, base, window, size);
                if (found >= 0) {
                    return found;
                }
                base += window - m + 1;
            }
            return -1;
        }

        /**
         * The leftmost match starting in {@code [base, base + window − m]}, the window padded to {@code size}. With
         * don't-cares in the text the sum becomes {@code Σ w[j]·b[i+j]·(p[j] − t[i+j])²}, {@code b} zero at a
         * don't-care, and its constant term a third correlation.
         */
        private int findInWindow(Text input, int base, int window, int size) {
            int m = segment.length;
            int log = Integer.numberOfTrailingZeros(size);
            long[][] cached = transforms.get(log);
            if (cached == null) {
                long[] weighted = new long[size];
                long[] plain = new long[size];
                long[] squared = new long[size];
                for (int j = 0; j < m; j++) {
                    plain[m - 1 - j] = weights[j];
                    weighted[m - 1 - j] = segment[j] == ONE ? 0 : weights[j] * segment[j] % P;
                    squared[m - 1 - j] = segment[j] == ONE ? 0
                            : weights[j] * ((long) segment[j] * segment[j] % P) % P;
                }
                ntt(weighted, false);
                ntt(plain, false);
                ntt(squared, false);
                cached = new long[][] {weighted, plain, squared};
                transforms.set(log, cached);
            }
            long[] weighted = cached[0];
            long[] plain = cached[1];
            long[] text = new long[size];
            long[] squares = new long[size];
            long[] present = null;
            for (int i = 0; i < window; i++) {
                long c = input.value(base + i);
                if (c < 0) {
                    if (present == null) {
                        present = new long[size];
                        Arrays.fill(present, 0, i, 1);
                    }
                    continue;
                }
                text[i] = c;
                squares[i] = c * c % P;
                if (present != null) {
                    present[i] = 1;
                }
            }
            ntt(text, false);
            ntt(squares, false);
            if (present != null) {
                ntt(present, false);
            }
            long[] squared = cached[2];
            for (int i = 0; i < size; i++) {
                long cross = text[i] * weighted[i] % P;
                long sum = (squares[i] * plain[i] % P + (P - 2) * cross) % P;
                text[i] = present == null ? sum : (sum + present[i] * squared[i]) % P;
            }
            ntt(text, true);
            for (int i = 0; i + m <= window; i++) {
                long score = present == null ? (text[i + m - 1] + constant) % P : text[i + m - 1];
                if (score == 0 && input.matchesAt(segment, base + i)) {
                    return base + i;
                }
            }
            return -1;
        }

        /** A text as the transform reads it: each position's value, negative for a don't-care. */
        private interface Text {
            long value(int i);

            boolean matchesAt(int[] segment, int at);
        }

        private record CharText(CharSequence input) implements Text {
            @Override
            public long value(int i) {
                return input.charAt(i);
            }

            @Override
            public boolean matchesAt(int[] segment, int at) {
                return SegmentSearch.matchesAt(segment, input, at);
            }
        }

        private record SymbolText(int[] symbols, boolean dontCares) implements Text {
            @Override
            public long value(int i) {
                int c = symbols[i];
                return c != ONE ? c : dontCares ? -1 : LITERAL_ONE;
            }

            @Override
            public boolean matchesAt(int[] segment, int at) {
                return SegmentSearch.matchesAt(segment, symbols, at, dontCares);
            }
        }

        private static void ntt(long[] a, boolean inverse) {
            int n = a.length;
            for (int i = 1, j = 0; i < n; i++) {
                int bit = n >> 1;
                for (; (j & bit) != 0; bit >>= 1) {
                    j ^= bit;
                }
                j ^= bit;
                if (i < j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                }
            }
            for (int len = 2; len <= n; len <<= 1) {
                long w = power(ROOT, (P - 1) / len);
                if (inverse) {
                    w = power(w, P - 2);
                }
                for (int i = 0; i < n; i += len) {
                    long wn = 1;
                    for (int j = 0; j < len / 2; j++) {
                        long u = a[i + j];
                        long v = a[i + j + len / 2] * wn % P;
                        a[i + j] = u + v < P ? u + v : u + v - P;
                        a[i + j + len / 2] = u - v >= 0 ? u - v : u - v + P;
                        wn = wn * w % P;
                    }
                }
            }
            if (inverse) {
                long nInverse = power(n, P - 2);
                for (int i = 0; i < n; i++) {
                    a[i] = a[i] * nInverse % P;
                }
            }
        }

        private static long power(long b, long e) {
            long r = 1;
            b %= P;
            while (e > 0) {
                if ((e & 1) != 0) {
                    r = r * b % P;
                }
                b = b * b % P;
                e >>= 1;
            }
            return r;
        }
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
