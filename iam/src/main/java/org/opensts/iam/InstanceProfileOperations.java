package org.opensts.iam;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.token.AccessKeyIds;

/**
 * The IAM operations on instance profiles: the profiles, their tags and the one role each may hold (IAM API
 * Reference, CreateInstanceProfile, AddRoleToInstanceProfile and their kin). Errors are worded as in AWS's real
 * answers.
 *
 * <p>A profile holds its role by the role's id, so a role in a profile cannot be deleted
 * ({@link RoleOperations#deleteRole}) and is shown under its current name and path.
 */
public final class InstanceProfileOperations {
    private final IdentityStore store;
    private final IamQuotas quotas;
    private final Clock clock;
    private final SecureRandom random;

    InstanceProfileOperations(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.clock = clock;
        this.random = random;
        this.quotas = quotas;
    }

    /**
     * CreateInstanceProfile: a new, empty instance profile with an {@code AIPA…} id.
     *
     * @throws ApiException {@code EntityAlreadyExists} if the account has a profile of that name in any case,
     *     {@code LimitExceeded} beyond 1,000 profiles, {@code ValidationError} or {@code InvalidInput} for a bad name,
     *     path or tag, {@code NoSuchEntity} if the account does not exist
     */
    public InstanceProfile createInstanceProfile(String accountId, String instanceProfileName, Optional<String> path,
            List<Tag> tags) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        String profilePath = path.orElse("/");
        QueryBinder.check(IamShapes.PATH, profilePath, "path");
        IamChecks.checkTags(tags);
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findInstanceProfile(accountId, instanceProfileName).isPresent()) {
                throw instanceProfileExists(instanceProfileName);
            }
            IamChecks.checkAccountQuota(writer.countInstanceProfiles(accountId), quotas.instanceProfiles(),
                    "InstanceProfilesPerAccount");
            var profile = new InstanceProfile(accountId, AccessKeyIds.newUniqueId("AIPA", random),
                    instanceProfileName, profilePath, clock.instant(), List.of(), tags);
            writer.createInstanceProfile(profile);
            return profile;
        }), () -> instanceProfileExists(instanceProfileName));
    }

    /** GetInstanceProfile: the profile, found by name in any case, with its role and tags. */
    public InstanceProfile getInstanceProfile(String accountId, String instanceProfileName) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        return store.findInstanceProfile(accountId, instanceProfileName)
                .orElseThrow(() -> noSuchInstanceProfile(instanceProfileName));
    }

    /**
     * DeleteInstanceProfile: only a profile without a role may go, as IAM requires.
     *
     * @throws ApiException {@code NoSuchEntity}, or {@code DeleteConflict} while the profile holds a role
     */
    public void deleteInstanceProfile(String accountId, String instanceProfileName) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        store.write(writer -> {
            InstanceProfile profile = writer.findInstanceProfile(accountId, instanceProfileName)
                    .orElseThrow(() -> noSuchInstanceProfile(instanceProfileName));
            if (!profile.roles().isEmpty()) {
                throw mustRemoveRolesFirst();
            }
            writer.deleteInstanceProfile(profile.instanceProfileId());
            return null;
        });
    }

    /** ListInstanceProfiles: the account's profiles whose path starts with {@code pathPrefix}, sorted by name. */
    public Page<InstanceProfile> listInstanceProfiles(String accountId, Optional<String> pathPrefix,
            Optional<String> marker, Optional<Integer> maxItems) {
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH_PREFIX, prefix, "pathPrefix"));
        IamChecks.checkPaging(marker, maxItems);
        List<InstanceProfile> profiles = store.listInstanceProfiles(accountId).stream()
                .filter(profile -> profile.path().startsWith(pathPrefix.orElse("/")))
                .toList();
        return Page.of(profiles, InstanceProfileOperations::nameKey, marker, maxItems);
    }

    /** ListInstanceProfilesForRole: the profiles that hold the role, sorted by name. */
    public Page<InstanceProfile> listInstanceProfilesForRole(String accountId, String roleName,
            Optional<String> marker, Optional<Integer> maxItems) {
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        IamChecks.checkPaging(marker, maxItems);
        Role role = store.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
        return Page.of(store.listInstanceProfilesForRole(role.roleId()), InstanceProfileOperations::nameKey, marker,
                maxItems);
    }

    // ---- the role

    /**
     * AddRoleToInstanceProfile. The profile is found before the role, as AWS's recorded answers check them (and as
     * {@code JdbcSession} locks them).
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown profile or role, {@code LimitExceeded} if the profile
     *     holds a role already, this one or another
     */
    public void addRoleToInstanceProfile(String accountId, String instanceProfileName, String roleName) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        store.write(writer -> {
            InstanceProfile profile = writer.findInstanceProfile(accountId, instanceProfileName)
                    .orElseThrow(() -> noSuchInstanceProfile(instanceProfileName));
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            if (profile.roles().size() >= InstanceProfile.MAX_ROLES) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: " + InstanceProfile.MAX_ROLES);
            }
            writer.addRoleToInstanceProfile(profile.instanceProfileId(), role.roleId());
            return null;
        });
    }

    /**
     * RemoveRoleFromInstanceProfile.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown profile or role, or a role the profile does not hold
     */
    public void removeRoleFromInstanceProfile(String accountId, String instanceProfileName, String roleName) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        QueryBinder.check(IamShapes.ROLE_NAME, roleName, "roleName");
        store.write(writer -> {
            InstanceProfile profile = writer.findInstanceProfile(accountId, instanceProfileName)
                    .orElseThrow(() -> noSuchInstanceProfile(instanceProfileName));
            Role role = writer.findRole(accountId, roleName).orElseThrow(() -> IamChecks.noSuchRole(roleName));
            if (profile.roles().stream().noneMatch(held -> held.roleId().equals(role.roleId()))) {
                throw IamChecks.noSuchEntity("Role " + role.roleName() + " in Instance Profile "
                        + profile.instanceProfileName() + " cannot be found.");
            }
            writer.removeRoleFromInstanceProfile(profile.instanceProfileId(), role.roleId());
            return null;
        });
    }

    // ---- tags

    /** TagInstanceProfile: adds tags, replacing the value of a key the profile has already (in any case). */
    public void tagInstanceProfile(String accountId, String instanceProfileName, List<Tag> tags) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        IamChecks.checkTags(tags);
        changeTags(accountId, instanceProfileName,
                existing -> IamChecks.mergeTags(existing, tags, "TagsPerInstanceProfile"));
    }

    /** UntagInstanceProfile: removes the tags with these keys, in any case; keys the profile lacks are ignored. */
    public void untagInstanceProfile(String accountId, String instanceProfileName, List<String> tagKeys) {
        QueryBinder.check(IamShapes.INSTANCE_PROFILE_NAME, instanceProfileName, "instanceProfileName");
        changeTags(accountId, instanceProfileName, existing -> IamChecks.removeTags(existing, tagKeys));
    }

    /** ListInstanceProfileTags, sorted by key. */
    public Page<Tag> listInstanceProfileTags(String accountId, String instanceProfileName, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        return Page.of(getInstanceProfile(accountId, instanceProfileName).tags(),
                tag -> tag.key().toLowerCase(Locale.ROOT), marker, maxItems);
    }

    private void changeTags(String accountId, String instanceProfileName, UnaryOperator<List<Tag>> change) {
        store.write(writer -> {
            InstanceProfile profile = writer.findInstanceProfile(accountId, instanceProfileName)
                    .orElseThrow(() -> noSuchInstanceProfile(instanceProfileName));
            writer.updateInstanceProfile(profile.withTags(change.apply(profile.tags())));
            return null;
        });
    }

    // ---- errors

    /** DeleteInstanceProfile's and DeleteRole's conflict, in AWS's words. */
    static ApiException mustRemoveRolesFirst() {
        return new ApiException(ErrorCode.DELETE_CONFLICT,
                "Cannot delete entity, must remove roles from instance profile first.");
    }

    private static String nameKey(InstanceProfile profile) {
        return profile.instanceProfileName().toLowerCase(Locale.ROOT);
    }

    static ApiException noSuchInstanceProfile(String instanceProfileName) {
        return IamChecks.noSuchEntity("Instance Profile " + instanceProfileName + " cannot be found.");
    }

    private static ApiException instanceProfileExists(String instanceProfileName) {
        return IamChecks.alreadyExists("Instance Profile " + instanceProfileName + " already exists.");
    }
}
