package org.opensts.policy.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A value split the way IAM splits an ARN: at its first five colons, into at most six segments
 * ({@code arn}, partition, service, region, account, resource). The resource segment keeps any further
 * colons, as in {@code arn:aws:sqs:us-east-1:123456789012:queue:extra}.
 *
 * <p>IAM matches a {@code Resource} element and the {@code Arn*} condition operators segment by segment:
 * a wildcard in the region never swallows the account. When a pattern has fewer than six segments its last
 * segment is matched against the rest of the value, colons included, which is how AWS lets a trailing
 * {@code *} ("the last character of a resource ARN segment") "expand beyond the colon boundaries"
 * ({@code arn:aws:s3:*} matches {@code arn:aws:s3:::bucket/key}). Splitting records offsets only; matching
 * allocates nothing.
 */
public final class ArnSegments {
    /** The number of segments of a complete ARN. */
    public static final int ARN_SEGMENTS = 6;

    private final String text;
    private final int[] starts;
    private final int count;

    private ArnSegments(String text, int[] starts, int count) {
        this.text = text;
        this.starts = starts;
        this.count = count;
    }

    /** Splits {@code value} at its first five colons. */
    public static ArnSegments of(String value) {
        int[] starts = new int[ARN_SEGMENTS];
        int count = 1;
        for (int i = 0; i < value.length() && count < ARN_SEGMENTS; i++) {
            if (value.charAt(i) == ':') {
                starts[count++] = i + 1;
            }
        }
        return new ArnSegments(value, starts, count);
    }

    /**
     * Splits pattern text at its first five colons, like {@link #of}, but never inside a policy variable
     * ({@code ${aws:username}}) when {@code variables} is set.
     */
    public static List<String> splitPattern(String pattern, boolean variables) {
        var segments = new ArrayList<String>(ARN_SEGMENTS);
        int segmentStart = 0;
        int i = 0;
        while (i < pattern.length() && segments.size() < ARN_SEGMENTS - 1) {
            char c = pattern.charAt(i);
            if (variables && c == '$' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '{') {
                int close = pattern.indexOf('}', i + 2);
                if (close > 0) {
                    i = close + 1;
                    continue;
                }
            }
            if (c == ':') {
                segments.add(pattern.substring(segmentStart, i));
                segmentStart = i + 1;
            }
            i++;
        }
        segments.add(pattern.substring(segmentStart));
        return segments;
    }

    /** The value that was split. */
    public String text() {
        return text;
    }

    /** How many segments the value has, 1 to 6. */
    public int count() {
        return count;
    }

    /** Segment {@code index}, without its delimiting colons. */
    public String segment(int index) {
        return text.substring(starts[index], end(index));
    }

    /** Whether segment {@code index} is exactly {@code value}; allocates nothing. */
    public boolean segmentEquals(int index, String value) {
        int start = starts[index];
        return end(index) - start == value.length() && text.startsWith(value, start);
    }

    /** Whether segment {@code index} starts with {@code prefix}; allocates nothing. */
    public boolean segmentStartsWith(int index, String prefix) {
        int start = starts[index];
        return end(index) - start >= prefix.length() && text.startsWith(prefix, start);
    }

    private int end(int index) {
        return index + 1 < count ? starts[index + 1] - 1 : text.length();
    }

    /**
     * Whether the value matches a pattern given as one compiled wildcard per segment, with the rule for
     * short patterns described in the class comment.
     */
    public boolean matches(Wildcard[] pattern) {
        int last = pattern.length - 1;
        if (last >= count) {
            return false;
        }
        for (int i = 0; i < last; i++) {
            if (!pattern[i].matches(text, starts[i], end(i))) {
                return false;
            }
        }
        return pattern[last].matches(text, starts[last], text.length());
    }

    @Override
    public String toString() {
        return text;
    }
}
