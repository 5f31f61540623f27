package org.opensts.policy;

import java.util.Optional;

/**
 * The kind of caller a request comes from. Each kind matches {@code Principal} elements differently and
 * sets different global keys ({@code aws:PrincipalType}, {@code aws:userid}, {@code aws:username}).
 */
public enum PrincipalType {
    /** The account root user, {@code arn:aws:iam::A:root}. */
    ACCOUNT("Account"),
    /** An IAM user, {@code arn:aws:iam::A:user/path/name}. */
    USER("User"),
    /**
     * An IAM role named as the caller itself, {@code arn:aws:iam::A:role/name}: what the policy simulator's
     * {@code CallerArn} may name. Evaluated like a session of that role whose session name is unknown.
     */
    ROLE("AssumedRole"),
    /** A role session, {@code arn:aws:sts::A:assumed-role/role/session}, from any {@code AssumeRole*}. */
    ASSUMED_ROLE("AssumedRole"),
    /** A federated user from {@code GetFederationToken}, {@code arn:aws:sts::A:federated-user/name}. */
    FEDERATED_USER("FederatedUser"),
    /** The caller of {@code AssumeRoleWithWebIdentity}, known by its identity provider. */
    WEB_IDENTITY(null),
    /** The caller of {@code AssumeRoleWithSAML}, known by its SAML provider. */
    SAML(null),
    /** An AWS service principal such as {@code ec2.amazonaws.com}. */
    SERVICE(null),
    /** An unauthenticated caller. */
    ANONYMOUS("Anonymous");

    private final String awsPrincipalType;

    PrincipalType(String awsPrincipalType) {
        this.awsPrincipalType = awsPrincipalType;
    }

    /** The value of {@code aws:PrincipalType} for this kind of caller, if AWS defines one. */
    public Optional<String> awsPrincipalType() {
        return Optional.ofNullable(awsPrincipalType);
    }
}
