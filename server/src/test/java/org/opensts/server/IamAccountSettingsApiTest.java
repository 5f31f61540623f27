package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.protocol.testing.ShapeConformance.Deviation;
import org.opensts.token.AccessKeyIds;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PasswordPolicy;
import software.amazon.awssdk.services.iam.model.UpdateAccountPasswordPolicyRequest;

/**
 * The account's alias and password policy over HTTP through the AWS SDK for Java v2's own IAM client: AWS's members,
 * defaults and recorded words, an alias unique across the accounts of the node, the model's constraints, and the
 * caller's policies deciding on {@code *}.
 */
class IamAccountSettingsApiTest {
    private static final String ACCOUNT = "123456789012";
    private static final String OTHER_ACCOUNT = "210987654321";
    /** CreateAccountAlias checks its alias's pattern itself (see {@code IamShapes.NEW_ACCOUNT_ALIAS}). */
    private static final Deviation OWN_ALIAS_CHECK = new Deviation("accountAliasType", "pattern", Optional.empty(),
            Optional.of("^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"), "IAM words this check itself");

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static IamClient otherAccount;
    private static AwsBasicCredentials nobody;
    private static AwsBasicCredentials reader;
    private static AwsBasicCredentials denied;

    /**
     * One node for the class. Its account has {@code nobody}, without any policy; {@code reader}, allowed
     * ListAccountAliases and GetAccountPasswordPolicy on {@code *}; and {@code denied}, allowed everything but
     * explicitly denied CreateAccountAlias and UpdateAccountPasswordPolicy. A second account has {@code carol}, allowed
     * everything.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        reader = TestNodes.knownKey("reader");
        denied = TestNodes.knownKey("denied");
        AwsBasicCredentials carol = AwsBasicCredentials.create(AccessKeyIds.newLongTerm(OTHER_ACCOUNT,
                new SecureRandom()), "carol-secret-0123456789abcdef");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: reader
                        policies:
                          - name: ReadSettings
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Action: ["iam:ListAccountAliases", "iam:GetAccountPasswordPolicy"], Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: denied
                        policies:
                          - name: AllButSettings
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}, \
                {Effect: Deny, Action: ["iam:CreateAccountAlias", "iam:UpdateAccountPasswordPolicy"], Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                  - id: "%s"
                    users:
                      - name: carol
                        policies:
                          - name: Everything
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), reader.accessKeyId(),
                reader.secretAccessKey(), denied.accessKeyId(), denied.secretAccessKey(), OTHER_ACCOUNT,
                carol.accessKeyId(), carol.secretAccessKey()));
        AccessKeyCredentials initial = node.initialAdmin().orElseThrow();
        iam = client(SdkClients.credentials(initial));
        otherAccount = client(carol);
    }

    @AfterAll
    static void stop() {
        iam.close();
        otherAccount.close();
        node.close();
    }

    /** Each case starts from accounts without an alias or a password policy. */
    @BeforeEach
    void clearSettings() {
        for (IamClient account : new IamClient[] {iam, otherAccount}) {
            account.listAccountAliases().accountAliases()
                    .forEach(alias -> account.deleteAccountAlias(r -> r.accountAlias(alias)));
            if (hasPasswordPolicy(account)) {
                account.deleteAccountPasswordPolicy();
            }
        }
    }

    private static boolean hasPasswordPolicy(IamClient account) {
        try {
            account.getAccountPasswordPolicy();
            return true;
        } catch (NoSuchEntityException e) {
            return false;
        }
    }

    private static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static <T extends IamException> T failure(Class<T> type, Runnable call) {
        return catchThrowableOfType(type, call::run);
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamAccountSettingsActions.CREATE_ACCOUNT_ALIAS_REQUEST,
                IamAccountSettingsActions.DELETE_ACCOUNT_ALIAS_REQUEST,
                IamAccountSettingsActions.LIST_ACCOUNT_ALIASES_REQUEST,
                IamAccountSettingsActions.UPDATE_ACCOUNT_PASSWORD_POLICY_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel()))
                .filteredOn(difference -> !OWN_ALIAS_CHECK.covers(difference))
                .isEmpty();
    }

    @Test
    void getAndDeleteAccountPasswordPolicy_takeNoInput_asTheModelDeclaresNone() {
        assertThat(BotocoreData.iamModel().operations().get("GetAccountPasswordPolicy").inputShape()).isEmpty();
        assertThat(IamAccountSettingsActions.GET_ACCOUNT_PASSWORD_POLICY_REQUEST.members()).isEmpty();
        assertThat(BotocoreData.iamModel().operations().get("DeleteAccountPasswordPolicy").inputShape()).isEmpty();
        assertThat(IamAccountSettingsActions.DELETE_ACCOUNT_PASSWORD_POLICY_REQUEST.members()).isEmpty();
    }

    // ---- the account alias

    @Test
    void accountAlias_createdListedAndDeleted() {
        var before = iam.listAccountAliases();
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));
        var during = iam.listAccountAliases();
        iam.deleteAccountAlias(r -> r.accountAlias("example-corp"));
        var after = iam.listAccountAliases();

        assertThat(before.accountAliases()).isEmpty();
        assertThat(before.isTruncated()).isFalse();
        assertThat(during.accountAliases()).containsExactly("example-corp");
        assertThat(during.isTruncated()).isFalse();
        assertThat(during.marker()).isNull();
        assertThat(after.accountAliases()).isEmpty();
    }

    @Test
    void createAccountAlias_whenTheAccountHasOne_replacesIt() {
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));

        iam.createAccountAlias(r -> r.accountAlias("example-corp-2"));

        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("example-corp-2");
    }

    @Test
    void createAccountAlias_anotherAccountsAlias_isEntityAlreadyExists409_inAwsWords() {
        otherAccount.createAccountAlias(r -> r.accountAlias("taken-alias"));

        EntityAlreadyExistsException e = failure(EntityAlreadyExistsException.class,
                () -> iam.createAccountAlias(r -> r.accountAlias("taken-alias")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("EntityAlreadyExists");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The account alias taken-alias already exists.");
        assertThat(iam.listAccountAliases().accountAliases()).isEmpty();
        assertThat(otherAccount.listAccountAliases().accountAliases()).containsExactly("taken-alias");
    }

    @Test
    void createAccountAlias_anAliasAnotherAccountGaveUp_isFreeAgain() {
        otherAccount.createAccountAlias(r -> r.accountAlias("handed-on"));
        otherAccount.createAccountAlias(r -> r.accountAlias("something-else"));

        iam.createAccountAlias(r -> r.accountAlias("handed-on"));

        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("handed-on");
    }

    @Test
    void createAccountAlias_theAliasTheAccountHas_isEntityAlreadyExists() {
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));

        EntityAlreadyExistsException e = failure(EntityAlreadyExistsException.class,
                () -> iam.createAccountAlias(r -> r.accountAlias("example-corp")));

        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The account alias example-corp already exists.");
        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("example-corp");
    }

    @Test
    void deleteAccountAlias_withoutAnAlias_isNoSuchEntity404() {
        NoSuchEntityException e = failure(NoSuchEntityException.class,
                () -> iam.deleteAccountAlias(r -> r.accountAlias("my-alias")));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The account alias my-alias cannot be found.");
    }

    @Test
    void deleteAccountAlias_notTheAccountsAlias_isNoSuchEntity_andKeepsTheAlias() {
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));
        otherAccount.createAccountAlias(r -> r.accountAlias("other-corp"));

        NoSuchEntityException stale = failure(NoSuchEntityException.class,
                () -> iam.deleteAccountAlias(r -> r.accountAlias("example-old")));
        NoSuchEntityException others = failure(NoSuchEntityException.class,
                () -> iam.deleteAccountAlias(r -> r.accountAlias("other-corp")));

        assertThat(stale.awsErrorDetails().errorMessage()).isEqualTo("The account alias example-old cannot be found.");
        assertThat(others.awsErrorDetails().errorMessage()).isEqualTo("The account alias other-corp cannot be found.");
        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("example-corp");
        assertThat(otherAccount.listAccountAliases().accountAliases()).containsExactly("other-corp");
    }

    /** Aliases of 3 to 63 characters outside the model's pattern. */
    static Stream<Arguments> aliasesOutsideThePattern() {
        return Stream.of(
                Arguments.of("two hyphens in a row", "my--alias"),
                Arguments.of("a leading hyphen", "-alias"),
                Arguments.of("a trailing hyphen", "alias-"),
                Arguments.of("upper-case letters only", "ABC"),
                Arguments.of("an upper-case letter", "My-alias"),
                Arguments.of("an underscore", "my_alias"),
                Arguments.of("a dot", "my.alias"));
    }

    /**
     * IAM's own words for an alias outside the pattern, as a real AWS answer to CreateAccountAlias gives them, in place
     * of the generic constraint message that names the pattern.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("aliasesOutsideThePattern")
    void createAccountAlias_aliasOutsideThePattern_isValidationError400_inIamsOwnWords(String name, String alias) {
        IamException e = failure(IamException.class, () -> iam.createAccountAlias(r -> r.accountAlias(alias)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified value for accountAlias is invalid. "
                + "It must be a minimum length of 3 characters and maximum length of 63 characters, contain only "
                + "digits, lowercase letters, and hyphens (-), but cannot begin or end with a hyphen.");
        assertThat(iam.listAccountAliases().accountAliases()).isEmpty();
    }

    /** No answer of AWS is on record for DeleteAccountAlias: it keeps the model's constraint message. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("aliasesOutsideThePattern")
    void deleteAccountAlias_aliasOutsideThePattern_isTheModelsPatternViolation(String name, String alias) {
        IamException e = failure(IamException.class, () -> iam.deleteAccountAlias(r -> r.accountAlias(alias)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$");
    }

    static Stream<Arguments> aliasesOfTheWrongLength() {
        return Stream.of(
                Arguments.of("2 characters", "ab", "Member must have length greater than or equal to 3"),
                Arguments.of("2 upper-case characters", "AB", "Member must have length greater than or equal to 3"),
                Arguments.of("64 characters", "a".repeat(64), "Member must have length less than or equal to 63"));
    }

    /**
     * A length outside 3 to 63 is the model's length violation, alone for CreateAccountAlias (its pattern is checked
     * only once the length is right); DeleteAccountAlias names the model's pattern too, as every model constraint.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("aliasesOfTheWrongLength")
    void createAndDeleteAccountAlias_aliasOfTheWrongLength_isTheModelsLengthViolation(String name, String alias,
            String rule) {
        IamException create = failure(IamException.class, () -> iam.createAccountAlias(r -> r.accountAlias(alias)));
        IamException delete = failure(IamException.class, () -> iam.deleteAccountAlias(r -> r.accountAlias(alias)));

        for (IamException e : List.of(create, delete)) {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        }
        assertThat(create.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'accountAlias' failed to satisfy constraint: " + rule);
        assertThat(delete.awsErrorDetails().errorMessage()).contains("Value at 'accountAlias' failed to satisfy "
                + "constraint: " + rule);
        assertThat(iam.listAccountAliases().accountAliases()).isEmpty();
    }

    @Test
    void createAccountAlias_ofThreeAndOf63Characters_isAccepted() {
        iam.createAccountAlias(r -> r.accountAlias("a-1"));
        assertThat(iam.listAccountAliases().accountAliases()).containsExactly("a-1");

        String longest = "a" + "-b".repeat(31);
        iam.createAccountAlias(r -> r.accountAlias(longest));
        assertThat(iam.listAccountAliases().accountAliases()).containsExactly(longest);
    }

    @Test
    void listAccountAliases_pagesAsEveryIamList() {
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));

        var page = iam.listAccountAliases(r -> r.maxItems(1));
        IamException junk = failure(IamException.class, () -> iam.listAccountAliases(r -> r.marker("junk")));
        IamException zero = failure(IamException.class, () -> iam.listAccountAliases(r -> r.maxItems(0)));

        assertThat(page.accountAliases()).containsExactly("example-corp");
        assertThat(page.isTruncated()).isFalse();
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(junk.awsErrorDetails().errorMessage()).isEqualTo("Invalid Marker.");
        assertThat(zero.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
    }

    // ---- the password policy

    @Test
    void updateAccountPasswordPolicy_withoutParameters_setsAwsDefaults_andLeavesOutWhatWasNotSet() {
        iam.updateAccountPasswordPolicy(r -> { });

        PasswordPolicy policy = iam.getAccountPasswordPolicy().passwordPolicy();

        // AWS's recorded answer: these seven members, no MaxPasswordAge, PasswordReusePrevention or HardExpiry.
        assertThat(policy.minimumPasswordLength()).isEqualTo(6);
        assertThat(policy.requireSymbols()).isFalse();
        assertThat(policy.requireNumbers()).isFalse();
        assertThat(policy.requireUppercaseCharacters()).isFalse();
        assertThat(policy.requireLowercaseCharacters()).isFalse();
        assertThat(policy.allowUsersToChangePassword()).isFalse();
        assertThat(policy.expirePasswords()).isFalse();
        assertThat(policy.maxPasswordAge()).isNull();
        assertThat(policy.passwordReusePrevention()).isNull();
        assertThat(policy.hardExpiry()).isNull();
    }

    @Test
    void updateAccountPasswordPolicy_everyMember_isReadBack_withExpirePasswordsFromMaxPasswordAge() {
        iam.updateAccountPasswordPolicy(r -> r.allowUsersToChangePassword(true).hardExpiry(true).maxPasswordAge(60)
                .minimumPasswordLength(10).passwordReusePrevention(3).requireLowercaseCharacters(true)
                .requireNumbers(true).requireSymbols(true).requireUppercaseCharacters(true));

        PasswordPolicy policy = iam.getAccountPasswordPolicy().passwordPolicy();

        assertThat(policy).isEqualTo(PasswordPolicy.builder().allowUsersToChangePassword(true).expirePasswords(true)
                .hardExpiry(true).maxPasswordAge(60).minimumPasswordLength(10).passwordReusePrevention(3)
                .requireLowercaseCharacters(true).requireNumbers(true).requireSymbols(true)
                .requireUppercaseCharacters(true).build());
    }

    @Test
    void updateAccountPasswordPolicy_replacesTheWholePolicy_notJustTheMembersGiven() {
        iam.updateAccountPasswordPolicy(r -> r.maxPasswordAge(90).passwordReusePrevention(24).hardExpiry(true)
                .requireSymbols(true).minimumPasswordLength(128));

        iam.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(8));

        PasswordPolicy policy = iam.getAccountPasswordPolicy().passwordPolicy();
        assertThat(policy.minimumPasswordLength()).isEqualTo(8);
        assertThat(policy.requireSymbols()).isFalse();
        assertThat(policy.expirePasswords()).isFalse();
        assertThat(policy.maxPasswordAge()).isNull();
        assertThat(policy.passwordReusePrevention()).isNull();
        assertThat(policy.hardExpiry()).isNull();
    }

    @Test
    void updateAccountPasswordPolicy_hardExpiryFalse_isReported() {
        iam.updateAccountPasswordPolicy(r -> r.hardExpiry(false).maxPasswordAge(1095).passwordReusePrevention(1));

        PasswordPolicy policy = iam.getAccountPasswordPolicy().passwordPolicy();

        assertThat(policy.hardExpiry()).isFalse();
        assertThat(policy.maxPasswordAge()).isEqualTo(1095);
        assertThat(policy.expirePasswords()).isTrue();
        assertThat(policy.passwordReusePrevention()).isEqualTo(1);
    }

    @Test
    void updateAccountPasswordPolicy_threeValuesAboveTheirMaximum_isTheRecordedValidationError() {
        IamException e = failure(IamException.class, () -> iam.updateAccountPasswordPolicy(r -> r
                .maxPasswordAge(1096).minimumPasswordLength(129).passwordReusePrevention(25)));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("3 validation errors detected: Value at "
                + "'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to "
                + "128; Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less "
                + "than or equal to 24; Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value "
                + "less than or equal to 1095");
        assertThat(hasPasswordPolicy(iam)).isFalse();
    }

    static Stream<Arguments> valuesBelowTheirMinimum() {
        return Stream.of(
                Arguments.of("MinimumPasswordLength 5", request(r -> r.minimumPasswordLength(5)),
                        "minimumPasswordLength", 6),
                Arguments.of("MaxPasswordAge 0", request(r -> r.maxPasswordAge(0)), "maxPasswordAge", 1),
                Arguments.of("PasswordReusePrevention 0", request(r -> r.passwordReusePrevention(0)),
                        "passwordReusePrevention", 1));
    }

    private static Consumer<UpdateAccountPasswordPolicyRequest.Builder> request(
            Consumer<UpdateAccountPasswordPolicyRequest.Builder> request) {
        return request;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesBelowTheirMinimum")
    void updateAccountPasswordPolicy_valueBelowItsMinimum_isValidationError400(String name,
            Consumer<UpdateAccountPasswordPolicyRequest.Builder> request,
            String member, int minimum) {
        IamException e = failure(IamException.class, () -> iam.updateAccountPasswordPolicy(request));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at '" + member
                + "' failed to satisfy constraint: Member must have value greater than or equal to " + minimum);
    }

    @Test
    void getAccountPasswordPolicy_withoutOne_isNoSuchEntity404_namingTheAccount() {
        NoSuchEntityException e = failure(NoSuchEntityException.class, iam::getAccountPasswordPolicy);

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("The Password Policy with domain name 123456789012 cannot be found.");
    }

    @Test
    void deleteAccountPasswordPolicy_removesIt_andASecondDeleteIsNoSuchEntity_namingThePolicy() {
        iam.updateAccountPasswordPolicy(r -> { });

        iam.deleteAccountPasswordPolicy();
        NoSuchEntityException get = failure(NoSuchEntityException.class, iam::getAccountPasswordPolicy);
        NoSuchEntityException again = failure(NoSuchEntityException.class, iam::deleteAccountPasswordPolicy);

        assertThat(get.awsErrorDetails().errorMessage())
                .isEqualTo("The Password Policy with domain name 123456789012 cannot be found.");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.awsErrorDetails().errorMessage())
                .isEqualTo("The account policy with name PasswordPolicy cannot be found.");
    }

    @Test
    void passwordPolicy_isTheAccountsOwn() {
        iam.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(12));

        NoSuchEntityException e = failure(NoSuchEntityException.class, otherAccount::getAccountPasswordPolicy);

        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("The Password Policy with domain name " + OTHER_ACCOUNT + " cannot be found.");
    }

    // ---- authorization: iam:<Action> on *

    static Stream<Arguments> everyAction() {
        return Stream.of(
                Arguments.of("CreateAccountAlias",
                        (Consumer<IamClient>) c -> c.createAccountAlias(r -> r.accountAlias("my-alias"))),
                Arguments.of("DeleteAccountAlias",
                        (Consumer<IamClient>) c -> c.deleteAccountAlias(r -> r.accountAlias("my-alias"))),
                Arguments.of("ListAccountAliases", (Consumer<IamClient>) IamClient::listAccountAliases),
                Arguments.of("UpdateAccountPasswordPolicy",
                        (Consumer<IamClient>) c -> c.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(8))),
                Arguments.of("GetAccountPasswordPolicy", (Consumer<IamClient>) IamClient::getAccountPasswordPolicy),
                Arguments.of("DeleteAccountPasswordPolicy",
                        (Consumer<IamClient>) IamClient::deleteAccountPasswordPolicy));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyAction")
    void aUserWithoutPolicies_isAccessDenied403_onStar(String action, Consumer<IamClient> call) {
        try (IamClient refused = client(nobody)) {
            IamException e = failure(IamException.class, () -> call.accept(refused));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/nobody is "
                    + "not authorized to perform: iam:" + action + " on resource: * because no identity-based policy "
                    + "allows the iam:" + action + " action. Encoded authorization failure message: ");
        }
        assertThat(iam.listAccountAliases().accountAliases()).isEmpty();
        assertThat(hasPasswordPolicy(iam)).isFalse();
    }

    @Test
    void aUserAllowedTheReads_readsTheSettings_butMayNotChangeThem() {
        iam.createAccountAlias(r -> r.accountAlias("example-corp"));
        iam.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(14));

        try (IamClient allowed = client(reader)) {
            assertThat(allowed.listAccountAliases().accountAliases()).containsExactly("example-corp");
            assertThat(allowed.getAccountPasswordPolicy().passwordPolicy().minimumPasswordLength()).isEqualTo(14);
            IamException e = failure(IamException.class, allowed::deleteAccountPasswordPolicy);

            assertThat(e.statusCode()).isEqualTo(403);
        }
        assertThat(hasPasswordPolicy(iam)).isTrue();
    }

    @Test
    void anExplicitDeny_winsOverAnAllowOfEverything() {
        try (IamClient refused = client(denied)) {
            IamException alias = failure(IamException.class,
                    () -> refused.createAccountAlias(r -> r.accountAlias("example-corp")));
            IamException policy = failure(IamException.class,
                    () -> refused.updateAccountPasswordPolicy(r -> r.minimumPasswordLength(8)));

            assertThat(alias.statusCode()).isEqualTo(403);
            assertThat(alias.awsErrorDetails().errorMessage()).contains("not authorized to perform: "
                    + "iam:CreateAccountAlias on resource: * with an explicit deny in an identity-based policy");
            assertThat(policy.statusCode()).isEqualTo(403);
            assertThat(policy.awsErrorDetails().errorMessage()).contains("not authorized to perform: "
                    + "iam:UpdateAccountPasswordPolicy on resource: * with an explicit deny in an identity-based "
                    + "policy");
            // What the Deny leaves out stays allowed.
            assertThat(refused.listAccountAliases().accountAliases()).isEmpty();
        }
        assertThat(iam.listAccountAliases().accountAliases()).isEmpty();
        assertThat(hasPasswordPolicy(iam)).isFalse();
    }
}
