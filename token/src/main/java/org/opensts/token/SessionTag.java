package org.opensts.token;

import static java.util.Objects.requireNonNull;

/**
 * A session tag: a key and a value that become {@code aws:PrincipalTag/<key>} in every request made with the session.
 *
 * <p>AWS's limits hold for every instance (STS API Reference, data type "Tag"; IAM User Guide, "IAM and AWS STS
 * quotas"): the key is 1..128 characters and the value 0..256, both drawn from letters, separators, numbers and
 * {@code _.:/=+-@}. Keys compare case-insensitively within a session; {@link Session} enforces that.
 *
 * @param key the tag key, case preserved
 * @param value the tag value, possibly empty
 */
public record SessionTag(String key, String value) {
    /** The longest tag key, in characters. */
    public static final int MAX_KEY_LENGTH = 128;
    /** The longest tag value, in characters. */
    public static final int MAX_VALUE_LENGTH = 256;

    /** @throws IllegalArgumentException if the key or value breaks AWS's length or character rules */
    public SessionTag {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("tag key must be 1.." + MAX_KEY_LENGTH + " characters: " + key);
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("tag value must be at most " + MAX_VALUE_LENGTH + " characters");
        }
        if (!isTagText(key) || !isTagText(value)) {
            throw new IllegalArgumentException("tag key and value must match [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*: " + key);
        }
    }

    /** AWS's tag character class {@code [\p{L}\p{Z}\p{N}_.:/=+\-@]}, checked without a regular expression. */
    private static boolean isTagText(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ' '
                        || "_.:/=+-@".indexOf(c) >= 0)) {
                    return false;
                }
            } else if (!isLetterSeparatorOrNumber(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterSeparatorOrNumber(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                    Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                    Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> true;
            default -> false;
        };
    }
}
