package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A name with the wildcards a {@code PolicyExclusionList} identifier allows: at most one {@code *} (any run of
 * characters, including none) and any number of {@code ?} (exactly one character each). Matching compares the part
 * before the {@code *} with the name's start and the part after it with the name's end, so it is linear in the name
 * and needs no regular expression.
 */
record NamePattern(String pattern) {
    /** An IAM entity or policy name ({@code policyNameType}, {@code userNameType}, …). */
    static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    /** A name in which {@code *} and {@code ?} stand for characters. */
    static final Pattern WILDCARD_NAME = Pattern.compile("[\\w+=,.@*?-]{1,128}");
    /** A managed policy's path, {@code /} or {@code /a/b/}: printable ASCII but no wildcard, which only names hold. */
    static final Pattern PATH = Pattern.compile("/|/[\\x21-\\x7E&&[^*?]]{1,510}/");
    /** {@code aws}, {@code aws-cn}, {@code aws-us-gov}, … */
    static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");

    NamePattern {
        requireNonNull(pattern, "pattern");
        if (pattern.indexOf('*') != pattern.lastIndexOf('*')) {
            throw new IllegalArgumentException("at most one * is allowed: " + pattern);
        }
    }

    /** Whether {@code name}, case for case, is one the pattern stands for. */
    boolean matches(String name) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return name.length() == pattern.length() && matchesAt(name, 0, pattern, 0, pattern.length());
        }
        int suffixLength = pattern.length() - star - 1;
        return name.length() >= star + suffixLength
                && matchesAt(name, 0, pattern, 0, star)
                && matchesAt(name, name.length() - suffixLength, pattern, star + 1, suffixLength);
    }

    private static boolean matchesAt(String name, int nameFrom, String pattern, int patternFrom, int length) {
        for (int i = 0; i < length; i++) {
            char wanted = pattern.charAt(patternFrom + i);
            if (wanted != '?' && wanted != name.charAt(nameFrom + i)) {
                return false;
            }
        }
        return true;
    }
}
