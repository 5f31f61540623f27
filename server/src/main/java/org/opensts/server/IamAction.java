package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.opensts.policy.Decision;
import org.opensts.policy.RequestContext;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.token.SessionType;

/**
 * One IAM Query action (Version 2010-05-08): every call is signed, its parameters checked, then authorized by the
 * caller's identity policies for {@code iam:<Action>} on the resource the action names — the ARN of the user, group,
 * role, policy, provider or device it touches — and only then run.
 *
 * <p>Parameters are checked before authorization, as in AWS's real responses: the model's constraints when the input
 * is bound, and an action's own checks of what it will authorize against (such as a {@code PolicyArn} that is no ARN
 * at all) just before authorizing, so that a malformed request is a {@code ValidationError} even for a caller who may
 * not call the action.
 *
 * <p>Federated users (GetFederationToken sessions) may not call IAM at all, and GetSessionToken sessions only when
 * they were proven with MFA, as on AWS.
 *
 * <p>The request's context has, besides the global keys, the keys the action declares ({@link #withRequestKeys}) and
 * the tags of the resource it touches ({@link IamResource}), with {@code aws:RequestedRegion} {@code us-east-1}: IAM
 * is a global service whose one endpoint is in US East (N. Virginia), so "IAM calls are always made to the us-east-1
 * Region" whatever region the client signed for (IAM User Guide, "AWS global condition context keys",
 * aws:RequestedRegion). Some requests need more than the action itself, as on AWS: creating an entity with tags also
 * needs its Tag* action, with a permissions boundary its Put*PermissionsBoundary action ({@link #alsoRequiring}),
 * renaming or moving one needs the action on the new ARN too ({@link #alsoAuthorizedOn}), and adding a role to an
 * instance profile needs {@code iam:PassRole} on the role ({@link #alsoRequiringOn}). An {@code AccessDenied} names
 * the action and the resource that were refused.
 *
 * <p>A change to a resource that belongs to AWS is never allowed. An action whose operation refuses such changes
 * itself, in AWS's words ({@link #refusingAwsOwnedResourcesItself()}), gets the call when the caller's policies would
 * allow it, so the caller sees IAM's own refusal ("Cannot delete policies outside your own account.") rather than a
 * generic authorization failure, as on AWS.
 */
final class IamAction implements QueryAction {
    /** The region every IAM call is made to, as {@code aws:RequestedRegion} sees it. */
    static final String IAM_REGION = "us-east-1";

    private final String name;
    private final StructureShape input;
    private final Resource resource;
    private final Handler handler;
    private final Authorizer authorizer;
    private final Validator validator;
    private final boolean operationRefusesAwsOwned;
    private final List<IamRequestKeys> requestKeys;
    private final List<Dependent> dependents;
    private final Optional<NewArn> newArn;

    /** Runs an authorized call. */
    @FunctionalInterface
    interface Handler {
        ActionResult handle(IamCall call, Struct input);
    }

    /** Checks a bound input before the call is authorized; throws {@code ApiException} to refuse it. */
    @FunctionalInterface
    interface Validator {
        void check(Struct input);
    }

    /** The resource an action is authorized against, as the store has it, from the caller and the bound input. */
    @FunctionalInterface
    interface Resource {
        IamResource of(CallerIdentity caller, Struct input);
    }

    /** The ARN a request gives its resource, if it renames or moves it. */
    @FunctionalInterface
    interface NewArn {
        Optional<String> of(Struct input, IamResource resource);
    }

    /**
     * Another action a request needs when it carries some parameter, authorized on the same resource, or on another
     * one with keys of its own ({@link #alsoRequiringOn}).
     */
    private record Dependent(String action, Predicate<Struct> when, Optional<Resource> resource,
            List<IamRequestKeys> keys) {
    }

    private IamAction(String name, StructureShape input, Resource resource, Handler handler,
            Authorizer authorizer, Validator validator, boolean operationRefusesAwsOwned,
            List<IamRequestKeys> requestKeys, List<Dependent> dependents, Optional<NewArn> newArn) {
        this.name = requireNonNull(name, "name");
        this.input = requireNonNull(input, "input");
        this.resource = requireNonNull(resource, "resource");
        this.handler = requireNonNull(handler, "handler");
        this.authorizer = requireNonNull(authorizer, "authorizer");
        this.validator = requireNonNull(validator, "validator");
        this.operationRefusesAwsOwned = operationRefusesAwsOwned;
        this.requestKeys = List.copyOf(requestKeys);
        this.dependents = List.copyOf(dependents);
        this.newArn = requireNonNull(newArn, "newArn");
    }

    private IamAction(String name, StructureShape input, Resource resource, Handler handler,
            Authorizer authorizer) {
        this(name, input, resource, handler, authorizer, struct -> { }, /* operationRefusesAwsOwned= */ false,
                List.of(), List.of(), Optional.empty());
    }

    /**
     * Declares an action on a resource known by its ARN alone: one that does not exist yet, that IAM does not tag, or
     * a list.
     *
     * @param resource the ARN the action is authorized against, from the caller's account and the bound input
     */
    static IamAction of(Authorizer authorizer, String name, StructureShape input,
            BiFunction<String, Struct, String> resource, Handler handler) {
        return new IamAction(name, input,
                (caller, struct) -> IamResource.of(resource.apply(caller.accountId(), struct)), handler, authorizer);
    }

    /**
     * Declares an action on a resource the store has, whose tags (and, for a user or role, permissions boundary) the
     * request's context reports.
     *
     * @param resource the resource the action is authorized against, from the caller's account and the bound input
     */
    static IamAction on(Authorizer authorizer, String name, StructureShape input,
            BiFunction<String, Struct, IamResource> resource, Handler handler) {
        return new IamAction(name, input, (caller, struct) -> resource.apply(caller.accountId(), struct), handler,
                authorizer);
    }

    /**
     * Declares an action whose resource depends on the caller itself, such as one that acts on the calling user when
     * the request names none.
     */
    static IamAction onCaller(Authorizer authorizer, String name, StructureShape input, Resource resource,
            Handler handler) {
        return new IamAction(name, input, resource, handler, authorizer);
    }

    /** This action, with {@code check} run on its input before authorization (after the model's constraints). */
    IamAction validatedBy(Validator check) {
        return new IamAction(name, input, resource, handler, authorizer, check, operationRefusesAwsOwned,
                requestKeys, dependents, newArn);
    }

    /**
     * This action, declared to refuse changes to resources that belong to AWS in its operation, in AWS's words: a
     * call the policy engine refuses only for that reason reaches the operation, which must then refuse it.
     */
    IamAction refusingAwsOwnedResourcesItself() {
        return new IamAction(name, input, resource, handler, authorizer, validator, true, requestKeys, dependents,
                newArn);
    }

    /** This action, its request's context given {@code keys} as well (see {@link IamRequestKeys}). */
    IamAction withRequestKeys(IamRequestKeys... keys) {
        var all = new ArrayList<>(requestKeys);
        all.addAll(List.of(keys));
        return new IamAction(name, input, resource, handler, authorizer, validator, operationRefusesAwsOwned, all,
                dependents, newArn);
    }

    /**
     * This action, needing {@code iam:<action>} on the same resource too when a request passes {@code when}: AWS's
     * dependent actions, such as {@code iam:TagUser} for a CreateUser with tags.
     */
    IamAction alsoRequiring(String action, Predicate<Struct> when) {
        var all = new ArrayList<>(dependents);
        all.add(new Dependent("iam:" + action, when, Optional.empty(), List.of()));
        return new IamAction(name, input, resource, handler, authorizer, validator, operationRefusesAwsOwned,
                requestKeys, all, newArn);
    }

    /**
     * This action, needing {@code iam:<action>} on {@code other} too, whose context holds that resource's tags and
     * {@code keys}: AddRoleToInstanceProfile needs {@code iam:PassRole} on the role it adds ("The caller of this
     * operation must be granted the PassRole permission on the IAM role", IAM API Reference,
     * AddRoleToInstanceProfile).
     */
    IamAction alsoRequiringOn(String action, Resource other, IamRequestKeys... keys) {
        var all = new ArrayList<>(dependents);
        all.add(new Dependent("iam:" + action, struct -> true, Optional.of(other), List.of(keys)));
        return new IamAction(name, input, resource, handler, authorizer, validator, operationRefusesAwsOwned,
                requestKeys, all, newArn);
    }

    /**
     * This action, authorized on the resource's new ARN too when the request renames or moves it, as AWS requires
     * "permissions on both the source object and the target object" (IAM API Reference, UpdateUser, UpdateGroup).
     */
    IamAction alsoAuthorizedOn(NewArn target) {
        return new IamAction(name, input, resource, handler, authorizer, validator, operationRefusesAwsOwned,
                requestKeys, dependents, Optional.of(target));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public StructureShape input() {
        return input;
    }

    /** The action as policies name it, e.g. {@code iam:CreateUser}. */
    String policyAction() {
        return "iam:" + name;
    }

    @Override
    public ActionResult invoke(Optional<CallerIdentity> caller, RequestMetadata metadata, Struct struct) {
        CallerIdentity identity = caller.orElseThrow();
        if (identity.session().map(session -> session.type() == SessionType.FEDERATED_USER).orElse(false)) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, "Federated users cannot call IAM.");
        }
        // A GetSessionToken session may call IAM only if it was proven with MFA; AWS answers as if the token were
        // unknown (IAM User Guide, "Compare AWS STS credentials").
        if (identity.session().map(session -> session.type() == SessionType.SESSION_USER
                && session.mfaAuthenticatedAt().isEmpty()).orElse(false)) {
            throw new ApiException(ErrorCode.INVALID_CLIENT_TOKEN_ID,
                    "The security token included in the request is invalid");
        }
        validator.check(struct);
        IamResource target = resource.of(identity, struct);
        RequestContext context = context(identity, metadata, struct, target);
        authorize(identity, policyAction(), target.arn(), context, operationRefusesAwsOwned);
        for (Dependent dependent : dependents) {
            if (!dependent.when().test(struct)) {
                continue;
            }
            if (dependent.resource().isPresent()) {
                IamResource other = dependent.resource().get().of(identity, struct);
                RequestContext.Builder otherContext = authorizer.baseContext(identity,
                        metadata.withRegion(IAM_REGION));
                other.addTagsTo(otherContext);
                dependent.keys().forEach(keys -> keys.addTo(otherContext, struct, other));
                authorize(identity, dependent.action(), other.arn(), otherContext.build(),
                        /* awsOwnedRefusedLater= */ false);
            } else {
                authorize(identity, dependent.action(), target.arn(), context, /* awsOwnedRefusedLater= */ false);
            }
        }
        if (newArn.isPresent()) {
            Optional<String> moved = newArn.get().of(struct, target).filter(arn -> !arn.equals(target.arn()));
            if (moved.isPresent()) {
                authorize(identity, policyAction(), moved.get(), context, /* awsOwnedRefusedLater= */ false);
            }
        }
        return handler.handle(new IamCall(identity, metadata), struct);
    }

    /** The request's keys: the global ones, with IAM's region, the resource's tags and the action's own. */
    private RequestContext context(CallerIdentity identity, RequestMetadata metadata, Struct struct,
            IamResource target) {
        RequestContext.Builder context = authorizer.baseContext(identity, metadata.withRegion(IAM_REGION));
        target.addTagsTo(context);
        for (IamRequestKeys keys : requestKeys) {
            keys.addTo(context, struct, target);
        }
        return context.build();
    }

    private void authorize(CallerIdentity identity, String action, String arn, RequestContext context,
            boolean awsOwnedRefusedLater) {
        Decision decision = authorizer.decide(identity, action, arn, context);
        if (!decision.isAllowed() && !(awsOwnedRefusedLater && decision.refusedAsAwsOwned())) {
            throw authorizer.denied(identity, action, arn, decision, context);
        }
    }
}
