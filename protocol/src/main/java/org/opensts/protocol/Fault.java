package org.opensts.protocol;

/** Who is to blame for an error, as the {@code <Type>} element of the AWS error envelope says. */
public enum Fault {
    /** The request was wrong; retrying it unchanged fails again. */
    SENDER("Sender"),
    /** We failed; the client may retry. */
    RECEIVER("Receiver");

    private final String wireName;

    Fault(String wireName) {
        this.wireName = wireName;
    }

    /** The text of {@code <Type>}. */
    public String wireName() {
        return wireName;
    }
}
