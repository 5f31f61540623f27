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

/**
 * The IAM operations on groups, their members and their inline policies.
 *
 * <p>A group's policies apply to its members, and authorization finds a user's groups by the user's id
 * ({@link IdentityReader#listGroupsForUser}); membership is stored by the ids of both sides, so renaming a user or a
 * group, or moving either to another path, leaves every membership in place.
 */
public final class GroupOperations {
    /** IAM's default quotas (IAM User Guide, "IAM and AWS STS quotas"), inline policy size without whitespace. */
    static final int MAX_GROUPS_PER_USER = 10;
    static final int MAX_GROUP_INLINE_POLICY_SIZE = 5120;

    private final IdentityStore store;
    private final IamQuotas quotas;
    private final InlinePolicies inlinePolicies;
    private final Clock clock;
    private final SecureRandom random;

    GroupOperations(IdentityStore store, Clock clock, SecureRandom random, IamQuotas quotas) {
        this.store = store;
        this.inlinePolicies = new InlinePolicies(store, "group", MAX_GROUP_INLINE_POLICY_SIZE);
        this.clock = clock;
        this.random = random;
        this.quotas = quotas;
    }

    /**
     * CreateGroup: a new group with an {@code AGPA…} id.
     *
     * @throws ApiException {@code EntityAlreadyExists} if the name is taken in any case, {@code LimitExceeded} beyond
     *     300 groups, {@code NoSuchEntity} if the account does not exist, {@code ValidationError} for a bad name or
     *     path
     */
    public Group createGroup(String accountId, String groupName, Optional<String> path) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        String groupPath = path.orElse("/");
        QueryBinder.check(IamShapes.PATH, groupPath, "path");
        return IamChecks.createEntity(() -> store.write(writer -> {
            IamChecks.requireAccount(writer, accountId);
            if (writer.findGroup(accountId, groupName).isPresent()) {
                throw groupExists(groupName);
            }
            IamChecks.checkAccountQuota(writer.countGroups(accountId), quotas.groups(), "GroupsPerAccount");
            var group = new Group(accountId, AccessKeyIds.newUniqueId("AGPA", random), groupName, groupPath,
                    clock.instant());
            writer.createGroup(group);
            return group;
        }), () -> groupExists(groupName));
    }

    /** GetGroup's group, found by name in any case. */
    public Group getGroup(String accountId, String groupName) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        return store.findGroup(accountId, groupName).orElseThrow(() -> noSuchGroup(groupName));
    }

    /** GetGroup's users: the group's members, sorted by name, one page at a time. */
    public Page<User> listUsersInGroup(String accountId, String groupName, Optional<String> marker,
            Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        Group group = getGroup(accountId, groupName);
        return Page.of(store.listUsersInGroup(group.groupId()), user -> nameKey(user.userName()), marker, maxItems);
    }

    /**
     * UpdateGroup: renames the group and/or moves it to another path; absent values are kept. A change of case only
     * is a rename too.
     *
     * @throws ApiException {@code NoSuchEntity}, or {@code EntityAlreadyExists} if another group has the new name
     */
    public void updateGroup(String accountId, String groupName, Optional<String> newGroupName,
            Optional<String> newPath) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        newGroupName.ifPresent(name -> QueryBinder.check(IamShapes.GROUP_NAME, name, "newGroupName"));
        newPath.ifPresent(path -> QueryBinder.check(IamShapes.PATH, path, "newPath"));
        String wanted = newGroupName.orElse(groupName);
        IamChecks.createEntity(() -> store.write(writer -> {
            Group group = writer.findGroup(accountId, groupName).orElseThrow(() -> noSuchGroup(groupName));
            Optional<Group> holder = writer.findGroup(accountId, wanted);
            if (holder.isPresent() && !holder.get().groupId().equals(group.groupId())) {
                throw groupExists(wanted);
            }
            writer.updateGroup(group.renamed(newGroupName.orElse(group.groupName()), newPath.orElse(group.path())));
            return null;
        }), () -> groupExists(wanted));
    }

    /**
     * DeleteGroup: only an empty group without policies may go, as IAM requires; each leftover is a
     * {@code DeleteConflict} that names what to remove first.
     */
    public void deleteGroup(String accountId, String groupName) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        store.write(writer -> {
            Group group = writer.findGroup(accountId, groupName).orElseThrow(() -> noSuchGroup(groupName));
            PolicyOwner owner = PolicyOwner.of(group);
            if (!writer.listUsersInGroup(group.groupId()).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must remove users from group first.");
            }
            if (!writer.listInlinePolicies(owner).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must delete policies first.");
            }
            if (!writer.listAttachedPolicies(owner).isEmpty()) {
                throw deleteConflict("Cannot delete entity, must detach all policies first.");
            }
            writer.deleteGroup(group.groupId());
            return null;
        });
    }

    /** ListGroups: the account's groups whose path starts with {@code pathPrefix}, sorted by name. */
    public Page<Group> listGroups(String accountId, Optional<String> pathPrefix, Optional<String> marker,
            Optional<Integer> maxItems) {
        pathPrefix.ifPresent(prefix -> QueryBinder.check(IamShapes.PATH_PREFIX, prefix, "pathPrefix"));
        IamChecks.checkPaging(marker, maxItems);
        List<Group> groups = store.listGroups(accountId).stream()
                .filter(group -> group.path().startsWith(pathPrefix.orElse("/")))
                .toList();
        return Page.of(groups, group -> nameKey(group.groupName()), marker, maxItems);
    }

    // ---- membership

    /**
     * AddUserToGroup. Adding a member again changes nothing, as on IAM.
     *
     * @throws ApiException {@code NoSuchEntity} for an unknown group or user, {@code LimitExceeded} if the user is
     *     in 10 groups already
     */
    public void addUserToGroup(String accountId, String groupName, String userName) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            Group group = writer.findGroup(accountId, groupName).orElseThrow(() -> noSuchGroup(groupName));
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            List<Group> groups = writer.listGroupsForUser(user.userId());
            if (groups.stream().anyMatch(member -> member.groupId().equals(group.groupId()))) {
                return null;
            }
            if (groups.size() >= MAX_GROUPS_PER_USER) {
                throw new ApiException(ErrorCode.LIMIT_EXCEEDED,
                        "Cannot exceed quota for GroupsPerUser: " + MAX_GROUPS_PER_USER);
            }
            writer.addUserToGroup(group.groupId(), user.userId());
            return null;
        });
    }

    /**
     * RemoveUserFromGroup. Removing a user who is not a member changes nothing, as on IAM; naming neither user nor
     * group is an unknown user, as in AWS's real responses. The group is found first all the same, as AddUserToGroup
     * finds it, so that the two lock group and user in one order (see {@code JdbcSession}) and never deadlock.
     */
    public void removeUserFromGroup(String accountId, String groupName, String userName) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        store.write(writer -> {
            Optional<Group> found = writer.findGroup(accountId, groupName);
            User user = writer.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
            Group group = found.orElseThrow(() -> noSuchGroup(groupName));
            writer.removeUserFromGroup(group.groupId(), user.userId());
            return null;
        });
    }

    /** ListGroupsForUser: the groups a user is a member of, sorted by name. */
    public Page<Group> listGroupsForUser(String accountId, String userName, Optional<String> marker,
            Optional<Integer> maxItems) {
        QueryBinder.check(IamShapes.EXISTING_USER_NAME, userName, "userName");
        IamChecks.checkPaging(marker, maxItems);
        User user = store.findUser(accountId, userName).orElseThrow(() -> IamChecks.noSuchUser(userName));
        return Page.of(store.listGroupsForUser(user.userId()), group -> nameKey(group.groupName()), marker,
                maxItems);
    }

    // ---- inline policies

    /**
     * PutGroupPolicy: creates or replaces an inline policy; a group's inline policies share one quota of 5120
     * characters, whitespace not counted.
     *
     * @throws ApiException {@code MalformedPolicyDocument}, {@code LimitExceeded} or {@code NoSuchEntity}
     */
    public void putGroupPolicy(String accountId, String groupName, String policyName, String policyDocument) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        inlinePolicies.put(reader -> holder(reader.findGroup(accountId, groupName)
                .orElseThrow(() -> noSuchGroup(groupName))), policyName, policyDocument);
    }

    /** GetGroupPolicy: the group (for its name as stored) and the policy. */
    public GroupPolicy getGroupPolicy(String accountId, String groupName, String policyName) {
        Group group = getGroup(accountId, groupName);
        return new GroupPolicy(group, inlinePolicies.get(holder(group), policyName));
    }

    /** A group's inline policy, as GetGroupPolicy answers it. */
    public record GroupPolicy(Group group, InlinePolicy policy) {
        public GroupPolicy {
            requireNonNull(group, "group");
            requireNonNull(policy, "policy");
        }
    }

    public void deleteGroupPolicy(String accountId, String groupName, String policyName) {
        QueryBinder.check(IamShapes.GROUP_NAME, groupName, "groupName");
        inlinePolicies.delete(reader -> holder(reader.findGroup(accountId, groupName)
                .orElseThrow(() -> noSuchGroup(groupName))), policyName);
    }

    /** ListGroupPolicies: the names of a group's inline policies, sorted. */
    public Page<String> listGroupPolicies(String accountId, String groupName, Optional<String> marker,
            Optional<Integer> maxItems) {
        return inlinePolicies.list(holder(getGroup(accountId, groupName)), marker, maxItems);
    }

    private static InlinePolicies.Holder holder(Group group) {
        return new InlinePolicies.Holder(PolicyOwner.of(group), group.groupName());
    }

    // ---- errors

    private static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static ApiException noSuchGroup(String groupName) {
        return IamChecks.noSuchEntity("The group with name " + groupName + " cannot be found.");
    }

    private static ApiException groupExists(String groupName) {
        return IamChecks.alreadyExists("Group with name " + groupName + " already exists.");
    }

    private static ApiException deleteConflict(String message) {
        return new ApiException(ErrorCode.DELETE_CONFLICT, message);
    }
}
