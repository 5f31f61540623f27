package org.opensts.iam;

import org.opensts.token.Secret;

/**
 * Reads and writes identities inside one transaction (see {@link IdentityStore#write}). Writers check nothing but the
 * store's own constraints: AWS's rules (names, limits, conflicts) are {@link IamService}'s job.
 */
public interface IdentityWriter extends IdentityReader {
    void createAccount(Account account);

    void createUser(User user);

    void createAccessKey(AccessKey accessKey, Secret secretAccessKey);

    void createRole(Role role);

    /** Replaces every mutable field of the role with the given values, tags included. */
    void updateRole(Role role);

    /** Creates or replaces the named inline policy of the owner. */
    void putInlinePolicy(PolicyOwner owner, InlinePolicy policy);
}
