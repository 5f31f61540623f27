package org.opensts.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.BiFunction;
import org.opensts.policy.Decision;
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
 * <p>A change to a resource that belongs to AWS is never allowed. An action whose operation refuses such changes
 * itself, in AWS's words ({@link #refusingAwsOwnedResourcesItself()}), gets the call when the caller's policies would
 * allow it, so the caller sees IAM's own refusal ("Cannot delete policies outside your own account.") rather than a
 * generic authorization failure, as on AWS.
 */
final class IamAction implements QueryAction {
    private final String name;
    private final StructureShape input;
    private final ResourceArn resource;
    private final Handler handler;
    private final Authorizer authorizer;
    private final Validator validator;
    private final boolean operationRefusesAwsOwned;

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

    /** The ARN an action is authorized against, from the caller and the bound input. */
    @FunctionalInterface
    interface ResourceArn {
        String of(CallerIdentity caller, Struct input);
    }

    private IamAction(String name, StructureShape input, ResourceArn resource, Handler handler,
            Authorizer authorizer, Validator validator, boolean operationRefusesAwsOwned) {
        this.name = requireNonNull(name, "name");
        this.input = requireNonNull(input, "input");
        this.resource = requireNonNull(resource, "resource");
        this.handler = requireNonNull(handler, "handler");
        this.authorizer = requireNonNull(authorizer, "authorizer");
        this.validator = requireNonNull(validator, "validator");
        this.operationRefusesAwsOwned = operationRefusesAwsOwned;
    }

    /**
     * Declares an action.
     *
     * @param resource the ARN the action is authorized against, from the caller's account and the bound input
     */
    static IamAction of(Authorizer authorizer, String name, StructureShape input,
            BiFunction<String, Struct, String> resource, Handler handler) {
        return new IamAction(name, input, (caller, struct) -> resource.apply(caller.accountId(), struct), handler,
                authorizer, struct -> { }, /* operationRefusesAwsOwned= */ false);
    }

    /**
     * Declares an action whose resource depends on the caller itself, such as one that acts on the calling user when
     * the request names none.
     */
    static IamAction ofCaller(Authorizer authorizer, String name, StructureShape input, ResourceArn resource,
            Handler handler) {
        return new IamAction(name, input, resource, handler, authorizer, struct -> { },
                /* operationRefusesAwsOwned= */ false);
    }

    /** This action, with {@code check} run on its input before authorization (after the model's constraints). */
    IamAction validatedBy(Validator check) {
        return new IamAction(name, input, resource, handler, authorizer, check, operationRefusesAwsOwned);
    }

    /**
     * This action, declared to refuse changes to resources that belong to AWS in its operation, in AWS's words: a
     * call the policy engine refuses only for that reason reaches the operation, which must then refuse it.
     */
    IamAction refusingAwsOwnedResourcesItself() {
        return new IamAction(name, input, resource, handler, authorizer, validator, true);
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
        String arn = resource.of(identity, struct);
        Decision decision = authorizer.decide(identity, metadata, policyAction(), arn);
        if (!decision.isAllowed() && !(operationRefusesAwsOwned && decision.refusedAsAwsOwned())) {
            throw authorizer.denied(identity, metadata, policyAction(), arn, decision);
        }
        return handler.handle(new IamCall(identity, metadata), struct);
    }
}
