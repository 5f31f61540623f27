package org.opensts.token;

/** What kind of principal a session stands for; it decides the shape of the principal ARN and id. */
public enum SessionType {
    /**
     * A role session from {@code AssumeRole}, {@code AssumeRoleWithSAML} or {@code AssumeRoleWithWebIdentity}:
     * {@code arn:aws:sts::A:assumed-role/R/S}, principal id {@code AROA…:S}.
     */
    ASSUMED_ROLE,
    /** A federated user from {@code GetFederationToken}: {@code arn:aws:sts::A:federated-user/N}, id {@code A:N}. */
    FEDERATED_USER,
    /**
     * A session of an IAM user or the root user from {@code GetSessionToken}: the user's own ARN and id
     * ({@code AIDA…}, or the account id for root).
     */
    SESSION_USER
}
