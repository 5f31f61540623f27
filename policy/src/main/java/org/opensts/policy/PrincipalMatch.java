package org.opensts.policy;

/**
 * How a statement's {@code Principal} names the caller, which decides what an allow in a resource policy is
 * worth (IAM User Guide, "Policy evaluation logic" and "Permissions boundaries"). Ordered from weakest to
 * strongest, so the strongest of several names is {@code max}.
 */
enum PrincipalMatch {
    /** The caller is not named. */
    NONE,
    /**
     * The caller's account is named (account id or {@code arn:aws:iam::A:root}): the policy delegates to the
     * account, whose identity policies must allow too.
     */
    ACCOUNT,
    /**
     * The entity behind the session is named: the role of a role session, or the IAM user who created a
     * federated user. Same-account grants of this kind are limited by the permissions boundary and session
     * policies, but need no identity policy.
     */
    ISSUER,
    /**
     * The caller itself is named (its user, role-session or federated-user ARN, its provider or service), or
     * everyone is ({@code "*"}). A same-account grant of this kind stands on its own.
     */
    DIRECT
}
