package org.opensts.sts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IdentityPolicies;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.PrincipalBindings;
import org.opensts.iam.Role;
import org.opensts.iam.User;
import org.opensts.policy.AuthorizationRequest;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.verifier.AccessRequest.RequestFacts;
import org.opensts.verifier.AuthorizationMessageEncoder;
import org.opensts.verifier.CallerPolicies;
import org.opensts.verifier.SessionAuthorizer;
import org.opensts.verifier.VerifiedCaller;

/**
 * Decides whether a caller may perform an action, with the policy engine and AWS's evaluation logic: the caller's
 * identity policies, limited by its permissions boundary and session policies, together with the resource's policy
 * (for {@code sts:AssumeRole*}, the role's trust policy).
 *
 * <p>The caller's effective permissions and the global condition keys are the verifier's {@link SessionAuthorizer}'s,
 * over the node's (cached) identity store through {@link IamPrincipalDirectory}: STS, IAM and the services that embed
 * the verifier decide with one implementation. This class adds what only STS needs — role trust policies and callers
 * outside IAM — and turns refusals into AWS's {@code AccessDenied}.
 */
public final class Authorizer {
    private final IdentityReader identities;
    private final PolicyCache policies;
    private final PolicyEvaluator evaluator;
    private final IdentityPolicies identityPolicies;
    private final AuthorizationMessages messages;
    private final SessionAuthorizer sessions;

    Authorizer(IdentityReader identities, PolicyCache policies, PolicyEvaluator evaluator,
            AuthorizationMessages messages) {
        this.identities = identities;
        this.policies = policies;
        this.evaluator = evaluator;
        this.identityPolicies = new IdentityPolicies(identities, policies);
        this.messages = messages;
        this.sessions = new SessionAuthorizer(new IamPrincipalDirectory(identities, identityPolicies), evaluator,
                messages.encoder(), 10_000);
    }

    /** The policies of identities, as this authorizer reads them (the policy simulator reads them too). */
    public IdentityPolicies identityPolicies() {
        return identityPolicies;
    }

    /**
     * A resource policy submitted with a request to decide (the authorization API's), its IAM user and role ARNs bound
     * to the unique ids of the entities that bear them now ({@link PrincipalBindings#bindAtEvaluation}): a stored
     * policy was bound when it was saved, a submitted one is bound here, so that both name the same principals.
     */
    public String bindSubmittedResourcePolicy(String document) {
        return PrincipalBindings.bindAtEvaluation(document, identities);
    }

    /** The verifier's authorizer over this node's store, for services that authorize with it (the gateway, the API). */
    public SessionAuthorizer sessionAuthorizer() {
        return sessions;
    }

    /**
     * Evaluates one action.
     *
     * @param resourcePolicy the resource's policy, labelled, if it has one
     * @param resourceAccount the account that owns the resource, if known
     * @param context the request's keys, usually started from {@link #baseContext}
     */
    public Decision evaluate(CallerIdentity caller, String action, String resource, Optional<String> resourceAccount,
            RequestContext context, Optional<LabeledPolicy> resourcePolicy) {
        return evaluate(caller, List.of(action), resource, resourceAccount, context, resourcePolicy).get(0);
    }

    /**
     * Evaluates several actions on one resource, gathering the caller's policies once: AssumeRole with session tags
     * and a source identity needs {@code sts:AssumeRole}, {@code sts:TagSession} and {@code sts:SetSourceIdentity}.
     *
     * @return one decision per action, in order
     */
    public List<Decision> evaluate(CallerIdentity caller, List<String> actions, String resource,
            Optional<String> resourceAccount, RequestContext context, Optional<LabeledPolicy> resourcePolicy) {
        VerifiedCaller verified = verified(caller);
        return sessions.evaluate(verified, sessions.callerPolicies(verified), actions, resource, resourceAccount,
                context, resourcePolicy);
    }

    /**
     * Requires an allow for an action on a resource that has no resource policy.
     *
     * @throws ApiException {@code AccessDenied} in AWS's words otherwise
     */
    public void authorize(CallerIdentity caller, RequestMetadata metadata, String action, String resource) {
        Decision decision = decide(caller, metadata, action, resource);
        if (decision.decision() != EvalDecision.ALLOWED) {
            throw denied(caller, metadata, action, resource, decision);
        }
    }

    /**
     * The {@code AccessDenied} for a refused action on a resource that has no resource policy, as {@link #decide}
     * decided it: AWS's sentence and the encoded authorization message that explains the decision.
     */
    public ApiException denied(CallerIdentity caller, RequestMetadata metadata, String action, String resource,
            Decision decision) {
        return denied(caller, action, resource, Optional.of(decision), baseContext(caller, metadata).build(),
                /* resourceInCallersAccount= */ true);
    }

    /**
     * The {@code AccessDenied} for a refused action, with the encoded authorization message that explains it.
     *
     * @param decision the refusing decision; empty when there was nothing to evaluate (no such role)
     * @param context the keys the decision was made with
     * @param resourceInCallersAccount whether the resource's policy is the caller's account's own: only then may the
     *     message report its statements
     */
    ApiException denied(CallerIdentity caller, String action, String resource, Optional<Decision> decision,
            RequestContext context, boolean resourceInCallersAccount) {
        Optional<String> uniqueId = sessions.callerUniqueId(verified(caller));
        return messages.accessDenied(new AuthorizationMessageEncoder.Refusal(caller.accountId(),
                caller.arn(), caller.userId(), action, resource, decision, context, uniqueId,
                resourceInCallersAccount));
    }

    /** The decision for an action on a resource that has no resource policy, for callers that act on its detail. */
    public Decision decide(CallerIdentity caller, RequestMetadata metadata, String action, String resource) {
        return evaluate(caller, action, resource, Optional.empty(), baseContext(caller, metadata).build(),
                Optional.empty());
    }

    /**
     * {@link #decide(CallerIdentity, RequestMetadata, String, String)} with the request's keys given, usually
     * {@link #baseContext} and the action's own keys (an IAM action's {@code iam:PolicyARN}, say).
     */
    public Decision decide(CallerIdentity caller, String action, String resource, RequestContext context) {
        return evaluate(caller, action, resource, Optional.empty(), context, Optional.empty());
    }

    /**
     * The {@code AccessDenied} for a refused action on a resource that has no resource policy, as
     * {@link #decide(CallerIdentity, String, String, RequestContext)} decided it with {@code context}.
     */
    public ApiException denied(CallerIdentity caller, String action, String resource, Decision decision,
            RequestContext context) {
        return denied(caller, action, resource, Optional.of(decision), context,
                /* resourceInCallersAccount= */ true);
    }

    /** The caller's policies (see {@link SessionAuthorizer#callerPolicies}). */
    CallerPolicies callerPolicies(CallerIdentity caller) {
        return sessions.callerPolicies(verified(caller));
    }

    /**
     * The global condition keys every request carries (see {@link SessionAuthorizer#baseContext}): the caller's keys,
     * its principal tags, the session's MFA state, issue time and source identity, and the request's own.
     */
    public RequestContext.Builder baseContext(CallerIdentity caller, RequestMetadata metadata) {
        return sessions.baseContext(verified(caller), facts(metadata));
    }

    /**
     * The keys a principal carries ({@link RequestPrincipal#contextKeys()}) and those of the request itself: its time,
     * source address, transport, region and user agent. A caller outside IAM — a web identity or SAML federated
     * principal — has nothing more.
     */
    public RequestContext.Builder requestContext(RequestPrincipal principal, RequestMetadata metadata) {
        return SessionAuthorizer.requestContext(principal, facts(metadata));
    }

    /** A role's trust policy as the engine evaluates it: its principals bound to the unique ids saved with it. */
    LabeledPolicy trustPolicy(Role role) {
        return trustPolicy(role, role.arn());
    }

    /** {@link #trustPolicy(Role)} for a caller that has the role's ARN at hand. */
    LabeledPolicy trustPolicy(Role role, String roleArn) {
        return LabeledPolicy.of(roleArn, SourcePolicyType.RESOURCE,
                policies.stored(role.trustPolicy().evaluatedDocument(), PolicyType.TRUST));
    }

    /**
     * Evaluates a role's trust policy for a caller outside IAM, a web identity or SAML federated principal: it has no
     * policies of its own, so the trust policy alone decides (IAM User Guide, "Policy evaluation logic").
     *
     * @return one decision per action, in order
     */
    List<Decision> evaluateTrust(RequestPrincipal federated, List<String> actions, Role role,
            RequestContext context) {
        Optional<LabeledPolicy> trustPolicy = Optional.of(trustPolicy(role));
        var decisions = new ArrayList<Decision>(actions.size());
        for (String action : actions) {
            decisions.add(evaluator.evaluate(new AuthorizationRequest(federated, action, role.arn(),
                    Optional.of(role.accountId()), context, List.of(), Optional.empty(), Optional.empty(),
                    trustPolicy)));
        }
        return decisions;
    }

    /**
     * The caller's principal tags: an IAM user's tags; for a role session the role's tags overridden, key by key and
     * regardless of case, by the session's tags (IAM User Guide, "Pass session tags in AWS STS").
     */
    Map<String, String> principalTags(CallerIdentity caller) {
        return sessions.principalTags(verified(caller));
    }

    /** The caller as the verifier knows it: the same account, ARN, ids and session. */
    public static VerifiedCaller verified(CallerIdentity caller) {
        return new VerifiedCaller(caller.accountId(), caller.arn(), caller.userId(), caller.accessKeyId(),
                caller.user().map(User::userId), caller.session());
    }

    /** What the transport saw, as the verifier's global keys need it. */
    static RequestFacts facts(RequestMetadata metadata) {
        return new RequestFacts(metadata.receivedAt(), metadata.sourceIp(), metadata.secureTransport(),
                Optional.of(metadata.region()), metadata.userAgent());
    }
}
