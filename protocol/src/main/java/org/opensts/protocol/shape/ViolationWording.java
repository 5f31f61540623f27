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
    OMIT_VALUE
}
