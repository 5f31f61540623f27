package org.opensts.iam;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;

/**
 * The IAM operations on users: the users themselves, their tags and permissions boundary, their inline policies and
 * their access keys.
 *
 * <p>Everything a user owns is stored under its {@code AIDA…} id, never its name, so UpdateUser renames and moves a
 * user without touching its keys, policies or group memberships.
 */
public final class UserOperations {
    /** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"), the inline policy size counted without whitespace. */
    static final int MAX_ACCESS_KEYS_PER_USER = 2;
    static final int MAX_USER_INLINE_POLICY_SIZE = 2048;

    private final IdentityStore store;
    private final IamQuotas quotas;
    private final InlinePolicies inlinePolicies;
    private final Clock clock;
    private final SecureRandom random;

    UserOperations(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.inlinePolicies = new InlinePolicies(store, "user", MAX_USER_INLINE_POLICY_SIZE);
        this.clock = clock;
        this.random = random;
        this.quotas = quotas;
    }

    /**
     * CreateUser: a new user with an {@code AIDA…} id.
     *
     * @throws ApiException {@code EntityAlreadyExists} if the name is taken in any case; {@code LimitExceeded} if the
     *     account has 5,000 users already; {@code NoSuchEntity} if the account or the permissions boundary policy does
     *     not exist; {@code InvalidInput} for a boundary that is not a policy ARN or for bad tags;
     *     {@code ValidationError} for a bad name or path
     */
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
            IamChecks.checkAccountQuota(writer.countUsers(accountId), quotas.users(), "UsersPerAccount");
            Optional<String> boundary = request.permissionsBoundary()
                    .map(arn -> IamChecks.resolvePermissionsBoundary(writer, accountId, arn));
            var user = new User(accountId, AccessKeyIds.newUniqueId("AIDA", random), request.userName(), path,
                    clock.instant(), boundary, request.tags());
            writer.createUser(user);
            return user;
        }), () -> userExists(request.userName()));
    }

    /** GetUser: the user, found by name in any case. */
    public User getUser(String accountId, String userName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        return store.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
    }

    /**
     * UpdateUser: renames the user and/or moves it to another path; absent values are kept. A change of case only is
     * a rename too.
     *
     * @throws ApiException {@code NoSuchEntity}, or {@code EntityAlreadyExists} if another user has the new name
     */
    public void updateUser(String accountId, String userName, Optional<String> newUserName,
            Optional<String> newPath) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        newUserName.ifPresent(name -> QueryBinder.check(IamShapes.USER_NAME, name, "newUserName"));
        newPath.ifPresent(path -> QueryBinder.check(IamShapes.PATH, path, "newPath"));
        String wanted = newUserName.orElse(userName);
        IamChecks.createEntity(() -> store.write(writer -> {
            User user = findUser(writer, accountId, userName);
            Optional<User> holder = writer.findUser(accountId, wanted);
            if (holder.isPresent() && !holder.get().userId().equals(user.userId())) {
                throw userExists(wanted);
            }
            writer.updateUser(new User(user.accountId(), user.userId(), newUserName.orElse(user.userName()),
                    newPath.orElse(user.path()), user.createDate(), user.permissionsBoundaryArn(), user.tags()));
            return null;
        }), () -> userExists(wanted));
    }

    /**
     * ListUsers: the account's users whose path starts with {@code pathPrefix}, sorted by name, one page at a time.
     */
    public Page<User> listUsers(String accountId, Optional<String> pathPrefix, Optional<String> marker,
            Optional<Integer> maxItems) {
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH_PREFIX, prefix, "pathPrefix"));
        IamChecks.checkPaging(marker, maxItems);
        int limit = maxItems.orElse(Page.DEFAULT_MAX_ITEMS);
        // One more than the page: if it is there, it is where the next page starts.
        List<User> users = store.listUsers(accountId, pathPrefix.orElse("/"), Page.startKey(marker), limit + 1);
        return Page.ofFetched(users, user -> nameKey(user.userName()), limit);
    }

    /**
     * DeleteUser: only a user with nothing attached may go, as IAM requires; each leftover is a
     * {@code DeleteConflict} that names what to remove first.
     */
    public void deleteUser(String accountId, String userName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            User user = findUser(writer, accountId, userName);
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

    // ---- tags

    /**
     * TagUser: adds tags, replacing the value of a key the user has already (keys match in any case).
     *
     * @throws ApiException {@code LimitExceeded} if the user would hold more than 50 tags, {@code InvalidInput} for
     *     duplicate or reserved keys
     */
    public void tagUser(String accountId, String userName, List<Tag> tags) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            User user = findUser(writer, accountId, userName);
            writer.updateUser(user.withTags(IamChecks.mergeTags(user.tags(), tags, "TagsPerUser")));
            return null;
        });
    }

    /** UntagUser: removes the tags with these keys, in any case; keys the user does not have are ignored. */
    public void untagUser(String accountId, String userName, List<String> tagKeys) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            User user = findUser(writer, accountId, userName);
            writer.updateUser(user.withTags(IamChecks.removeTags(user.tags(), tagKeys)));
            return null;
        });
    }

    /** ListUserTags: the user's tags, sorted by key, one page at a time. */
    public Page<Tag> listUserTags(String accountId, String userName, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        return Page.of(getUser(accountId, userName).tags(), tag -> nameKey(tag.key()), marker, maxItems);
    }

    // ---- permissions boundary

    /**
     * PutUserPermissionsBoundary: sets or replaces the managed policy that bounds what the user's policies may allow.
     *
     * @throws ApiException {@code NoSuchEntity} if the user or the policy does not exist, {@code InvalidInput} if the
     *     ARN is not a policy's
     */
    public void putUserPermissionsBoundary(String accountId, String userName, String permissionsBoundary) {
        QueryBinder.check(IamShapes.USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.ARN, permissionsBoundary, "permissionsBoundary");
        store.write(writer -> {
            User user = findUser(writer, accountId, userName);
            String boundary = IamChecks.resolvePermissionsBoundary(writer, accountId, permissionsBoundary);
            writer.updateUser(withBoundary(user, Optional.of(boundary)));
            return null;
        });
    }

    /** DeleteUserPermissionsBoundary: the user's policies are bounded by nothing again. */
    public void deleteUserPermissionsBoundary(String accountId, String userName) {
        QueryBinder.check(IamShapes.USER_NAME, userName, "userName");
        store.write(writer -> {
            User user = findUser(writer, accountId, userName);
            if (user.permissionsBoundaryArn().isPresent()) {
                writer.updateUser(withBoundary(user, Optional.empty()));
            }
            return null;
        });
    }

    private static User withBoundary(User user, Optional<String> boundary) {
        return new User(user.accountId(), user.userId(), user.userName(), user.path(), user.createDate(), boundary,
                user.tags());
    }

    // ---- inline policies

    /**
     * PutUserPolicy: creates or replaces an inline policy; a user's inline policies share one quota of 2048
     * characters, whitespace not counted.
     *
     * @throws ApiException {@code MalformedPolicyDocument}, {@code LimitExceeded} or {@code NoSuchEntity}
     */
    public void putUserPolicy(String accountId, String userName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        inlinePolicies.put(reader -> holder(findUser(reader, accountId, userName)), policyName, policyDocument);
    }

    /** GetUserPolicy: the user (for its name as stored) and the policy. */
    public UserPolicy getUserPolicy(String accountId, String userName, String policyName) {
        User user = getUser(accountId, userName);
        return new UserPolicy(user, inlinePolicies.get(holder(user), policyName));
    }

    /** A user's inline policy, as GetUserPolicy answers it. */
    public record UserPolicy(User user, InlinePolicy policy) {
        public UserPolicy {
            requireNonNull(user, "user");
            requireNonNull(policy, "policy");
        }
    }

    public void deleteUserPolicy(String accountId, String userName, String policyName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        inlinePolicies.delete(reader -> holder(findUser(reader, accountId, userName)), policyName);
    }

    /** ListUserPolicies: the names of a user's inline policies, sorted. */
    public Page<String> listUserPolicies(String accountId, String userName, Optional<String> marker,
            Optional<Integer> maxItems) {
        return inlinePolicies.list(holder(getUser(accountId, userName)), marker, maxItems);
    }

    private static InlinePolicies.Holder holder(User user) {
        return new InlinePolicies.Holder(PolicyOwner.of(user), user.userName());
    }

    // ---- access keys

    /**
     * CreateAccessKey: a new active key with a generated {@code AKIA…} id and secret; the secret is returned this once.
     *
     * @throws ApiException {@code NoSuchEntity}, or {@code LimitExceeded} if the user has two keys already
     */
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
            User user = findUser(writer, accountId, userName);
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

    /**
     * UpdateAccessKey: makes a user's key {@code Active} or {@code Inactive}. An inactive key authenticates nothing
     * until it is made active again.
     *
     * @param status the wire name: {@code Active} or {@code Inactive}
     * @throws ApiException {@code NoSuchEntity} if the user has no such key, {@code InvalidInput} for
     *     {@code Expired}, which only IAM itself sets
     */
    public void updateAccessKey(String accountId, String userName, String accessKeyId, String status) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.ACCESS_KEY_ID, accessKeyId, "accessKeyId");
        QueryBinder.check(IamShapes.ACCESS_KEY_STATUS, status, "status");
        AccessKeyStatus newStatus = AccessKeyStatus.fromWireName(status).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_INPUT, "Status " + status + " cannot be set; use Active or Inactive."));
        store.write(writer -> {
            AccessKey key = findAccessKeyOf(writer, findUser(writer, accountId, userName), accessKeyId);
            if (key.status() != newStatus) {
                writer.updateAccessKeyStatus(key.accessKeyId(), newStatus);
            }
            return null;
        });
    }

    /** DeleteAccessKey: the key authenticates nothing from now on, and is gone for good. */
    public void deleteAccessKey(String accountId, String userName, String accessKeyId) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.ACCESS_KEY_ID, accessKeyId, "accessKeyId");
        store.write(writer -> {
            AccessKey key = findAccessKeyOf(writer, findUser(writer, accountId, userName), accessKeyId);
            writer.deleteAccessKey(key.accessKeyId());
            return null;
        });
    }

    /** A user's access keys, oldest first. */
    public List<AccessKey> listAccessKeys(String accountId, String userName) {
        return store.listAccessKeys(getUser(accountId, userName).userId());
    }

    /** ListAccessKeys: a user's access keys (never their secrets), oldest first, one page at a time. */
    public Page<AccessKey> listAccessKeys(String accountId, String userName, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        return Page.of(listAccessKeys(accountId, userName),
                key -> String.format(Locale.ROOT, "%020d/%s", key.createDate().toEpochMilli(), key.accessKeyId()),
                marker, maxItems);
    }

    /**
     * GetAccessKeyLastUsed: who owns a key of this account and when, where and for what it last signed a request.
     * Uses are recorded in memory and written every few seconds, so the answer may lag that much.
     *
     * @return empty if the account has no such key: AWS then answers {@code AccessDenied}, in words that name the
     *     caller, as if the caller could not see the key
     */
    public Optional<AccessKeyUsage> getAccessKeyLastUsed(String accountId, String accessKeyId) {
        QueryBinder.check(IamShapes.ACCESS_KEY_ID, accessKeyId, "accessKeyId");
        return store.findAccessKey(accessKeyId)
                .map(AccessKeyCredentials::accessKey)
                .filter(found -> found.accountId().equals(accountId))
                .map(key -> new AccessKeyUsage(key.userName(), store.findAccessKeyLastUsed(accessKeyId)));
    }

    /** The answer of GetAccessKeyLastUsed: the key's owner, and its last use unless it was never used. */
    public record AccessKeyUsage(String userName, Optional<AccessKeyLastUsed> lastUsed) {
        public AccessKeyUsage {
            requireNonNull(userName, "userName");
            requireNonNull(lastUsed, "lastUsed");
        }
    }

    // ---- shared lookups and errors

    private static User findUser(IdentityReader reader, String accountId, String userName) {
        return reader.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
    }

    /** The user's key with this id; another user's key, or another account's, is as good as absent. */
    private static AccessKey findAccessKeyOf(IdentityReader reader, User user, String accessKeyId) {
        return reader.listAccessKeys(user.userId()).stream()
                .filter(key -> key.accessKeyId().equals(accessKeyId))
                .findFirst()
                .orElseThrow(() -> noSuchAccessKey(accessKeyId));
    }

    private static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static ApiException userExists(String userName) {
        return IamChecks.alreadyExists("User with name " + userName + " already exists.");
    }

    private static ApiException accessKeyExists(String accessKeyId) {
        return IamChecks.alreadyExists("Access key " + accessKeyId + " already exists.");
    }

    private static ApiException noSuchAccessKey(String accessKeyId) {
        return IamChecks.noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
    }

    private static ApiException deleteConflict(String message) {
        return new ApiException(ErrorCode.DELETE_CONFLICT, message);
    }
}
