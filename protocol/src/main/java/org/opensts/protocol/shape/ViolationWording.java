package org.opensts.protocol.shape;

/**
 * How a {@code ValidationError} names the value that broke a constraint. The two Query services word it differently,
 * as AWS's real responses show.
 */
public enum ViolationWording {
    /**
     * STS: {@code Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: …}; an enum constraint lists
     * its values, and each element of a list is reported at its own path.
     */
    QUOTE_VALUE,
    /**
     * IAM: {@code Value at 'roleName' failed to satisfy constraint: …}, never the value; an enum constraint is
     * {@code Member must satisfy enum value set} without the set, and the elements of a list of strings are reported
     * once, at the list, with every constraint of its member:
     * {@code Member must satisfy constraint: [Member must have length less than or equal to 128, …]}.
     */
    OMIT_VALUE;

    /**
     * How many characters of an offending value a message quotes, at most: twice the longest value STS's model allows
     * (2,048 characters for an ARN or a session policy), so that a value just over its limit is still echoed whole as
     * AWS echoes it, and only an abusive one is cut.
     */
    public static final int MAX_QUOTED_LENGTH = 4_096;

    /**
     * The offending value as a message quotes it: whole up to {@value #MAX_QUOTED_LENGTH} characters, otherwise its
     * first {@value #MAX_QUOTED_LENGTH} (never half a surrogate pair) and {@code ...}. A message that echoed the whole
     * value turned a 2 MB request into a 2 MB response and twice that in the audit log; a prefix still shows the
     * caller which value was refused.
     */
    public static String quoted(String value) {
        if (value.length() <= MAX_QUOTED_LENGTH) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_QUOTED_LENGTH - 1)) ? MAX_QUOTED_LENGTH - 1
                : MAX_QUOTED_LENGTH;
        return value.substring(0, end) + "...";
    }
}
