package org.opensts.iam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.shape.QueryBinder;

/**
 * GetAccountAuthorizationDetails: a snapshot of the account's users, groups, roles and managed policies and how they
 * relate, one page at a time (IAM API Reference, "GetAccountAuthorizationDetails").
 *
 * <p>A page runs through the four lists of the answer in the order they appear in it — users, groups, roles, then
 * the customer managed policies and the AWS managed ones — each sorted by name, and stops after {@code MaxItems}
 * entities wherever that falls: a page may end in the middle of one list and the next one starts where it ended.
 * Its marker names the list and the name the next page starts at, so entities created or deleted between two calls
 * shift nothing, as for {@link Page}. As on AWS, the AWS managed policies are only those attached to a user, group or
 * role of the account, counted as the account sees them.
 *
 * <p>A page costs a fixed number of store reads whatever it holds: each list is read once, and what the page's
 * entities hold (inline and attached policies, groups, versions, when a role was last used, the instance profiles
 * that hold it, the principals its trust policy names) is read for all of them at once. Reads go to the store, not
 * the caches of the hot path, so a snapshot never shows a cached entry that a change has since dropped.
 */
public final class AuthorizationDetailsOperations {
    private final IdentityReader store;

    public AuthorizationDetailsOperations(IdentityReader store) {
        this.store = store;
    }

    /** The {@code Filter} values, in the order their entities appear in the answer. */
    private enum EntityType {
        USER("User"),
        GROUP("Group"),
        ROLE("Role"),
        LOCAL_MANAGED_POLICY("LocalManagedPolicy"),
        AWS_MANAGED_POLICY("AWSManagedPolicy");

        private final String wireName;

        EntityType(String wireName) {
            this.wireName = wireName;
        }

        static Optional<EntityType> fromWireName(String wireName) {
            return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
        }
    }

    /**
     * One page of the account's authorization details.
     *
     * @param filter the entity types to include ({@code User}, {@code Role}, {@code Group}, {@code LocalManagedPolicy},
     *     {@code AWSManagedPolicy}); none: all of them
     * @param marker the marker of the previous page, if any
     * @param maxItems at most this many users, groups, roles and policies together (default 100)
     * @throws ApiException {@code ValidationError} if a filter value is none of those, the marker is not one of ours
     *     or {@code maxItems} is out of range
     */
    public AccountAuthorizationDetails getAccountAuthorizationDetails(String accountId, List<String> filter,
            Optional<String> marker, Optional<Integer> maxItems) {
        IamChecks.checkPaging(marker, maxItems);
        Set<EntityType> wanted = EnumSet.noneOf(EntityType.class);
        for (String value : filter) {
            QueryBinder.check(IamShapes.ENTITY_TYPE, value, "filter");
            wanted.add(EntityType.fromWireName(value).orElseThrow());
        }
        if (wanted.isEmpty()) {
            wanted = EnumSet.allOf(EntityType.class);
        }
        int limit = maxItems.orElse(Page.DEFAULT_MAX_ITEMS);
        var window = new Window(wanted, Page.startKey(marker), limit);
        List<User> users = window.take(EntityType.USER,
                (from, room) -> store.listUsers(accountId, "/", Optional.of(from), room), User::userName);
        List<Group> groups = window.take(EntityType.GROUP,
                (from, room) -> fromSorted(store.listGroups(accountId), Group::groupName, from, room),
                Group::groupName);
        List<Role> roles = window.take(EntityType.ROLE,
                (from, room) -> store.listRoles(accountId, "/", Optional.of(from), room), Role::roleName);
        List<ManagedPolicy> localPolicies = window.take(EntityType.LOCAL_MANAGED_POLICY,
                (from, room) -> fromSorted(store.listManagedPolicies(accountId), ManagedPolicy::policyName, from,
                        room), ManagedPolicy::policyName);
        List<ManagedPolicy> awsPolicies = window.take(EntityType.AWS_MANAGED_POLICY,
                (from, room) -> fromSorted(store.listAwsManagedPoliciesAttachedIn(accountId),
                        ManagedPolicy::policyName, from, room), ManagedPolicy::policyName);
        Optional<String> next = window.nextMarker();
        return details(users, groups, roles, Stream.concat(localPolicies.stream(), awsPolicies.stream()).toList(),
                next);
    }

    /**
     * Which entities a page holds: reads the lists in order, each from where the marker says (the list it names from
     * the name it names, the lists after it from their start, those before it not at all), until it has one entity
     * more than the page: if there is one, it is where the next page starts. The lists {@link #take} returns are its
     * own, and {@link #nextMarker} takes that one entity back out of the last of them.
     */
    private static final class Window {
        private final Set<EntityType> wanted;
        private final EntityType startType;
        private final String startKey;
        private final int limit;
        private final List<String> keys = new ArrayList<>();
        private List<?> last = List.of();

        Window(Set<EntityType> wanted, Optional<String> startKey, int limit) {
            this.wanted = wanted;
            this.limit = limit;
            if (startKey.isEmpty()) {
                this.startType = EntityType.USER;
                this.startKey = "";
            } else {
                // Ours name a list, a space (no name holds one) and a lower-cased name.
                String key = startKey.get();
                int space = key.indexOf(' ');
                this.startType = (space < 0 ? Optional.<EntityType>empty()
                        : EntityType.fromWireName(key.substring(0, space)))
                        .orElseThrow(() -> ApiException.validationError("Invalid Marker."));
                this.startKey = key.substring(space + 1);
            }
        }

        /**
         * The page's entities of one list, read by {@code fetch} (given the name key to start at and how many to
         * read at most), sorted by the names {@code name} gives.
         */
        <T> List<T> take(EntityType type, BiFunction<String, Integer, List<T>> fetch, Function<T, String> name) {
            int room = limit + 1 - keys.size();
            if (!wanted.contains(type) || type.ordinal() < startType.ordinal() || room <= 0) {
                return List.of();
            }
            List<T> fetched = fetch.apply(type == startType ? startKey : "", room);
            var items = new ArrayList<>(fetched.subList(0, Math.min(room, fetched.size())));
            items.forEach(item -> keys.add(type.wireName + ' ' + nameKey(name.apply(item))));
            if (!items.isEmpty()) {
                last = items;
            }
            return items;
        }

        /**
         * The marker of the next page, if there is one; it then drops the entity read past the page, the last one
         * read, from its list.
         */
        Optional<String> nextMarker() {
            Optional<String> marker = Page.ofFetched(keys, key -> key, limit).marker();
            if (marker.isPresent()) {
                last.remove(last.size() - 1);
            }
            return marker;
        }
    }

    /** At most {@code room} of {@code items}, sorted by name, from the first whose name key is {@code from} on. */
    private static <T> List<T> fromSorted(List<T> items, Function<T, String> name, String from, int room) {
        return items.stream()
                .filter(item -> nameKey(name.apply(item)).compareTo(from) >= 0)
                .sorted(Comparator.comparing(item -> nameKey(name.apply(item))))
                .limit(room)
                .toList();
    }

    private static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The page's entities with what they hold, read for all of them at once. */
    private AccountAuthorizationDetails details(List<User> users, List<Group> groups, List<Role> roles,
            List<ManagedPolicy> policies, Optional<String> marker) {
        List<PolicyOwner> owners = Stream.of(users.stream().map(PolicyOwner::of),
                groups.stream().map(PolicyOwner::of), roles.stream().map(PolicyOwner::of))
                .flatMap(Function.identity())
                .toList();
        Map<PolicyOwner, List<InlinePolicy>> inline = owners.isEmpty() ? Map.of()
                : store.listInlinePoliciesOf(owners);
        Map<PolicyOwner, List<ManagedPolicy>> attached = owners.isEmpty() ? Map.of()
                : store.listAttachedPoliciesOf(owners);
        Map<String, List<Group>> groupsOfUsers = users.isEmpty() ? Map.of()
                : store.listGroupsForUsers(users.stream().map(User::userId).toList());
        List<String> roleIds = roles.stream().map(Role::roleId).toList();
        Map<String, RoleLastUsed> lastUsed = roles.isEmpty() ? Map.of() : store.findRoleLastUsedOf(roleIds);
        Map<String, List<InstanceProfile>> instanceProfiles = roles.isEmpty() ? Map.of()
                : store.listInstanceProfilesForRoles(roleIds);
        Map<String, String> currentArns = currentArns(roles);
        Map<String, List<PolicyVersion>> versions = policies.isEmpty() ? Map.of()
                : store.listPolicyVersionsOf(policies.stream().map(ManagedPolicy::policyId).toList());
        return new AccountAuthorizationDetails(
                users.stream().map(user -> new AccountAuthorizationDetails.UserDetail(user,
                        inline.getOrDefault(PolicyOwner.of(user), List.of()),
                        groupsOfUsers.getOrDefault(user.userId(), List.of()),
                        attached.getOrDefault(PolicyOwner.of(user), List.of()))).toList(),
                groups.stream().map(group -> new AccountAuthorizationDetails.GroupDetail(group,
                        inline.getOrDefault(PolicyOwner.of(group), List.of()),
                        attached.getOrDefault(PolicyOwner.of(group), List.of()))).toList(),
                roles.stream().map(role -> new AccountAuthorizationDetails.RoleDetail(role,
                        role.trustPolicy().render(id -> Optional.ofNullable(currentArns.get(id))),
                        instanceProfiles.getOrDefault(role.roleId(), List.of()),
                        inline.getOrDefault(PolicyOwner.of(role), List.of()),
                        attached.getOrDefault(PolicyOwner.of(role), List.of()),
                        Optional.ofNullable(lastUsed.get(role.roleId())))).toList(),
                policies.stream().map(policy -> new AccountAuthorizationDetails.ManagedPolicyDetail(policy,
                        versions.getOrDefault(policy.policyId(), List.of()))).toList(),
                marker);
    }

    /**
     * The current ARN of each user and role the roles' trust policies name, by unique id: a trust policy shows them
     * so while they exist (see {@link RoleOperations#trustPolicyDocument}).
     */
    private Map<String, String> currentArns(List<Role> roles) {
        List<String> ids = roles.stream().flatMap(role -> role.trustPolicy().bindings().values().stream())
                .distinct()
                .toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        var arns = new HashMap<String, String>();
        store.findUsersById(ids).forEach(user -> arns.put(user.userId(), user.arn()));
        store.findRolesById(ids).forEach(role -> arns.put(role.roleId(), role.arn()));
        return arns;
    }
}
