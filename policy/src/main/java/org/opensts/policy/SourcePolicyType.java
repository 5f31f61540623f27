package org.opensts.policy;

/**
 * Where a policy came from, and the {@code SourcePolicyType} the IAM policy simulator reports for its statements.
 *
 * <p>AWS's real responses do not use the model's {@code PolicySourceType} enum ({@code user}, {@code group},
 * {@code aws-managed}, …): every identity policy — inline, managed or given as {@code PolicyInputList} — is reported
 * as {@code IAM Policy}, a resource policy as {@code Resource Policy}, a permissions boundary as
 * {@code Permissions Boundary Policy}.
 */
public enum SourcePolicyType {
    USER("IAM Policy"),
    GROUP("IAM Policy"),
    ROLE("IAM Policy"),
    AWS_MANAGED("IAM Policy"),
    USER_MANAGED("IAM Policy"),
    RESOURCE("Resource Policy"),
    PERMISSIONS_BOUNDARY("Permissions Boundary Policy"),
    /** A policy given as text, such as a simulator's {@code PolicyInputList.N} or a session policy. */
    NONE("IAM Policy");

    private final String wireName;

    SourcePolicyType(String wireName) {
        this.wireName = wireName;
    }

    /** The simulator's {@code SourcePolicyType}, as AWS's real responses spell it, such as {@code IAM Policy}. */
    public String wireName() {
        return wireName;
    }
}
