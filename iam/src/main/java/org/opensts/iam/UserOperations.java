package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;

/** The IAM operations on users, their access keys and their inline policies. */
public final class UserOperations {
    /** IAM quotas (STS_API.md §3). */
    static final int MAX_ACCESS_KEYS_PER_USER = 2;
    static final int MAX_USER_INLINE_POLICY_SIZE = 2048;

    private final IdentityStore store;
    private final Clock clock;
    private final SecureRandom random;

    UserOperations(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    public User createUser(String accountId, CreateUserRequest request) {
        QueryBinder.check(IamShapes.USER_NAME, request.userName(), "userName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.PATH, path, "path");
        request.permissionsBoundary().ifPresent(arn -> QueryBinder.check(IamShapes.ARN, arn, "permissionsBoundary"));
        IamChecks.checkTags(request.tags());
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findUser(accountId, request.userName()).isPresent()) {
                throw userExists(request.userName());
            }
            var user = new User(accountId, AccessKeyIds.newUniqueId("AIDA", random), request.userName(), path, clock.instant(),
                    request.permissionsBoundary(), request.tags());
            writer.createUser(user);
            return user;
        }), () -> userExists(request.userName()));
    }

    public User getUser(String accountId, String userName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        return store.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
    }

    /**
     * ListUsers: the account's users whose path starts with {@code pathPrefix}, sorted by name, one page at a time.
     */
    public Page<User> listUsers(String accountId, Optional<String> pathPrefix, Optional<String> marker,
            Optional<Integer> maxItems) {
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH_PREFIX, prefix, "pathPrefix"));
        List<User> users = store.listUsers(accountId).stream()
                .filter(user -> user.path().startsWith(pathPrefix.orElse("/")))
                .toList();
        return Page.of(users, user -> user.userName().toLowerCase(java.util.Locale.ROOT), marker, maxItems);
    }

    /**
     * DeleteUser: only a user with nothing attached may go, as IAM requires; each leftover is a
     * {@code DeleteConflict} that names what to remove first.
     */
    public void deleteUser(String accountId, String userName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            PolicyOwner owner = PolicyOwner.of(user);
            if (!writer.listAccessKeys(user.userId()).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must delete access keys first.");
            }
            if (!writer.listInlinePolicies(owner).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must delete policies first.");
            }
            if (!writer.listAttachedPolicies(owner).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            if (!writer.listGroupsForUser(user.userId()).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must remove users from group first.");
            }
            if (!writer.listMfaDevicesForUser(user.userId()).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must delete MFA device first.");
            }
            writer.deleteUser(user.userId());
            return null;
        });
    }

    private static ApiException deleteConflict(String message) {
        return new ApiException(ErrorCode.DELETE_CONFLICT, message);
    }

    public void putUserPolicy(String accountId, String userName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        Policy policy = IamChecks.parsePolicy(policyDocument, PolicyType.IDENTITY);
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            PolicyOwner owner = PolicyOwner.of(user);
            IamChecks.checkInlineQuota(writer, owner, policyName, policy, MAX_USER_INLINE_POLICY_SIZE, "user", user.userName());
            writer.putInlinePolicy(owner, new InlinePolicy(policyName, policyDocument));
            return null;
        });
    }

    // ---- access keys

    /** Creates an access key with a generated id and secret; the secret is returned this once. */
    public AccessKeyCredentials createAccessKey(String accountId, String userName) {
        return addAccessKey(accountId, userName, AccessKeyIds.newLongTerm(accountId, random),
                SecretAccessKeys.generate(random));
    }

    /**
     * Adds an access key whose id and secret were chosen elsewhere (a bootstrap file that must recreate known keys).
     * The id must be a well-formed {@code AKIA} id of this account, so that GetAccessKeyInfo stays store-free.
     */
    public AccessKeyCredentials importAccessKey(String accountId, String userName, String accessKeyId,
            Secret secretAccessKey) {
        QueryBinder.check(IamShapes.ACCESS_KEY_ID, accessKeyId, "accessKeyId");
        if (!accessKeyId.startsWith("AKIA")
                || !AccessKeyIds.accountIdOf(accessKeyId).equals(Optional.of(accountId))) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Access key " + accessKeyId
                    + " is not a long-term access key id of account " + accountId + ".");
        }
        if (secretAccessKey.revealBytes().length < 16) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "The secret access key of " + accessKeyId
                    + " must be at least 16 characters.");
        }
        return addAccessKey(accountId, userName, accessKeyId, secretAccessKey);
    }

    private AccessKeyCredentials addAccessKey(String accountId, String userName, String accessKeyId,
            Secret secretAccessKey) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        return IamChecks.createEntity(() -> store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            if (writer.listAccessKeys(user.userId()).size() >= MAX_ACCESS_KEYS_PER_USER) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS_PER_USER);
            }
            if (writer.findAccessKey(accessKeyId).isPresent()) {
                throw accessKeyExists(accessKeyId);
            }
            var key = new AccessKey(accessKeyId, accountId, user.userId(), user.userName(), AccessKeyStatus.ACTIVE,
                    clock.instant());
            writer.createAccessKey(key, secretAccessKey);
            return new AccessKeyCredentials(key, secretAccessKey);
        }), () -> accessKeyExists(accessKeyId));
    }

    public List<AccessKey> listAccessKeys(String accountId, String userName) {
        return store.listAccessKeys(getUser(accountId, userName).userId());
    }

    private static ApiException userExists(String userName) {
        return IamChecks.alreadyExists("User with name " + userName + " already exists.");
    }

    private static ApiException accessKeyExists(String accessKeyId) {
        return IamChecks.alreadyExists("Access key " + accessKeyId + " already exists.");
    }
}
