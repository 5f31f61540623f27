package org.opensts.policy;

/**
 * What a policy document is for, which decides how {@link Policy#parse} validates it.
 *
 * <ul>
 *   <li>{@link #IDENTITY}, {@link #SESSION} and {@link #PERMISSIONS_BOUNDARY} policies name no principal:
 *       IAM rejects a {@code Principal} or {@code NotPrincipal} in them.</li>
 *   <li>{@link #RESOURCE} and {@link #TRUST} policies must name one in every statement.</li>
 *   <li>{@link #TRUST} policies (a role's {@code AssumeRolePolicyDocument}) have no {@code Resource}, and
 *       allow only the {@code sts:} actions that act on a role.</li>
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
    PERMISSIONS_BOUNDARY;

    /** Whether statements of this type must name a principal (and may not otherwise). */
    boolean requiresPrincipal() {
        return this == RESOURCE || this == TRUST;
    }
}
