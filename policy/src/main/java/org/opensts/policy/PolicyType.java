package org.opensts.policy;

/**
 * What a policy document is for, which decides how {@link Policy#parse} validates it.
 *
 * <ul>
 *   <li>{@link #IDENTITY}, {@link #SESSION}, {@link #PERMISSIONS_BOUNDARY} and {@link #SERVICE_CONTROL} policies
 *       name no principal: IAM rejects a {@code Principal} or {@code NotPrincipal} in them.</li>
 *   <li>{@link #RESOURCE} and {@link #TRUST} policies must name one in every statement.</li>
 *   <li>{@link #TRUST} policies (a role's {@code AssumeRolePolicyDocument}) have no {@code Resource} and no
 *       {@code NotPrincipal}, and allow only the {@code sts:} actions that act on a role.</li>
 *   <li>{@link #SIMULATED_RESOURCE} policies are the policy simulator's {@code ResourcePolicy}, which stands for a
 *       resource policy or, when the simulated action assumes a role, for the role's trust policy: they must name a
 *       principal, and may leave {@code Resource} out — a statement without one applies only to the requests a trust
 *       policy governs, as a stored trust policy's statements do.</li>
 * </ul>
 */
public enum PolicyType {
    /** A policy attached to a user, group or role (inline or managed). */
    IDENTITY,
    /** A policy attached to a resource, such as a bucket policy; also the simulator's {@code ResourcePolicy}. */
    RESOURCE,
    /** A role trust policy: the resource policy of the role for {@code sts:AssumeRole*}. */
    TRUST,
    /** A session policy passed to {@code AssumeRole*} or {@code GetFederationToken}. */
    SESSION,
    /** A managed policy used as a user's or role's permissions boundary. */
    PERMISSIONS_BOUNDARY,
    /** A service control policy of an organization, which limits the IAM principals of its accounts. */
    SERVICE_CONTROL,
    /**
     * The policy simulator's {@code ResourcePolicy}: a resource policy, or a role's trust policy when the simulated
     * action assumes the role. A statement without {@code Resource} applies, like a trust policy's, to a role for
     * the actions that assume it or tag its sessions.
     */
    SIMULATED_RESOURCE;

    /** Whether statements of this type must name a principal (and may not otherwise). */
    boolean requiresPrincipal() {
        return this == RESOURCE || this == TRUST || this == SIMULATED_RESOURCE;
    }

    /** Whether IAM stores documents of this type, and so checks their {@code Sid}s. */
    boolean isStoredByIam() {
        return this != RESOURCE && this != SIMULATED_RESOURCE;
    }
}
