package org.opensts.iam;

import java.util.List;
import java.util.Optional;

/**
 * Reads identities. Names of users and roles are matched case-insensitively, as IAM does; absence is an empty
 * {@code Optional}, never an exception.
 */
public interface IdentityReader {
    List<Account> listAccounts();

    Optional<Account> findAccount(String accountId);

    Optional<User> findUser(String accountId, String userName);

    Optional<User> findUserById(String userId);

    /** The key and its decrypted secret, whatever its status. */
    Optional<AccessKeyCredentials> findAccessKey(String accessKeyId);

    /** A user's keys, oldest first. */
    List<AccessKey> listAccessKeys(String userId);

    Optional<Role> findRole(String accountId, String roleName);

    Optional<Role> findRoleById(String roleId);

    /** The owner's inline policies, sorted by name. */
    List<InlinePolicy> listInlinePolicies(PolicyOwner owner);

    Optional<InlinePolicy> findInlinePolicy(PolicyOwner owner, String policyName);
}
