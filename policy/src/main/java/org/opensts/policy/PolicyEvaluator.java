package org.opensts.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides one request the way AWS does. Stateless and thread-safe; does no I/O.
 *
 * <p>The rules, from the IAM User Guide ("Policy evaluation logic", "Cross-account policy evaluation logic",
 * "Permissions boundaries", "Session policies", "Service control policies") and the rules AWS applies to particular
 * resources ({@link AwsResourceRules}):
 * <ol>
 *   <li>{@code sts:GetCallerIdentity} is always allowed.</li>
 *   <li>A {@code Deny} statement that applies, in any policy — identity, boundary, session, resource or service
 *       control policy — makes the decision an explicit deny. Nothing overrides it.</li>
 *   <li>Service control policies (for IAM principals of an account in an organization) must allow at every level
 *       of the organization; they only ever take permissions away. The account's root user cannot assume a
 *       role.</li>
 *   <li>Resources that belong to AWS cannot be changed by any customer principal.</li>
 *   <li>The caller's side allows when an identity policy allows, the permissions boundary (if one applies)
 *       allows, and the session policies (if any apply) allow: boundaries and session policies only ever take
 *       permissions away. The account root user needs no identity policy.</li>
 *   <li>Without a resource policy, the caller's side decides — except across accounts and for resources that must
 *       be granted by their own policy (role trust policies, KMS key policies), which are then implicitly denied.</li>
 *   <li>Same account: a resource policy that names the caller itself (its user, role-session or federated-user
 *       ARN, or {@code "*"}) grants on its own, beyond any implicit deny of identity policies, boundary or
 *       session policies. One that names the role behind a session, or the IAM user behind a federated user,
 *       grants too, but within the boundary and session policies. One that names only the account delegates to
 *       the account: the caller's side must allow — and for a resource that must be granted by its own policy,
 *       that is the only way an identity policy counts.</li>
 *   <li>Cross-account (the resource's account is not the caller's): the caller's side and the resource policy
 *       must both allow.</li>
 *   <li>Callers outside IAM — web identity and SAML federated callers, service principals, anonymous callers —
 *       have no identity policies: the resource (trust) policy alone decides.</li>
 * </ol>
 * Every statement whose action and resource match is evaluated, even when the outcome is already known, so
 * that the decision lists every condition key those statements needed and the request lacked.
 */
public final class PolicyEvaluator {
    private final ActionCatalog catalog;
    private final AwsResourceRules awsRules;

    /** An evaluator that knows AWS's actions from the bundled {@link ActionCatalog}. */
    public PolicyEvaluator() {
        this(ActionCatalog.aws());
    }

    public PolicyEvaluator(ActionCatalog catalog) {
        this.catalog = catalog;
        this.awsRules = new AwsResourceRules(catalog);
    }

    /** The actions this evaluator knows, for callers that prepare requests (see {@link ActionCatalog}). */
    public ActionCatalog actionCatalog() {
        return catalog;
    }

    /** Decides {@code request}. Never throws for a well-formed request; a decision is a value. */
    public Decision evaluate(AuthorizationRequest request) {
        var scope = new EvaluationScope(request);
        RequestPrincipal principal = request.principal();
        boolean iamPrincipal = hasIdentityPolicies(principal);

        Outcome identity = evaluate(scope, request.identityPolicies());
        Optional<Outcome> boundary = request.permissionsBoundary().map(policies -> evaluate(scope, policies));
        Optional<Outcome> session = request.sessionPolicies().map(policies -> evaluate(scope, policies));
        Optional<Outcome> resource = request.resourcePolicy().map(policy -> evaluate(scope, List.of(policy)));
        // Service control policies bind the IAM principals of the organization's accounts, and no one else.
        var organization = new ArrayList<Outcome>(0);
        if (iamPrincipal) {
            request.serviceControlPolicies().forEach(level -> organization.add(evaluate(scope, level)));
        }

        var denies = new ArrayList<MatchedStatement>(0);
        denies.addAll(identity.denies);
        boundary.ifPresent(o -> denies.addAll(o.denies));
        session.ifPresent(o -> denies.addAll(o.denies));
        resource.ifPresent(o -> denies.addAll(o.denies));
        organization.forEach(o -> denies.addAll(o.denies));

        boolean boundaryAllows = boundary.map(Outcome::allows).orElse(true);
        boolean sessionAllows = session.map(Outcome::allows).orElse(true);
        boolean organizationAllows = true;
        for (Outcome level : organization) {
            organizationAllows &= level.allows() && level.denies.isEmpty();
        }
        boolean callerSideDenies = !identity.denies.isEmpty()
                || boundary.map(o -> !o.denies.isEmpty()).orElse(false)
                || session.map(o -> !o.denies.isEmpty()).orElse(false);
        boolean identityAllows = (principal.type() == PrincipalType.ACCOUNT || identity.allows())
                && boundaryAllows && sessionAllows;

        String callerAccount = principal.accountId().orElse(null);
        Optional<String> resourceAccount = request.effectiveResourceAccount(scope.resource());
        boolean crossAccount = iamPrincipal && resourceAccount.isPresent()
                && !resourceAccount.get().equals(callerAccount);
        boolean ownPolicyRequired = AwsResourceRules.requiresOwnPolicy(scope.action(), scope.resource());

        var granting = new ArrayList<MatchedStatement>();
        boolean refusedAsAwsOwned = false;
        EvalDecision decision;
        if (AwsResourceRules.isAlwaysAllowed(scope.action())) {
            decision = EvalDecision.ALLOWED;
        } else if (!denies.isEmpty()) {
            decision = EvalDecision.EXPLICIT_DENY;
        } else if (!organizationAllows
                || AwsResourceRules.refusesRootUser(principal, scope.isRoleTrustRequest())) {
            decision = EvalDecision.IMPLICIT_DENY;
        } else if (iamPrincipal && awsRules.protectsFromChange(scope.action(), scope.resource())) {
            decision = EvalDecision.IMPLICIT_DENY;
            refusedAsAwsOwned = identityAllows;
        } else if (!iamPrincipal) {
            decision = resource.isPresent() && !resource.get().direct.isEmpty()
                    ? allowedBy(granting, resource.get().direct) : EvalDecision.IMPLICIT_DENY;
        } else if (resource.isEmpty()) {
            decision = identityAllows && !crossAccount && !ownPolicyRequired
                    ? allowedBy(granting, identity.allowed) : EvalDecision.IMPLICIT_DENY;
        } else {
            Outcome r = resource.get();
            if (crossAccount) {
                decision = identityAllows && r.allows()
                        ? allowedBy(granting, identity.allowed, r.allowed) : EvalDecision.IMPLICIT_DENY;
            } else if (!r.direct.isEmpty()) {
                decision = allowedBy(granting, r.direct);
            } else if (!r.issuer.isEmpty() && boundaryAllows && sessionAllows) {
                decision = allowedBy(granting, r.issuer);
            } else if (identityAllows && (!ownPolicyRequired || !r.account.isEmpty())) {
                decision = allowedBy(granting, identity.allowed, r.account);
            } else {
                decision = EvalDecision.IMPLICIT_DENY;
            }
        }

        List<MatchedStatement> matched = decision == EvalDecision.EXPLICIT_DENY ? denies : granting;
        Optional<Boolean> allowedByBoundary = boundary.map(o -> o.allows() && o.denies.isEmpty());
        EvalDecision identityDecision = callerSideDenies ? EvalDecision.EXPLICIT_DENY
                : identityAllows ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY;
        Optional<EvalDecision> resourceDecision = resource.map(o -> !o.denies.isEmpty() ? EvalDecision.EXPLICIT_DENY
                : o.allows() ? EvalDecision.ALLOWED : EvalDecision.IMPLICIT_DENY);
        Optional<PolicyType> refusingType = Optional.empty();
        if (decision == EvalDecision.EXPLICIT_DENY) {
            refusingType = Optional.of(denyingType(identity, boundary, session, resource, organization));
        } else if (decision == EvalDecision.IMPLICIT_DENY) {
            // The first step of AWS's evaluation logic that lacked an allow; none for a refusal no policy made.
            boolean identityNeeded = resource.isEmpty() || crossAccount
                    || resource.get().direct.isEmpty() && resource.get().issuer.isEmpty();
            if (!organizationAllows) {
                refusingType = Optional.of(PolicyType.SERVICE_CONTROL);
            } else if (!refusedAsAwsOwned
                    && !AwsResourceRules.refusesRootUser(principal, scope.isRoleTrustRequest())) {
                refusingType = Optional.of(!iamPrincipal ? PolicyType.RESOURCE
                        : identityNeeded && principal.type() != PrincipalType.ACCOUNT && !identity.allows()
                                ? PolicyType.IDENTITY
                        : !boundaryAllows ? PolicyType.PERMISSIONS_BOUNDARY
                        : !sessionAllows ? PolicyType.SESSION
                        : PolicyType.RESOURCE);
            }
        }
        return new Decision(decision, matched, scope.missingKeys(), allowedByBoundary, crossAccount,
                identityDecision, resourceDecision, organizationAllows, refusedAsAwsOwned, refusingType);
    }

    /**
     * The kind of policy an explicit deny is reported in, when several denied: in the order of AWS's evaluation logic
     * (IAM User Guide, "Policy evaluation logic": organization policies, resource-based policies, identity-based
     * policies, permissions boundaries, session policies), the first that holds a denying statement.
     */
    private static PolicyType denyingType(Outcome identity, Optional<Outcome> boundary, Optional<Outcome> session,
            Optional<Outcome> resource, List<Outcome> organization) {
        for (Outcome level : organization) {
            if (!level.denies.isEmpty()) {
                return PolicyType.SERVICE_CONTROL;
            }
        }
        if (resource.isPresent() && !resource.get().denies.isEmpty()) {
            return PolicyType.RESOURCE;
        }
        if (!identity.denies.isEmpty()) {
            return PolicyType.IDENTITY;
        }
        if (boundary.isPresent() && !boundary.get().denies.isEmpty()) {
            return PolicyType.PERMISSIONS_BOUNDARY;
        }
        return PolicyType.SESSION;
    }

    @SafeVarargs
    private static EvalDecision allowedBy(List<MatchedStatement> granting, List<MatchedStatement>... sources) {
        for (List<MatchedStatement> source : sources) {
            granting.addAll(source);
        }
        return EvalDecision.ALLOWED;
    }

    /** Whether the caller is an IAM principal, with identity policies and an account of its own. */
    private static boolean hasIdentityPolicies(RequestPrincipal principal) {
        switch (principal.type()) {
            case ACCOUNT:
            case USER:
            case ROLE:
            case ASSUMED_ROLE:
            case FEDERATED_USER:
                return true;
            default:
                return false;
        }
    }

    /** Evaluates every statement of {@code policies} that could apply to the request. */
    private static Outcome evaluate(EvaluationScope scope, List<LabeledPolicy> policies) {
        var outcome = new Outcome();
        for (LabeledPolicy labeled : policies) {
            for (PolicyStatement statement : labeled.policy().statements()) {
                if (!statement.matchesAction(scope.action()) || !statement.matchesResource(scope)) {
                    continue;
                }
                PrincipalMatch match = statement.principalMatch(scope);
                if (match == PrincipalMatch.NONE || !statement.conditionsHold(scope)) {
                    continue;
                }
                outcome.add(MatchedStatement.of(labeled, statement), statement.effect(), match);
            }
        }
        return outcome;
    }

    /**
     * The statements of one group of policies that applied, sorted by effect and by how they name the caller.
     * Lists are created on first use: most groups match few statements, and the evaluator runs once per request.
     */
    private static final class Outcome {
        List<MatchedStatement> denies = List.of();
        List<MatchedStatement> allowed = List.of();
        List<MatchedStatement> direct = List.of();
        List<MatchedStatement> issuer = List.of();
        List<MatchedStatement> account = List.of();

        void add(MatchedStatement statement, Effect effect, PrincipalMatch match) {
            if (effect == Effect.DENY) {
                denies = append(denies, statement);
                return;
            }
            allowed = append(allowed, statement);
            switch (match) {
                case DIRECT:
                    direct = append(direct, statement);
                    break;
                case ISSUER:
                    issuer = append(issuer, statement);
                    break;
                default:
                    account = append(account, statement);
                    break;
            }
        }

        private static List<MatchedStatement> append(List<MatchedStatement> list, MatchedStatement statement) {
            List<MatchedStatement> target = list.isEmpty() ? new ArrayList<>(2) : list;
            target.add(statement);
            return target;
        }

        boolean allows() {
            return !allowed.isEmpty();
        }
    }
}
