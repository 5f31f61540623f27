package org.opensts.iam;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.opensts.token.Secret;

/**
 * An {@link IdentityReader} whose every read goes through {@link #read}: the JDBC store borrows a connection there,
 * and a decorator forwards to the store it wraps, overriding only the reads it serves itself. A new read method is
 * added here once, not in every implementation.
 */
public abstract class ForwardingIdentityReader implements IdentityReader {
    /** Runs one read against the underlying reader. */
    protected abstract <T> T read(Function<IdentityReader, T> work);

    @Override
    public List<Account> listAccounts() {
        return read(reader -> reader.listAccounts());
    }

    @Override
    public Optional<Account> findAccount(String accountId) {
        return read(reader -> reader.findAccount(accountId));
    }

    @Override
    public Optional<User> findUser(String accountId, String userName) {
        return read(reader -> reader.findUser(accountId, userName));
    }

    @Override
    public Optional<User> findUserById(String userId) {
        return read(reader -> reader.findUserById(userId));
    }

    @Override
    public List<User> listUsers(String accountId) {
        return read(reader -> reader.listUsers(accountId));
    }

    @Override
    public List<User> listUsers(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit) {
        return read(reader -> reader.listUsers(accountId, pathPrefix, fromNameKey, limit));
    }

    @Override
    public int countUsers(String accountId) {
        return read(reader -> reader.countUsers(accountId));
    }

    @Override
    public Optional<AccessKeyCredentials> findAccessKey(String accessKeyId) {
        return read(reader -> reader.findAccessKey(accessKeyId));
    }

    @Override
    public List<AccessKey> listAccessKeys(String userId) {
        return read(reader -> reader.listAccessKeys(userId));
    }

    @Override
    public Optional<AccessKeyLastUsed> findAccessKeyLastUsed(String accessKeyId) {
        return read(reader -> reader.findAccessKeyLastUsed(accessKeyId));
    }

    @Override
    public Optional<Group> findGroup(String accountId, String groupName) {
        return read(reader -> reader.findGroup(accountId, groupName));
    }

    @Override
    public Optional<Group> findGroupById(String groupId) {
        return read(reader -> reader.findGroupById(groupId));
    }

    @Override
    public List<Group> listGroups(String accountId) {
        return read(reader -> reader.listGroups(accountId));
    }

    @Override
    public int countGroups(String accountId) {
        return read(reader -> reader.countGroups(accountId));
    }

    @Override
    public List<Group> listGroupsForUser(String userId) {
        return read(reader -> reader.listGroupsForUser(userId));
    }

    @Override
    public List<User> listUsersInGroup(String groupId) {
        return read(reader -> reader.listUsersInGroup(groupId));
    }

    @Override
    public Optional<Role> findRole(String accountId, String roleName) {
        return read(reader -> reader.findRole(accountId, roleName));
    }

    @Override
    public Optional<Role> findRoleById(String roleId) {
        return read(reader -> reader.findRoleById(roleId));
    }

    @Override
    public List<Role> listRoles(String accountId) {
        return read(reader -> reader.listRoles(accountId));
    }

    @Override
    public List<Role> listRoles(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit) {
        return read(reader -> reader.listRoles(accountId, pathPrefix, fromNameKey, limit));
    }

    @Override
    public int countRoles(String accountId) {
        return read(reader -> reader.countRoles(accountId));
    }

    @Override
    public Optional<RoleLastUsed> findRoleLastUsed(String roleId) {
        return read(reader -> reader.findRoleLastUsed(roleId));
    }

    @Override
    public List<InlinePolicy> listInlinePolicies(PolicyOwner owner) {
        return read(reader -> reader.listInlinePolicies(owner));
    }

    @Override
    public Optional<InlinePolicy> findInlinePolicy(PolicyOwner owner, String policyName) {
        return read(reader -> reader.findInlinePolicy(owner, policyName));
    }

    @Override
    public Optional<ManagedPolicy> findManagedPolicy(String accountId, String policyName) {
        return read(reader -> reader.findManagedPolicy(accountId, policyName));
    }

    @Override
    public Optional<ManagedPolicy> findManagedPolicyById(String policyId) {
        return read(reader -> reader.findManagedPolicyById(policyId));
    }

    @Override
    public List<ManagedPolicy> listManagedPolicies(String accountId) {
        return read(reader -> reader.listManagedPolicies(accountId));
    }

    @Override
    public int countManagedPolicies(String accountId) {
        return read(reader -> reader.countManagedPolicies(accountId));
    }

    @Override
    public int countPolicyVersions(String accountId) {
        return read(reader -> reader.countPolicyVersions(accountId));
    }

    @Override
    public List<PolicyVersion> listPolicyVersions(String policyId) {
        return read(reader -> reader.listPolicyVersions(policyId));
    }

    @Override
    public Optional<PolicyVersion> findPolicyVersion(String policyId, String versionId) {
        return read(reader -> reader.findPolicyVersion(policyId, versionId));
    }

    @Override
    public List<ManagedPolicy> listAttachedPolicies(PolicyOwner owner) {
        return read(reader -> reader.listAttachedPolicies(owner));
    }

    @Override
    public List<PolicyOwner> listPolicyAttachments(String policyId) {
        return read(reader -> reader.listPolicyAttachments(policyId));
    }

    @Override
    public Optional<OpenIdConnectProvider> findOpenIdConnectProvider(String arn) {
        return read(reader -> reader.findOpenIdConnectProvider(arn));
    }

    @Override
    public List<OpenIdConnectProvider> listOpenIdConnectProviders(String accountId) {
        return read(reader -> reader.listOpenIdConnectProviders(accountId));
    }

    @Override
    public Optional<SamlProvider> findSamlProvider(String arn) {
        return read(reader -> reader.findSamlProvider(arn));
    }

    @Override
    public List<SamlProvider> listSamlProviders(String accountId) {
        return read(reader -> reader.listSamlProviders(accountId));
    }

    @Override
    public Optional<MfaDevice> findMfaDevice(String serialNumber) {
        return read(reader -> reader.findMfaDevice(serialNumber));
    }

    @Override
    public List<MfaDevice> listMfaDevices(String accountId) {
        return read(reader -> reader.listMfaDevices(accountId));
    }

    @Override
    public List<MfaDevice> listMfaDevicesForUser(String userId) {
        return read(reader -> reader.listMfaDevicesForUser(userId));
    }

    @Override
    public Optional<Secret> findMfaSeed(String serialNumber) {
        return read(reader -> reader.findMfaSeed(serialNumber));
    }

    @Override
    public List<User> findUsersById(Collection<String> userIds) {
        return read(reader -> reader.findUsersById(userIds));
    }

    @Override
    public List<Role> findRolesById(Collection<String> roleIds) {
        return read(reader -> reader.findRolesById(roleIds));
    }

    @Override
    public Map<String, List<Group>> listGroupsForUsers(Collection<String> userIds) {
        return read(reader -> reader.listGroupsForUsers(userIds));
    }

    @Override
    public Map<PolicyOwner, List<InlinePolicy>> listInlinePoliciesOf(Collection<PolicyOwner> owners) {
        return read(reader -> reader.listInlinePoliciesOf(owners));
    }

    @Override
    public Map<PolicyOwner, List<ManagedPolicy>> listAttachedPoliciesOf(Collection<PolicyOwner> owners) {
        return read(reader -> reader.listAttachedPoliciesOf(owners));
    }

    @Override
    public Map<String, List<PolicyVersion>> listPolicyVersionsOf(Collection<String> policyIds) {
        return read(reader -> reader.listPolicyVersionsOf(policyIds));
    }

    @Override
    public Map<String, RoleLastUsed> findRoleLastUsedOf(Collection<String> roleIds) {
        return read(reader -> reader.findRoleLastUsedOf(roleIds));
    }

    @Override
    public List<ManagedPolicy> listAwsManagedPoliciesAttachedIn(String accountId) {
        return read(reader -> reader.listAwsManagedPoliciesAttachedIn(accountId));
    }

    @Override
    public Map<String, List<AccessKey>> listAccessKeysOf(Collection<String> userIds) {
        return read(reader -> reader.listAccessKeysOf(userIds));
    }

    @Override
    public Map<String, List<MfaDevice>> listMfaDevicesOf(Collection<String> userIds) {
        return read(reader -> reader.listMfaDevicesOf(userIds));
    }

    @Override
    public Map<String, AccessKeyLastUsed> findAccessKeyLastUsedOf(Collection<String> accessKeyIds) {
        return read(reader -> reader.findAccessKeyLastUsedOf(accessKeyIds));
    }

    @Override
    public Optional<String> findAccountAlias(String accountId) {
        return read(reader -> reader.findAccountAlias(accountId));
    }

    @Override
    public Optional<String> findAccountIdByAlias(String accountAlias) {
        return read(reader -> reader.findAccountIdByAlias(accountAlias));
    }

    @Override
    public Optional<PasswordPolicy> findPasswordPolicy(String accountId) {
        return read(reader -> reader.findPasswordPolicy(accountId));
    }

    @Override
    public Optional<InstanceProfile> findInstanceProfile(String accountId, String instanceProfileName) {
        return read(reader -> reader.findInstanceProfile(accountId, instanceProfileName));
    }

    @Override
    public List<InstanceProfile> listInstanceProfiles(String accountId) {
        return read(reader -> reader.listInstanceProfiles(accountId));
    }

    @Override
    public int countInstanceProfiles(String accountId) {
        return read(reader -> reader.countInstanceProfiles(accountId));
    }

    @Override
    public List<InstanceProfile> listInstanceProfilesForRole(String roleId) {
        return read(reader -> reader.listInstanceProfilesForRole(roleId));
    }

    @Override
    public Map<String, List<InstanceProfile>> listInstanceProfilesForRoles(Collection<String> roleIds) {
        return read(reader -> reader.listInstanceProfilesForRoles(roleIds));
    }
}
