package org.opensts.iam;

import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;

/**
 * Accounts: created by the first start and the bootstrap file, not through the IAM API, which summarizes one
 * (GetAccountSummary), sets its STS preference (SetSecurityTokenServicePreferences), and keeps its alias and password
 * policy (Create/Delete/ListAccountAliases, Update/Get/DeleteAccountPasswordPolicy).
 */
public final class AccountOperations {
    private final IdentityStore store;
    private final Clock clock;
    private final IamQuotas quotas;

    AccountOperations(IdentityStore store, Clock clock, IamQuotas quotas) {
        this.store = store;
        this.clock = clock;
        this.quotas = quotas;
    }

    public Account createAccount(String accountId) {
        if (!Account.isValidAccountId(accountId)) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Account id must be 12 digits: " + accountId);
        }
        return store.write(writer -> {
            if (writer.findAccount(accountId).isPresent()) {
                throw IamChecks.alreadyExists("Account " + accountId + " already exists.");
            }
            var account = new Account(accountId, clock.instant());
            writer.createAccount(account);
            return account;
        });
    }

    /**
     * SetSecurityTokenServicePreferences: which version of session tokens the account's calls to the global STS
     * endpoint
     * get from now on ({@code v1Token}, AWS's default, or {@code v2Token}). Tokens already issued keep their version.
     *
     * @throws ApiException {@code ValidationError} if {@code version} is neither, {@code NoSuchEntity} if the
     *     account does not exist
     */
    public void setSecurityTokenServicePreferences(String accountId, String version) {
        GlobalEndpointTokenVersion parsed = GlobalEndpointTokenVersion.fromWireName(version)
                .orElseThrow(() -> new ApiException(ErrorCode.VALIDATION_ERROR, "1 validation error detected: Value "
                        + "at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum "
                        + "value set: [v1Token, v2Token]"));
        store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            writer.setGlobalEndpointTokenVersion(accountId, parsed);
            return null;
        });
    }

    /** The account's STS preference, as GetAccountSummary reports it. */
    public GlobalEndpointTokenVersion globalEndpointTokenVersion(String accountId) {
        return store.findAccount(accountId).map(Account::globalEndpointTokenVersion)
                .orElseThrow(() -> new ApiException(ErrorCode.NO_SUCH_ENTITY, "The account " + accountId
                        + " cannot be found."));
    }

    /**
     * GetAccountSummary: how many entities of each kind the account holds and IAM's quotas for them, under the
     * {@code SummaryMap} keys IAM uses, sorted by key. Every key AWS's real responses carry is there; what OpenSTS
     * does not have — server certificates, signing certificates, a root user with a password, MFA or access keys —
     * counts 0. The quotas are IAM's defaults; OpenSTS enforces those of sizes, keys and attachments, and the numbers
     * of users, groups, roles, customer managed policies and instance profiles per account.
     */
    public Map<String, Integer> getAccountSummary(String accountId) {
        GlobalEndpointTokenVersion tokenVersion = globalEndpointTokenVersion(accountId);
        var summary = new TreeMap<String, Integer>();
        summary.put("Users", store.countUsers(accountId));
        summary.put("Groups", store.countGroups(accountId));
        summary.put("Roles", store.countRoles(accountId));
        summary.put("Policies", store.countManagedPolicies(accountId));
        var mfaDevices = store.listMfaDevices(accountId);
        summary.put("MFADevices", mfaDevices.size());
        summary.put("MFADevicesInUse", (int) mfaDevices.stream().filter(MfaDevice::isEnabled).count());
        summary.put("Providers", store.listOpenIdConnectProviders(accountId).size()
                + store.listSamlProviders(accountId).size());
        summary.put("PolicyVersionsInUse", store.countPolicyVersions(accountId));
        summary.put("AccountMFAEnabled", 0);
        summary.put("AccountAccessKeysPresent", 0);
        summary.put("AccountPasswordPresent", 0);
        summary.put("AccountSigningCertificatesPresent", 0);
        summary.put("InstanceProfiles", store.countInstanceProfiles(accountId));
        summary.put("ServerCertificates", 0);
        // Sessions of the global endpoint carry version 1 tokens unless the account asked for version 2.
        summary.put("GlobalEndpointTokenVersion", tokenVersion.summaryValue());
        summary.put("InstanceProfilesQuota", quotas.instanceProfiles());
        summary.put("ServerCertificatesQuota", 20);
        summary.put("SigningCertificatesPerUserQuota", 2);
        summary.put("PolicyVersionsInUseQuota", 10000);
        summary.put("UsersQuota", quotas.users());
        summary.put("GroupsQuota", quotas.groups());
        summary.put("RolesQuota", quotas.roles());
        summary.put("PoliciesQuota", quotas.policies());
        summary.put("AccessKeysPerUserQuota", UserOperations.MAX_ACCESS_KEYS_PER_USER);
        summary.put("GroupsPerUserQuota", GroupOperations.MAX_GROUPS_PER_USER);
        summary.put("UserPolicySizeQuota", UserOperations.MAX_USER_INLINE_POLICY_SIZE);
        summary.put("GroupPolicySizeQuota", GroupOperations.MAX_GROUP_INLINE_POLICY_SIZE);
        summary.put("RolePolicySizeQuota", RoleOperations.MAX_ROLE_INLINE_POLICY_SIZE);
        summary.put("AssumeRolePolicySizeQuota", RoleOperations.MAX_TRUST_POLICY_SIZE);
        summary.put("PolicySizeQuota", 6144);
        summary.put("VersionsPerPolicyQuota", 5);
        summary.put("AttachedPoliciesPerUserQuota", 10);
        summary.put("AttachedPoliciesPerGroupQuota", 10);
        summary.put("AttachedPoliciesPerRoleQuota", 10);
        return Collections.unmodifiableMap(summary);
    }

    // ---- the account's alias

    /**
     * AWS's answer to a CreateAccountAlias whose alias breaks the pattern, word for word as a real answer gives it
     * (a published error trace, May 2025). That trace does not show the alias, so which inputs get these words rather
     * than the generic constraint message is inferred: the generic pattern message can never have been given for that
     * call, so IAM checks the pattern itself; the lengths, which the model also declares, are left to the generic
     * check, as IAM does for CreateVirtualMFADevice's path. Two hyphens in a row, which the words do not mention but
     * the pattern and its documentation forbid, get the same words.
     */
    static final String INVALID_ACCOUNT_ALIAS = "The specified value for accountAlias is invalid. It must be a minimum "
            + "length of 3 characters and maximum length of 63 characters, contain only digits, lowercase letters, and "
            + "hyphens (-), but cannot begin or end with a hyphen.";

    /**
     * CreateAccountAlias: gives the account {@code accountAlias}, replacing the alias it had, since "Your AWS account
     * can have only one alias. If you create a new alias for your AWS account, the new alias overwrites the previous
     * alias" (IAM User Guide, "Using an alias for your AWS account ID"). The alias must be one no account of the
     * deployment holds, as it "must be unique across all Amazon Web Services products within a given network
     * partition" (same page). The account's own alias is refused too: no recorded answer shows what AWS does then,
     * and a resource that already exists is what {@code EntityAlreadyExists} means.
     *
     * <p>An alias of 3 to 63 characters outside the model's pattern (IAM API Reference, CreateAccountAlias:
     * lowercase letters, digits and single hyphens, neither first nor last) gets IAM's own words, {@link
     * #INVALID_ACCOUNT_ALIAS}, not the generic constraint message.
     *
     * @throws ApiException {@code ValidationError} if the alias is not 3 to 63 characters (the model's constraint
     *     message) or breaks the pattern ({@link #INVALID_ACCOUNT_ALIAS}); {@code EntityAlreadyExists} if an account,
     *     this one or another, holds the alias
     */
    public void createAccountAlias(String accountId, String accountAlias) {
        QueryBinder.check(IamShapes.NEW_ACCOUNT_ALIAS, accountAlias, "accountAlias");
        if (!IamShapes.ACCOUNT_ALIAS.matchesPattern(accountAlias)) {
            throw ApiException.validationError(INVALID_ACCOUNT_ALIAS);
        }
        IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findAccountIdByAlias(accountAlias).isPresent()) {
                throw aliasTaken(accountAlias);
            }
            writer.putAccountAlias(accountId, accountAlias);
            return null;
        }), () -> aliasTaken(accountAlias));
    }

    /**
     * DeleteAccountAlias: removes the account's alias, which the request must name.
     *
     * @throws ApiException {@code NoSuchEntity} if the account's alias is not {@code accountAlias} (or it has none)
     */
    public void deleteAccountAlias(String accountId, String accountAlias) {
        store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (!writer.findAccountAlias(accountId).map(accountAlias::equals).orElse(false)) {
                // No recorded answer shows this refusal's text; it is worded as CreateAccountAlias words its conflict
                // ("The account alias X already exists.") and as IAM words its other refusals of a missing entity.
                throw IamChecks.noSuchEntity("The account alias " + accountAlias + " cannot be found.");
            }
            writer.deleteAccountAlias(accountId);
            return null;
        });
    }

    /**
     * ListAccountAliases: the account's alias, if it has one, paged as every IAM list is.
     *
     * @throws ApiException {@code ValidationError} if the marker is not one of ours
     */
    public Page<String> listAccountAliases(String accountId, Optional<String> marker, Optional<Integer> maxItems) {
        List<String> aliases = store.findAccountAlias(accountId).stream().toList();
        return Page.of(aliases, Function.identity(), marker, maxItems);
    }

    /** AWS's words for an alias some account holds. */
    private static ApiException aliasTaken(String accountAlias) {
        return IamChecks.alreadyExists("The account alias " + accountAlias + " already exists.");
    }

    // ---- the account's password policy

    /** UpdateAccountPasswordPolicy: sets the account's password policy, replacing the whole of the one it had. */
    public void updateAccountPasswordPolicy(String accountId, PasswordPolicy policy) {
        store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            writer.putPasswordPolicy(accountId, policy);
            return null;
        });
    }

    /**
     * GetAccountPasswordPolicy.
     *
     * @throws ApiException {@code NoSuchEntity} if none was set, in IAM's recorded words, which name the account as a
     *     "domain"
     */
    public PasswordPolicy getAccountPasswordPolicy(String accountId) {
        return store.findPasswordPolicy(accountId).orElseThrow(() -> IamChecks.noSuchEntity(
                "The Password Policy with domain name " + accountId + " cannot be found."));
    }

    /**
     * DeleteAccountPasswordPolicy.
     *
     * @throws ApiException {@code NoSuchEntity} if none was set, in IAM's recorded words, which name the policy, not
     *     the account as GetAccountPasswordPolicy's do
     */
    public void deleteAccountPasswordPolicy(String accountId) {
        store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findPasswordPolicy(accountId).isEmpty()) {
                throw IamChecks.noSuchEntity("The account policy with name PasswordPolicy cannot be found.");
            }
            writer.deletePasswordPolicy(accountId);
            return null;
        });
    }
}
