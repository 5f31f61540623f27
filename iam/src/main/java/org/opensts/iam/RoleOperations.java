package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;

/**
 * The IAM operations on roles: the roles themselves, their trust policies, tags and permissions boundaries, and their
 * inline policies. Managed policies are attached to roles by {@link ManagedPolicyOperations}.
 */
public final class RoleOperations {
    /** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"), counted without whitespace as IAM counts them. */
    static final int MAX_TRUST_POLICY_SIZE = 2048;
    static final int MAX_ROLE_INLINE_POLICY_SIZE = 10240;

    private final IdentityStore store;
    private final IamQuotas quotas;
    private final InlinePolicies inlinePolicies;
    private final Clock clock;
    private final SecureRandom random;

    RoleOperations(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.inlinePolicies = new InlinePolicies(store, "role", MAX_ROLE_INLINE_POLICY_SIZE);
        this.clock = clock;
        this.random = random;
        this.quotas = quotas;
    }

    /**
     * CreateRole.
     *
     * @throws ApiException {@code MalformedPolicyDocument} unless the trust policy is a valid one (it must name a
     *     principal, and each IAM user or role it names must exist: see {@link TrustPolicy#bind}),
     *     {@code LimitExceeded} above 2048 characters without whitespace or if the account has 1,000 roles already,
     *     {@code EntityAlreadyExists} if the account has a role of that name in any case, {@code NoSuchEntity} if the
     *     permissions boundary is not a managed policy of the account or of AWS
     */
    public Role createRole(String accountId, CreateRoleRequest request) {
        QueryBinder.check(IamShapes.ROLE_NAME, request.roleName(), "roleName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.PATH, path, "path");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, request.assumeRolePolicyDocument(), "assumeRolePolicyDocument");
        request.description().ifPresent(text -> QueryBinder.check(IamShapes.ROLE_DESCRIPTION, text, "description"));
        int maxSessionDuration = request.maxSessionDuration().orElse(Role.DEFAULT_MAX_SESSION_DURATION);
        QueryBinder.check(IamShapes.ROLE_MAX_SESSION_DURATION, Integer.toString(maxSessionDuration),
                "maxSessionDuration");
        IamChecks.checkTags(request.tags());
        checkTrustPolicy(request.assumeRolePolicyDocument());
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findRole(accountId, request.roleName()).isPresent()) {
                throw roleExists(request.roleName());
            }
            IamChecks.checkAccountQuota(writer.countRoles(accountId), quotas.roles(), "RolesPerAccount");
            // Stored as the policy's own ARN, so that boundary counts and authorization find it whatever the case.
            Optional<String> boundary = request.permissionsBoundary()
                    .map(arn -> IamChecks.resolvePermissionsBoundary(writer, accountId, arn));
            // Bound in the transaction that saves it: a principal deleted meanwhile cannot slip in by name.
            TrustPolicy trustPolicy = TrustPolicy.bind(request.assumeRolePolicyDocument(), writer);
            var role = new Role(accountId, AccessKeyIds.newUniqueId("AROA", random), request.roleName(), path,
                    trustPolicy, request.description(), maxSessionDuration, boundary, request.tags(),
                    clock.instant());
            writer.createRole(role);
            return role;
        }), () -> roleExists(request.roleName()));
    }

    /**
     * The role's trust policy as IAM shows it (GetRole, ListRoles, CreateRole): as submitted, except that each user
     * or role it names appears under its current ARN while it exists and as its unique id once it is gone.
     */
    public String trustPolicyDocument(Role role) {
        return role.trustPolicy().render(uniqueId -> PrincipalBindings.currentArn(uniqueId, store));
    }

    public Role getRole(String accountId, String roleName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        return store.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
    }

    /**
     * When and where the role was last assumed, as flushed to the store so far: uses are recorded in memory on the
     * AssumeRole path and written every few seconds (see {@link LastUsedRecorder}).
     */
    public Optional<RoleLastUsed> lastUsed(Role role) {
        return store.findRoleLastUsed(role.roleId());
    }

    /** ListRoles: the account's roles whose path starts with {@code pathPrefix}, sorted by name. */
    public Page<Role> listRoles(String accountId, Optional<String> pathPrefix, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH_PREFIX, prefix, "pathPrefix"));
        int limit = maxItems.orElse(Page.DEFAULT_MAX_ITEMS);
        // One more than the page: if it is there, it is where the next page starts.
        List<Role> roles = store.listRoles(accountId, pathPrefix.orElse("/"), Page.startKey(marker), limit + 1);
        return Page.ofFetched(roles, role -> role.roleName().toLowerCase(Locale.ROOT), limit);
    }

    /**
     * UpdateAssumeRolePolicy: replaces the trust policy, binding the users and roles it names anew — so naming a
     * principal again after it was deleted and created anew trusts the new one.
     *
     * @throws ApiException as {@link #createRole} for the document, {@code NoSuchEntity} if there is no such role
     */
    public void updateAssumeRolePolicy(String accountId, String roleName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        checkTrustPolicy(policyDocument);
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            writer.updateRole(role.withTrustPolicy(TrustPolicy.bind(policyDocument, writer)));
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
        changeRole(accountId, roleName, role -> role.withDescriptionAndMaxSessionDuration(
                description.isPresent() ? description : role.description(),
                maxSessionDuration.orElse(role.maxSessionDuration())));
    }

    /** UpdateRoleDescription: the older form of UpdateRole, which answers with the updated role. */
    public Role updateRoleDescription(String accountId, String roleName, String description) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        QueryBinder.check(IamShapes.ROLE_DESCRIPTION, description, "description");
        return changeRole(accountId, roleName,
                role -> role.withDescriptionAndMaxSessionDuration(Optional.of(description), role.maxSessionDuration()));
    }

    /**
     * DeleteRole: only a role without inline or attached policies and in no instance profile may go, as IAM requires
     * ("Before attempting to delete a role, remove the following attached items: inline policies, attached managed
     * policies, instance profile", IAM API Reference, DeleteRole); each leftover is a {@code DeleteConflict} that names
     * what to remove first, checked in that order.
     */
    public void deleteRole(String accountId, String roleName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            PolicyOwner owner = PolicyOwner.of(role);
            if (!writer.listInlinePolicies(owner).isEmpty()) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT, "Cannot delete entity, must delete policies first.");
            }
            if (!writer.listAttachedPolicies(owner).isEmpty()) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT,
                        "Cannot delete entity, must detach all policies first.");
            }
            // An AddRoleToInstanceProfile locks the role too (after its profile), so none slips in before the delete.
            if (!writer.listInstanceProfilesForRole(role.roleId()).isEmpty()) {
                throw InstanceProfileOperations.mustRemoveRolesFirst();
            }
            writer.deleteRole(role.roleId());
            return null;
        });
    }

    // ---- tags

    /** TagRole: adds tags, replacing the value of a key the role has already (in any case). */
    public void tagRole(String accountId, String roleName, List<Tag> tags) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        IamChecks.checkTags(tags);
        changeRole(accountId, roleName, role -> role.withTags(IamChecks.mergeTags(role.tags(), tags, "TagsPerRole")));
    }

    /** UntagRole: removes the tags with these keys, in any case; keys the role does not have are ignored. */
    public void untagRole(String accountId, String roleName, List<String> tagKeys) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        changeRole(accountId, roleName, role -> role.withTags(IamChecks.removeTags(role.tags(), tagKeys)));
    }

    /** ListRoleTags, sorted by key. */
    public Page<Tag> listRoleTags(String accountId, String roleName, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        return Page.of(getRole(accountId, roleName).tags(), tag -> tag.key().toLowerCase(Locale.ROOT), marker,
                maxItems);
    }

    // ---- permissions boundary

    /**
     * PutRolePermissionsBoundary: sets or replaces the managed policy that bounds what the role's policies can allow.
     *
     * @throws ApiException {@code InvalidInput} if the ARN is not a policy ARN, {@code NoSuchEntity} if no such policy
     *     exists in the account or among the AWS managed ones
     */
    public void putRolePermissionsBoundary(String accountId, String roleName, String permissionsBoundary) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            String boundary = IamChecks.resolvePermissionsBoundary(writer, accountId, permissionsBoundary);
            writer.updateRole(withPermissionsBoundary(role, Optional.of(boundary)));
            return null;
        });
    }

    /** DeleteRolePermissionsBoundary: a role without a boundary stays as it is. */
    public void deleteRolePermissionsBoundary(String accountId, String roleName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        changeRole(accountId, roleName, role -> withPermissionsBoundary(role, Optional.empty()));
    }

    private static Role withPermissionsBoundary(Role role, Optional<String> boundaryArn) {
        return new Role(role.accountId(), role.roleId(), role.roleName(), role.path(), role.trustPolicy(),
                role.description(), role.maxSessionDuration(), boundaryArn, role.tags(), role.createDate());
    }

    // ---- inline policies

    /**
     * PutRolePolicy: creates or replaces an inline policy.
     *
     * @throws ApiException {@code LimitExceeded} if the role's inline policies together would exceed 10240 characters
     *     without whitespace
     */
    public void putRolePolicy(String accountId, String roleName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        inlinePolicies.put(reader -> holder(reader.findRole(accountId, roleName)
                .orElseThrow(() -> IamChecks.noSuchRole(roleName))), policyName, policyDocument);
    }

    public InlinePolicy getRolePolicy(String accountId, String roleName, String policyName) {
        return inlinePolicies.get(holder(getRole(accountId, roleName)), policyName);
    }

    public void deleteRolePolicy(String accountId, String roleName, String policyName) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        inlinePolicies.delete(reader -> holder(reader.findRole(accountId, roleName)
                .orElseThrow(() -> IamChecks.noSuchRole(roleName))), policyName);
    }

    /** ListRolePolicies: the names of the role's inline policies, sorted. */
    public Page<String> listRolePolicies(String accountId, String roleName, Optional<String> marker,
            Optional<Integer> maxItems) {
        return inlinePolicies.list(holder(getRole(accountId, roleName)), marker, maxItems);
    }

    private static InlinePolicies.Holder holder(Role role) {
        return new InlinePolicies.Holder(PolicyOwner.of(role), role.roleName());
    }

    /** Reads a role, changes it and writes it back in one transaction; returns the role as written. */
    private Role changeRole(String accountId, String roleName, UnaryOperator<Role> change) {
        return store.write(writer -> {
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            Role changed = change.apply(role);
            writer.updateRole(changed);
            return changed;
        });
    }

    private static void checkTrustPolicy(String document) {
        Policy policy = IamChecks.parsePolicy(document, PolicyType.TRUST);
        if (policy.sizeWithoutWhitespace() > MAX_TRUST_POLICY_SIZE) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Cannot exceed quota for ACLSizePerRole: " + MAX_TRUST_POLICY_SIZE);
        }
    }

    private static ApiException roleExists(String roleName) {
        return IamChecks.alreadyExists("Role with name " + roleName + " already exists.");
    }

}
