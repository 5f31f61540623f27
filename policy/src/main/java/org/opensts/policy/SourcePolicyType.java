package org.opensts.policy;

/** Where a policy came from, as the IAM simulator's {@code PolicySourceType} reports it. */
public enum SourcePolicyType {
    USER("user"),
    GROUP("group"),
    ROLE("role"),
    AWS_MANAGED("aws-managed"),
    USER_MANAGED("user-managed"),
    RESOURCE("resource"),
    NONE("none");

    private final String wireName;

    SourcePolicyType(String wireName) {
        this.wireName = wireName;
    }

    /** The simulator's spelling, such as {@code user-managed}. */
    public String wireName() {
        return wireName;
    }
}
