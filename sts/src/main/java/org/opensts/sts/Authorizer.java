package org.opensts.sts;

import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opensts.iam.IdentityPolicies;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Role;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.policy.AuthorizationRequest;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;

/**
 * Decides whether a caller may perform an action, with the policy engine and AWS's evaluation logic: the caller's
 * identity policies, limited by its permissions boundary and session policies, together with the resource's policy
 * (for {@code sts:AssumeRole*}, the role's trust policy).
 *
 * <p>This class gathers the inputs — policies from the (cached) identity store, compiled once by {@link PolicyCache};
 * the request context with every global condition key AWS sets for such a request (IAM User Guide, "AWS global
 * condition context keys") — and leaves the decision to {@link PolicyEvaluator}.
 */
public final class Authorizer {
    private final IdentityReader identities;
    private final PolicyCache policies;
    private final PolicyEvaluator evaluator;
    private final IdentityPolicies identityPolicies;
    private final AuthorizationMessages messages;

    Authorizer(IdentityReader identities, PolicyCache policies, PolicyEvaluator evaluator,
            AuthorizationMessages messages) {
        this.identities = identities;
        this.policies = policies;
        this.evaluator = evaluator;
        this.identityPolicies = new IdentityPolicies(identities, policies);
        this.messages = messages;
    }

    /** The policies of identities, as this authorizer reads them (the policy simulator reads them too). */
    public IdentityPolicies identityPolicies() {
        return identityPolicies;
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
        CallerPolicies callerPolicies = callerPolicies(caller);
        RequestPrincipal principal = callerPolicies.uniqueId().map(caller.principal()::withUniqueId)
                .orElseGet(caller::principal);
        var decisions = new ArrayList<Decision>(actions.size());
        for (String action : actions) {
            decisions.add(evaluator.evaluate(new AuthorizationRequest(principal, action, resource, resourceAccount,
                    context, callerPolicies.identity(), callerPolicies.boundary(), callerPolicies.session(),
                    resourcePolicy)));
        }
        return decisions;
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
        Optional<String> uniqueId = callerPolicies(caller).uniqueId();
        return messages.accessDenied(new AuthorizationMessages.Refusal(caller, action, resource, decision, context,
                uniqueId, resourceInCallersAccount));
    }

    /** The decision for an action on a resource that has no resource policy, for callers that act on its detail. */
    public Decision decide(CallerIdentity caller, RequestMetadata metadata, String action, String resource) {
        return evaluate(caller, action, resource, Optional.empty(), baseContext(caller, metadata).build(),
                Optional.empty());
    }

    /**
     * The policies that speak for the caller — identity policies, permissions boundary and session policies — and the
     * unique id of the user or role they come from, while it exists (see {@link RequestPrincipal#uniqueId()}).
     */
    record CallerPolicies(List<LabeledPolicy> identity, Optional<List<LabeledPolicy>> boundary,
            Optional<List<LabeledPolicy>> session, Optional<String> uniqueId) {
    }

    /**
     * The caller's policies, from the user or role behind it found by unique id: a session of a user or role that has
     * been deleted has none, even if another one of the same name exists now.
     */
    CallerPolicies callerPolicies(CallerIdentity caller) {
        if (caller.session().isEmpty()) {
            User user = caller.user().orElseThrow();
            return new CallerPolicies(identityPolicies.ofUser(user),
                    identityPolicies.boundary(user.permissionsBoundaryArn()), Optional.empty(),
                    Optional.of(user.userId()));
        }
        Session session = caller.session().get();
        return switch (session.type()) {
            case ASSUMED_ROLE -> {
                Optional<Role> role = sessionRole(session);
                yield new CallerPolicies(role.map(identityPolicies::ofRole).orElse(List.of()),
                        role.flatMap(r -> identityPolicies.boundary(r.permissionsBoundaryArn())),
                        sessionPolicies(session), role.map(Role::roleId));
            }
            // A federated user may do what both its issuing user and its session policy allow; with no session
            // policy it may do nothing (STS API Reference, GetFederationToken).
            case FEDERATED_USER -> {
                Optional<User> issuer = issuingUser(session);
                yield new CallerPolicies(issuer.map(identityPolicies::ofUser).orElse(List.of()),
                        issuer.flatMap(user -> identityPolicies.boundary(user.permissionsBoundaryArn())),
                        Optional.of(sessionPolicies(session).orElse(List.of())), issuer.map(User::userId));
            }
            case SESSION_USER -> new CallerPolicies(caller.user().map(identityPolicies::ofUser).orElse(List.of()),
                    caller.user().flatMap(user -> identityPolicies.boundary(user.permissionsBoundaryArn())),
                    Optional.empty(), caller.user().map(User::userId));
        };
    }

    /**
     * The IAM user who called GetFederationToken, found by the unique id the session carries, if it still exists. A
     * token sealed before tokens carried that id has no issuer: by name it could be a namesake.
     */
    private Optional<User> issuingUser(Session session) {
        return session.sourceUniqueId()
                .flatMap(identities::findUserById)
                .filter(user -> user.accountId().equals(session.accountId()));
    }

    /**
     * The session's policies: its inline session policy and the managed policies it named. A managed session policy
     * that no longer resolves grants nothing, which only narrows the session.
     */
    private Optional<List<LabeledPolicy>> sessionPolicies(Session session) {
        if (session.sessionPolicies().isEmpty() && session.policyArns().isEmpty()) {
            return Optional.empty();
        }
        var labeled = new ArrayList<LabeledPolicy>();
        for (String document : session.sessionPolicies()) {
            labeled.add(LabeledPolicy.of("SessionPolicy", SourcePolicyType.NONE,
                    policies.stored(document, PolicyType.SESSION)));
        }
        for (String policyArn : session.policyArns()) {
            identityPolicies.managedPolicy(policyArn).flatMap(identityPolicies::defaultVersionDocument)
                    .ifPresent(document -> labeled.add(
                    LabeledPolicy.of(policyArn, SourcePolicyType.NONE, policies.stored(document, PolicyType.SESSION))));
        }
        return Optional.of(labeled);
    }

    /**
     * The role behind a role session, if it still exists and is the same role: a role deleted and created again under
     * the same name has a new id, and the old role's sessions must not inherit the new role's permissions.
     */
    Optional<Role> sessionRole(Session session) {
        return session.sourceUniqueId()
                .flatMap(identities::findRoleById)
                .filter(role -> role.accountId().equals(session.accountId()));
    }

    /**
     * The global condition keys every request carries: the caller's keys ({@code aws:PrincipalArn},
     * {@code aws:userid}, …), its tags as {@code aws:PrincipalTag/…}, the session's MFA state, issue time and source
     * identity, and the request's time, source address, transport and region (IAM User Guide, "AWS global condition
     * context keys").
     */
    public RequestContext.Builder baseContext(CallerIdentity caller, RequestMetadata metadata) {
        RequestContext.Builder context = requestContext(caller.principal(), metadata);
        principalTags(caller).forEach((key, value) ->
                context.put(GlobalConditionKeys.PRINCIPAL_TAG_PREFIX + key, value));
        caller.session().ifPresent(session -> {
            // aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials (IAM User Guide,
            // "AWS global condition context keys").
            context.put(GlobalConditionKeys.TOKEN_ISSUE_TIME, DateTimeFormatter.ISO_INSTANT.format(session.issuedAt()));
            context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT,
                    Boolean.toString(session.mfaAuthenticatedAt().isPresent()));
            session.mfaAuthenticatedAt().ifPresent(at -> context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_AGE,
                    Long.toString(Math.max(0, Duration.between(at, metadata.receivedAt()).toSeconds()))));
            session.sourceIdentity().ifPresent(id -> context.put(GlobalConditionKeys.SOURCE_IDENTITY, id));
            session.federatedProvider().ifPresent(provider ->
                    context.put(GlobalConditionKeys.FEDERATED_PROVIDER, provider));
            session.federationClaims().forEach(context::put);
        });
        return context;
    }

    /**
     * The keys a principal carries ({@link RequestPrincipal#contextKeys()}) and those of the request itself: its time,
     * source address, transport, region and user agent. A caller outside IAM — a web identity or SAML federated
     * principal — has nothing more.
     */
    public RequestContext.Builder requestContext(RequestPrincipal principal, RequestMetadata metadata) {
        RequestContext.Builder context = RequestContext.builder().principal(principal);
        context.put(GlobalConditionKeys.CURRENT_TIME, DateTimeFormatter.ISO_INSTANT.format(metadata.receivedAt()));
        context.put(GlobalConditionKeys.EPOCH_TIME, Long.toString(metadata.receivedAt().getEpochSecond()));
        context.put(GlobalConditionKeys.SOURCE_IP, metadata.sourceIp());
        context.put(GlobalConditionKeys.SECURE_TRANSPORT, Boolean.toString(metadata.secureTransport()));
        context.put(GlobalConditionKeys.REQUESTED_REGION, metadata.region());
        metadata.userAgent().ifPresent(agent -> context.put(GlobalConditionKeys.USER_AGENT, agent));
        return context;
    }

    /** A role's trust policy as the engine evaluates it: its principals bound to the unique ids saved with it. */
    LabeledPolicy trustPolicy(Role role) {
        return LabeledPolicy.of(role.arn(), SourcePolicyType.RESOURCE,
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
        var tags = new LinkedHashMap<String, Tag>();
        if (caller.session().isEmpty()) {
            caller.user().ifPresent(user -> user.tags().forEach(tag -> tags.put(lower(tag.key()), tag)));
        } else {
            Session session = caller.session().get();
            switch (session.type()) {
                case ASSUMED_ROLE -> sessionRole(session).ifPresent(role ->
                        role.tags().forEach(tag -> tags.put(lower(tag.key()), tag)));
                case SESSION_USER -> caller.user().ifPresent(user ->
                        user.tags().forEach(tag -> tags.put(lower(tag.key()), tag)));
                case FEDERATED_USER -> issuingUser(session).ifPresent(user ->
                        user.tags().forEach(tag -> tags.put(lower(tag.key()), tag)));
            }
            for (SessionTag tag : session.tags()) {
                tags.put(lower(tag.key()), new Tag(tag.key(), tag.value()));
            }
        }
        var result = new LinkedHashMap<String, String>();
        tags.values().forEach(tag -> result.put(tag.key(), tag.value()));
        return result;
    }

    private static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
