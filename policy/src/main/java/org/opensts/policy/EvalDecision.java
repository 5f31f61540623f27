package org.opensts.policy;

/** The outcome of an evaluation, with the IAM policy simulator's {@code PolicyEvaluationDecisionType} strings. */
public enum EvalDecision {
    /** Some applicable policy allowed the request and none denied it. */
    ALLOWED("allowed"),
    /** A statement that applied to the request denied it; nothing can override that. */
    EXPLICIT_DENY("explicitDeny"),
    /** No statement allowed the request (or a required policy did not), and none denied it. */
    IMPLICIT_DENY("implicitDeny");

    private final String wireName;

    EvalDecision(String wireName) {
        this.wireName = wireName;
    }

    /** {@code allowed}, {@code explicitDeny} or {@code implicitDeny}. */
    public String wireName() {
        return wireName;
    }
}
