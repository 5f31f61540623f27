package org.opensts.policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opensts.policy.internal.Wildcard;

/**
 * One compiled statement of a {@link Policy}, read-only. The public accessors give the statement as written;
 * matching against a request is the evaluator's business.
 *
 * <p>AWS rules followed: actions match case-insensitively ({@code S3:getobject} is {@code s3:GetObject}),
 * resources case-sensitively; {@code NotAction}/{@code NotResource} apply the statement to everything not
 * listed; a statement applies only when its action, resource, principal (in resource and trust policies) and
 * every condition clause all match.
 */
public final class PolicyStatement {
    private final Optional<String> sid;
    private final Effect effect;
    private final PrincipalSpec principal;
    private final boolean notPrincipal;
    private final List<String> actions;
    private final boolean notAction;
    private final Wildcard[] actionPatterns;
    private final List<ResourcePattern> resources;
    private final boolean notResource;
    private final List<ConditionClause> conditions;
    private final Map<String, Map<String, List<String>>> conditionView;
    private final Position start;
    private final Position end;

    PolicyStatement(Optional<String> sid, Effect effect, PrincipalSpec principal, boolean notPrincipal,
            List<String> actions, boolean notAction, List<ResourcePattern> resources, boolean notResource,
            List<ConditionClause> conditions, Map<String, Map<String, List<String>>> conditionView,
            Position start, Position end) {
        this.sid = sid;
        this.effect = effect;
        this.principal = principal;
        this.notPrincipal = notPrincipal;
        this.actions = List.copyOf(actions);
        this.notAction = notAction;
        this.actionPatterns = new Wildcard[actions.size()];
        for (int i = 0; i < actionPatterns.length; i++) {
            actionPatterns[i] = Wildcard.compile(actions.get(i).toLowerCase(Locale.ROOT));
        }
        this.resources = List.copyOf(resources);
        this.notResource = notResource;
        this.conditions = List.copyOf(conditions);
        this.conditionView = conditionView;
        this.start = start;
        this.end = end;
    }

    /** The {@code Sid}, if the statement has one. */
    public Optional<String> sid() {
        return sid;
    }

    public Effect effect() {
        return effect;
    }

    /** Where the statement's opening brace is in the policy text. */
    public Position startPosition() {
        return start;
    }

    /** The position just after the statement's closing brace. */
    public Position endPosition() {
        return end;
    }

    /**
     * The {@code Principal} (or, if {@link #hasNotPrincipal()}, the {@code NotPrincipal}) element as principal
     * type to values; {@code "*"} reads as {@code {"AWS": ["*"]}}. Empty in identity, session and boundary
     * policies.
     */
    public Map<String, List<String>> principal() {
        return principal == null ? Map.of() : principal.members();
    }

    /** Whether the statement uses {@code NotPrincipal} rather than {@code Principal}. */
    public boolean hasNotPrincipal() {
        return notPrincipal;
    }

    /** The {@code Action} values, or the {@code NotAction} values if {@link #hasNotAction()}. */
    public List<String> actions() {
        return actions;
    }

    public boolean hasNotAction() {
        return notAction;
    }

    /**
     * The {@code Resource} values, or the {@code NotResource} values if {@link #hasNotResource()}; empty in trust
     * policies.
     */
    public List<String> resources() {
        return resources.stream().map(ResourcePattern::raw).toList();
    }

    public boolean hasNotResource() {
        return notResource;
    }

    /** The {@code Condition} element: operator (as written) to condition key to values. */
    public Map<String, Map<String, List<String>>> conditions() {
        return conditionView;
    }

    /**
     * Adds the keys the statement reads: the variables of its resources, then its condition keys and the variables of
     * their values, in the order a document usually writes them (GetContextKeysForCustomPolicy lists
     * {@code aws:username} of a {@code Resource} before {@code aws:CurrentTime} of the {@code Condition} after it).
     */
    void collectConditionKeys(Set<String> keys) {
        for (ResourcePattern r : resources) {
            r.collectKeys(keys);
        }
        for (ConditionClause c : conditions) {
            c.collectKeys(keys);
        }
    }

    /**
     * How this statement's principal element covers the caller. A {@code NotPrincipal} covers, directly, every caller
     * it does not name (see {@link PrincipalSpec#names}); and a {@code NotPrincipal} with {@code Deny} covers every
     * caller a permissions boundary applies to, named or not (IAM User Guide, "Permissions boundaries for IAM
     * entities": such a statement "will always deny any IAM principal that has a permissions boundary policy
     * attached, regardless of the values specified in the NotPrincipal element").
     */
    PrincipalMatch principalMatch(EvaluationScope scope) {
        if (principal == null) {
            return PrincipalMatch.DIRECT;
        }
        if (notPrincipal) {
            if (effect == Effect.DENY && scope.callerHasPermissionsBoundary()) {
                return PrincipalMatch.DIRECT;
            }
            return principal.names(scope.principal()) ? PrincipalMatch.NONE : PrincipalMatch.DIRECT;
        }
        return principal.match(scope.principal());
    }

    boolean matchesAction(String lowerCaseAction) {
        boolean listed = false;
        for (Wildcard pattern : actionPatterns) {
            if (pattern.matches(lowerCaseAction)) {
                listed = true;
                break;
            }
        }
        return listed != notAction;
    }

    boolean matchesResource(EvaluationScope scope) {
        if (resources.isEmpty()) {
            // A trust policy has no Resource: its role is the resource, for the requests a trust policy governs.
            return scope.isRoleTrustRequest();
        }
        if (scope.resourcePattern() != null) {
            return matchesResourceSet(scope);
        }
        // A value whose variable has no value matches no resource, in Resource and NotResource alike (IAM User Guide,
        // "Policy variables with no value"): a NotResource leaves out nothing for it.
        boolean listed = false;
        for (ResourcePattern pattern : resources) {
            if (pattern.matches(scope)) {
                listed = true;
                break;
            }
        }
        return listed != notResource;
    }

    /**
     * For a request that names a set of resources (the simulator's {@code *}, or a pattern), whether the statement
     * applies, as the IAM policy simulator answers what the caller could do on some resource of the set: an
     * {@code Allow} applies when it grants some resource of the set ({@code Resource} overlaps it, or
     * {@code NotResource} leaves part of it out), a {@code Deny} only when it denies every resource of the set
     * ({@code Resource} covers it, or {@code NotResource} leaves none of it out).
     */
    private boolean matchesResourceSet(EvaluationScope scope) {
        boolean allow = effect == Effect.ALLOW;
        // Resource: Allow needs one pattern that overlaps the set, Deny one that covers it. NotResource: Allow
        // applies unless one pattern covers the set, Deny unless one overlaps it.
        boolean covers = allow == notResource;
        boolean found = false;
        for (ResourcePattern pattern : resources) {
            if (pattern.relatesToSet(scope, covers)) {
                found = true;
                break;
            }
        }
        return found != notResource;
    }

    /**
     * Whether every clause holds. Every clause is looked at, even after one fails, so that the decision can
     * report all the keys the statement needed.
     */
    boolean conditionsHold(EvaluationScope scope) {
        boolean holds = true;
        for (ConditionClause clause : conditions) {
            if (holds) {
                holds = clause.evaluate(scope);
            } else {
                clause.noteIfMissing(scope);
            }
        }
        return holds;
    }

    @Override
    public String toString() {
        return "PolicyStatement[" + sid.orElse("") + " " + effect.wireName() + " "
                + (notAction ? "NotAction" : "Action") + "=" + actions + "]";
    }
}
