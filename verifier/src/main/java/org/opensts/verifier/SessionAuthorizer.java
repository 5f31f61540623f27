package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.opensts.policy.AuthorizationRequest;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.EvaluationCost;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.MatchedStatement;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.CallExecutor;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.verifier.AccessRequest.RequestFacts;
import org.opensts.verifier.PrincipalDirectory.Principal;

/**
 * The caller's effective permissions, the AWS way, and the decision for one {@link AccessRequest}.
 *
 * <ul>
 *   <li>A role session may do what the role's identity policies allow, within the role's permissions boundary and
 *       the session's policies (IAM User Guide, "Session policies").</li>
 *   <li>A federated user may do what both the IAM user who called GetFederationToken and its session policy allow;
 *       with no session policy it may do nothing, unless a resource policy names it (STS API Reference,
 *       GetFederationToken).</li>
 *   <li>A GetSessionToken session, and a long-term key, may do what the IAM user's policies allow.</li>
 *   <li>The resource policy, if any, combines with these by the same-account and cross-account rules (IAM User Guide,
 *       "Policy evaluation logic", "Cross-account policy evaluation logic"), which {@link PolicyEvaluator}
 *       implements.</li>
 * </ul>
 *
 * <p>The users and roles behind sessions are found by unique id in the {@link PrincipalDirectory}: a session of a role
 * deleted since has no permissions, even if a role of the same name exists now. A session revoked by a deny on
 * {@code aws:TokenIssueTime} (IAM User Guide, "Revoking IAM role temporary security credentials") is refused like any
 * other explicit deny, as soon as the directory shows the policy.
 *
 * <p>A request's context values come from its sender, and its resource policy may too (a bucket's owner writes it):
 * before evaluating one, {@link #authorize} estimates its work ({@link EvaluationCost}), refuses one over
 * {@link EvaluationCost#MAX_UNITS}, and runs at most a few over {@link EvaluationCost#COSTLY_UNITS} at once: requests
 * built to be slow to decide hold no more than those few cores, and every other request is decided as fast as ever.
 * Costly requests take turns, first come, first served, waiting up to {@link #COSTLY_WAIT_MILLIS} ms; each turn
 * holder has at most one in turn or under way, so that one that sends many at once cannot take every turn from the
 * others. The turn holder is the request's signer (a user, or a role with all its sessions), or whoever asks for the
 * decision on its behalf ({@link #authorize(AccessRequest, String)}). Beyond either bound a request is refused for the
 * moment ({@link EvaluationRefusedException}). A request that asks for many decisions (a DeleteObjects, one per key)
 * is priced as a whole through its {@link DecisionBudget}: its decisions together may cost at most
 * {@link #MAX_UNITS_PER_REQUEST}, and once they have cost over {@link EvaluationCost#COSTLY_UNITS} each further one
 * takes its turn, however cheap it is alone.
 */
public final class SessionAuthorizer implements AccessAuthorizer {
    /** How long a costly request waits for its turn: about as long as one or two costly evaluations take. */
    static final long COSTLY_WAIT_MILLIS = 2_000;
    /**
     * The most the decisions of one request may cost together: four times what one may, a few seconds of one core at
     * the very most, in turns. A DeleteObjects of S3's 1,000 keys under large ordinary policies (tens of kilobytes,
     * some tens of thousands of units a key) stays well within it.
     */
    public static final long MAX_UNITS_PER_REQUEST = 4 * EvaluationCost.MAX_UNITS;

    /** Why a caller whose user or role is gone is refused (see {@link #identityGone}). */
    static final String IDENTITY_GONE = "The IAM user or role behind the caller's credentials no longer exists: no "
            + "policy grants them anything.";

    private final PrincipalDirectory directory;
    private final PolicyEvaluator evaluator;
    private final AuthorizationMessageEncoder messages;
    private final Cache<String, Policy> resourcePolicies;
    /** The turns of costly evaluations: a fair semaphore, so that they are taken first come, first served. */
    private final Semaphore costlyEvaluations;
    private final long costlyWaitMillis;
    /** The turn holders with a costly request waiting for its turn or under way. */
    private final Set<String> holdersWithCostly = ConcurrentHashMap.newKeySet();

    /**
     * An authorizer that runs half the processors' worth of costly evaluations at once (at least one).
     *
     * @param resourcePolicyCacheSize how many distinct resource policy documents stay compiled
     */
    public SessionAuthorizer(PrincipalDirectory directory, PolicyEvaluator evaluator,
            AuthorizationMessageEncoder messages, long resourcePolicyCacheSize) {
        this(directory, evaluator, messages, resourcePolicyCacheSize,
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * @param resourcePolicyCacheSize how many distinct resource policy documents stay compiled
     * @param costlyAtOnce how many evaluations over {@link EvaluationCost#COSTLY_UNITS} run at once
     */
    public SessionAuthorizer(PrincipalDirectory directory, PolicyEvaluator evaluator,
            AuthorizationMessageEncoder messages, long resourcePolicyCacheSize, int costlyAtOnce) {
        this(directory, evaluator, messages, resourcePolicyCacheSize,
                new Semaphore(positive(costlyAtOnce), /* fair= */ true), COSTLY_WAIT_MILLIS);
    }

    /** With the turns of costly evaluations given (a fair semaphore) and their wait, for tests that hold them. */
    SessionAuthorizer(PrincipalDirectory directory, PolicyEvaluator evaluator, AuthorizationMessageEncoder messages,
            long resourcePolicyCacheSize, Semaphore costlyEvaluations, long costlyWaitMillis) {
        this.directory = requireNonNull(directory, "directory");
        this.evaluator = requireNonNull(evaluator, "evaluator");
        this.messages = requireNonNull(messages, "messages");
        this.resourcePolicies = Caffeine.newBuilder().maximumSize(resourcePolicyCacheSize).build();
        this.costlyEvaluations = requireNonNull(costlyEvaluations, "costlyEvaluations");
        this.costlyWaitMillis = costlyWaitMillis;
    }

    private static int positive(int costlyAtOnce) {
        if (costlyAtOnce < 1) {
            throw new IllegalArgumentException("costlyAtOnce must be positive");
        }
        return costlyAtOnce;
    }

    /**
     * Decides one request: the global keys for the caller and the request, with the request's own keys added; the
     * caller's policies; the resource policy compiled once per distinct document.
     *
     * @throws InvalidResourcePolicyException if the resource policy does not parse
     * @throws IllegalArgumentException if the request's context sets a key the authorizer sets itself (the caller's
     *     identity, the session's state, the request's time and origin): a service cannot speak for those
     * @throws EvaluationRefusedException if evaluating the request would cost too much, or is costly and gets no turn
     *     (see the class comment)
     */
    @Override
    public AccessDecision authorize(AccessRequest request) {
        return authorize(request, turnHolder(request.caller()));
    }

    /**
     * Decides one request as {@link #authorize(AccessRequest)} does, a costly one taking its turn as
     * {@code turnHolder}'s: the party that asks for the decision when it is not the request's signer, such as a
     * service calling the authorization API, whose requests would otherwise queue as their signers', and whose
     * replay of one signer's request could take that signer's turns at every other service.
     *
     * @param turnHolder who takes turns as one: {@link #turnHolder(VerifiedCaller)} of the party asking
     */
    public AccessDecision authorize(AccessRequest request, String turnHolder) {
        return authorize(request, turnHolder, new DecisionBudget());
    }

    @Override
    public AccessDecision authorize(AccessRequest request, DecisionBudget budget) {
        return authorize(request, turnHolder(request.caller()), budget);
    }

    /**
     * Decides one of the requests a request asks for, as {@link #authorize(AccessRequest, String)} does, its work
     * counted in {@code budget} with the other decisions of that request.
     *
     * @param budget the work the request's earlier decisions have cost; this one's is added
     * @throws EvaluationRefusedException also when the request's decisions together would cost more than
     *     {@link #MAX_UNITS_PER_REQUEST}
     */
    public AccessDecision authorize(AccessRequest request, String turnHolder, DecisionBudget budget) {
        requireNonNull(turnHolder, "turnHolder");
        requireNonNull(budget, "budget");
        VerifiedCaller caller = request.caller();
        Optional<LabeledPolicy> resourcePolicy = request.resourcePolicy()
                .map(document -> resourcePolicy(request.resourceArn(), document));
        RequestContext.Builder builder = baseContext(caller, request.facts());
        RequestContext global = builder.build();
        request.context().forEach((key, values) -> {
            if (global.values(key).isPresent() || isAuthorizerKey(key)) {
                throw new IllegalArgumentException("The context key " + key + " is set by the authorizer");
            }
            builder.put(key, values);
        });
        RequestContext context = builder.build();
        CallerPolicies policies = callerPolicies(caller);
        long requestCharacters = (long) request.action().length() + request.resourceArn().length()
                + caller.arn().length();
        long units = EvaluationCost.ofOneEvaluation(all(policies, resourcePolicy), context, requestCharacters);
        if (units > EvaluationCost.MAX_UNITS) {
            throw new EvaluationRefusedException(EvaluationRefusedException.Reason.TOO_COSTLY, "The request is too "
                    + "costly to evaluate: its " + context.characters() + " characters of condition key values and "
                    + requestCharacters + " of action, resource and caller ARN would be matched with too many policy "
                    + "patterns. Send shorter values, or use a resource policy with fewer patterns.");
        }
        long spent = budget.spend(units);
        if (spent > MAX_UNITS_PER_REQUEST) {
            throw new EvaluationRefusedException(EvaluationRefusedException.Reason.TOO_COSTLY, "The request is too "
                    + "costly to evaluate: the decisions it asks for would together cost too much. Ask for fewer in "
                    + "one request.");
        }
        Supplier<Decision> evaluation = () -> evaluate(caller, policies, List.of(request.action()),
                request.resourceArn(), request.resourceAccount(), context, resourcePolicy).get(0);
        Decision decision = spent > EvaluationCost.COSTLY_UNITS ? inTurn(turnHolder, evaluation) : evaluation.get();
        List<String> reasons = decision.decision() == EvalDecision.IMPLICIT_DENY && identityGone(caller, policies)
                ? List.of(IDENTITY_GONE) : reasons(request.action(), request.resourceArn(), decision);
        if (decision.isAllowed()) {
            return new AccessDecision(decision, reasons, Optional.empty());
        }
        String encoded = messages.encode(new AuthorizationMessageEncoder.Refusal(caller.accountId(), caller.arn(),
                caller.userId(), request.action(), request.resourceArn(), Optional.of(decision), context,
                policies.uniqueId(), !decision.crossAccount()));
        return new AccessDecision(decision, reasons, Optional.of(encoded));
    }

    /**
     * Runs a costly evaluation in its turn (see the class comment). The wait counts as a wait of the call's thread
     * ({@link CallExecutor#blocking}): the node's other calls are taken meanwhile.
     *
     * @throws EvaluationRefusedException {@code BUSY} if the turn holder already has a costly request in turn or
     *     under way, or no turn comes within {@link #COSTLY_WAIT_MILLIS} ms
     */
    private Decision inTurn(String turnHolder, Supplier<Decision> evaluation) {
        if (!holdersWithCostly.add(turnHolder)) {
            throw busy();
        }
        try {
            boolean admitted;
            try {
                admitted = CallExecutor.blocking(() -> costlyEvaluations.tryAcquire(costlyWaitMillis,
                        TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                admitted = false;
            }
            if (!admitted) {
                throw busy();
            }
            try {
                return evaluation.get();
            } finally {
                costlyEvaluations.release();
            }
        } finally {
            holdersWithCostly.remove(turnHolder);
        }
    }

    private static EvaluationRefusedException busy() {
        return new EvaluationRefusedException(EvaluationRefusedException.Reason.BUSY, "Rate exceeded");
    }

    /** Who takes turns as one caller: a user, whatever its keys and sessions; a role, whatever its sessions. */
    public static String turnHolder(VerifiedCaller caller) {
        return caller.session().flatMap(Session::sourceUniqueId).or(caller::iamUserId).orElse(caller.arn());
    }

    /** Every policy an evaluation of the caller's request reads. */
    private static List<LabeledPolicy> all(CallerPolicies policies, Optional<LabeledPolicy> resourcePolicy) {
        var all = new ArrayList<>(policies.identity());
        policies.boundary().ifPresent(all::addAll);
        policies.session().ifPresent(all::addAll);
        resourcePolicy.ifPresent(all::add);
        return all;
    }

    /**
     * A resource policy, compiled once per distinct document and labelled with the resource's ARN. It is the policy a
     * service holds for its resource, validated when the service took it (the S3 gateway's PutBucketPolicy, perhaps
     * under an earlier version's rules), so it is compiled as a stored document ({@link Policy#parseStored}): a
     * stricter form check must not lock a bucket whose policy its owner can then neither use nor replace.
     *
     * @throws InvalidResourcePolicyException if it does not parse
     */
    public LabeledPolicy resourcePolicy(String resourceArn, String document) {
        Policy policy = resourcePolicies.getIfPresent(document);
        if (policy == null) {
            try {
                policy = Policy.parseStored(document, PolicyType.RESOURCE);
            } catch (MalformedPolicyException e) {
                throw new InvalidResourcePolicyException("The resource policy of " + resourceArn + " is not valid: "
                        + e.getMessage(), e);
            }
            resourcePolicies.put(document, policy);
        }
        return LabeledPolicy.of(resourceArn, SourcePolicyType.RESOURCE, policy);
    }

    /**
     * Evaluates several actions on one resource with the caller's policies gathered once: AssumeRole with session
     * tags and a source identity needs {@code sts:AssumeRole}, {@code sts:TagSession} and
     * {@code sts:SetSourceIdentity}.
     *
     * @return one decision per action, in order
     */
    public List<Decision> evaluate(VerifiedCaller caller, CallerPolicies policies, List<String> actions,
            String resource, Optional<String> resourceAccount, RequestContext context,
            Optional<LabeledPolicy> resourcePolicy) {
        RequestPrincipal principal = policies.uniqueId().map(caller.principal()::withUniqueId)
                .orElseGet(caller::principal);
        boolean gone = identityGone(caller, policies);
        var decisions = new ArrayList<Decision>(actions.size());
        for (String action : actions) {
            Decision decision = evaluator.evaluate(new AuthorizationRequest(principal, action, resource,
                    resourceAccount, context, policies.identity(), policies.boundary(), policies.session(),
                    resourcePolicy));
            if (gone && decision.isAllowed() && resourcePolicy.isPresent()) {
                // The caller's user or role is gone: a resource policy naming its session or federated-user ARN, or
                // everyone, grants it nothing; its denies are kept (they were not what allowed).
                decision = evaluator.evaluate(new AuthorizationRequest(principal, action, resource, resourceAccount,
                        context, policies.identity(), policies.boundary(), policies.session(), Optional.empty()));
            }
            decisions.add(decision);
        }
        return decisions;
    }

    /**
     * Whether the caller comes from an IAM user or role that no longer exists (or is not the same entity as when
     * the session was issued): every caller but the root user and its sessions comes from one. Such a caller keeps
     * authenticating — GetCallerIdentity answers — but has no identity that a policy could name (IAM User Guide, "AWS
     * JSON policy elements: Principal": once the role or user is deleted "the relationship is broken"): a resource
     * policy naming its session ARN or federated-user ARN names text that no live principal stands behind.
     */
    private static boolean identityGone(VerifiedCaller caller, CallerPolicies policies) {
        String behind = caller.session().map(Session::sourceArn).orElse(caller.arn());
        return policies.uniqueId().isEmpty() && !behind.endsWith(":root");
    }

    /**
     * The caller's policies, from the user or role behind it found by unique id: a session of a user or role that has
     * been deleted has none, even if another one of the same name exists now.
     */
    public CallerPolicies callerPolicies(VerifiedCaller caller) {
        if (caller.session().isEmpty()) {
            Optional<Principal> user = callerUser(caller);
            return new CallerPolicies(user.map(directory::identityPolicies).orElse(List.of()),
                    user.flatMap(this::boundary), Optional.empty(), user.map(Principal::uniqueId));
        }
        Session session = caller.session().get();
        return switch (session.type()) {
            case ASSUMED_ROLE -> {
                Optional<Principal> role = sessionRole(session);
                yield new CallerPolicies(role.map(directory::identityPolicies).orElse(List.of()),
                        role.flatMap(this::boundary), sessionPolicies(session), role.map(Principal::uniqueId));
            }
            // A federated user may do what both its issuing user and its session policy allow; with no session
            // policy it may do nothing (STS API Reference, GetFederationToken).
            case FEDERATED_USER -> {
                Optional<Principal> issuer = issuingUser(session);
                yield new CallerPolicies(issuer.map(directory::identityPolicies).orElse(List.of()),
                        issuer.flatMap(this::boundary), Optional.of(sessionPolicies(session).orElse(List.of())),
                        issuer.map(Principal::uniqueId));
            }
            case SESSION_USER -> {
                Optional<Principal> user = callerUser(caller);
                yield new CallerPolicies(user.map(directory::identityPolicies).orElse(List.of()),
                        user.flatMap(this::boundary), Optional.empty(), user.map(Principal::uniqueId));
            }
        };
    }

    /**
     * The unique id of the user or role behind the caller while it exists, without gathering its policies: the
     * principal an encoded message names for an identity policy's statements.
     */
    public Optional<String> callerUniqueId(VerifiedCaller caller) {
        return behind(caller).map(Principal::uniqueId);
    }

    /** The role, or the IAM user, that the caller is or comes from, while it exists. */
    private Optional<Principal> behind(VerifiedCaller caller) {
        if (caller.session().isEmpty()) {
            return callerUser(caller);
        }
        Session session = caller.session().get();
        return switch (session.type()) {
            case ASSUMED_ROLE -> sessionRole(session);
            case FEDERATED_USER -> issuingUser(session);
            case SESSION_USER -> callerUser(caller);
        };
    }

    /** The IAM user behind a long-term key or a GetSessionToken session. */
    private Optional<Principal> callerUser(VerifiedCaller caller) {
        return caller.iamUserId().isEmpty() ? Optional.empty()
                : inAccount(directory.user(caller.iamUserId().get()), caller.accountId());
    }

    /**
     * The IAM user who called GetFederationToken, found by the unique id the session carries, if it still exists. A
     * token sealed before tokens carried that id has no issuer: by name it could be a namesake.
     */
    private Optional<Principal> issuingUser(Session session) {
        return session.sourceUniqueId().isEmpty() ? Optional.empty()
                : inAccount(directory.user(session.sourceUniqueId().get()), session.accountId());
    }

    /**
     * The role behind a role session, if it still exists and is the same role: a role deleted and created again under
     * the same name has a new id, and the old role's sessions must not inherit the new role's permissions.
     */
    private Optional<Principal> sessionRole(Session session) {
        return session.sourceUniqueId().isEmpty() ? Optional.empty()
                : inAccount(directory.role(session.sourceUniqueId().get()), session.accountId());
    }

    /** The principal if it is of {@code accountId}; these run for every request, hence no lambdas. */
    private static Optional<Principal> inAccount(Optional<Principal> principal, String accountId) {
        return principal.isPresent() && principal.get().accountId().equals(accountId) ? principal : Optional.empty();
    }

    /**
     * A permissions boundary, if the principal has one, labelled with the policy's name. A boundary that no longer
     * resolves allows nothing: IAM does not let a policy in use as a boundary be deleted, and failing closed is the
     * safe reading if one ever goes missing.
     */
    private Optional<List<LabeledPolicy>> boundary(Principal principal) {
        return principal.permissionsBoundaryArn().map(arn -> directory.managedPolicy(arn)
                .map(managed -> List.of(LabeledPolicy.of(managed.name(), SourcePolicyType.PERMISSIONS_BOUNDARY,
                        directory.compile(managed.defaultVersionDocument(), PolicyType.PERMISSIONS_BOUNDARY))))
                .orElse(List.of()));
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
                    directory.compile(document, PolicyType.SESSION)));
        }
        for (String policyArn : session.policyArns()) {
            directory.managedPolicy(policyArn).ifPresent(managed -> labeled.add(LabeledPolicy.of(policyArn,
                    SourcePolicyType.NONE, directory.compile(managed.defaultVersionDocument(), PolicyType.SESSION))));
        }
        return Optional.of(labeled);
    }

    /**
     * The keys that only the authorizer may set, whether or not this caller has them: those of the caller and its
     * session (a long-term key has no {@code aws:TokenIssueTime}, a session without MFA no
     * {@code aws:MultiFactorAuthAge}, an untagged one no {@code aws:PrincipalTag/…}: a service must not supply them),
     * of the request's time and origin, and a federated session's provider claims ({@code saml:…}, and an OIDC
     * provider's, named by its host, e.g. {@code accounts.example.com:sub}).
     */
    private static final List<String> AUTHORIZER_KEYS = List.of(GlobalConditionKeys.CURRENT_TIME,
            GlobalConditionKeys.EPOCH_TIME, GlobalConditionKeys.FEDERATED_PROVIDER,
            GlobalConditionKeys.MULTI_FACTOR_AUTH_AGE, GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT,
            GlobalConditionKeys.PRINCIPAL_ACCOUNT, GlobalConditionKeys.PRINCIPAL_ARN,
            GlobalConditionKeys.PRINCIPAL_TYPE,
            GlobalConditionKeys.REQUESTED_REGION, GlobalConditionKeys.SECURE_TRANSPORT,
            GlobalConditionKeys.SOURCE_IDENTITY, GlobalConditionKeys.SOURCE_IP, GlobalConditionKeys.TOKEN_ISSUE_TIME,
            GlobalConditionKeys.USER_AGENT, GlobalConditionKeys.USERID, GlobalConditionKeys.USERNAME,
            GlobalConditionKeys.PRINCIPAL_IS_AWS_SERVICE, GlobalConditionKeys.VIA_AWS_SERVICE,
            GlobalConditionKeys.RESOURCE_ACCOUNT,
            "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalServiceName",
            "aws:PrincipalServiceNamesList", "aws:CalledVia", "aws:CalledViaFirst",
            "aws:CalledViaLast");
    private static final String PRINCIPAL_TAG_PREFIX_LOWER =
            GlobalConditionKeys.PRINCIPAL_TAG_PREFIX.toLowerCase(Locale.ROOT);

    /** Called for every key a request's context carries, so nothing here is built per call that could be once. */
    private static boolean isAuthorizerKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        int colon = lower.indexOf(':');
        String namespace = colon < 0 ? lower : lower.substring(0, colon);
        if (lower.startsWith(PRINCIPAL_TAG_PREFIX_LOWER) || namespace.equals("saml") || namespace.contains(".")) {
            return true;
        }
        for (String owned : AUTHORIZER_KEYS) {
            if (owned.equalsIgnoreCase(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The global condition keys every request carries: the caller's keys ({@code aws:PrincipalArn},
     * {@code aws:userid}, …), its tags as {@code aws:PrincipalTag/…}, the session's MFA state, issue time and source
     * identity, and the request's time, source address, transport and region (IAM User Guide, "AWS global condition
     * context keys").
     */
    public RequestContext.Builder baseContext(VerifiedCaller caller, RequestFacts facts) {
        RequestContext.Builder context = requestContext(caller.principal(), facts);
        // Present in every request signed with AWS credentials, and false: no AWS service principal calls this node.
        context.put(GlobalConditionKeys.PRINCIPAL_IS_AWS_SERVICE, "false");
        principalTags(caller).forEach((key, value) ->
                context.put(GlobalConditionKeys.PRINCIPAL_TAG_PREFIX + key, value));
        caller.session().ifPresent(session -> {
            // aws:MultiFactorAuthPresent and aws:TokenIssueTime exist only for temporary credentials (IAM User Guide,
            // "AWS global condition context keys").
            context.put(GlobalConditionKeys.TOKEN_ISSUE_TIME, DateTimeFormatter.ISO_INSTANT.format(session.issuedAt()));
            context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT,
                    Boolean.toString(session.mfaAuthenticatedAt().isPresent()));
            session.mfaAuthenticatedAt().ifPresent(at -> context.put(GlobalConditionKeys.MULTI_FACTOR_AUTH_AGE,
                    Long.toString(Math.max(0, Duration.between(at, facts.receivedAt()).toSeconds()))));
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
    public static RequestContext.Builder requestContext(RequestPrincipal principal, RequestFacts facts) {
        RequestContext.Builder context = RequestContext.builder().principal(principal);
        context.put(GlobalConditionKeys.CURRENT_TIME, DateTimeFormatter.ISO_INSTANT.format(facts.receivedAt()));
        context.put(GlobalConditionKeys.EPOCH_TIME, Long.toString(facts.receivedAt().getEpochSecond()));
        context.put(GlobalConditionKeys.SOURCE_IP, facts.sourceIp());
        context.put(GlobalConditionKeys.SECURE_TRANSPORT, Boolean.toString(facts.secureTransport()));
        if (facts.region().isPresent()) {
            context.put(GlobalConditionKeys.REQUESTED_REGION, facts.region().get());
        }
        // No AWS service calls this node on a principal's behalf; AWS puts the key in every request it can be false
        // in, and Deny statements of AWS's examples that test it for false must apply ("AWS global condition context
        // keys").
        context.put(GlobalConditionKeys.VIA_AWS_SERVICE, "false");
        facts.userAgent().ifPresent(agent -> context.put(GlobalConditionKeys.USER_AGENT, agent));
        return context;
    }

    /**
     * The caller's principal tags: an IAM user's tags; for a role session the role's tags overridden, key by key and
     * regardless of case, by the session's tags (IAM User Guide, "Pass session tags in AWS STS").
     */
    public Map<String, String> principalTags(VerifiedCaller caller) {
        Map<String, String> principalTags = behind(caller).map(Principal::tags).orElse(Map.of());
        List<SessionTag> sessionTags = caller.session().map(Session::tags).orElse(List.of());
        if (principalTags.isEmpty() && sessionTags.isEmpty()) {
            // Most callers have no tags; this runs for every request.
            return Map.of();
        }
        var tags = new LinkedHashMap<String, Map.Entry<String, String>>();
        principalTags.forEach((key, value) -> tags.put(lower(key), Map.entry(key, value)));
        for (SessionTag tag : sessionTags) {
            tags.put(lower(tag.key()), Map.entry(tag.key(), tag.value()));
        }
        var result = new LinkedHashMap<String, String>();
        tags.values().forEach(tag -> result.put(tag.getKey(), tag.getValue()));
        return result;
    }

    /**
     * The decision in short sentences, for logs and the authorization API: the statements that allowed or denied, or
     * why nothing allowed. Policy names and statement ids only, never a document or a secret.
     */
    static List<String> reasons(String action, String resource, Decision decision) {
        var reasons = new ArrayList<String>();
        switch (decision.decision()) {
            case ALLOWED -> {
                for (MatchedStatement statement : decision.matchedStatements()) {
                    reasons.add("Allowed by " + describe(statement) + ".");
                }
                if (reasons.isEmpty()) {
                    reasons.add(action + " is allowed to every caller.");
                }
            }
            case EXPLICIT_DENY -> {
                for (MatchedStatement statement : decision.matchedStatements()) {
                    reasons.add("Explicitly denied by " + describe(statement) + ".");
                }
            }
            case IMPLICIT_DENY -> {
                if (decision.identityPolicyDecision() == EvalDecision.ALLOWED && decision.crossAccount()) {
                    reasons.add("The caller's policies allow " + action + " on " + resource
                            + ", but across accounts the resource policy must allow it too, and it does not.");
                } else if (decision.allowedByPermissionsBoundary().map(allowed -> !allowed).orElse(false)) {
                    reasons.add("The permissions boundary does not allow " + action + " on " + resource + ".");
                } else {
                    reasons.add("No statement allows " + action + " on " + resource + ".");
                }
            }
        }
        return reasons;
    }

    /**
     * The decision in short sentences for a party of another account than the caller's, such as a service asking the
     * authorization API about a caller of another account: only the resource policy's statements, which that party
     * gave, are named; the caller's own policies (identity policies, permissions boundary, session policy) are spoken
     * of without their names or statement ids, which only the caller's account may learn
     * ({@code sts:DecodeAuthorizationMessage}).
     */
    public static List<String> reasonsWithoutCallerPolicies(String action, String resource, Decision decision) {
        var reasons = new ArrayList<String>();
        boolean callerPolicies = false;
        String verb = decision.decision() == EvalDecision.EXPLICIT_DENY ? "Explicitly denied by " : "Allowed by ";
        if (decision.decision() == EvalDecision.IMPLICIT_DENY) {
            reasons.add(action + " on " + resource + " is not allowed to this caller.");
            return reasons;
        }
        for (MatchedStatement statement : decision.matchedStatements()) {
            if (statement.source().type() == SourcePolicyType.RESOURCE) {
                reasons.add(verb + describe(statement) + ".");
            } else {
                callerPolicies = true;
            }
        }
        if (callerPolicies) {
            reasons.add(decision.decision() == EvalDecision.EXPLICIT_DENY
                    ? "Explicitly denied by a policy of the caller's account."
                    : "Allowed by the policies of the caller's account.");
        }
        if (reasons.isEmpty() && decision.decision() == EvalDecision.ALLOWED) {
            reasons.add(action + " is allowed to every caller.");
        }
        return reasons;
    }

    private static String describe(MatchedStatement statement) {
        String which = statement.sid().map(sid -> "statement \"" + sid + "\"")
                .orElse("the statement at line " + statement.startPosition().line());
        return which + " of " + statement.source().type().wireName().toLowerCase(Locale.ROOT) + " "
                + statement.source().id();
    }

    private static String lower(String key) {
        return key.toLowerCase(Locale.ROOT);
    }
}
