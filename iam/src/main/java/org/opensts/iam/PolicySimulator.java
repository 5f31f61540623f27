package org.opensts.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.opensts.policy.ActionCatalog;
import org.opensts.policy.AuthorizationRequest;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.RequestPrincipal;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;

/**
 * The IAM policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy and GetContextKeysFor*Policy, answered by
 * the same {@link PolicyEvaluator} that authorizes real requests.
 *
 * <p>The mapping follows AWS's simulator: {@code PolicyInputList.N} are identity policies,
 * {@code PermissionsBoundaryPolicyInputList.N} a permissions boundary, {@code OrderedOrganizationPolicyInputList} the
 * service control policies of each level of the caller's organization, {@code ResourcePolicy} the resource's policy
 * (or, for an action that assumes a role, the role's trust policy, which needs no {@code Resource} element). A
 * resource belongs to the account its ARN names; {@code ResourceOwner} names the owner of a resource whose ARN names
 * none (an S3 bucket), and defaults to the simulated caller's account. Each action is tried on each resource
 * ({@code *} when none is given). A resource given as {@code *} or as a pattern stands for the resources it matches,
 * and the simulator answers what the caller could do on some of them — unless the action supports only
 * {@code "Resource": "*"} ({@link ActionCatalog}), when {@code *} is just that. {@code CallerArn} may name any
 * principal — IAM user, role, role session, federated user, a service, a web identity or SAML provider — and its
 * global keys ({@code aws:PrincipalArn}, {@code aws:username}, …) are derived from it as for a real request; explicit
 * {@code ContextEntries} win over derived keys. SimulatePrincipalPolicy's {@code PolicyExclusionList} leaves some of
 * the principal's stored policies out ({@link PolicyExclusion}); a statement of an excluded policy is never evaluated,
 * so no {@code MatchedStatements} entry names it.
 *
 * <p>A call evaluates only the page of results it answers with, and refuses a page whose work is over
 * {@link SimulationCost}'s budget before evaluating anything.
 */
public final class PolicySimulator {
    private final IdentityReader identities;
    private final IdentityPolicies identityPolicies;
    private final PolicyEvaluator evaluator;

    public PolicySimulator(IdentityReader identities, IdentityPolicies identityPolicies, PolicyEvaluator evaluator) {
        this.identities = identities;
        this.identityPolicies = identityPolicies;
        this.evaluator = evaluator;
    }

    /**
     * SimulateCustomPolicy, asked by a caller of {@code accountId}: the results from index {@code start}, at most
     * {@code maxItems} of them (only those are evaluated).
     *
     * @throws ApiException {@code InvalidInput} if the page's evaluations are over {@link SimulationCost}'s budget
     */
    public SimulationPage simulateCustomPolicy(String accountId, SimulationRequest request, int start, int maxItems) {
        return simulate(accountId, request, List.of(), Optional.empty(), /* organizationsExcluded= */ false,
                request.callerArn(), start, maxItems);
    }

    /**
     * SimulatePrincipalPolicy: the policies of the user, group or role {@code policySourceArn} (a user's include its
     * groups'), its permissions boundary unless the request gives one, plus the request's policies, less the stored
     * policies the request's {@link SimulationRequest#policyExclusions() PolicyExclusionList} names.
     *
     * @throws ApiException {@code NoSuchEntity} if the principal does not exist, {@code InvalidInput} if the ARN
     *     names no user, group or role of the account or the page's evaluations are over {@link SimulationCost}'s
     *     budget
     */
    public SimulationPage simulatePrincipalPolicy(String accountId, String policySourceArn,
            SimulationRequest request, int start, int maxItems) {
        List<PolicyExclusion> exclusions = request.policyExclusions();
        Principal principal = principal(accountId, policySourceArn);
        List<LabeledPolicy> kept = keptPolicies(accountId, principal.policies(), exclusions);
        Optional<List<LabeledPolicy>> boundary = excludes(exclusions, PolicyExclusion.PolicyKind.PERMISSION_BOUNDARY)
                ? Optional.empty() : principal.boundary();
        boolean group = principal.owner().kind() == PolicyOwner.Kind.GROUP;
        Optional<String> callerArn = request.callerArn()
                .or(() -> group ? Optional.empty() : Optional.of(policySourceArn));
        return simulate(accountId, request, kept, boundary,
                excludes(exclusions, PolicyExclusion.PolicyKind.SCP), callerArn, start, maxItems);
    }

    /** GetContextKeysForCustomPolicy: every condition key the policies refer to. */
    public List<String> contextKeysForCustomPolicy(List<String> policyInputList) {
        var keys = new ArrayList<Policy>();
        for (int i = 0; i < policyInputList.size(); i++) {
            keys.add(parse(policyInputList.get(i), PolicyType.IDENTITY, "PolicyInputList." + (i + 1)));
        }
        return contextKeys(keys);
    }

    /** GetContextKeysForPrincipalPolicy: the condition keys of a principal's policies and the given ones. */
    public List<String> contextKeysForPrincipalPolicy(String accountId, String policySourceArn,
            List<String> policyInputList) {
        var policies = new ArrayList<Policy>();
        principal(accountId, policySourceArn).policies().forEach(held -> policies.add(held.policy().policy()));
        for (int i = 0; i < policyInputList.size(); i++) {
            policies.add(parse(policyInputList.get(i), PolicyType.IDENTITY, "PolicyInputList." + (i + 1)));
        }
        return contextKeys(policies);
    }

    /**
     * The keys of {@code policies} in their order, each once whatever its case: AWS lists them as the documents name
     * them, not sorted (the AWS CLI's examples of GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy).
     */
    private static List<String> contextKeys(List<Policy> policies) {
        var keys = new LinkedHashMap<String, String>();
        for (Policy policy : policies) {
            for (String key : policy.conditionKeys()) {
                keys.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
            }
        }
        return List.copyOf(keys.values());
    }

    private SimulationPage simulate(String accountId, SimulationRequest request,
            List<LabeledPolicy> principalPolicies, Optional<List<LabeledPolicy>> principalBoundary,
            boolean organizationsExcluded, Optional<String> callerArn, int start, int maxItems) {
        var identity = new ArrayList<>(principalPolicies);
        identity.addAll(labeled("PolicyInputList.", request.policyInputList(), PolicyType.IDENTITY,
                SourcePolicyType.NONE));
        Optional<List<LabeledPolicy>> boundary = request.permissionsBoundaryPolicyInputList().isEmpty()
                ? principalBoundary
                : Optional.of(labeled("PermissionsBoundaryPolicyInputList.",
                        request.permissionsBoundaryPolicyInputList(), PolicyType.PERMISSIONS_BOUNDARY,
                        SourcePolicyType.PERMISSIONS_BOUNDARY));
        var organization = new ArrayList<List<LabeledPolicy>>();
        for (int level = 0; !organizationsExcluded && level < request.serviceControlPolicyLevels().size(); level++) {
            organization.add(labeled("OrderedOrganizationPolicyInputList." + (level + 1)
                    + ".ServiceControlPolicyInputList.", request.serviceControlPolicyLevels().get(level),
                    PolicyType.SERVICE_CONTROL, SourcePolicyType.NONE));
        }
        Optional<LabeledPolicy> resourcePolicy = request.resourcePolicy().map(document -> LabeledPolicy.of(
                "ResourcePolicy", SourcePolicyType.RESOURCE,
                parse(document, PolicyType.SIMULATED_RESOURCE, "ResourcePolicy")));
        if (resourcePolicy.isPresent() && callerArn.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_INPUT,
                    "CallerArn must be specified when a ResourcePolicy is included in the simulation.");
        }
        RequestPrincipal principal = callerArn.map(this::callerPrincipal)
                // Without a caller, any IAM user of the asking account: no resource policy can name it.
                .orElseGet(() -> RequestPrincipal.user("arn:aws:iam::" + accountId + ":user/"));
        // The owner of resources whose ARN names no account (see AuthorizationRequest#resourceAccount).
        String resourceAccount = request.resourceOwner().map(PolicySimulator::ownerAccount)
                .or(principal::accountId).orElse(accountId);

        RequestContext.Builder context = RequestContext.builder();
        if (callerArn.isPresent()) {
            context.principal(principal);
        }
        for (SimulationRequest.ContextEntry entry : request.contextEntries()) {
            if (entry.type().isPresent()) {
                context.put(entry.key(), entry.type().get(), entry.values());
            } else {
                context.put(entry.key(), entry.values());
            }
        }
        RequestContext builtContext = context.build();

        List<String> resources = request.resourceArns().isEmpty() ? List.of("*") : request.resourceArns();
        List<String> actions = request.actionNames();
        long pairs = (long) actions.size() * resources.size();
        if (pairs > Integer.MAX_VALUE) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "The simulation is too large: " + actions.size()
                    + " actions on " + resources.size() + " resources.");
        }
        int total = (int) pairs;
        int end = (int) Math.min(total, (long) Math.max(start, 0) + maxItems);
        int first = Math.min(Math.max(start, 0), end);
        long requestCharacters = callerArn.map(String::length).orElse(0)
                + resources.stream().mapToInt(String::length).max().orElse(0)
                + actions.stream().mapToInt(String::length).max().orElse(0);
        SimulationCost.check(end - first, identity, boundary, organization, resourcePolicy,
                contextCharacters(request, callerArn, resources), requestCharacters);
        var results = new ArrayList<SimulationResult>(end - first);
        // Result i is action i / |resources| tried on resource i % |resources|: each action on each resource, in order.
        for (int i = first; i < end; i++) {
            String action = actions.get(i / resources.size());
            String resource = resources.get(i % resources.size());
            boolean pattern = evaluator.actionCatalog().namesSetOfResources(action, resource);
            Decision decision = evaluator.evaluate(new AuthorizationRequest(principal, action, resource,
                    Optional.of(resourceAccount), builtContext, identity, boundary, Optional.empty(),
                    resourcePolicy, organization, pattern));
            results.add(result(action, resource, decision, organizationsExcluded));
        }
        return new SimulationPage(results, first, total);
    }

    /**
     * The characters a condition value may be compared with: every context value given, and the caller's and the
     * longest resource's ARN, from which keys are derived.
     */
    private static long contextCharacters(SimulationRequest request, Optional<String> callerArn,
            List<String> resources) {
        long characters = callerArn.map(String::length).orElse(0);
        characters += resources.stream().mapToInt(String::length).max().orElse(0);
        for (SimulationRequest.ContextEntry entry : request.contextEntries()) {
            for (String value : entry.values()) {
                characters += value.length() + 1;
            }
        }
        return characters;
    }

    /**
     * One {@code EvaluationResult} with the members AWS's real responses carry. {@code EvalDecisionDetails} gives each
     * side's decision when the simulation crosses accounts; within one account it is an empty map when a resource is
     * named and is left out for {@code *}, and a {@code ResourceSpecificResult} has it only across accounts.
     * {@code OrganizationsDecisionDetail} says whether the service control policies allow the request (always, when
     * none were given), and is left out when the request excludes them, as AWS answers.
     */
    private static SimulationResult result(String action, String resource, Decision decision,
            boolean organizationsExcluded) {
        Optional<Map<String, EvalDecision>> crossAccountDetails = Optional.empty();
        if (decision.crossAccount()) {
            var byPolicy = new LinkedHashMap<String, EvalDecision>();
            byPolicy.put("IAM Policy", decision.identityPolicyDecision());
            decision.resourcePolicyDecision().ifPresent(d -> byPolicy.put("Resource Policy", d));
            crossAccountDetails = Optional.of(byPolicy);
        }
        Optional<Boolean> allowedByOrganizations = organizationsExcluded ? Optional.empty()
                : Optional.of(decision.allowedByOrganizations());
        if (resource.equals("*")) {
            return new SimulationResult(action, resource, decision.decision(), decision.matchedStatements(),
                    decision.missingContextValues(), allowedByOrganizations, decision.allowedByPermissionsBoundary(),
                    crossAccountDetails, List.of());
        }
        var specific = new SimulationResult.ResourceResult(resource, decision.decision(),
                decision.matchedStatements(), decision.missingContextValues(),
                decision.allowedByPermissionsBoundary(), crossAccountDetails);
        return new SimulationResult(action, resource, decision.decision(), decision.matchedStatements(),
                java.util.Set.of(), allowedByOrganizations, decision.allowedByPermissionsBoundary(),
                crossAccountDetails.or(() -> Optional.of(Map.of())), List.of(specific));
    }

    /**
     * The user, group or role whose policies are simulated: the entity, its identity policies as
     * {@link IdentityPolicies} lists them and its permissions boundary.
     */
    private record Principal(PolicyOwner owner, List<IdentityPolicies.Held> policies,
            Optional<List<LabeledPolicy>> boundary) {
    }

    private Principal principal(String accountId, String policySourceArn) {
        Arn arn = Arn.tryParse(policySourceArn)
                .filter(parsed -> parsed.service().equals("iam") && parsed.accountId().equals(accountId))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT,
                        "Invalid ARN " + policySourceArn + ": PolicySourceArn must name a user, group or role of "
                                + "account " + accountId + "."));
        String name = arn.resourceName();
        return switch (arn.resourceType().toLowerCase(Locale.ROOT)) {
            case "user" -> {
                User user = identities.findUser(accountId, name).filter(found -> found.arn().equals(policySourceArn))
                        .orElseThrow(() -> IamChecks.noSuchUser(name));
                yield new Principal(PolicyOwner.of(user), identityPolicies.held(PolicyOwner.of(user), user.userName()),
                        identityPolicies.boundary(user.permissionsBoundaryArn()));
            }
            case "group" -> {
                Group group = identities.findGroup(accountId, name).filter(found -> found.arn().equals(policySourceArn))
                        .orElseThrow(() -> IamChecks.noSuchEntity("The group with name " + name
                                + " cannot be found."));
                yield new Principal(PolicyOwner.of(group),
                        identityPolicies.held(PolicyOwner.of(group), group.groupName()),
                        Optional.empty());
            }
            case "role" -> {
                Role role = identities.findRole(accountId, name).filter(found -> found.arn().equals(policySourceArn))
                        .orElseThrow(() -> IamChecks.noSuchRole(name));
                yield new Principal(PolicyOwner.of(role), identityPolicies.held(PolicyOwner.of(role), role.roleName()),
                        identityPolicies.boundary(role.permissionsBoundaryArn()));
            }
            default -> throw new ApiException(ErrorCode.INVALID_INPUT, "Invalid ARN " + policySourceArn
                    + ": PolicySourceArn must name a user, group or role.");
        };
    }

    /** Whether {@code exclusions} exclude every policy of {@code kind}. */
    private static boolean excludes(List<PolicyExclusion> exclusions, PolicyExclusion.PolicyKind kind) {
        return exclusions.stream().anyMatch(exclusion -> exclusion instanceof PolicyExclusion.ByType byType
                && byType.kind() == kind);
    }

    /** The principal's identity policies that {@code exclusions} leave in the simulation. */
    private static List<LabeledPolicy> keptPolicies(String accountId, List<IdentityPolicies.Held> policies,
            List<PolicyExclusion> exclusions) {
        var kept = new ArrayList<LabeledPolicy>(policies.size());
        for (IdentityPolicies.Held held : policies) {
            if (exclusions.isEmpty() || !excluded(accountId, held, exclusions)) {
                kept.add(held.policy());
            }
        }
        return kept;
    }

    /**
     * Whether one of {@code exclusions} names a stored identity policy. The boundary and organization policies are
     * excluded by type only, in {@link #simulatePrincipalPolicy}: AWS's real responses show that a policy ARN leaves a
     * permissions boundary in place, even when the same policy is also attached.
     */
    private static boolean excluded(String accountId, IdentityPolicies.Held held, List<PolicyExclusion> exclusions) {
        LabeledPolicy labeled = held.policy();
        Optional<IdentityPolicies.InlineOrigin> origin = held.inline();
        SourcePolicyType type = labeled.source().type();
        for (PolicyExclusion exclusion : exclusions) {
            if (exclusion instanceof PolicyExclusion.ByType byType) {
                boolean ofKind = switch (byType.kind()) {
                    case INLINE -> origin.isPresent();
                    case AWS_MANAGED -> type == SourcePolicyType.AWS_MANAGED;
                    case USER_MANAGED -> type == SourcePolicyType.USER_MANAGED;
                    case PERMISSION_BOUNDARY, SCP, RCP -> false;
                };
                if (ofKind) {
                    return true;
                }
            } else if (exclusion instanceof PolicyExclusion.ByArn byArn) {
                // A customer managed policy attached to the principal is one of its own account's.
                String owner = type == SourcePolicyType.AWS_MANAGED ? "aws" : accountId;
                if ((type == SourcePolicyType.AWS_MANAGED || type == SourcePolicyType.USER_MANAGED)
                        && byArn.names(owner, labeled.source().id())) {
                    return true;
                }
            } else if (exclusion instanceof PolicyExclusion.Inline inline && origin.isPresent()
                    && inline.names(origin.get().ownerKind(), origin.get().ownerName(), origin.get().policyName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The simulated caller. An IAM user or a role session of a role this store holds gets the {@code aws:userid} (and,
     * for a session, the role ARN with its path) a real request of that caller would carry.
     */
    private RequestPrincipal callerPrincipal(String callerArn) {
        RequestPrincipal principal;
        try {
            principal = RequestPrincipal.fromArn(callerArn);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Invalid CallerArn " + callerArn + ".");
        }
        Optional<Arn> arn = Arn.tryParse(callerArn);
        if (arn.isEmpty()) {
            return principal;
        }
        String account = arn.get().accountId();
        String resource = arn.get().resource();
        switch (principal.type()) {
            case USER -> {
                return identities.findUser(account, arn.get().resourceName())
                        .filter(user -> user.arn().equals(callerArn))
                        .map(user -> principal.withUserId(user.userId()))
                        .orElse(principal);
            }
            case ASSUMED_ROLE -> {
                String[] parts = resource.split("/", 3);
                return identities.findRole(account, parts[1])
                        .map(role -> RequestPrincipal.assumedRole(callerArn, role.arn())
                                .withUserId(role.roleId() + ":" + parts[2]))
                        .orElse(principal);
            }
            default -> {
                return principal;
            }
        }
    }

    /** {@code arn:aws:iam::ACCOUNT:root}, or a bare account id. */
    private static String ownerAccount(String resourceOwner) {
        if (Account.isValidAccountId(resourceOwner)) {
            return resourceOwner;
        }
        return Arn.tryParse(resourceOwner)
                .map(Arn::accountId)
                .filter(Account::isValidAccountId)
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_INPUT,
                        "Invalid ResourceOwner " + resourceOwner + ": expected arn:aws:iam::ACCOUNT-ID:root."));
    }

    /** Each document parsed as {@code type} and labelled {@code prefix} followed by its position, from 1. */
    private static List<LabeledPolicy> labeled(String prefix, List<String> documents, PolicyType type,
            SourcePolicyType sourceType) {
        var labeled = new ArrayList<LabeledPolicy>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            String id = prefix + (i + 1);
            labeled.add(LabeledPolicy.of(id, sourceType, parse(documents.get(i), type, id)));
        }
        return labeled;
    }

    private static Policy parse(String document, PolicyType type, String name) {
        try {
            return Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.INVALID_INPUT, name + " is not a valid policy: " + e.getMessage());
        }
    }
}
