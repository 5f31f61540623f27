package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;

/**
 * The IAM operations on managed policies, their versions and tags, and their attachment to users, groups and roles.
 *
 * <p>A managed policy is named by its ARN: a customer managed policy of the caller's account
 * ({@code arn:aws:iam::ACCOUNT:policy/path/name}) or an AWS managed one ({@code arn:aws:iam::aws:policy/name}). AWS
 * managed policies may be read and attached by every account but changed or deleted by none. Their attachment and
 * boundary counts are reported for the caller's account only, as each account sees them on AWS.
 */
public final class ManagedPolicyOperations {
    /** IAM quotas (IAM User Guide, "IAM and AWS STS quotas"); policy size counted without whitespace, as IAM does. */
    static final int MAX_POLICY_SIZE = 6144;
    public static final int MAX_POLICY_VERSIONS = 5;
    static final int MAX_ATTACHED_POLICIES = 10;
    static final String POLICY_ID_PREFIX = "ANPA";

    private final IdentityStore store;
    private final IamQuotas quotas;
    private final Clock clock;
    private final SecureRandom random;

    ManagedPolicyOperations(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.quotas = quotas;
    }

    // ---- policies

    /**
     * CreatePolicy: a customer managed policy whose document becomes its default version {@code v1}.
     *
     * @throws ApiException {@code MalformedPolicyDocument} unless the document is a valid identity policy,
     *     {@code LimitExceeded} above 6144 characters without whitespace or if the account has 1,500 customer managed
     *     policies already (the AWS managed policies are no account's and do not count), {@code EntityAlreadyExists}
     *     if the account has a policy of that name in any case
     */
    public ManagedPolicy createPolicy(String accountId, CreatePolicyRequest request) {
        QueryBinder.check(IamShapes.POLICY_NAME, request.policyName(), "policyName");
        String path = request.path().orElse("/");
        QueryBinder.check(IamShapes.POLICY_PATH, path, "path");
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, request.policyDocument(), "policyDocument");
        request.description().ifPresent(text -> QueryBinder.check(IamShapes.POLICY_DESCRIPTION, text, "description"));
        IamChecks.checkTags(request.tags(), IamChecks.TagKeyCase.SIGNIFICANT);
        checkDocument(request.policyDocument());
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findManagedPolicy(accountId, request.policyName()).isPresent()) {
                throw policyExists(request.policyName());
            }
            IamChecks.checkAccountQuota(writer.countManagedPolicies(accountId), quotas.policies(),
                    "PoliciesPerAccount");
            Instant now = clock.instant();
            var policy = new ManagedPolicy(accountId, AccessKeyIds.newUniqueId(POLICY_ID_PREFIX, random),
                    request.policyName(), path, "v1", request.description(), now, now, request.tags(), 0, 0);
            writer.createManagedPolicy(policy, request.policyDocument());
            return policy;
        }), () -> policyExists(request.policyName()));
    }

    /** GetPolicy: a policy of the caller's account or an AWS managed one. */
    public ManagedPolicy getPolicy(String accountId, String policyArn) {
        return findPolicy(store, accountId, policyArn);
    }

    /**
     * DeletePolicy: a customer managed policy and all its versions. A policy still attached to an identity, or still
     * the permissions boundary of one, cannot go.
     */
    public void deletePolicy(String accountId, String policyArn) {
        store.write(writer -> {
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot delete policies outside your own account.");
            if (policy.attachmentCount() > 0) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT, "Cannot delete a policy attached to entities.");
            }
            if (policy.permissionsBoundaryUsageCount() > 0) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT,
                        "Cannot delete a policy used as a permissions boundary for entities.");
            }
            // As on AWS, only the default version goes with the policy; the others must be deleted first.
            if (writer.listPolicyVersions(policy.policyId()).size() > 1) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT, "This policy has more than one version. Before you "
                        + "delete a policy, you must delete the policy's versions. The default version is deleted "
                        + "with the policy.");
            }
            writer.deleteManagedPolicy(policy.policyId());
            return null;
        });
    }

    /**
     * ListPolicies: the account's own policies first, then the AWS managed ones, each by name. AWS lists a policy an
     * account just created on the first page of a plain ListPolicies (its recorded answers, Scope {@code All}, 1,500
     * and more AWS managed policies beside it), so a script that looks for its policy without paging finds it.
     *
     * @param scope {@code All} (the default), {@code AWS} (AWS managed only) or {@code Local} (the account's own)
     * @param onlyAttached only policies attached to at least one user, group or role
     * @param policyUsageFilter {@code PermissionsPolicy}: only policies attached to an identity;
     *     {@code PermissionsBoundary}: only policies that are the permissions boundary of one
     */
    public Page<ManagedPolicy> listPolicies(String accountId, Optional<String> scope, boolean onlyAttached,
            Optional<String> pathPrefix, Optional<String> policyUsageFilter, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        scope.ifPresent(value -> QueryBinder.check(IamShapes.POLICY_SCOPE, value, "scope"));
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.POLICY_PATH, prefix, "pathPrefix"));
        policyUsageFilter.ifPresent(value -> QueryBinder.check(IamShapes.POLICY_USAGE, value, "policyUsageFilter"));
        String scopeValue = scope.orElse("All");
        var candidates = new ArrayList<ManagedPolicy>();
        if (!scopeValue.equals("Local")) {
            for (ManagedPolicy policy : store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)) {
                candidates.add(countedIn(store, accountId, policy));
            }
        }
        if (!scopeValue.equals("AWS")) {
            candidates.addAll(store.listManagedPolicies(accountId));
        }
        List<ManagedPolicy> policies = candidates.stream()
                .filter(policy -> policy.path().startsWith(pathPrefix.orElse("/")))
                .filter(policy -> !onlyAttached || policy.attachmentCount() > 0)
                .filter(policy -> policyUsageFilter.map(usage -> usage.equals("PermissionsPolicy")
                        ? policy.attachmentCount() > 0 : policy.permissionsBoundaryUsageCount() > 0).orElse(true))
                .toList();
        return Page.of(policies, ManagedPolicyOperations::listingKey, marker, maxItems);
    }

    /**
     * The account's own policies ({@code 0}) before AWS's ({@code 1}), each by name and then owner. The marker encodes
     * this key, so pages stay complete and without repeats while policies come and go between calls.
     */
    private static String listingKey(ManagedPolicy policy) {
        String owner = policy.accountId().equals(ManagedPolicy.AWS_MANAGED_ACCOUNT) ? "1 " : "0 ";
        return owner + sortKey(policy);
    }

    /** Policies of the same name in two owners (an AWS managed and a customer managed one) sort side by side. */
    private static String sortKey(ManagedPolicy policy) {
        return policy.policyName().toLowerCase(Locale.ROOT) + ' ' + policy.accountId();
    }

    // ---- versions

    /**
     * CreatePolicyVersion: adds a version, the default one if {@code setAsDefault}.
     *
     * @throws ApiException {@code LimitExceeded} if the policy already has five versions
     */
    public PolicyVersion createPolicyVersion(String accountId, String policyArn, String policyDocument,
            boolean setAsDefault) {
        QueryBinder.check(IamShapes.POLICY_DOCUMENT, policyDocument, "policyDocument");
        checkDocument(policyDocument);
        return store.write(writer -> {
            // Found, the policy stays locked until this commits: versions created at once take turns, so each sees
            // the others in its count and gets an id of its own.
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot create versions for policies outside your own account.");
            if (writer.listPolicyVersions(policy.policyId()).size() >= MAX_POLICY_VERSIONS) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "A managed policy can have up to "
                        + MAX_POLICY_VERSIONS + " versions. Before you create a new version, you must delete an "
                        + "existing version.");
            }
            Instant now = clock.instant();
            String versionId = writer.createPolicyVersion(policy.policyId(), policyDocument, now);
            // UpdateDate tells when the newest version was created, whether or not it is the default.
            writer.updateManagedPolicy(policy.withDefaultVersion(setAsDefault ? versionId : policy.defaultVersionId(),
                    now));
            return new PolicyVersion(policy.policyId(), versionId, policyDocument, setAsDefault, now);
        });
    }

    public PolicyVersion getPolicyVersion(String accountId, String policyArn, String versionId) {
        QueryBinder.check(IamShapes.POLICY_VERSION_ID, versionId, "versionId");
        ManagedPolicy policy = findPolicy(store, accountId, policyArn, () -> noSuchVersion(policyArn, versionId));
        return store.findPolicyVersion(policy.policyId(), versionId)
                .orElseThrow(() -> noSuchVersion(policyArn, versionId));
    }

    /** DeletePolicyVersion: any version but the default one. */
    public void deletePolicyVersion(String accountId, String policyArn, String versionId) {
        QueryBinder.check(IamShapes.POLICY_VERSION_ID, versionId, "versionId");
        store.write(writer -> {
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot delete policy versions for policies outside your own account.",
                    () -> noSuchVersion(policyArn, versionId));
            PolicyVersion version = writer.findPolicyVersion(policy.policyId(), versionId)
                    .orElseThrow(() -> noSuchVersion(policyArn, versionId));
            if (version.isDefaultVersion()) {
                throw new ApiException(ErrorCode.DELETE_CONFLICT, "Cannot delete the default version of a policy.");
            }
            writer.deletePolicyVersion(policy.policyId(), versionId);
            return null;
        });
    }

    /** ListPolicyVersions, newest first. */
    public Page<PolicyVersion> listPolicyVersions(String accountId, String policyArn, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        ManagedPolicy policy = findPolicy(store, accountId, policyArn);
        return Page.of(store.listPolicyVersions(policy.policyId()), ManagedPolicyOperations::newestFirst, marker,
                maxItems);
    }

    /** Version numbers never repeat: {@code v12} sorts before {@code v3}, and neither depends on the clock. */
    private static String newestFirst(PolicyVersion version) {
        String digits = version.versionId().substring(1).split("\\.", 2)[0];
        long number = digits.length() > 18 ? 0 : Long.parseLong(digits);
        return String.format(Locale.ROOT, "%019d", Long.MAX_VALUE - number) + version.versionId();
    }

    public void setDefaultPolicyVersion(String accountId, String policyArn, String versionId) {
        QueryBinder.check(IamShapes.POLICY_VERSION_ID, versionId, "versionId");
        store.write(writer -> {
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot update policies outside your own account.", () -> noSuchVersion(policyArn, versionId));
            if (writer.findPolicyVersion(policy.policyId(), versionId).isEmpty()) {
                throw noSuchVersion(policyArn, versionId);
            }
            // UpdateDate tells when the newest version was created, not when the default changed.
            writer.updateManagedPolicy(policy.withDefaultVersion(versionId, policy.updateDate()));
            return null;
        });
    }

    // ---- tags: a policy's tag keys are case-sensitive, unlike those of users and roles

    /** TagPolicy: adds tags, replacing those with the same key (in the same case). */
    public void tagPolicy(String accountId, String policyArn, List<Tag> tags) {
        store.write(writer -> {
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot modify policies outside your own account.");
            writer.updateManagedPolicy(policy.withTags(IamChecks.mergeTags(policy.tags(), tags,
                    IamChecks.TagKeyCase.SIGNIFICANT, IamChecks.tooManyTags("TagsPerPolicy"))));
            return null;
        });
    }

    /** UntagPolicy: removes the tags with these keys (in the same case); unknown keys are ignored. */
    public void untagPolicy(String accountId, String policyArn, List<String> tagKeys) {
        store.write(writer -> {
            ManagedPolicy policy = findChangeablePolicy(writer, accountId, policyArn,
                    "Cannot modify policies outside your own account.");
            writer.updateManagedPolicy(policy.withTags(IamChecks.removeTags(policy.tags(), tagKeys,
                    IamChecks.TagKeyCase.SIGNIFICANT)));
            return null;
        });
    }

    /**
     * ListPolicyTags, in the order AWS's real responses list them: shorter keys first, then by key, case counting
     * ({@code a, b, z, abc}; {@code A, a}).
     */
    public Page<Tag> listPolicyTags(String accountId, String policyArn, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        return Page.of(findPolicy(store, accountId, policyArn).tags(),
                tag -> String.format(Locale.ROOT, "%03d", tag.key().length()) + tag.key(), marker, maxItems);
    }

    // ---- who uses a policy

    /**
     * ListEntitiesForPolicy: the account's users, groups and roles the policy is attached to (usage
     * {@code PermissionsPolicy}) or is the permissions boundary of (usage {@code PermissionsBoundary}); both when no
     * usage is given. Sorted users, then groups, then roles, each by name.
     *
     * @param entityFilter {@code User}, {@code Group} or {@code Role}; the policy filters ({@code LocalManagedPolicy},
     *     {@code AWSManagedPolicy}) match no identity
     * @param pathPrefix only entities whose path starts with it
     */
    public Page<PolicyEntity> listEntitiesForPolicy(String accountId, String policyArn, Optional<String> entityFilter,
            Optional<String> pathPrefix, Optional<String> policyUsageFilter, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        entityFilter.ifPresent(value -> QueryBinder.check(IamShapes.ENTITY_TYPE, value, "entityFilter"));
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH, prefix, "pathPrefix"));
        policyUsageFilter.ifPresent(value -> QueryBinder.check(IamShapes.POLICY_USAGE, value, "policyUsageFilter"));
        ManagedPolicy policy = findPolicy(store, accountId, policyArn, () -> IamChecks.noSuchEntity("Policy "
                + policyArn + " does not exist or is not attachable."));
        Map<PolicyOwner, PolicyEntity> entities = new LinkedHashMap<>();
        if (!policyUsageFilter.orElse("").equals("PermissionsBoundary")) {
            for (PolicyOwner owner : store.listPolicyAttachments(policy.policyId())) {
                entityOf(store, accountId, owner).ifPresent(entity -> entities.put(owner, entity));
            }
        }
        if (!policyUsageFilter.orElse("").equals("PermissionsPolicy")) {
            for (User user : usersWithBoundary(store, accountId, policy)) {
                entities.put(PolicyOwner.of(user), new PolicyEntity(PolicyOwner.Kind.USER, user.userName(),
                        user.userId(), user.path()));
            }
            for (Role role : rolesWithBoundary(store, accountId, policy)) {
                entities.put(PolicyOwner.of(role), new PolicyEntity(PolicyOwner.Kind.ROLE, role.roleName(),
                        role.roleId(), role.path()));
            }
        }
        List<PolicyEntity> matching = entities.values().stream()
                .filter(entity -> entityFilter.map(filter -> entity.kind().name().equalsIgnoreCase(filter))
                        .orElse(true))
                .filter(entity -> entity.path().startsWith(pathPrefix.orElse("/")))
                .toList();
        return Page.of(matching, entity -> entity.kind().ordinal() + " " + entity.name().toLowerCase(Locale.ROOT),
                marker, maxItems);
    }

    private static Optional<PolicyEntity> entityOf(IdentityReader reader, String accountId, PolicyOwner owner) {
        return switch (owner.kind()) {
            case USER -> reader.findUserById(owner.ownerId())
                    .filter(user -> user.accountId().equals(accountId))
                    .map(user -> new PolicyEntity(owner.kind(), user.userName(), user.userId(), user.path()));
            case GROUP -> reader.findGroupById(owner.ownerId())
                    .filter(group -> group.accountId().equals(accountId))
                    .map(group -> new PolicyEntity(owner.kind(), group.groupName(), group.groupId(), group.path()));
            case ROLE -> reader.findRoleById(owner.ownerId())
                    .filter(role -> role.accountId().equals(accountId))
                    .map(role -> new PolicyEntity(owner.kind(), role.roleName(), role.roleId(), role.path()));
        };
    }

    private static List<User> usersWithBoundary(IdentityReader reader, String accountId, ManagedPolicy policy) {
        return reader.listUsers(accountId).stream()
                .filter(user -> user.permissionsBoundaryArn().filter(policy.arn()::equalsIgnoreCase).isPresent())
                .toList();
    }

    private static List<Role> rolesWithBoundary(IdentityReader reader, String accountId, ManagedPolicy policy) {
        return reader.listRoles(accountId).stream()
                .filter(role -> role.permissionsBoundaryArn().filter(policy.arn()::equalsIgnoreCase).isPresent())
                .toList();
    }

    // ---- attachments

    public void attachUserPolicy(String accountId, String userName, String policyArn) {
        attach(accountId, PolicyOwner.Kind.USER, userName, policyArn);
    }

    public void attachGroupPolicy(String accountId, String groupName, String policyArn) {
        attach(accountId, PolicyOwner.Kind.GROUP, groupName, policyArn);
    }

    public void attachRolePolicy(String accountId, String roleName, String policyArn) {
        attach(accountId, PolicyOwner.Kind.ROLE, roleName, policyArn);
    }

    public void detachUserPolicy(String accountId, String userName, String policyArn) {
        detach(accountId, PolicyOwner.Kind.USER, userName, policyArn);
    }

    public void detachGroupPolicy(String accountId, String groupName, String policyArn) {
        detach(accountId, PolicyOwner.Kind.GROUP, groupName, policyArn);
    }

    public void detachRolePolicy(String accountId, String roleName, String policyArn) {
        detach(accountId, PolicyOwner.Kind.ROLE, roleName, policyArn);
    }

    /** ListAttachedUserPolicies, sorted by policy name. */
    public Page<ManagedPolicy> listAttachedUserPolicies(String accountId, String userName,
            Optional<String> pathPrefix, Optional<String> marker, Optional<Integer> maxItems) {
        return listAttached(accountId, PolicyOwner.Kind.USER, userName, pathPrefix, marker, maxItems);
    }

    /** ListAttachedGroupPolicies, sorted by policy name. */
    public Page<ManagedPolicy> listAttachedGroupPolicies(String accountId, String groupName,
            Optional<String> pathPrefix, Optional<String> marker, Optional<Integer> maxItems) {
        return listAttached(accountId, PolicyOwner.Kind.GROUP, groupName, pathPrefix, marker, maxItems);
    }

    /** ListAttachedRolePolicies, sorted by policy name. */
    public Page<ManagedPolicy> listAttachedRolePolicies(String accountId, String roleName,
            Optional<String> pathPrefix, Optional<String> marker, Optional<Integer> maxItems) {
        return listAttached(accountId, PolicyOwner.Kind.ROLE, roleName, pathPrefix, marker, maxItems);
    }

    /**
     * Attaches a policy of the account, or an AWS managed one, to an identity: at most ten per identity; attaching a
     * policy already attached changes nothing. AWS managed policies under {@code /aws-service-role/} are for the
     * service-linked roles AWS creates, and no identity of an account may have them ({@code PolicyNotAttachable}).
     */
    private void attach(String accountId, PolicyOwner.Kind kind, String ownerName, String policyArn) {
        checkOwnerName(kind, ownerName);
        checkPolicyArn(policyArn);
        store.write(writer -> {
            PolicyOwner owner = findOwner(writer, accountId, kind, ownerName);
            ManagedPolicy policy = findPolicyIn(writer, accountId, policyArn)
                    .orElseThrow(() -> IamChecks.noSuchEntity("Policy " + policyArn
                            + " does not exist or is not attachable."));
            if (policy.isAwsServiceRolePolicy()) {
                throw new ApiException(ErrorCode.POLICY_NOT_ATTACHABLE, "Cannot attach AWS reserved policy to an IAM "
                        + kind.name().toLowerCase(Locale.ROOT) + ".");
            }
            List<ManagedPolicy> attached = writer.listAttachedPolicies(owner);
            if (attached.stream().anyMatch(existing -> existing.policyId().equals(policy.policyId()))) {
                return null;
            }
            if (attached.size() >= MAX_ATTACHED_POLICIES) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED, "Cannot exceed quota for " + quotaName(kind)
                        + ": " + MAX_ATTACHED_POLICIES);
            }
            writer.attachPolicy(owner, policy.policyId());
            return null;
        });
    }

    private void detach(String accountId, PolicyOwner.Kind kind, String ownerName, String policyArn) {
        checkOwnerName(kind, ownerName);
        checkPolicyArn(policyArn);
        store.write(writer -> {
            PolicyOwner owner = findOwner(writer, accountId, kind, ownerName);
            ManagedPolicy policy = findPolicyIn(writer, accountId, policyArn)
                    .filter(candidate -> writer.listAttachedPolicies(owner).stream()
                            .anyMatch(attached -> attached.policyId().equals(candidate.policyId())))
                    .orElseThrow(() -> IamChecks.noSuchEntity("Policy " + policyArn + " was not found."));
            writer.detachPolicy(owner, policy.policyId());
            return null;
        });
    }

    private Page<ManagedPolicy> listAttached(String accountId, PolicyOwner.Kind kind, String ownerName,
            Optional<String> pathPrefix, Optional<String> marker, Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        checkOwnerName(kind, ownerName);
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.POLICY_PATH, prefix, "pathPrefix"));
        PolicyOwner owner = findOwner(store, accountId, kind, ownerName);
        List<ManagedPolicy> attached = store.listAttachedPolicies(owner).stream()
                .filter(policy -> policy.path().startsWith(pathPrefix.orElse("/")))
                .toList();
        return Page.of(attached, ManagedPolicyOperations::sortKey, marker, maxItems);
    }

    private static void checkOwnerName(PolicyOwner.Kind kind, String name) {
        switch (kind) {
            case USER -> QueryBinder.check(IamShapes.USER_NAME, name, "userName");
            case GROUP -> QueryBinder.check(IamShapes.GROUP_NAME, name, "groupName");
            case ROLE -> QueryBinder.check(IamShapes.ROLE_NAME, name, "roleName");
        }
    }

    /** The identity a policy is attached to; groups are read from the store directly, like users and roles. */
    private static PolicyOwner findOwner(IdentityReader reader, String accountId, PolicyOwner.Kind kind,
            String name) {
        return switch (kind) {
            case USER -> PolicyOwner.of(reader.findUser(accountId, name)
                    .orElseThrow(() -> IamChecks.noSuchUser(name)));
            case GROUP -> new PolicyOwner(kind, reader.findGroup(accountId, name)
                    .orElseThrow(() -> IamChecks.noSuchEntity("The group with name " + name + " cannot be found."))
                    .groupId());
            case ROLE -> PolicyOwner.of(reader.findRole(accountId, name)
                    .orElseThrow(() -> IamChecks.noSuchRole(name)));
        };
    }

    private static String quotaName(PolicyOwner.Kind kind) {
        return switch (kind) {
            case USER -> "PoliciesPerUser";
            case GROUP -> "PoliciesPerGroup";
            case ROLE -> "PoliciesPerRole";
        };
    }

    // ---- finding policies by ARN

    private static ManagedPolicy findPolicy(IdentityReader reader, String accountId, String policyArn) {
        return findPolicy(reader, accountId, policyArn, () -> noSuchPolicy(policyArn));
    }

    /**
     * The policy an ARN names, or {@code unknown}: AWS's real responses word an unknown policy by the action —
     * "was not found" for most, "does not exist or is not attachable" for its versions and its entities.
     */
    private static ManagedPolicy findPolicy(IdentityReader reader, String accountId, String policyArn,
            Supplier<ApiException> unknown) {
        checkPolicyArn(policyArn);
        return findPolicyIn(reader, accountId, policyArn)
                .map(policy -> countedIn(reader, accountId, policy))
                .orElseThrow(unknown);
    }

    /** A customer managed policy of the account: AWS managed policies are read-only. */
    private static ManagedPolicy findChangeablePolicy(IdentityReader reader, String accountId, String policyArn,
            String refusal) {
        return findChangeablePolicy(reader, accountId, policyArn, refusal, () -> noSuchPolicy(policyArn));
    }

    private static ManagedPolicy findChangeablePolicy(IdentityReader reader, String accountId, String policyArn,
            String refusal, Supplier<ApiException> unknown) {
        ManagedPolicy policy = findPolicy(reader, accountId, policyArn, unknown);
        if (policy.isAwsManaged()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, refusal);
        }
        return policy;
    }

    /**
     * The policy an ARN names, if it belongs to the account or to AWS. Names match in any case, as IAM's names do; the
     * path must match too.
     */
    private static Optional<ManagedPolicy> findPolicyIn(IdentityReader reader, String accountId, String policyArn) {
        Arn arn = Arn.tryParse(policyArn).orElseThrow();
        if (!arn.accountId().equals(accountId) && !arn.accountId().equals(ManagedPolicy.AWS_MANAGED_ACCOUNT)) {
            return Optional.empty();
        }
        return reader.findManagedPolicy(arn.accountId(), arn.resourceName())
                .filter(policy -> policy.arn().equalsIgnoreCase(policyArn));
    }

    /**
     * A policy ARN: {@code arn:aws:iam::ACCOUNT:policy/…}. As in AWS's real responses, text that is no ARN at all is a
     * {@code ValidationError} and an ARN that names no policy is {@code InvalidInput}, both worded "ARN … is not
     * valid." (AWS's answers recorded since 2026 word the first so; older ones said "Invalid ARN:  Could not be
     * parsed!"); actions check this before they are authorized.
     *
     * @throws ApiException {@code ValidationError} or {@code InvalidInput} as above
     */
    public static void checkPolicyArn(String policyArn) {
        QueryBinder.check(IamShapes.ARN, policyArn, "policyArn");
        Optional<Arn> parsed = Arn.tryParse(policyArn);
        if (parsed.isEmpty()) {
            throw ApiException.validationError(notValid(policyArn));
        }
        Arn arn = parsed.get();
        boolean valid = arn.partition().equals("aws") && arn.service().equals("iam") && arn.region().isEmpty()
                && arn.resourceType().equals("policy") && arn.resource().length() > "policy/".length();
        if (!valid) {
            throw new ApiException(ErrorCode.INVALID_INPUT, notValid(policyArn));
        }
    }

    private static String notValid(String policyArn) {
        return "ARN " + policyArn + " is not valid.";
    }

    /**
     * An AWS managed policy as the account sees it: the store counts its attachments and boundary uses in every
     * account, AWS reports those of the caller's account only.
     */
    private static ManagedPolicy countedIn(IdentityReader reader, String accountId, ManagedPolicy policy) {
        if (!policy.isAwsManaged() || policy.attachmentCount() + policy.permissionsBoundaryUsageCount() == 0) {
            return policy;
        }
        int attachments = (int) reader.listPolicyAttachments(policy.policyId()).stream()
                .filter(owner -> entityOf(reader, accountId, owner).isPresent())
                .count();
        int boundaries = usersWithBoundary(reader, accountId, policy).size()
                + rolesWithBoundary(reader, accountId, policy).size();
        return new ManagedPolicy(policy.accountId(), policy.policyId(), policy.policyName(), policy.path(),
                policy.defaultVersionId(), policy.description(), policy.createDate(), policy.updateDate(),
                policy.tags(), attachments, boundaries);
    }

    private static void checkDocument(String document) {
        Policy policy;
        try {
            policy = Policy.parseManaged(document);
        } catch (MalformedPolicyException e) {
            throw new ApiException(ErrorCode.MALFORMED_POLICY_DOCUMENT, e.getMessage());
        }
        if (policy.sizeWithoutWhitespace() > MAX_POLICY_SIZE) {
            throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                    "Cannot exceed quota for PolicySize: " + MAX_POLICY_SIZE);
        }
    }

    private static ApiException policyExists(String policyName) {
        return IamChecks.alreadyExists("A policy called " + policyName + " already exists. Duplicate names are not "
                + "allowed.");
    }

    private static ApiException noSuchPolicy(String policyArn) {
        return IamChecks.noSuchEntity("Policy " + policyArn + " was not found.");
    }

    private static ApiException noSuchVersion(String policyArn, String versionId) {
        return IamChecks.noSuchEntity("Policy " + policyArn + " version " + versionId
                + " does not exist or is not attachable.");
    }
}
