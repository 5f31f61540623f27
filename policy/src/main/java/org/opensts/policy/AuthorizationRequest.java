package org.opensts.policy;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opensts.policy.internal.ArnSegments;

/**
 * Everything one authorization decision depends on.
 *
 * @param principal who is asking
 * @param action the action, {@code service:Action}, matched case-insensitively
 * @param resource the resource ARN, or {@code *} (as the simulator does when no resource is given)
 * @param resourceAccount the account that owns the resource and its resource policy when the resource ARN names
 *     none (an S3 bucket, say): a resource ARN's account field wins, and without either the resource is the
 *     caller's account's (the policy simulator's {@code ResourceOwner} follows the same rule)
 * @param context the request's condition keys
 * @param identityPolicies the policies of the caller's user (with its groups) or role; for a role session the
 *     role's, for a federated user those of the IAM user who created it
 * @param permissionsBoundary empty when no boundary applies; present and empty means a boundary that allows
 *     nothing
 * @param sessionPolicies empty when no session policy applies; present and empty means one applies and allows
 *     nothing (a {@code GetFederationToken} session created without a policy)
 * @param resourcePolicy the policy of the resource; for {@code sts:AssumeRole*}, the role's trust policy (then
 *     {@code resource} is the role ARN and {@code resourceAccount} the role's account)
 * @param serviceControlPolicies the service control policies of the caller's organization, one list per level of
 *     its hierarchy from the root down to the account; empty when the caller's account belongs to no organization
 * @param resourceIsPattern whether {@code resource} names a set of resources by a pattern — the policy simulator's
 *     {@code *} for an action that has resource types, or an ARN with wildcards — rather than one resource: then a
 *     statement is matched against some resource of the set (see {@link PolicyStatement})
 */
public record AuthorizationRequest(
        RequestPrincipal principal,
        String action,
        String resource,
        Optional<String> resourceAccount,
        RequestContext context,
        List<LabeledPolicy> identityPolicies,
        Optional<List<LabeledPolicy>> permissionsBoundary,
        Optional<List<LabeledPolicy>> sessionPolicies,
        Optional<LabeledPolicy> resourcePolicy,
        List<List<LabeledPolicy>> serviceControlPolicies,
        boolean resourceIsPattern) {

    /** The account field of the ARNs of resources that belong to AWS itself, such as AWS managed policies. */
    private static final String AWS_OWNER = "aws";

    public AuthorizationRequest {
        requireNonNull(principal, "principal");
        requireNonNull(action, "action");
        requireNonNull(resource, "resource");
        requireNonNull(resourceAccount, "resourceAccount");
        requireNonNull(context, "context");
        identityPolicies = List.copyOf(identityPolicies);
        permissionsBoundary = permissionsBoundary.map(List::copyOf);
        sessionPolicies = sessionPolicies.map(List::copyOf);
        requireNonNull(resourcePolicy, "resourcePolicy");
        // Outside an organization there are none: no stream to build for each request.
        serviceControlPolicies = serviceControlPolicies.isEmpty() ? List.of()
                : serviceControlPolicies.stream().map(List::copyOf).toList();
    }

    /** A request for one resource, outside any organization. */
    public AuthorizationRequest(RequestPrincipal principal, String action, String resource,
            Optional<String> resourceAccount, RequestContext context, List<LabeledPolicy> identityPolicies,
            Optional<List<LabeledPolicy>> permissionsBoundary, Optional<List<LabeledPolicy>> sessionPolicies,
            Optional<LabeledPolicy> resourcePolicy) {
        this(principal, action, resource, resourceAccount, context, identityPolicies, permissionsBoundary,
                sessionPolicies, resourcePolicy, List.of(), false);
    }

    /** Starts a request of {@code principal} to perform {@code action} on {@code resource}. */
    public static Builder builder(RequestPrincipal principal, String action, String resource) {
        return new Builder(principal, action, resource);
    }

    /**
     * The account that owns the resource: the account field of the resource ARN if it has one, else
     * {@link #resourceAccount()} if given, else the caller's account. Empty for a resource that belongs to AWS rather
     * than to an account ({@code arn:aws:iam::aws:policy/…}): its ARN names its owner, so {@code resourceAccount},
     * which stands only for the owner of "any simulated resource that does not identify its owner in the resource
     * ARN" (IAM API Reference, SimulateCustomPolicy), does not apply to it, and no request for it is cross-account.
     */
    public Optional<String> effectiveResourceAccount() {
        return effectiveResourceAccount(ArnSegments.of(resource));
    }

    /** {@link #effectiveResourceAccount()} for a resource already split. */
    Optional<String> effectiveResourceAccount(ArnSegments resourceSegments) {
        if (resourceSegments.count() == ArnSegments.ARN_SEGMENTS) {
            if (resourceSegments.segmentEquals(4, AWS_OWNER)) {
                return Optional.empty();
            }
            String account = resourceSegments.segment(4);
            if (RequestPrincipal.isAccountId(account)) {
                return Optional.of(account);
            }
        }
        return resourceAccount.or(principal::accountId);
    }

    /** Builds an {@link AuthorizationRequest}; unset parts default to empty. */
    public static final class Builder {
        private final RequestPrincipal principal;
        private final String action;
        private final String resource;
        private Optional<String> resourceAccount = Optional.empty();
        private RequestContext context = RequestContext.empty();
        private final List<LabeledPolicy> identityPolicies = new ArrayList<>();
        private Optional<List<LabeledPolicy>> permissionsBoundary = Optional.empty();
        private Optional<List<LabeledPolicy>> sessionPolicies = Optional.empty();
        private Optional<LabeledPolicy> resourcePolicy = Optional.empty();
        private final List<List<LabeledPolicy>> serviceControlPolicies = new ArrayList<>();
        private boolean resourceIsPattern;

        private Builder(RequestPrincipal principal, String action, String resource) {
            this.principal = requireNonNull(principal, "principal");
            this.action = requireNonNull(action, "action");
            this.resource = requireNonNull(resource, "resource");
        }

        public Builder resourceAccount(String accountId) {
            this.resourceAccount = Optional.of(accountId);
            return this;
        }

        public Builder context(RequestContext context) {
            this.context = requireNonNull(context, "context");
            return this;
        }

        public Builder identityPolicy(LabeledPolicy policy) {
            identityPolicies.add(requireNonNull(policy, "policy"));
            return this;
        }

        public Builder identityPolicies(List<LabeledPolicy> policies) {
            identityPolicies.addAll(policies);
            return this;
        }

        /** Applies a permissions boundary made of {@code policies} (AWS allows one; the simulator takes a list). */
        public Builder permissionsBoundary(List<LabeledPolicy> policies) {
            this.permissionsBoundary = Optional.of(List.copyOf(policies));
            return this;
        }

        /** Applies session policies; an empty list is a session policy that allows nothing. */
        public Builder sessionPolicies(List<LabeledPolicy> policies) {
            this.sessionPolicies = Optional.of(List.copyOf(policies));
            return this;
        }

        public Builder resourcePolicy(LabeledPolicy policy) {
            this.resourcePolicy = Optional.of(policy);
            return this;
        }

        /** Adds the next level of the organization's hierarchy, root first, with its service control policies. */
        public Builder serviceControlPolicyLevel(List<LabeledPolicy> policies) {
            serviceControlPolicies.add(List.copyOf(policies));
            return this;
        }

        /** Reads the resource as a pattern naming a set of resources (see {@link #resourceIsPattern()}). */
        public Builder resourceIsPattern(boolean pattern) {
            this.resourceIsPattern = pattern;
            return this;
        }

        public AuthorizationRequest build() {
            return new AuthorizationRequest(principal, action, resource, resourceAccount, context, identityPolicies,
                    permissionsBoundary, sessionPolicies, resourcePolicy, serviceControlPolicies, resourceIsPattern);
        }
    }
}
