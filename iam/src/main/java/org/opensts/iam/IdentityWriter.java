package org.opensts.iam;

import java.time.Instant;
import java.util.List;
import org.opensts.token.Secret;

/**
 * Reads and writes identities inside one transaction (see {@link IdentityStore#write}). Writers check nothing but the
 * store's own constraints: AWS's rules (names, limits, conflicts) are the operations' job.
 */
public interface IdentityWriter extends IdentityReader {
    void createAccount(Account account);

    /** Records the account's IAM {@code SetSecurityTokenServicePreferences}. */
    void setGlobalEndpointTokenVersion(String accountId, GlobalEndpointTokenVersion version);

    // ---- users and access keys

    void createUser(User user);

    /** Replaces the user's name, path, permissions boundary and tags with the given values. */
    void updateUser(User user);

    void deleteUser(String userId);

    void createAccessKey(AccessKey accessKey, Secret secretAccessKey);

    void updateAccessKeyStatus(String accessKeyId, AccessKeyStatus status);

    void deleteAccessKey(String accessKeyId);

    void recordAccessKeyUse(String accessKeyId, AccessKeyLastUsed use);

    // ---- groups

    void createGroup(Group group);

    void updateGroup(Group group);

    void deleteGroup(String groupId);

    void addUserToGroup(String groupId, String userId);

    void removeUserFromGroup(String groupId, String userId);

    // ---- roles

    void createRole(Role role);

    /** Replaces every mutable field of the role with the given values, tags included. */
    void updateRole(Role role);

    void deleteRole(String roleId);

    void recordRoleUse(String roleId, RoleLastUsed use);

    // ---- inline policies

    /** Creates or replaces the named inline policy of the owner. */
    void putInlinePolicy(PolicyOwner owner, InlinePolicy policy);

    void deleteInlinePolicy(PolicyOwner owner, String policyName);

    // ---- managed policies

    /** Creates a policy with its first version, {@code v1}, as the default. */
    void createManagedPolicy(ManagedPolicy policy, String firstVersionDocument);

    /** Replaces the default version, update date and tags. */
    void updateManagedPolicy(ManagedPolicy policy);

    /** Deletes a policy and all its versions; it must have no attachments. */
    void deleteManagedPolicy(String policyId);

    /** Adds a version and returns its id ({@code v2}, {@code v3}, … never reused). */
    String createPolicyVersion(String policyId, String document, Instant createDate);

    void deletePolicyVersion(String policyId, String versionId);

    void attachPolicy(PolicyOwner owner, String policyId);

    void detachPolicy(PolicyOwner owner, String policyId);

    // ---- identity providers

    void createOpenIdConnectProvider(OpenIdConnectProvider provider);

    /** Replaces the client ids, thumbprints and tags. */
    void updateOpenIdConnectProvider(OpenIdConnectProvider provider);

    void deleteOpenIdConnectProvider(String arn);

    void createSamlProvider(SamlProvider provider);

    /** Replaces the metadata document, validity, encryption mode and tags. */
    void updateSamlProvider(SamlProvider provider);

    void deleteSamlProvider(String arn);

    // ---- MFA devices

    void createMfaDevice(MfaDevice device, Secret seed);

    /** Replaces the owner, enable date, last accepted time step, step offset and tags. */
    void updateMfaDevice(MfaDevice device);

    void deleteMfaDevice(String serialNumber);

    /**
     * Accepts a TOTP time step for a device if it is newer than the last accepted one: the compare-and-set that makes
     * every code usable once, even when two nodes see it at the same moment.
     *
     * @return false if the step (or a later one) was accepted before
     */
    boolean acceptMfaTimeStep(String serialNumber, long timeStep);

    /**
     * {@link #acceptMfaTimeStep} that also records the device's measured clock offset, in one compare-and-set: two
     * nodes resynchronizing a device with the same codes cannot both succeed.
     *
     * @return false if the step (or a later one) was accepted before
     */
    boolean resyncMfaDevice(String serialNumber, long timeStep, long stepOffset);

    // ---- instance profiles

    /** Creates an instance profile with its tags; the roles it holds are added by {@link #addRoleToInstanceProfile}. */
    void createInstanceProfile(InstanceProfile profile);

    /** Replaces the tags. */
    void updateInstanceProfile(InstanceProfile profile);

    /** Deletes an instance profile and its tags; it must hold no role. */
    void deleteInstanceProfile(String instanceProfileId);

    /** Puts the role in the instance profile, which must hold none (see {@link InstanceProfile#MAX_ROLES}). */
    void addRoleToInstanceProfile(String instanceProfileId, String roleId);

    void removeRoleFromInstanceProfile(String instanceProfileId, String roleId);

    /** Replaces the tags of any entity kind; for identities prefer the update of the entity itself. */
    void replaceTags(String ownerKind, String ownerId, List<Tag> tags);

    // ---- account settings

    /** Gives the account {@code accountAlias}, replacing the one it had; the alias must be no other account's. */
    void putAccountAlias(String accountId, String accountAlias);

    void deleteAccountAlias(String accountId);

    /** Creates or replaces the account's password policy. */
    void putPasswordPolicy(String accountId, PasswordPolicy policy);

    void deletePasswordPolicy(String accountId);
}
