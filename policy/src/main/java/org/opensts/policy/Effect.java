package org.opensts.policy;

/** A statement's {@code Effect}, spelled on the wire exactly as the enum constant's {@link #wireName()}. */
public enum Effect {
    ALLOW("Allow"),
    DENY("Deny");

    private final String wireName;

    Effect(String wireName) {
        this.wireName = wireName;
    }

    /** {@code Allow} or {@code Deny}, as in a policy document. */
    public String wireName() {
        return wireName;
    }
}
