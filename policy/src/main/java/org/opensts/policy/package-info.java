/**
 * The IAM policy language: policy documents parsed and validated the way IAM does, compiled once into an
 * immutable {@link org.opensts.policy.Policy}, and evaluated for one request by
 * {@link org.opensts.policy.PolicyEvaluator} with AWS's rules for identity policies, permissions boundaries,
 * session policies, resource policies and role trust policies.
 *
 * <p>A {@link org.opensts.policy.Decision} explains itself: the statements that decided it and the
 * condition keys the request lacked, in the shape the IAM policy simulator reports them. The package is a
 * pure core: values in, values out, no I/O, no clock; time-dependent keys such as {@code aws:CurrentTime}
 * arrive in the {@link org.opensts.policy.RequestContext}.
 */
package org.opensts.policy;
