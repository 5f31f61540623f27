package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;

/**
 * The IAM operations as plain Java: every input validated the way IAM validates it, AWS's quotas, AWS's errors.
 * The IAM Query API and the bootstrap file both change identities through this class and nothing else.
 */
public final class IamService {
    /** IAM quotas (STS_API.md §3), counted without whitespace as IAM counts them. */
    static final int MAX_ACCESS_KEYS_PER_USER = 2;
    static final int MAX_TRUST_POLICY_SIZE = 2048;
    static final int MAX_ROLE_INLINE_POLICY_SIZE = 10240;
    static final int MAX_USER_INLINE_POLICY_SIZE = 2048;
    static final int MAX_TAGS = 50;

    private final IdentityStore store;
    private final Clock clock;
    private final SecureRandom random;

    public IamService(IdentityStore store, Clock clock, SecureRandom random) {
        this.store = store;
        this.clock = clock;
        this.random = random;
    }

    public IdentityStore store() {
        return store;
    }

    // ---- accounts

    public Account createAccount(String accountId) {
        if (!Account.isValidAccountId(accountId)) {
            throw new ApiException(ErrorCode.INVALID_INPUT, "Account id must be 12 digits: " + accountId);
        }
        return store.write(writer -> {
            if (writer.findAccount(accountId).isPresent()) {
                throw new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS, "Account " + accountId + " already exists.");
            }
            var account = new Account(accountId, now());
            writer.createAccount(account);
            return account;
        });
    }

    // ---- users

    public User createUser(String accountId, CreateUserRequest request) {
        QueryBinder.check(IamShapes.USER_NAME, request.userName(), "userName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.PATH, path, "path");
        request.permissionsBoundary().ifPresent(arn -> QueryBinder.check(IamShapes.ARN, arn, "permissionsBoundary"));
        checkTags(request.tags());
        return createEntity(() -> store.write(writer -> {
            requireAccount(writer, accountId);
            if (writer.findUser(accountId, request.userName()).isPresent()) {
                throw userExists(request.userName());
            }
            var user = new User(accountId, AccessKeyIds.newUniqueId("AIDA", random), request.userName(), path, now(),
                    request.permissionsBoundary(), request.tags());
            writer.createUser(user);
            return user;
        }), () -> userExists(request.userName()));
    }

    public User getUser(String accountId, String userName) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        return store.findUser(accountId, userName).orElseThrow(() -> noSuchUser(userName));
    }

    public void putUserPolicy(String accountId, String userName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        Policy policy = parsePolicy(policyDocument, PolicyType.IDENTITY);
        store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> noSuchUser(userName));
            PolicyOwner owner = PolicyOwner.of(user);
            checkInlineQuota(writer, owner, policyName, policy, MAX_USER_INLINE_POLICY_SIZE, "user", user.userName());
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
        return createEntity(() -> store.write(writer -> {
            User user = writer.findUser(accountId, userName).orElseThrow(() -> noSuchUser(userName));
            if (writer.listAccessKeys(user.userId()).size() >= MAX_ACCESS_KEYS_PER_USER) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for AccessKeysPerUser: " + MAX_ACCESS_KEYS_PER_USER);
            }
            if (writer.findAccessKey(accessKeyId).isPresent()) {
                throw accessKeyExists(accessKeyId);
            }
            var key = new AccessKey(accessKeyId, accountId, user.userId(), user.userName(), AccessKeyStatus.ACTIVE,
                    now());
            writer.createAccessKey(key, secretAccessKey);
            return new AccessKeyCredentials(key, secretAccessKey);
        }), () -> accessKeyExists(accessKeyId));
    }

    public List<AccessKey> listAccessKeys(String accountId, String userName) {
        return store.listAccessKeys(getUser(accountId, userName).userId());
    }

    // ---- roles

    public Role createRole(String accountId, CreateRoleRequest request) {
        QueryBinder.check(IamShapes.ROLE_NAME, request.roleName(), "roleName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.PATH, path, "path");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, request.assumeRolePolicyDocument(), "assumeRolePolicyDocument");
        request.description().ifPresent(text -> QueryBinder.check(IamShapes.ROLE_DESCRIPTION, text, "description"));
        int maxSessionDuration = request.maxSessionDuration().orElse(Role.DEFAULT_MAX_SESSION_DURATION);
        QueryBinder.check(IamShapes.ROLE_MAX_SESSION_DURATION, Integer.toString(maxSessionDuration),
                "maxSessionDuration");
        request.permissionsBoundary().ifPresent(arn -> QueryBinder.check(IamShapes.ARN, arn, "permissionsBoundary"));
        checkTags(request.tags());
        checkTrustPolicy(request.assumeRolePolicyDocument());
        return createEntity(() -> store.write(writer -> {
            requireAccount(writer, accountId);
            if (writer.findRole(accountId, request.roleName()).isPresent()) {
                throw roleExists(request.roleName());
            }
            var role = new Role(accountId, AccessKeyIds.newUniqueId("AROA", random), request.roleName(), path,
                    request.assumeRolePolicyDocument(), request.description(), maxSessionDuration,
                    request.permissionsBoundary(), request.tags(), now());
            writer.createRole(role);
            return role;
        }), () -> roleExists(request.roleName()));
    }

    public Role getRole(String accountId, String roleName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        return store.findRole(accountId, roleName).orElseThrow(() -> noSuchRole(roleName));
    }

    public void updateAssumeRolePolicy(String accountId, String roleName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        checkTrustPolicy(policyDocument);
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> noSuchRole(roleName));
            writer.updateRole(role.withAssumeRolePolicyDocument(policyDocument));
            return null;
        });
    }

    /** UpdateRole: changes the description and/or the maximum session duration; absent values are kept. */
    public void updateRole(String accountId, String roleName, Optional<String> description,
            Optional<Integer> maxSessionDuration) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        description.ifPresent(text -> QueryBinder.check(IamShapes.ROLE_DESCRIPTION, text, "description"));
        maxSessionDuration.ifPresent(seconds -> QueryBinder.check(IamShapes.ROLE_MAX_SESSION_DURATION,
                Integer.toString(seconds), "maxSessionDuration"));
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> noSuchRole(roleName));
            writer.updateRole(role.withDescriptionAndMaxSessionDuration(
                    description.isPresent() ? description : role.description(),
                    maxSessionDuration.orElse(role.maxSessionDuration())));
            return null;
        });
    }

    public void putRolePolicy(String accountId, String roleName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.POLICY_NAME, policyName, "policyName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        Policy policy = parsePolicy(policyDocument, PolicyType.IDENTITY);
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> noSuchRole(roleName));
            PolicyOwner owner = PolicyOwner.of(role);
            checkInlineQuota(writer, owner, policyName, policy, MAX_ROLE_INLINE_POLICY_SIZE, "role", role.roleName());
            writer.putInlinePolicy(owner, new InlinePolicy(policyName, policyDocument));
            return null;
        });
    }

    // ---- checks shared by the operations

    private void checkTrustPolicy(String document) {
        Policy policy = parsePolicy(document, PolicyType.TRUST);
        if (policy.sizeWithoutWhitespace() > MAX_TRUST_POLICY_SIZE) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Cannot exceed quota for ACLSizePerRole: " + MAX_TRUST_POLICY_SIZE);
        }
    }

    /** The inline policies of one identity share one size quota; the policy being replaced does not count. */
    private static void checkInlineQuota(IdentityReader reader, PolicyOwner owner, String policyName, Policy policy,
            int quota, String ownerKind, String ownerName) {
        long total = policy.sizeWithoutWhitespace();
        for (InlinePolicy existing : reader.listInlinePolicies(owner)) {
            if (!existing.policyName().equals(policyName)) {
                total += parsePolicy(existing.policyDocument(), PolicyType.IDENTITY).sizeWithoutWhitespace();
            }
        }
        if (total > quota) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Maximum policy size of " + quota + " bytes exceeded for " + ownerKind + " " + ownerName);
        }
    }

    static Policy parsePolicy(String document, PolicyType type) {
        try {
            return Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
    }

    private static void checkTags(List<Tag> tags) {
        if (tags.size() > MAX_TAGS) {
            throw ApiException.validationError("1 validation error detected: Value '" + tags + "' at 'tags' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + MAX_TAGS);
        }
        Set<String> keys = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < tags.size(); i++) {
            Tag tag = tags.get(i);
            QueryBinder.check(IamShapes.TAG_KEY, tag.key(), "tags." + (i + 1) + ".member.key");
            QueryBinder.check(IamShapes.TAG_VALUE, tag.value(), "tags." + (i + 1) + ".member.value");
            if (!keys.add(tag.key().toLowerCase(Locale.ROOT))) {
                errors.add(tag.key());
            }
            if (tag.key().toLowerCase(Locale.ROOT).startsWith("aws:")) {
                throw new ApiException(ErrorCode.INVALID_INPUT,
                        "User-defined tag keys can't start with 'aws:'. This prefix is reserved for system tags.");
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_INPUT,
                    "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        }
    }

    private static void requireAccount(IdentityReader reader, String accountId) {
        if (reader.findAccount(accountId).isEmpty()) {
            throw new ApiException(ErrorCode.NO_SUCH_ENTITY, "The account " + accountId + " cannot be found.");
        }
    }

    /** Two nodes may race to create the same name: the loser's unique-key violation is EntityAlreadyExists. */
    private static <T> T createEntity(java.util.function.Supplier<T> create,
            java.util.function.Supplier<ApiException> alreadyExists) {
        try {
            return create.get();
        } catch (StoreException.DuplicateKeyException e) {
            throw alreadyExists.get();
        }
    }

    private Instant now() {
        return clock.instant();
    }

    static ApiException noSuchUser(String userName) {
        return new ApiException(ErrorCode.NO_SUCH_ENTITY, "The user with name " + userName + " cannot be found.");
    }

    static ApiException noSuchRole(String roleName) {
        return new ApiException(ErrorCode.NO_SUCH_ENTITY, "The role with name " + roleName + " cannot be found.");
    }

    private static ApiException userExists(String userName) {
        return new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS, "User with name " + userName + " already exists.");
    }

    private static ApiException roleExists(String roleName) {
        return new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS, "Role with name " + roleName + " already exists.");
    }

    private static ApiException accessKeyExists(String accessKeyId) {
        return new ApiException(ErrorCode.ENTITY_ALREADY_EXISTS,
                "Access key " + accessKeyId + " already exists.");
    }
}
