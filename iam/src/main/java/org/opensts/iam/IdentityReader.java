package org.opensts.iam;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensts.token.Secret;

/**
 * Reads identities. Names of users, groups, roles and managed policies are matched case-insensitively, as IAM does;
 * lists come sorted by name (case-insensitively); absence is an empty {@code Optional}, never an exception.
 */
public interface IdentityReader {
    // ---- accounts

    List<Account> listAccounts();

    Optional<Account> findAccount(String accountId);

    // ---- users

    Optional<User> findUser(String accountId, String userName);

    Optional<User> findUserById(String userId);

    List<User> listUsers(String accountId);

    /**
     * One page of the account's users whose path starts with {@code pathPrefix}: at most {@code limit} of them, in
     * the order of {@link #listUsers(String)}, from the first whose lower-cased name is {@code fromNameKey} or after
     * it (compared as {@link String#compareTo} does).
     */
    List<User> listUsers(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit);

    /** How many users the account has, counted by the store without reading them. */
    int countUsers(String accountId);

    // ---- access keys

    /** The key and its decrypted secret, whatever its status. */
    Optional<AccessKeyCredentials> findAccessKey(String accessKeyId);

    /** A user's keys, oldest first. */
    List<AccessKey> listAccessKeys(String userId);

    Optional<AccessKeyLastUsed> findAccessKeyLastUsed(String accessKeyId);

    // ---- groups

    Optional<Group> findGroup(String accountId, String groupName);

    Optional<Group> findGroupById(String groupId);

    List<Group> listGroups(String accountId);

    /** How many groups the account has, counted by the store without reading them. */
    int countGroups(String accountId);

    List<Group> listGroupsForUser(String userId);

    List<User> listUsersInGroup(String groupId);

    // ---- roles

    Optional<Role> findRole(String accountId, String roleName);

    Optional<Role> findRoleById(String roleId);

    List<Role> listRoles(String accountId);

    /** One page of the account's roles, as {@link #listUsers(String, String, Optional, int)} for users. */
    List<Role> listRoles(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit);

    /** How many roles the account has, counted by the store without reading them. */
    int countRoles(String accountId);

    Optional<RoleLastUsed> findRoleLastUsed(String roleId);

    // ---- inline policies

    /** The owner's inline policies, sorted by name. */
    List<InlinePolicy> listInlinePolicies(PolicyOwner owner);

    Optional<InlinePolicy> findInlinePolicy(PolicyOwner owner, String policyName);

    // ---- managed policies

    /** A customer managed policy of {@code accountId}, or an AWS managed one when it is {@code aws}. */
    Optional<ManagedPolicy> findManagedPolicy(String accountId, String policyName);

    Optional<ManagedPolicy> findManagedPolicyById(String policyId);

    /** The customer managed policies of an account, or the AWS managed ones for {@code aws}. */
    List<ManagedPolicy> listManagedPolicies(String accountId);

    /**
     * How many customer managed policies the account has, counted by the store without reading them; the AWS managed
     * policies it may attach are not the account's and are not counted.
     */
    int countManagedPolicies(String accountId);

    /** How many versions the account's customer managed policies have in all, counted by the store. */
    int countPolicyVersions(String accountId);

    /** A policy's versions, newest first. */
    List<PolicyVersion> listPolicyVersions(String policyId);

    Optional<PolicyVersion> findPolicyVersion(String policyId, String versionId);

    /** The managed policies attached to an owner, sorted by name. */
    List<ManagedPolicy> listAttachedPolicies(PolicyOwner owner);

    /** Every user, group and role a managed policy is attached to. */
    List<PolicyOwner> listPolicyAttachments(String policyId);

    // ---- identity providers

    Optional<OpenIdConnectProvider> findOpenIdConnectProvider(String arn);

    List<OpenIdConnectProvider> listOpenIdConnectProviders(String accountId);

    Optional<SamlProvider> findSamlProvider(String arn);

    List<SamlProvider> listSamlProviders(String accountId);

    // ---- MFA devices

    Optional<MfaDevice> findMfaDevice(String serialNumber);

    /** The account's virtual MFA devices, sorted by serial number. */
    List<MfaDevice> listMfaDevices(String accountId);

    /** The devices enabled for a user. */
    List<MfaDevice> listMfaDevicesForUser(String userId);

    /** A device's TOTP seed, unsealed. */
    Optional<Secret> findMfaSeed(String serialNumber);

    // ---- many entities at once: a few queries for any number of them (GetAccountAuthorizationDetails)

    /** The users with these ids that exist, sorted by name. */
    List<User> findUsersById(Collection<String> userIds);

    /** The roles with these ids that exist, sorted by name. */
    List<Role> findRolesById(Collection<String> roleIds);

    /** The groups of each of these users, sorted by name; a user in no group is not in the map. */
    Map<String, List<Group>> listGroupsForUsers(Collection<String> userIds);

    /** The inline policies of each of these owners, sorted by name; an owner without any is not in the map. */
    Map<PolicyOwner, List<InlinePolicy>> listInlinePoliciesOf(Collection<PolicyOwner> owners);

    /**
     * The managed policies attached to each of these owners, sorted by name; an owner without any is not in the map.
     * The policies' counts are those of {@link #findManagedPolicyById}.
     */
    Map<PolicyOwner, List<ManagedPolicy>> listAttachedPoliciesOf(Collection<PolicyOwner> owners);

    /** The versions of each of these policies, newest first. */
    Map<String, List<PolicyVersion>> listPolicyVersionsOf(Collection<String> policyIds);

    /** When each of these roles was last used; a role never used is not in the map. */
    Map<String, RoleLastUsed> findRoleLastUsedOf(Collection<String> roleIds);

    /**
     * The AWS managed policies attached to at least one user, group or role of the account, sorted by name, with the
     * attachments and permissions boundary uses of that account only, as the account sees them.
     */
    List<ManagedPolicy> listAwsManagedPoliciesAttachedIn(String accountId);

    // ---- many users' credentials at once: a few queries for any number of them (the credential report)

    /** The keys of each of these users, oldest first; a user without keys is not in the map. */
    Map<String, List<AccessKey>> listAccessKeysOf(Collection<String> userIds);

    /** The devices enabled for each of these users, sorted by serial number; a user without any is not in the map. */
    Map<String, List<MfaDevice>> listMfaDevicesOf(Collection<String> userIds);

    /** When each of these keys was last used; a key never used, or that does not exist, is not in the map. */
    Map<String, AccessKeyLastUsed> findAccessKeyLastUsedOf(Collection<String> accessKeyIds);

    // ---- account settings: the alias and the password policy

    /** The account's alias, if it has one. */
    Optional<String> findAccountAlias(String accountId);

    /** The id of the account whose alias is {@code accountAlias}, if any: an alias names one account. */
    Optional<String> findAccountIdByAlias(String accountAlias);

    /** The account's password policy, if one was set. */
    Optional<PasswordPolicy> findPasswordPolicy(String accountId);

    // ---- instance profiles, each with the role it holds

    Optional<InstanceProfile> findInstanceProfile(String accountId, String instanceProfileName);

    /** The account's instance profiles, sorted by name. */
    List<InstanceProfile> listInstanceProfiles(String accountId);

    /** How many instance profiles the account has, counted by the store without reading them. */
    int countInstanceProfiles(String accountId);

    /** The instance profiles that hold the role, sorted by name. */
    List<InstanceProfile> listInstanceProfilesForRole(String roleId);

    /**
     * The instance profiles that hold each of these roles, sorted by name; a role in none is not in the map. A few
     * queries for any number of roles (GetAccountAuthorizationDetails).
     */
    Map<String, List<InstanceProfile>> listInstanceProfilesForRoles(Collection<String> roleIds);
}
