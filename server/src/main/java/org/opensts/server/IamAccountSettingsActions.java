package org.opensts.server;

import java.util.List;
import java.util.Map;
import org.opensts.iam.IamService;
import org.opensts.iam.IamShapes;
import org.opensts.iam.Page;
import org.opensts.iam.PasswordPolicy;
import org.opensts.protocol.shape.ScalarShape;
import org.opensts.protocol.shape.ScalarType;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.shape.Struct;
import org.opensts.sts.Authorizer;

/**
 * The IAM actions on the account's settings: its alias (Create/Delete/ListAccountAliases) and its password policy
 * (Update/Get/DeleteAccountPasswordPolicy). OpenSTS has no console passwords, so the password policy is kept and
 * reported, never applied.
 *
 * <p>IAM names no resource for these actions: each is authorized for {@code iam:<Action>} on {@code *}, as the
 * Service Authorization Reference lists them (Actions defined by AWS Identity and Access Management, no resource
 * type).
 */
final class IamAccountSettingsActions {
    /** The model's {@code minimumPasswordLengthType}. */
    private static final ScalarShape MINIMUM_PASSWORD_LENGTH = ScalarShape.integer("minimumPasswordLengthType")
            .range(6, 128).build();
    /** The model's {@code maxPasswordAgeType}. */
    private static final ScalarShape MAX_PASSWORD_AGE = ScalarShape.integer("maxPasswordAgeType")
            .range(1, 1095).build();
    /** The model's {@code passwordReusePreventionType}. */
    private static final ScalarShape PASSWORD_REUSE_PREVENTION = ScalarShape.integer("passwordReusePreventionType")
            .range(1, 24).build();
    /** The model's {@code booleanType}. */
    private static final ScalarShape BOOLEAN = ScalarShape.builder("booleanType", ScalarType.BOOLEAN).build();
    /** The model's {@code booleanObjectType}. */
    private static final ScalarShape BOOLEAN_OBJECT = ScalarShape.builder("booleanObjectType", ScalarType.BOOLEAN)
            .build();

    /** The model's, but IAM checks the alias's pattern itself, in its own words ({@code IamShapes}). */
    static final StructureShape CREATE_ACCOUNT_ALIAS_REQUEST = StructureShape.builder("CreateAccountAliasRequest")
            .required("AccountAlias", IamShapes.NEW_ACCOUNT_ALIAS)
            .build();
    static final StructureShape DELETE_ACCOUNT_ALIAS_REQUEST = StructureShape.builder("DeleteAccountAliasRequest")
            .required("AccountAlias", IamShapes.ACCOUNT_ALIAS)
            .build();
    static final StructureShape LIST_ACCOUNT_ALIASES_REQUEST = StructureShape.builder("ListAccountAliasesRequest")
            .optional("Marker", IamShapes.MARKER)
            .optional("MaxItems", IamShapes.MAX_ITEMS)
            .build();
    static final StructureShape UPDATE_ACCOUNT_PASSWORD_POLICY_REQUEST =
            StructureShape.builder("UpdateAccountPasswordPolicyRequest")
                    .optional("MinimumPasswordLength", MINIMUM_PASSWORD_LENGTH)
                    .optional("RequireSymbols", BOOLEAN)
                    .optional("RequireNumbers", BOOLEAN)
                    .optional("RequireUppercaseCharacters", BOOLEAN)
                    .optional("RequireLowercaseCharacters", BOOLEAN)
                    .optional("AllowUsersToChangePassword", BOOLEAN)
                    .optional("MaxPasswordAge", MAX_PASSWORD_AGE)
                    .optional("PasswordReusePrevention", PASSWORD_REUSE_PREVENTION)
                    .optional("HardExpiry", BOOLEAN_OBJECT)
                    .build();
    /** GetAccountPasswordPolicy takes no input; the model declares none. */
    static final StructureShape GET_ACCOUNT_PASSWORD_POLICY_REQUEST =
            StructureShape.empty("GetAccountPasswordPolicyRequest");
    /** DeleteAccountPasswordPolicy takes no input; the model declares none. */
    static final StructureShape DELETE_ACCOUNT_PASSWORD_POLICY_REQUEST =
            StructureShape.empty("DeleteAccountPasswordPolicyRequest");

    private final IamService iam;

    private IamAccountSettingsActions(IamService iam) {
        this.iam = iam;
    }

    static List<IamAction> all(IamService iam, Authorizer authorizer) {
        var actions = new IamAccountSettingsActions(iam);
        return List.of(
                IamAction.of(authorizer, "CreateAccountAlias", CREATE_ACCOUNT_ALIAS_REQUEST,
                        (account, input) -> "*", actions::createAccountAlias),
                IamAction.of(authorizer, "DeleteAccountAlias", DELETE_ACCOUNT_ALIAS_REQUEST,
                        (account, input) -> "*", actions::deleteAccountAlias),
                IamAction.of(authorizer, "ListAccountAliases", LIST_ACCOUNT_ALIASES_REQUEST,
                        (account, input) -> "*", actions::listAccountAliases),
                IamAction.of(authorizer, "UpdateAccountPasswordPolicy", UPDATE_ACCOUNT_PASSWORD_POLICY_REQUEST,
                        (account, input) -> "*", actions::updateAccountPasswordPolicy),
                IamAction.of(authorizer, "GetAccountPasswordPolicy", GET_ACCOUNT_PASSWORD_POLICY_REQUEST,
                        (account, input) -> "*", actions::getAccountPasswordPolicy),
                IamAction.of(authorizer, "DeleteAccountPasswordPolicy", DELETE_ACCOUNT_PASSWORD_POLICY_REQUEST,
                        (account, input) -> "*", actions::deleteAccountPasswordPolicy));
    }

    private ActionResult createAccountAlias(IamCall call, Struct input) {
        iam.accounts().createAccountAlias(call.accountId(), input.requiredString("AccountAlias"));
        return ActionResult.empty();
    }

    private ActionResult deleteAccountAlias(IamCall call, Struct input) {
        iam.accounts().deleteAccountAlias(call.accountId(), input.requiredString("AccountAlias"));
        return ActionResult.empty();
    }

    private ActionResult listAccountAliases(IamCall call, Struct input) {
        Page<String> page = iam.accounts().listAccountAliases(call.accountId(), input.string("Marker"),
                input.integer("MaxItems"));
        return ActionResult.of(xml -> {
            xml.startList("AccountAliases");
            page.items().forEach(alias -> xml.element("member", alias));
            xml.end();
            IamXml.pagination(xml, page);
        }, Map.of());
    }

    /**
     * "This operation does not support partial updates": a member left out takes its default (IAM API Reference,
     * UpdateAccountPasswordPolicy).
     */
    private ActionResult updateAccountPasswordPolicy(IamCall call, Struct input) {
        var policy = new PasswordPolicy(
                input.integer("MinimumPasswordLength").orElse(PasswordPolicy.DEFAULT_MINIMUM_PASSWORD_LENGTH),
                input.bool("RequireSymbols").orElse(false),
                input.bool("RequireNumbers").orElse(false),
                input.bool("RequireUppercaseCharacters").orElse(false),
                input.bool("RequireLowercaseCharacters").orElse(false),
                input.bool("AllowUsersToChangePassword").orElse(false),
                input.integer("MaxPasswordAge"),
                input.integer("PasswordReusePrevention"),
                input.bool("HardExpiry"));
        iam.accounts().updateAccountPasswordPolicy(call.accountId(), policy);
        return ActionResult.empty();
    }

    /**
     * The members in the model's order; {@code ExpirePasswords} always, {@code MaxPasswordAge},
     * {@code PasswordReusePrevention} and {@code HardExpiry} only when they were set, as AWS's recorded answers show.
     */
    private ActionResult getAccountPasswordPolicy(IamCall call, Struct input) {
        PasswordPolicy policy = iam.accounts().getAccountPasswordPolicy(call.accountId());
        return ActionResult.of(xml -> {
            xml.start("PasswordPolicy")
                    .element("MinimumPasswordLength", policy.minimumPasswordLength())
                    .element("RequireSymbols", policy.requireSymbols())
                    .element("RequireNumbers", policy.requireNumbers())
                    .element("RequireUppercaseCharacters", policy.requireUppercaseCharacters())
                    .element("RequireLowercaseCharacters", policy.requireLowercaseCharacters())
                    .element("AllowUsersToChangePassword", policy.allowUsersToChangePassword())
                    .element("ExpirePasswords", policy.expirePasswords());
            policy.maxPasswordAge().ifPresent(age -> xml.element("MaxPasswordAge", age));
            policy.passwordReusePrevention().ifPresent(count -> xml.element("PasswordReusePrevention", count));
            policy.hardExpiry().ifPresent(hardExpiry -> xml.element("HardExpiry", hardExpiry));
            xml.end();
        }, Map.of());
    }

    private ActionResult deleteAccountPasswordPolicy(IamCall call, Struct input) {
        iam.accounts().deleteAccountPasswordPolicy(call.accountId());
        return ActionResult.empty();
    }
}
