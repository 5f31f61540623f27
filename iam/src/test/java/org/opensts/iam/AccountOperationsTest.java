package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.token.Secret;

/** Accounts, the summary IAM gives of one, and its settings: the alias and the password policy. */
class AccountOperationsTest {
    private static final String ACCOUNT = UserOperationsTest.ACCOUNT;
    private static final String OTHER_ACCOUNT = UserOperationsTest.OTHER_ACCOUNT;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());

    AccountOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
        iam.accounts().createAccount(OTHER_ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createAccount_twice_isEntityAlreadyExists() {
        assertThat(UserOperationsTest.rejection(() -> iam.accounts().createAccount(ACCOUNT)).errorCode())
                .isEqualTo(ErrorCode.ENTITY_ALREADY_EXISTS);
    }

    @Test
    void getAccountSummary_countsTheAccountsOwnEntities_underIamsKeys() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("bob"));
        iam.users().createUser(OTHER_ACCOUNT, CreateUserRequest.named("carol"));
        iam.groups().createGroup(ACCOUNT, "devs", Optional.empty());
        iam.roles().createRole(ACCOUNT, CreateRoleRequest.of("demo", UserOperationsTest.TRUST));
        var device = new MfaDevice("arn:aws:iam::123456789012:mfa/phone", ACCOUNT, "phone", "/", Optional.empty(),
                Optional.empty(), 0, 0, clock.instant(), List.of());
        store.write(writer -> {
            writer.createMfaDevice(device, Secret.ofUtf8("12345678901234567890"));
            return null;
        });

        Map<String, Integer> summary = iam.accounts().getAccountSummary(ACCOUNT);

        assertThat(summary).contains(entry("Users", 2), entry("Groups", 1), entry("Roles", 1), entry("Policies", 0),
                entry("MFADevices", 1), entry("MFADevicesInUse", 0), entry("Providers", 0),
                entry("AccountMFAEnabled", 0), entry("AccountAccessKeysPresent", 0));
        assertThat(summary).contains(entry("AccessKeysPerUserQuota", 2), entry("UserPolicySizeQuota", 2048),
                entry("GroupPolicySizeQuota", 5120), entry("RolePolicySizeQuota", 10240),
                entry("AssumeRolePolicySizeQuota", 2048), entry("GroupsPerUserQuota", 10),
                entry("GroupsQuota", 300), entry("UsersQuota", 5000));
        assertThat(List.copyOf(summary.keySet())).isSorted();
    }

    @Test
    void getAccountSummary_hasEveryKeyOfAwsRealResponses_zeroForWhatOpenStsDoesNotHave() {
        iam.managedPolicies().createPolicy(ACCOUNT, CreatePolicyRequest.of("Counted", UserOperationsTest.ALLOW_S3));
        iam.managedPolicies().createPolicyVersion(ACCOUNT, "arn:aws:iam::" + ACCOUNT + ":policy/Counted",
                UserOperationsTest.ALLOW_S3, /* setAsDefault= */ false);

        Map<String, Integer> summary = iam.accounts().getAccountSummary(ACCOUNT);

        assertThat(summary.keySet()).containsExactlyInAnyOrder("AccessKeysPerUserQuota", "AccountAccessKeysPresent",
                "AccountMFAEnabled", "AccountPasswordPresent", "AccountSigningCertificatesPresent",
                "AssumeRolePolicySizeQuota", "AttachedPoliciesPerGroupQuota", "AttachedPoliciesPerRoleQuota",
                "AttachedPoliciesPerUserQuota", "GlobalEndpointTokenVersion", "GroupPolicySizeQuota", "Groups",
                "GroupsPerUserQuota", "GroupsQuota", "InstanceProfiles", "InstanceProfilesQuota", "MFADevices",
                "MFADevicesInUse", "Policies", "PoliciesQuota", "PolicySizeQuota", "PolicyVersionsInUse",
                "PolicyVersionsInUseQuota", "Providers", "RolePolicySizeQuota", "Roles", "RolesQuota",
                "ServerCertificates", "ServerCertificatesQuota", "SigningCertificatesPerUserQuota",
                "UserPolicySizeQuota", "Users", "UsersQuota", "VersionsPerPolicyQuota");
        assertThat(summary).contains(entry("PolicyVersionsInUse", 2), entry("InstanceProfiles", 0),
                entry("ServerCertificates", 0), entry("AccountPasswordPresent", 0),
                entry("GlobalEndpointTokenVersion", 1), entry("InstanceProfilesQuota", 1000),
                entry("ServerCertificatesQuota", 20), entry("SigningCertificatesPerUserQuota", 2),
                entry("PolicyVersionsInUseQuota", 10000));
    }

    @Test
    void getAccountSummary_countsTheAccountsOwnInstanceProfiles() {
        iam.instanceProfiles().createInstanceProfile(ACCOUNT, "web", Optional.empty(), List.of());
        iam.instanceProfiles().createInstanceProfile(ACCOUNT, "batch", Optional.empty(), List.of());
        iam.instanceProfiles().createInstanceProfile(OTHER_ACCOUNT, "web", Optional.empty(), List.of());

        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).containsEntry("InstanceProfiles", 2);
        assertThat(iam.accounts().getAccountSummary(OTHER_ACCOUNT)).containsEntry("InstanceProfiles", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void getAccountSummary_keys_areAllInTheModelsEnum() {
        List<String> modelKeys = (List<String>) BotocoreData.iamModel().shape("summaryKeyType").get("enum");

        assertThat(modelKeys).containsAll(iam.accounts().getAccountSummary(ACCOUNT).keySet());
    }

    @Test
    void getAccountSummary_ofAnAccountThatDoesNotExist_isNoSuchEntity() {
        assertThat(UserOperationsTest.rejection(() -> iam.accounts().getAccountSummary("999999999999")).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    @Test
    void setSecurityTokenServicePreferences_v2Token_isWhatGetAccountSummaryReportsForThatAccountOnly() {
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).contains(entry("GlobalEndpointTokenVersion", 1));

        iam.accounts().setSecurityTokenServicePreferences(ACCOUNT, "v2Token");

        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).contains(entry("GlobalEndpointTokenVersion", 2));
        assertThat(iam.accounts().globalEndpointTokenVersion(ACCOUNT)).isEqualTo(GlobalEndpointTokenVersion.V2_TOKEN);
        assertThat(iam.accounts().getAccountSummary(OTHER_ACCOUNT)).contains(entry("GlobalEndpointTokenVersion", 1));
    }

    @Test
    void setSecurityTokenServicePreferences_backToV1Token_isVersion1Again() {
        iam.accounts().setSecurityTokenServicePreferences(ACCOUNT, "v2Token");
        iam.accounts().setSecurityTokenServicePreferences(ACCOUNT, "v1Token");

        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).contains(entry("GlobalEndpointTokenVersion", 1));
    }

    @Test
    void setSecurityTokenServicePreferences_unknownVersion_isValidationErrorAndChangesNothing() {
        ApiException e = UserOperationsTest.rejection(
                () -> iam.accounts().setSecurityTokenServicePreferences(ACCOUNT, "v3Token"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).contains("[v1Token, v2Token]");
        assertThat(iam.accounts().getAccountSummary(ACCOUNT)).contains(entry("GlobalEndpointTokenVersion", 1));
    }

    @Test
    void setSecurityTokenServicePreferences_unknownAccount_isNoSuchEntity() {
        assertThat(UserOperationsTest.rejection(
                () -> iam.accounts().setSecurityTokenServicePreferences("999999999999", "v2Token")).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }

    // ---- the account alias

    @Test
    void createAccountAlias_unknownAccount_isNoSuchEntity() {
        assertThat(UserOperationsTest.rejection(
                () -> iam.accounts().createAccountAlias("999999999999", "example-corp")).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(store.findAccountIdByAlias("example-corp")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ABC", "abc_d", "-abc", "abc-", "a--b", "a.b", "ab\u00e9", "ab c"})
    void createAccountAlias_outsideThePattern_isValidationError_inIamsOwnWords(String alias) {
        ApiException refused = UserOperationsTest.rejection(() -> iam.accounts().createAccountAlias(ACCOUNT, alias));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refused.getMessage()).isEqualTo("The specified value for accountAlias is invalid. It must be a "
                + "minimum length of 3 characters and maximum length of 63 characters, contain only digits, lowercase "
                + "letters, and hyphens (-), but cannot begin or end with a hyphen.");
        assertThat(store.findAccountAlias(ACCOUNT)).isEmpty();
    }

    @Test
    void createAccountAlias_tooShortOrTooLong_isTheModelsLengthViolation() {
        ApiException shortAlias = UserOperationsTest.rejection(() -> iam.accounts().createAccountAlias(ACCOUNT, "AB"));
        ApiException longAlias = UserOperationsTest.rejection(
                () -> iam.accounts().createAccountAlias(ACCOUNT, "a".repeat(64)));

        assertThat(shortAlias.getMessage()).isEqualTo("1 validation error detected: Value at 'accountAlias' failed "
                + "to satisfy constraint: Member must have length greater than or equal to 3");
        assertThat(longAlias.getMessage()).isEqualTo("1 validation error detected: Value at 'accountAlias' failed "
                + "to satisfy constraint: Member must have length less than or equal to 63");
        assertThat(store.findAccountAlias(ACCOUNT)).isEmpty();
    }

    @Test
    void createAccountAlias_twoAccountsRacingForOneAlias_oneGetsIt_theOtherIsRefused() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String alias = "race-" + round;
                var start = new CountDownLatch(1);
                List<Future<Optional<ErrorCode>>> outcomes = List.of(
                        threads.submit(attempt(start, ACCOUNT, alias)),
                        threads.submit(attempt(start, OTHER_ACCOUNT, alias)));
                start.countDown();
                var results = List.of(outcomes.get(0).get(), outcomes.get(1).get());

                assertThat(results).filteredOn(Optional::isEmpty).hasSize(1);
                // The loser either saw the winner's alias or lost at its unique key: both are IAM's conflict, never
                // a server error; a lock that waited too long would be ConcurrentModification, which SDKs retry.
                assertThat(results).filteredOn(Optional::isPresent).extracting(Optional::get)
                        .allMatch(code -> code == ErrorCode.ENTITY_ALREADY_EXISTS
                                || code == ErrorCode.CONCURRENT_MODIFICATION);
                String holder = store.findAccountIdByAlias(alias).orElseThrow();
                assertThat(store.findAccountAlias(holder)).contains(alias);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private Callable<Optional<ErrorCode>> attempt(CountDownLatch start, String accountId, String alias) {
        return () -> {
            start.await();
            try {
                iam.accounts().createAccountAlias(accountId, alias);
                return Optional.empty();
            } catch (ApiException e) {
                return Optional.of(e.errorCode());
            }
        };
    }

    @Test
    void listAccountAliases_isTheAccountsOwnAlias() {
        iam.accounts().createAccountAlias(OTHER_ACCOUNT, "other-corp");

        assertThat(iam.accounts().listAccountAliases(ACCOUNT, Optional.empty(), Optional.empty()).items()).isEmpty();
        assertThat(iam.accounts().listAccountAliases(OTHER_ACCOUNT, Optional.empty(), Optional.of(1)).items())
                .containsExactly("other-corp");
    }

    // ---- the password policy

    @Test
    void passwordPolicy_setReplacedAndDeleted_forThatAccountOnly() {
        var first = new PasswordPolicy(12, true, false, false, false, true, Optional.of(30), Optional.empty(),
                Optional.empty());
        var second = new PasswordPolicy(6, false, false, false, false, false, Optional.empty(), Optional.of(5),
                Optional.of(false));

        iam.accounts().updateAccountPasswordPolicy(ACCOUNT, first);
        iam.accounts().updateAccountPasswordPolicy(ACCOUNT, second);

        assertThat(iam.accounts().getAccountPasswordPolicy(ACCOUNT)).isEqualTo(second);
        assertThat(UserOperationsTest.rejection(() -> iam.accounts().getAccountPasswordPolicy(OTHER_ACCOUNT))
                .getMessage()).isEqualTo("The Password Policy with domain name " + OTHER_ACCOUNT + " cannot be found.");

        iam.accounts().deleteAccountPasswordPolicy(ACCOUNT);

        ApiException again = UserOperationsTest.rejection(() -> iam.accounts().deleteAccountPasswordPolicy(ACCOUNT));
        assertThat(again.errorCode()).isEqualTo(ErrorCode.NO_SUCH_ENTITY);
        assertThat(again.getMessage()).isEqualTo("The account policy with name PasswordPolicy cannot be found.");
    }

    @Test
    void updateAccountPasswordPolicy_unknownAccount_isNoSuchEntity() {
        var policy = new PasswordPolicy(6, false, false, false, false, false, Optional.empty(), Optional.empty(),
                Optional.empty());

        assertThat(UserOperationsTest.rejection(
                () -> iam.accounts().updateAccountPasswordPolicy("999999999999", policy)).errorCode())
                .isEqualTo(ErrorCode.NO_SUCH_ENTITY);
    }
}
