package org.opensts.iam.jdbc;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.Account;
import org.opensts.iam.GlobalEndpointTokenVersion;
import org.opensts.iam.Group;
import org.opensts.iam.IdentityWriter;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.InstanceProfile;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.MfaDevice;
import org.opensts.iam.OpenIdConnectProvider;
import org.opensts.iam.OutboundFederation;
import org.opensts.iam.PasswordPolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.PolicyVersion;
import org.opensts.iam.Role;
import org.opensts.iam.RoleLastUsed;
import org.opensts.iam.SamlProvider;
import org.opensts.iam.Tag;
import org.opensts.iam.TrustPolicy;
import org.opensts.iam.User;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/**
 * Every SQL statement of the identity store, run on one connection: autocommit for a single read, or the transaction
 * of one {@link JdbcIdentityStore#write}. SQL failures surface as {@link StoreException}.
 *
 * <p>In a write transaction every {@code find} of one entity (account, user, group, role, managed policy, provider,
 * MFA device) first locks its row with {@code SELECT ... FOR UPDATE}, until the transaction ends, and only then reads
 * it. IAM's writes read what they then write back whole (TagUser rewrites the user with one tag more), count what a
 * quota limits (an owner's inline policies, attached policies, versions, an account's groups), or check what must
 * stay true when they commit (the policy a boundary names exists; a policy to delete is not a boundary). With the
 * row locked, a second such write on the same entity waits for the first to commit and then reads its result, so
 * concurrent writes take turns: none is lost and no quota is overrun. Reading after locking, in a statement of its
 * own, matters at READ COMMITTED: it sees what the lock holder committed, even in the counts and tags that other
 * tables hold. The operations find entities in one order (the account first; a group before its member; a user
 * before its MFA device; an owner before the policy it attaches or is bounded by; AWS managed policies, which no
 * request changes, are not locked), so two writes wait for each other
 * in a cycle only in rare cases (two roles naming each other in trust policies at the same moment), which the
 * database ends as a deadlock. Reads outside a write lock nothing and never wait.
 *
 * <p>Instance profiles are locked likewise, and found before the role one adds or removes.
 */
final class JdbcSession implements IdentityWriter {
    private final Connection connection;
    private final MasterKey masterKey;
    private final boolean lockOnRead;

    /** @param lockOnRead whether each entity found is locked first: true in a write transaction */
    JdbcSession(Connection connection, MasterKey masterKey, boolean lockOnRead) {
        this.connection = connection;
        this.masterKey = masterKey;
        this.lockOnRead = lockOnRead;
    }

    /**
     * In a write transaction, locks the rows of {@code table} that {@code condition} selects until the transaction
     * ends, waiting for a concurrent write that holds them to commit or roll back; outside one, does nothing.
     */
    private void lockForWrite(String table, String condition, Binder binder) {
        if (lockOnRead) {
            query("SELECT 1 FROM " + table + " WHERE " + condition + " FOR UPDATE", binder, row -> Boolean.TRUE);
        }
    }

    // ---- accounts

    @Override
    public List<Account> listAccounts() {
        return query("SELECT account_id, create_date, global_endpoint_token_version FROM accounts "
                + "ORDER BY account_id", statement -> { }, JdbcSession::account);
    }

    @Override
    public Optional<Account> findAccount(String accountId) {
        lockForWrite("accounts", "account_id = ?", statement -> statement.setString(1, accountId));
        return queryOne("SELECT account_id, create_date, global_endpoint_token_version FROM accounts "
                + "WHERE account_id = ?", statement -> statement.setString(1, accountId), JdbcSession::account);
    }

    private static Account account(ResultSet row) throws SQLException {
        return new Account(row.getString(1), Instant.ofEpochMilli(row.getLong(2)),
                GlobalEndpointTokenVersion.fromSummaryValue(row.getInt(3)));
    }

    @Override
    public void createAccount(Account account) {
        update("INSERT INTO accounts (account_id, create_date, global_endpoint_token_version) VALUES (?, ?, ?)",
                statement -> {
                    statement.setString(1, account.accountId());
                    statement.setLong(2, account.createDate().toEpochMilli());
                    statement.setInt(3, account.globalEndpointTokenVersion().summaryValue());
                });
    }

    @Override
    public void setGlobalEndpointTokenVersion(String accountId, GlobalEndpointTokenVersion version) {
        update("UPDATE accounts SET global_endpoint_token_version = ? WHERE account_id = ?", statement -> {
            statement.setInt(1, version.summaryValue());
            statement.setString(2, accountId);
        });
    }

    // ---- users

    private static final String USER_COLUMNS =
            "user_id, account_id, user_name, path, create_date, permissions_boundary_arn FROM users ";

    @Override
    public Optional<User> findUser(String accountId, String userName) {
        Binder binder = statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(userName));
        };
        lockForWrite("users", "account_id = ? AND name_key = ?", binder);
        return first(users("SELECT " + USER_COLUMNS + "WHERE account_id = ? AND name_key = ?", binder));
    }

    @Override
    public Optional<User> findUserById(String userId) {
        Binder binder = statement -> statement.setString(1, userId);
        lockForWrite("users", "user_id = ?", binder);
        return first(users("SELECT " + USER_COLUMNS + "WHERE user_id = ?", binder));
    }

    /** The users a query selects ({@link #USER_COLUMNS} first), with their tags read in one more query. */
    private List<User> users(String sql, Binder binder) {
        return withTags(PolicyOwner.Kind.USER.name(), query(sql, binder, row -> {
            String userId = row.getString(1);
            String accountId = row.getString(2);
            String userName = row.getString(3);
            String path = row.getString(4);
            Instant createDate = Instant.ofEpochMilli(row.getLong(5));
            Optional<String> boundary = Optional.ofNullable(row.getString(6));
            return new Untagged<>(userId,
                    tags -> new User(accountId, userId, userName, path, createDate, boundary, tags));
        }));
    }

    @Override
    public void createUser(User user) {
        update("INSERT INTO users (user_id, account_id, user_name, name_key, path, permissions_boundary_arn, "
                + "create_date) VALUES (?, ?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, user.userId());
                    statement.setString(2, user.accountId());
                    statement.setString(3, user.userName());
                    statement.setString(4, nameKey(user.userName()));
                    statement.setString(5, user.path());
                    setNullable(statement, 6, user.permissionsBoundaryArn());
                    statement.setLong(7, user.createDate().toEpochMilli());
                });
        replaceTags(PolicyOwner.Kind.USER.name(), user.userId(), user.tags());
    }

    @Override
    public List<User> listUsers(String accountId) {
        return users("SELECT " + USER_COLUMNS + "WHERE account_id = ? ORDER BY name_key",
                statement -> statement.setString(1, accountId));
    }

    /**
     * {@inheritDoc} A range scan of the {@code (account_id, name_key)} index that stops after {@code limit} rows, so
     * a page deep in a long listing costs what the first one does.
     */
    @Override
    public List<User> listUsers(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit) {
        return users("SELECT " + USER_COLUMNS + "WHERE account_id = ? AND name_key >= ? AND LEFT(path, ?) = ? "
                + "ORDER BY name_key LIMIT ?", pageBinder(accountId, pathPrefix, fromNameKey, limit));
    }

    @Override
    public int countUsers(String accountId) {
        return countInAccount("users", accountId);
    }

    @Override
    public void updateUser(User user) {
        update("UPDATE users SET user_name = ?, name_key = ?, path = ?, permissions_boundary_arn = ? WHERE user_id = ?",
                statement -> {
                    statement.setString(1, user.userName());
                    statement.setString(2, nameKey(user.userName()));
                    statement.setString(3, user.path());
                    setNullable(statement, 4, user.permissionsBoundaryArn());
                    statement.setString(5, user.userId());
                });
        replaceTags(PolicyOwner.Kind.USER.name(), user.userId(), user.tags());
    }

    @Override
    public void deleteUser(String userId) {
        replaceTags(PolicyOwner.Kind.USER.name(), userId, List.of());
        update("DELETE FROM users WHERE user_id = ?", statement -> statement.setString(1, userId));
    }

    // ---- access keys

    @Override
    public Optional<AccessKeyCredentials> findAccessKey(String accessKeyId) {
        return queryOne("SELECT k.access_key_id, k.account_id, k.user_id, u.user_name, k.status, k.create_date, "
                + "k.secret_ciphertext FROM access_keys k JOIN users u ON u.user_id = k.user_id "
                + "WHERE k.access_key_id = ?", statement -> statement.setString(1, accessKeyId), row -> {
                    AccessKey key = accessKey(row);
                    return new AccessKeyCredentials(key, openSecret(key, row.getBytes(7)));
                });
    }

    @Override
    public List<AccessKey> listAccessKeys(String userId) {
        return query("SELECT k.access_key_id, k.account_id, k.user_id, u.user_name, k.status, k.create_date "
                + "FROM access_keys k JOIN users u ON u.user_id = k.user_id WHERE k.user_id = ? "
                + "ORDER BY k.create_date, k.access_key_id", statement -> statement.setString(1, userId),
                this::accessKey);
    }

    private AccessKey accessKey(ResultSet row) throws SQLException {
        return new AccessKey(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                AccessKeyStatus.valueOf(row.getString(5)), Instant.ofEpochMilli(row.getLong(6)));
    }

    @Override
    public void createAccessKey(AccessKey accessKey, Secret secretAccessKey) {
        byte[] sealed;
        try {
            sealed = accessKey.sealSecret(secretAccessKey, masterKey);
        } catch (GeneralSecurityException e) {
            throw new StoreException("Could not seal an access key secret", e);
        }
        update("INSERT INTO access_keys (access_key_id, account_id, user_id, status, secret_ciphertext, create_date) "
                + "VALUES (?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, accessKey.accessKeyId());
                    statement.setString(2, accessKey.accountId());
                    statement.setString(3, accessKey.userId());
                    statement.setString(4, accessKey.status().name());
                    statement.setBytes(5, sealed);
                    statement.setLong(6, accessKey.createDate().toEpochMilli());
                });
    }

    @Override
    public void updateAccessKeyStatus(String accessKeyId, AccessKeyStatus status) {
        update("UPDATE access_keys SET status = ? WHERE access_key_id = ?", statement -> {
            statement.setString(1, status.name());
            statement.setString(2, accessKeyId);
        });
    }

    @Override
    public void deleteAccessKey(String accessKeyId) {
        update("DELETE FROM access_keys WHERE access_key_id = ?", statement -> statement.setString(1, accessKeyId));
    }

    @Override
    public Optional<AccessKeyLastUsed> findAccessKeyLastUsed(String accessKeyId) {
        return queryOne("SELECT last_used_date, last_used_region, last_used_service FROM access_keys "
                + "WHERE access_key_id = ? AND last_used_date IS NOT NULL",
                statement -> statement.setString(1, accessKeyId),
                row -> new AccessKeyLastUsed(Instant.ofEpochMilli(row.getLong(1)), row.getString(2),
                        row.getString(3)));
    }

    /** Last-use records only move forward: a late flush of an older use never overwrites a newer one. */
    @Override
    public void recordAccessKeyUse(String accessKeyId, AccessKeyLastUsed use) {
        update("UPDATE access_keys SET last_used_date = ?, last_used_region = ?, last_used_service = ? "
                + "WHERE access_key_id = ? AND (last_used_date IS NULL OR last_used_date < ?)", statement -> {
                    statement.setLong(1, use.lastUsedDate().toEpochMilli());
                    statement.setString(2, use.region());
                    statement.setString(3, use.serviceName());
                    statement.setString(4, accessKeyId);
                    statement.setLong(5, use.lastUsedDate().toEpochMilli());
                });
    }

    private Secret openSecret(AccessKey key, byte[] sealed) {
        try {
            return key.openSecret(sealed, masterKey);
        } catch (GeneralSecurityException e) {
            throw cannotOpen("the secret of access key " + key.accessKeyId(), e);
        }
    }

    private static StoreException cannotOpen(String what, GeneralSecurityException e) {
        return new StoreException("Could not open " + what + ": is this the master key the store was created with?", e);
    }

    // ---- groups

    private static final String GROUP_COLUMNS = "g.group_id, g.account_id, g.group_name, g.path, g.create_date ";

    @Override
    public Optional<Group> findGroup(String accountId, String groupName) {
        Binder binder = statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(groupName));
        };
        lockForWrite("iam_groups", "account_id = ? AND name_key = ?", binder);
        return queryOne("SELECT " + GROUP_COLUMNS + "FROM iam_groups g WHERE g.account_id = ? AND g.name_key = ?",
                binder, JdbcSession::group);
    }

    @Override
    public Optional<Group> findGroupById(String groupId) {
        Binder binder = statement -> statement.setString(1, groupId);
        lockForWrite("iam_groups", "group_id = ?", binder);
        return queryOne("SELECT " + GROUP_COLUMNS + "FROM iam_groups g WHERE g.group_id = ?", binder,
                JdbcSession::group);
    }

    @Override
    public List<Group> listGroups(String accountId) {
        return query("SELECT " + GROUP_COLUMNS + "FROM iam_groups g WHERE g.account_id = ? ORDER BY g.name_key",
                statement -> statement.setString(1, accountId), JdbcSession::group);
    }

    @Override
    public int countGroups(String accountId) {
        return countInAccount("iam_groups", accountId);
    }

    @Override
    public List<Group> listGroupsForUser(String userId) {
        return query("SELECT " + GROUP_COLUMNS + "FROM iam_groups g JOIN group_members m ON m.group_id = g.group_id "
                + "WHERE m.user_id = ? ORDER BY g.name_key", statement -> statement.setString(1, userId),
                JdbcSession::group);
    }

    @Override
    public List<User> listUsersInGroup(String groupId) {
        return users("SELECT u.user_id, u.account_id, u.user_name, u.path, u.create_date, u.permissions_boundary_arn "
                + "FROM users u JOIN group_members m ON m.user_id = u.user_id WHERE m.group_id = ? "
                + "ORDER BY u.name_key", statement -> statement.setString(1, groupId));
    }

    private static Group group(ResultSet row) throws SQLException {
        return new Group(row.getString(2), row.getString(1), row.getString(3), row.getString(4),
                Instant.ofEpochMilli(row.getLong(5)));
    }

    @Override
    public void createGroup(Group group) {
        update("INSERT INTO iam_groups (group_id, account_id, group_name, name_key, path, create_date) "
                + "VALUES (?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, group.groupId());
                    statement.setString(2, group.accountId());
                    statement.setString(3, group.groupName());
                    statement.setString(4, nameKey(group.groupName()));
                    statement.setString(5, group.path());
                    statement.setLong(6, group.createDate().toEpochMilli());
                });
    }

    @Override
    public void updateGroup(Group group) {
        update("UPDATE iam_groups SET group_name = ?, name_key = ?, path = ? WHERE group_id = ?", statement -> {
            statement.setString(1, group.groupName());
            statement.setString(2, nameKey(group.groupName()));
            statement.setString(3, group.path());
            statement.setString(4, group.groupId());
        });
    }

    @Override
    public void deleteGroup(String groupId) {
        update("DELETE FROM iam_groups WHERE group_id = ?", statement -> statement.setString(1, groupId));
    }

    @Override
    public void addUserToGroup(String groupId, String userId) {
        update("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)", statement -> {
            statement.setString(1, groupId);
            statement.setString(2, userId);
        });
    }

    @Override
    public void removeUserFromGroup(String groupId, String userId) {
        update("DELETE FROM group_members WHERE group_id = ? AND user_id = ?", statement -> {
            statement.setString(1, groupId);
            statement.setString(2, userId);
        });
    }

    // ---- roles

    private static final String ROLE_COLUMNS = "role_id, account_id, role_name, path, assume_role_policy, "
            + "description, max_session_duration, permissions_boundary_arn, create_date FROM roles ";

    @Override
    public Optional<Role> findRole(String accountId, String roleName) {
        Binder binder = statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(roleName));
        };
        lockForWrite("roles", "account_id = ? AND name_key = ?", binder);
        return first(roles("SELECT " + ROLE_COLUMNS + "WHERE account_id = ? AND name_key = ?", binder));
    }

    @Override
    public Optional<Role> findRoleById(String roleId) {
        Binder binder = statement -> statement.setString(1, roleId);
        lockForWrite("roles", "role_id = ?", binder);
        return first(roles("SELECT " + ROLE_COLUMNS + "WHERE role_id = ?", binder));
    }

    /**
     * The roles a query selects ({@link #ROLE_COLUMNS} first), with their trust policy bindings and their tags read in
     * two more queries, whatever the number of roles.
     */
    private List<Role> roles(String sql, Binder binder) {
        List<Untagged<Function<Map<String, String>, Role>>> rows = query(sql, binder, row -> {
            String roleId = row.getString(1);
            String accountId = row.getString(2);
            String roleName = row.getString(3);
            String path = row.getString(4);
            String trustDocument = row.getString(5);
            Optional<String> description = Optional.ofNullable(row.getString(6));
            int maxSessionDuration = row.getInt(7);
            Optional<String> boundary = Optional.ofNullable(row.getString(8));
            Instant createDate = Instant.ofEpochMilli(row.getLong(9));
            return new Untagged<>(roleId, tags -> bindings -> new Role(accountId, roleId, roleName, path,
                    TrustPolicy.of(trustDocument, bindings), description, maxSessionDuration, boundary, tags,
                    createDate));
        });
        List<String> roleIds = rows.stream().map(Untagged::ownerId).toList();
        List<Function<Map<String, String>, Role>> tagged = withTags(PolicyOwner.Kind.ROLE.name(), rows);
        Map<String, Map<String, String>> bindings = trustPrincipals(roleIds);
        var roles = new ArrayList<Role>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            roles.add(tagged.get(i).apply(bindings.getOrDefault(roleIds.get(i), Map.of())));
        }
        return roles;
    }

    /** The trust policy bindings of each of {@code roleIds}, in the order the policy names them. */
    private Map<String, Map<String, String>> trustPrincipals(List<String> roleIds) {
        var bindings = new HashMap<String, Map<String, String>>();
        forEachChunk(roleIds, chunk -> query("SELECT role_id, principal, unique_id FROM role_trust_principals "
                + "WHERE role_id IN (" + placeholders(chunk.size()) + ") ORDER BY role_id, position",
                bindAll(chunk), row -> bindings.computeIfAbsent(row.getString(1), id -> new LinkedHashMap<>())
                        .put(row.getString(2), row.getString(3))));
        return bindings;
    }

    private void replaceTrustPrincipals(String roleId, Map<String, String> bindings) {
        update("DELETE FROM role_trust_principals WHERE role_id = ?", statement -> statement.setString(1, roleId));
        int position = 0;
        for (Map.Entry<String, String> binding : bindings.entrySet()) {
            int index = position++;
            update("INSERT INTO role_trust_principals (role_id, position, principal, unique_id) VALUES (?, ?, ?, ?)",
                    statement -> {
                        statement.setString(1, roleId);
                        statement.setInt(2, index);
                        statement.setString(3, binding.getKey());
                        statement.setString(4, binding.getValue());
                    });
        }
    }

    @Override
    public void createRole(Role role) {
        update("INSERT INTO roles (role_id, account_id, role_name, name_key, path, assume_role_policy, description, "
                + "max_session_duration, permissions_boundary_arn, create_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, role.roleId());
                    statement.setString(2, role.accountId());
                    statement.setString(3, role.roleName());
                    statement.setString(4, nameKey(role.roleName()));
                    statement.setString(5, role.path());
                    statement.setString(6, role.trustPolicy().document());
                    setNullable(statement, 7, role.description());
                    statement.setInt(8, role.maxSessionDuration());
                    setNullable(statement, 9, role.permissionsBoundaryArn());
                    statement.setLong(10, role.createDate().toEpochMilli());
                });
        replaceTrustPrincipals(role.roleId(), role.trustPolicy().bindings());
        replaceTags(PolicyOwner.Kind.ROLE.name(), role.roleId(), role.tags());
    }

    @Override
    public void updateRole(Role role) {
        update("UPDATE roles SET assume_role_policy = ?, description = ?, max_session_duration = ?, "
                + "permissions_boundary_arn = ? WHERE role_id = ?", statement -> {
                    statement.setString(1, role.trustPolicy().document());
                    setNullable(statement, 2, role.description());
                    statement.setInt(3, role.maxSessionDuration());
                    setNullable(statement, 4, role.permissionsBoundaryArn());
                    statement.setString(5, role.roleId());
                });
        replaceTrustPrincipals(role.roleId(), role.trustPolicy().bindings());
        replaceTags(PolicyOwner.Kind.ROLE.name(), role.roleId(), role.tags());
    }

    @Override
    public List<Role> listRoles(String accountId) {
        return roles("SELECT " + ROLE_COLUMNS + "WHERE account_id = ? ORDER BY name_key",
                statement -> statement.setString(1, accountId));
    }

    /** {@inheritDoc} A range scan that stops after {@code limit} rows, as for users. */
    @Override
    public List<Role> listRoles(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit) {
        return roles("SELECT " + ROLE_COLUMNS + "WHERE account_id = ? AND name_key >= ? AND LEFT(path, ?) = ? "
                + "ORDER BY name_key LIMIT ?", pageBinder(accountId, pathPrefix, fromNameKey, limit));
    }

    @Override
    public int countRoles(String accountId) {
        return countInAccount("roles", accountId);
    }

    @Override
    public void deleteRole(String roleId) {
        replaceTags(PolicyOwner.Kind.ROLE.name(), roleId, List.of());
        replaceTrustPrincipals(roleId, Map.of());
        update("DELETE FROM roles WHERE role_id = ?", statement -> statement.setString(1, roleId));
    }

    @Override
    public Optional<RoleLastUsed> findRoleLastUsed(String roleId) {
        return queryOne("SELECT last_used_date, last_used_region FROM roles WHERE role_id = ? "
                + "AND last_used_date IS NOT NULL", statement -> statement.setString(1, roleId),
                row -> new RoleLastUsed(Instant.ofEpochMilli(row.getLong(1)), row.getString(2)));
    }

    @Override
    public void recordRoleUse(String roleId, RoleLastUsed use) {
        update("UPDATE roles SET last_used_date = ?, last_used_region = ? "
                + "WHERE role_id = ? AND (last_used_date IS NULL OR last_used_date < ?)", statement -> {
                    statement.setLong(1, use.lastUsedDate().toEpochMilli());
                    statement.setString(2, use.region());
                    statement.setString(3, roleId);
                    statement.setLong(4, use.lastUsedDate().toEpochMilli());
                });
    }

    // ---- inline policies

    @Override
    public List<InlinePolicy> listInlinePolicies(PolicyOwner owner) {
        return query("SELECT policy_name, policy_document FROM inline_policies WHERE owner_kind = ? AND owner_id = ? "
                + "ORDER BY policy_name", statement -> {
                    statement.setString(1, owner.kind().name());
                    statement.setString(2, owner.ownerId());
                }, row -> new InlinePolicy(row.getString(1), row.getString(2)));
    }

    @Override
    public Optional<InlinePolicy> findInlinePolicy(PolicyOwner owner, String policyName) {
        return queryOne("SELECT policy_name, policy_document FROM inline_policies "
                + "WHERE owner_kind = ? AND owner_id = ? AND policy_name = ?", statement -> {
                    statement.setString(1, owner.kind().name());
                    statement.setString(2, owner.ownerId());
                    statement.setString(3, policyName);
                }, row -> new InlinePolicy(row.getString(1), row.getString(2)));
    }

    @Override
    public void putInlinePolicy(PolicyOwner owner, InlinePolicy policy) {
        int updated = update("UPDATE inline_policies SET policy_document = ? "
                + "WHERE owner_kind = ? AND owner_id = ? AND policy_name = ?", statement -> {
                    statement.setString(1, policy.policyDocument());
                    statement.setString(2, owner.kind().name());
                    statement.setString(3, owner.ownerId());
                    statement.setString(4, policy.policyName());
                });
        if (updated == 0) {
            update("INSERT INTO inline_policies (owner_kind, owner_id, policy_name, policy_document) "
                    + "VALUES (?, ?, ?, ?)", statement -> {
                        statement.setString(1, owner.kind().name());
                        statement.setString(2, owner.ownerId());
                        statement.setString(3, policy.policyName());
                        statement.setString(4, policy.policyDocument());
                    });
        }
    }

    @Override
    public void deleteInlinePolicy(PolicyOwner owner, String policyName) {
        update("DELETE FROM inline_policies WHERE owner_kind = ? AND owner_id = ? AND policy_name = ?", statement -> {
            statement.setString(1, owner.kind().name());
            statement.setString(2, owner.ownerId());
            statement.setString(3, policyName);
        });
    }

    // ---- managed policies

    /**
     * The policy columns and its attachment count. How many users and roles have it as their permissions boundary is
     * read apart (see {@link #managedPolicies}), by the ARN {@link ManagedPolicy#arn} gives.
     */
    private static final String POLICY_COLUMNS = "p.policy_id, p.account_id, p.policy_name, p.path, "
            + "p.default_version_id, p.description, p.create_date, p.update_date, "
            + "(SELECT COUNT(*) FROM policy_attachments a WHERE a.policy_id = p.policy_id) "
            + "FROM managed_policies p ";

    /**
     * The managed policies a query selects ({@link #POLICY_COLUMNS} first), with their tags and their permissions
     * boundary counts read in two more queries, whatever the number of policies.
     */
    private List<ManagedPolicy> managedPolicies(String sql, Binder binder) {
        return managedPolicies(sql, binder, Optional.empty());
    }

    /**
     * As {@link #managedPolicies(String, Binder)}, the permissions boundary uses counted in {@code boundaryAccount}
     * only when it is given.
     */
    private List<ManagedPolicy> managedPolicies(String sql, Binder binder, Optional<String> boundaryAccount) {
        var arns = new ArrayList<String>();
        List<Untagged<Function<Map<String, Integer>, ManagedPolicy>>> rows = query(sql, binder, row -> {
            String policyId = row.getString(1);
            String accountId = row.getString(2);
            String policyName = row.getString(3);
            String path = row.getString(4);
            String defaultVersionId = row.getString(5);
            Optional<String> description = Optional.ofNullable(row.getString(6));
            Instant createDate = Instant.ofEpochMilli(row.getLong(7));
            Instant updateDate = Instant.ofEpochMilli(row.getLong(8));
            int attachmentCount = row.getInt(9);
            String arn = ManagedPolicy.arn(accountId, path, policyName);
            arns.add(arn);
            return new Untagged<>(policyId, tags -> boundaryCounts -> new ManagedPolicy(accountId, policyId,
                    policyName, path, defaultVersionId, description, createDate, updateDate, tags, attachmentCount,
                    boundaryCounts.getOrDefault(arn, 0)));
        });
        List<Function<Map<String, Integer>, ManagedPolicy>> tagged = withTags(POLICY_TAG_KIND, rows);
        Map<String, Integer> boundaryCounts = boundaryCounts(arns, boundaryAccount);
        return tagged.stream().map(policy -> policy.apply(boundaryCounts)).toList();
    }

    /**
     * How many users and roles (of {@code account} only, if given) have each of {@code arns} as their permissions
     * boundary; absent when none.
     */
    private Map<String, Integer> boundaryCounts(List<String> arns, Optional<String> account) {
        var counts = new HashMap<String, Integer>();
        String inAccount = account.isPresent() ? "account_id = ? AND " : "";
        forEachChunk(arns, chunk -> {
            String in = placeholders(chunk.size());
            query("SELECT arn, COUNT(*) FROM (SELECT permissions_boundary_arn AS arn FROM users "
                    + "WHERE " + inAccount + "permissions_boundary_arn IN (" + in + ") UNION ALL "
                    + "SELECT permissions_boundary_arn FROM roles "
                    + "WHERE " + inAccount + "permissions_boundary_arn IN (" + in + ")) boundaries GROUP BY arn",
                    statement -> {
                        int index = 1;
                        for (int table = 0; table < 2; table++) {
                            if (account.isPresent()) {
                                statement.setString(index++, account.get());
                            }
                            for (String arn : chunk) {
                                statement.setString(index++, arn);
                            }
                        }
                    }, row -> counts.put(row.getString(1), row.getInt(2)));
        });
        return counts;
    }

    static final String POLICY_TAG_KIND = "POLICY";

    @Override
    public Optional<ManagedPolicy> findManagedPolicy(String accountId, String policyName) {
        Binder binder = statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(policyName));
        };
        // AWS managed policies are never changed or deleted by a request, and every account attaches them: locking
        // their rows would only make the accounts' writes wait for each other.
        if (!accountId.equals(ManagedPolicy.AWS_MANAGED_ACCOUNT)) {
            lockForWrite("managed_policies", "account_id = ? AND name_key = ?", binder);
        }
        return first(managedPolicies("SELECT " + POLICY_COLUMNS + "WHERE p.account_id = ? AND p.name_key = ?",
                binder));
    }

    @Override
    public Optional<ManagedPolicy> findManagedPolicyById(String policyId) {
        Binder binder = statement -> statement.setString(1, policyId);
        lockForWrite("managed_policies", "policy_id = ? AND account_id <> '" + ManagedPolicy.AWS_MANAGED_ACCOUNT + "'",
                binder);
        return first(managedPolicies("SELECT " + POLICY_COLUMNS + "WHERE p.policy_id = ?", binder));
    }

    /** {@inheritDoc} The tags of all of them are read in one query, not one per policy: AWS alone has 1,594. */
    @Override
    public List<ManagedPolicy> listManagedPolicies(String accountId) {
        return managedPolicies("SELECT " + POLICY_COLUMNS + "WHERE p.account_id = ? ORDER BY p.name_key",
                statement -> statement.setString(1, accountId));
    }

    /** {@inheritDoc} AWS managed policies are stored under the account id {@code aws}, which no account has. */
    @Override
    public int countManagedPolicies(String accountId) {
        return countInAccount("managed_policies", accountId);
    }

    @Override
    public int countPolicyVersions(String accountId) {
        return queryOne("SELECT COUNT(*) FROM policy_versions v JOIN managed_policies p ON p.policy_id = v.policy_id "
                + "WHERE p.account_id = ?", statement -> statement.setString(1, accountId),
                row -> Math.toIntExact(row.getLong(1))).orElse(0);
    }

    @Override
    public List<PolicyVersion> listPolicyVersions(String policyId) {
        return query("SELECT v.policy_id, v.version_id, v.document, v.create_date, p.default_version_id "
                + "FROM policy_versions v JOIN managed_policies p ON p.policy_id = v.policy_id "
                + "WHERE v.policy_id = ? ORDER BY v.create_date DESC, v.version_id DESC",
                statement -> statement.setString(1, policyId), JdbcSession::policyVersion);
    }

    @Override
    public Optional<PolicyVersion> findPolicyVersion(String policyId, String versionId) {
        return queryOne("SELECT v.policy_id, v.version_id, v.document, v.create_date, p.default_version_id "
                + "FROM policy_versions v JOIN managed_policies p ON p.policy_id = v.policy_id "
                + "WHERE v.policy_id = ? AND v.version_id = ?", statement -> {
                    statement.setString(1, policyId);
                    statement.setString(2, versionId);
                }, JdbcSession::policyVersion);
    }

    private static PolicyVersion policyVersion(ResultSet row) throws SQLException {
        return new PolicyVersion(row.getString(1), row.getString(2), row.getString(3),
                row.getString(2).equals(row.getString(5)), Instant.ofEpochMilli(row.getLong(4)));
    }

    @Override
    public List<ManagedPolicy> listAttachedPolicies(PolicyOwner owner) {
        return managedPolicies("SELECT " + POLICY_COLUMNS + "JOIN policy_attachments x ON x.policy_id = p.policy_id "
                + "WHERE x.owner_kind = ? AND x.owner_id = ? ORDER BY p.name_key", statement -> {
                    statement.setString(1, owner.kind().name());
                    statement.setString(2, owner.ownerId());
                });
    }

    @Override
    public List<PolicyOwner> listPolicyAttachments(String policyId) {
        return query("SELECT owner_kind, owner_id FROM policy_attachments WHERE policy_id = ? "
                + "ORDER BY owner_kind, owner_id", statement -> statement.setString(1, policyId),
                row -> new PolicyOwner(PolicyOwner.Kind.valueOf(row.getString(1)), row.getString(2)));
    }

    @Override
    public void createManagedPolicy(ManagedPolicy policy, String firstVersionDocument) {
        update("INSERT INTO managed_policies (policy_id, account_id, policy_name, name_key, path, default_version_id, "
                + "next_version, description, create_date, update_date) VALUES (?, ?, ?, ?, ?, 'v1', 2, ?, ?, ?)",
                statement -> {
                    statement.setString(1, policy.policyId());
                    statement.setString(2, policy.accountId());
                    statement.setString(3, policy.policyName());
                    statement.setString(4, nameKey(policy.policyName()));
                    statement.setString(5, policy.path());
                    setNullable(statement, 6, policy.description());
                    statement.setLong(7, policy.createDate().toEpochMilli());
                    statement.setLong(8, policy.updateDate().toEpochMilli());
                });
        update("INSERT INTO policy_versions (policy_id, version_id, document, create_date) VALUES (?, 'v1', ?, ?)",
                statement -> {
                    statement.setString(1, policy.policyId());
                    statement.setString(2, firstVersionDocument);
                    statement.setLong(3, policy.createDate().toEpochMilli());
                });
        replaceTags(POLICY_TAG_KIND, policy.policyId(), policy.tags());
    }

    @Override
    public void updateManagedPolicy(ManagedPolicy policy) {
        update("UPDATE managed_policies SET default_version_id = ?, update_date = ? WHERE policy_id = ?",
                statement -> {
                    statement.setString(1, policy.defaultVersionId());
                    statement.setLong(2, policy.updateDate().toEpochMilli());
                    statement.setString(3, policy.policyId());
                });
        replaceTags(POLICY_TAG_KIND, policy.policyId(), policy.tags());
    }

    @Override
    public void deleteManagedPolicy(String policyId) {
        update("DELETE FROM policy_versions WHERE policy_id = ?", statement -> statement.setString(1, policyId));
        replaceTags(POLICY_TAG_KIND, policyId, List.of());
        update("DELETE FROM managed_policies WHERE policy_id = ?", statement -> statement.setString(1, policyId));
    }

    @Override
    public String createPolicyVersion(String policyId, String document, Instant createDate) {
        int number = queryOne("SELECT next_version FROM managed_policies WHERE policy_id = ?",
                statement -> statement.setString(1, policyId), row -> row.getInt(1))
                .orElseThrow(() -> new StoreException("No policy " + policyId, null));
        String versionId = "v" + number;
        update("UPDATE managed_policies SET next_version = ? WHERE policy_id = ? AND next_version = ?", statement -> {
            statement.setInt(1, number + 1);
            statement.setString(2, policyId);
            statement.setInt(3, number);
        });
        update("INSERT INTO policy_versions (policy_id, version_id, document, create_date) VALUES (?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, policyId);
                    statement.setString(2, versionId);
                    statement.setString(3, document);
                    statement.setLong(4, createDate.toEpochMilli());
                });
        return versionId;
    }

    @Override
    public void deletePolicyVersion(String policyId, String versionId) {
        update("DELETE FROM policy_versions WHERE policy_id = ? AND version_id = ?", statement -> {
            statement.setString(1, policyId);
            statement.setString(2, versionId);
        });
    }

    @Override
    public void attachPolicy(PolicyOwner owner, String policyId) {
        update("INSERT INTO policy_attachments (owner_kind, owner_id, policy_id) VALUES (?, ?, ?)", statement -> {
            statement.setString(1, owner.kind().name());
            statement.setString(2, owner.ownerId());
            statement.setString(3, policyId);
        });
    }

    @Override
    public void detachPolicy(PolicyOwner owner, String policyId) {
        update("DELETE FROM policy_attachments WHERE owner_kind = ? AND owner_id = ? AND policy_id = ?", statement -> {
            statement.setString(1, owner.kind().name());
            statement.setString(2, owner.ownerId());
            statement.setString(3, policyId);
        });
    }

    // ---- identity providers

    static final String OIDC_TAG_KIND = "OIDC_PROVIDER";
    static final String SAML_TAG_KIND = "SAML_PROVIDER";
    static final String MFA_TAG_KIND = "MFA_DEVICE";

    @Override
    public Optional<OpenIdConnectProvider> findOpenIdConnectProvider(String arn) {
        Binder binder = statement -> statement.setString(1, arn);
        lockForWrite("oidc_providers", "arn = ?", binder);
        return first(tagged("SELECT arn, account_id, url, client_ids, thumbprints, create_date FROM oidc_providers "
                + "WHERE arn = ?", binder, OIDC_TAG_KIND, JdbcSession::oidcProvider));
    }

    @Override
    public List<OpenIdConnectProvider> listOpenIdConnectProviders(String accountId) {
        return tagged("SELECT arn, account_id, url, client_ids, thumbprints, create_date FROM oidc_providers "
                + "WHERE account_id = ? ORDER BY arn", statement -> statement.setString(1, accountId), OIDC_TAG_KIND,
                JdbcSession::oidcProvider);
    }

    private static Untagged<OpenIdConnectProvider> oidcProvider(ResultSet row) throws SQLException {
        String arn = row.getString(1);
        String accountId = row.getString(2);
        String url = row.getString(3);
        List<String> clientIds = splitLines(row.getString(4));
        List<String> thumbprints = splitLines(row.getString(5));
        Instant createDate = Instant.ofEpochMilli(row.getLong(6));
        return new Untagged<>(arn,
                tags -> new OpenIdConnectProvider(arn, accountId, url, clientIds, thumbprints, createDate, tags));
    }

    @Override
    public void createOpenIdConnectProvider(OpenIdConnectProvider provider) {
        update("INSERT INTO oidc_providers (arn, account_id, url, client_ids, thumbprints, create_date) "
                + "VALUES (?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, provider.arn());
                    statement.setString(2, provider.accountId());
                    statement.setString(3, provider.url());
                    statement.setString(4, joinLines(provider.clientIds()));
                    statement.setString(5, joinLines(provider.thumbprints()));
                    statement.setLong(6, provider.createDate().toEpochMilli());
                });
        replaceTags(OIDC_TAG_KIND, provider.arn(), provider.tags());
    }

    @Override
    public void updateOpenIdConnectProvider(OpenIdConnectProvider provider) {
        update("UPDATE oidc_providers SET client_ids = ?, thumbprints = ? WHERE arn = ?", statement -> {
            statement.setString(1, joinLines(provider.clientIds()));
            statement.setString(2, joinLines(provider.thumbprints()));
            statement.setString(3, provider.arn());
        });
        replaceTags(OIDC_TAG_KIND, provider.arn(), provider.tags());
    }

    @Override
    public void deleteOpenIdConnectProvider(String arn) {
        replaceTags(OIDC_TAG_KIND, arn, List.of());
        update("DELETE FROM oidc_providers WHERE arn = ?", statement -> statement.setString(1, arn));
    }

    private static final String SAML_COLUMNS = "arn, account_id, name, provider_uuid, metadata_document, valid_until, "
            + "assertion_encryption_mode, create_date FROM saml_providers ";

    @Override
    public Optional<SamlProvider> findSamlProvider(String arn) {
        Binder binder = statement -> statement.setString(1, arn);
        lockForWrite("saml_providers", "arn = ?", binder);
        return first(tagged("SELECT " + SAML_COLUMNS + "WHERE arn = ?", binder,
                SAML_TAG_KIND, JdbcSession::samlProvider));
    }

    @Override
    public List<SamlProvider> listSamlProviders(String accountId) {
        return tagged("SELECT " + SAML_COLUMNS + "WHERE account_id = ? ORDER BY arn",
                statement -> statement.setString(1, accountId), SAML_TAG_KIND, JdbcSession::samlProvider);
    }

    private static Untagged<SamlProvider> samlProvider(ResultSet row) throws SQLException {
        String arn = row.getString(1);
        String accountId = row.getString(2);
        String name = row.getString(3);
        String providerUuid = row.getString(4);
        String metadataDocument = row.getString(5);
        long validUntil = row.getLong(6);
        Optional<Instant> validUntilInstant = row.wasNull() ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(validUntil));
        Optional<String> encryptionMode = Optional.ofNullable(row.getString(7));
        Instant createDate = Instant.ofEpochMilli(row.getLong(8));
        return new Untagged<>(arn, tags -> new SamlProvider(arn, accountId, name, providerUuid, metadataDocument,
                validUntilInstant, encryptionMode, createDate, tags));
    }

    @Override
    public void createSamlProvider(SamlProvider provider) {
        update("INSERT INTO saml_providers (arn, account_id, name, provider_uuid, metadata_document, valid_until, "
                + "assertion_encryption_mode, create_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, provider.arn());
                    statement.setString(2, provider.accountId());
                    statement.setString(3, provider.name());
                    statement.setString(4, provider.providerUuid());
                    statement.setString(5, provider.metadataDocument());
                    setNullableInstant(statement, 6, provider.validUntil());
                    setNullable(statement, 7, provider.assertionEncryptionMode());
                    statement.setLong(8, provider.createDate().toEpochMilli());
                });
        replaceTags(SAML_TAG_KIND, provider.arn(), provider.tags());
    }

    @Override
    public void updateSamlProvider(SamlProvider provider) {
        update("UPDATE saml_providers SET metadata_document = ?, valid_until = ?, assertion_encryption_mode = ? "
                + "WHERE arn = ?", statement -> {
                    statement.setString(1, provider.metadataDocument());
                    setNullableInstant(statement, 2, provider.validUntil());
                    setNullable(statement, 3, provider.assertionEncryptionMode());
                    statement.setString(4, provider.arn());
                });
        replaceTags(SAML_TAG_KIND, provider.arn(), provider.tags());
    }

    @Override
    public void deleteSamlProvider(String arn) {
        replaceTags(SAML_TAG_KIND, arn, List.of());
        update("DELETE FROM saml_providers WHERE arn = ?", statement -> statement.setString(1, arn));
    }

    // ---- MFA devices

    private static final String MFA_COLUMNS = "serial_number, account_id, device_name, path, user_id, enable_date, "
            + "last_time_step, create_date, step_offset FROM mfa_devices ";

    @Override
    public Optional<MfaDevice> findMfaDevice(String serialNumber) {
        Binder binder = statement -> statement.setString(1, serialNumber);
        lockForWrite("mfa_devices", "serial_number = ?", binder);
        return first(tagged("SELECT " + MFA_COLUMNS + "WHERE serial_number = ?", binder, MFA_TAG_KIND,
                JdbcSession::mfaDevice));
    }

    @Override
    public List<MfaDevice> listMfaDevices(String accountId) {
        return tagged("SELECT " + MFA_COLUMNS + "WHERE account_id = ? ORDER BY serial_number",
                statement -> statement.setString(1, accountId), MFA_TAG_KIND, JdbcSession::mfaDevice);
    }

    @Override
    public List<MfaDevice> listMfaDevicesForUser(String userId) {
        return tagged("SELECT " + MFA_COLUMNS + "WHERE user_id = ? ORDER BY serial_number",
                statement -> statement.setString(1, userId), MFA_TAG_KIND, JdbcSession::mfaDevice);
    }

    private static Untagged<MfaDevice> mfaDevice(ResultSet row) throws SQLException {
        String serialNumber = row.getString(1);
        String accountId = row.getString(2);
        String deviceName = row.getString(3);
        String path = row.getString(4);
        Optional<String> userId = Optional.ofNullable(row.getString(5));
        long enableDate = row.getLong(6);
        Optional<Instant> enabled = row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(enableDate));
        long lastTimeStep = row.getLong(7);
        Instant createDate = Instant.ofEpochMilli(row.getLong(8));
        long stepOffset = row.getLong(9);
        return new Untagged<>(serialNumber, tags -> new MfaDevice(serialNumber, accountId, deviceName, path, userId,
                enabled, lastTimeStep, stepOffset, createDate, tags));
    }

    @Override
    public Optional<Secret> findMfaSeed(String serialNumber) {
        return queryOne("SELECT seed_ciphertext FROM mfa_devices WHERE serial_number = ?",
                statement -> statement.setString(1, serialNumber),
                row -> {
                    try {
                        return MfaDevice.openSeed(serialNumber, row.getBytes(1), masterKey);
                    } catch (GeneralSecurityException e) {
                        throw cannotOpen("the seed of MFA device " + serialNumber, e);
                    }
                });
    }

    @Override
    public void createMfaDevice(MfaDevice device, Secret seed) {
        byte[] sealed;
        try {
            sealed = device.sealSeed(seed, masterKey);
        } catch (GeneralSecurityException e) {
            throw new StoreException("Could not seal an MFA seed", e);
        }
        update("INSERT INTO mfa_devices (serial_number, account_id, device_name, path, seed_ciphertext, user_id, "
                + "enable_date, last_time_step, create_date, step_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                statement -> {
                    statement.setString(1, device.serialNumber());
                    statement.setString(2, device.accountId());
                    statement.setString(3, device.deviceName());
                    statement.setString(4, device.path());
                    statement.setBytes(5, sealed);
                    setNullable(statement, 6, device.userId());
                    setNullableInstant(statement, 7, device.enableDate());
                    statement.setLong(8, device.lastTimeStep());
                    statement.setLong(9, device.createDate().toEpochMilli());
                    statement.setLong(10, device.stepOffset());
                });
        replaceTags(MFA_TAG_KIND, device.serialNumber(), device.tags());
    }

    @Override
    public void updateMfaDevice(MfaDevice device) {
        update("UPDATE mfa_devices SET user_id = ?, enable_date = ?, last_time_step = ?, step_offset = ? "
                + "WHERE serial_number = ?", statement -> {
                    setNullable(statement, 1, device.userId());
                    setNullableInstant(statement, 2, device.enableDate());
                    statement.setLong(3, device.lastTimeStep());
                    statement.setLong(4, device.stepOffset());
                    statement.setString(5, device.serialNumber());
                });
        replaceTags(MFA_TAG_KIND, device.serialNumber(), device.tags());
    }

    @Override
    public void deleteMfaDevice(String serialNumber) {
        replaceTags(MFA_TAG_KIND, serialNumber, List.of());
        update("DELETE FROM mfa_devices WHERE serial_number = ?", statement -> statement.setString(1, serialNumber));
    }

    @Override
    public boolean acceptMfaTimeStep(String serialNumber, long timeStep) {
        return update("UPDATE mfa_devices SET last_time_step = ? WHERE serial_number = ? AND last_time_step < ?",
                statement -> {
                    statement.setLong(1, timeStep);
                    statement.setString(2, serialNumber);
                    statement.setLong(3, timeStep);
                }) == 1;
    }

    @Override
    public boolean resyncMfaDevice(String serialNumber, long timeStep, long stepOffset) {
        return update("UPDATE mfa_devices SET last_time_step = ?, step_offset = ? WHERE serial_number = ? "
                + "AND last_time_step < ?", statement -> {
                    statement.setLong(1, timeStep);
                    statement.setLong(2, stepOffset);
                    statement.setString(3, serialNumber);
                    statement.setLong(4, timeStep);
                }) == 1;
    }

    // ---- tags

    /** A row read, waiting for its tags, which are read for all the rows of a query at once, to become an entity. */
    private record Untagged<T>(String ownerId, Function<List<Tag>, T> withTags) {
    }

    /** The entities a query selects, with their tags read in one more query (per {@value #CHUNK} rows). */
    private <T> List<T> tagged(String sql, Binder binder, String ownerKind, RowMapper<Untagged<T>> mapper) {
        return withTags(ownerKind, query(sql, binder, mapper));
    }

    private <T> List<T> withTags(String ownerKind, List<Untagged<T>> rows) {
        Map<String, List<Tag>> tags = tagsOf(ownerKind, rows.stream().map(Untagged::ownerId).toList());
        var entities = new ArrayList<T>(rows.size());
        for (Untagged<T> row : rows) {
            entities.add(row.withTags().apply(tags.getOrDefault(row.ownerId(), List.of())));
        }
        return entities;
    }

    /** The tags of each of {@code ownerIds}, in the order they were given. */
    private Map<String, List<Tag>> tagsOf(String ownerKind, List<String> ownerIds) {
        var tags = new HashMap<String, List<Tag>>();
        forEachChunk(ownerIds, chunk -> query("SELECT owner_id, tag_key, tag_value FROM entity_tags "
                + "WHERE owner_kind = ? AND owner_id IN (" + placeholders(chunk.size()) + ") "
                + "ORDER BY owner_id, position", statement -> {
                    statement.setString(1, ownerKind);
                    for (int i = 0; i < chunk.size(); i++) {
                        statement.setString(i + 2, chunk.get(i));
                    }
                }, row -> tags.computeIfAbsent(row.getString(1), id -> new ArrayList<>())
                        .add(new Tag(row.getString(2), row.getString(3)))));
        return tags;
    }

    @Override
    public void replaceTags(String ownerKind, String ownerId, List<Tag> tags) {
        update("DELETE FROM entity_tags WHERE owner_kind = ? AND owner_id = ?", statement -> {
            statement.setString(1, ownerKind);
            statement.setString(2, ownerId);
        });
        int position = 0;
        for (Tag tag : tags) {
            int index = position++;
            update("INSERT INTO entity_tags (owner_kind, owner_id, key_lower, tag_key, tag_value, position) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", statement -> {
                        statement.setString(1, ownerKind);
                        statement.setString(2, ownerId);
                        statement.setString(3, uniqueKey(ownerKind, tag.key()));
                        statement.setString(4, tag.key());
                        statement.setString(5, tag.value());
                        statement.setInt(6, index);
                    });
        }
    }

    /**
     * The primary key's tag column: the key in lower case, so that keys differing only in case cannot both be stored,
     * except for a managed policy, whose tag keys IAM keeps case-sensitive ("a" and "A" are two tags there).
     */
    private static String uniqueKey(String ownerKind, String key) {
        return ownerKind.equals(POLICY_TAG_KIND) ? key : key.toLowerCase(Locale.ROOT);
    }

    // ---- key ring

    Optional<StoredRing> loadKeyRing() {
        return queryOne("SELECT wrapped, version FROM key_ring WHERE ring_id = 1", statement -> { },
                row -> new StoredRing(row.getBytes(1), row.getLong(2)));
    }

    record StoredRing(byte[] wrapped, long version) {
    }

    boolean replaceKeyRing(byte[] wrapped, long expectedVersion, long now) {
        if (expectedVersion == 0) {
            if (loadKeyRing().isPresent()) {
                return false;
            }
            return update("INSERT INTO key_ring (ring_id, wrapped, version, updated_at) VALUES (1, ?, 1, ?)",
                    statement -> {
                        statement.setBytes(1, wrapped);
                        statement.setLong(2, now);
                    }) == 1;
        }
        return update("UPDATE key_ring SET wrapped = ?, version = version + 1, updated_at = ? "
                + "WHERE ring_id = 1 AND version = ?", statement -> {
                    statement.setBytes(1, wrapped);
                    statement.setLong(2, now);
                    statement.setLong(3, expectedVersion);
                }) == 1;
    }

    // ---- outbound identity federation

    Optional<StoredRing> loadSigningKeys() {
        return queryOne("SELECT wrapped, version FROM jwt_signing_keys WHERE set_id = 1", statement -> { },
                row -> new StoredRing(row.getBytes(1), row.getLong(2)));
    }

    boolean replaceSigningKeys(byte[] wrapped, long expectedVersion, long now) {
        if (expectedVersion == 0) {
            if (loadSigningKeys().isPresent()) {
                return false;
            }
            return update("INSERT INTO jwt_signing_keys (set_id, wrapped, version, updated_at) VALUES (1, ?, 1, ?)",
                    statement -> {
                        statement.setBytes(1, wrapped);
                        statement.setLong(2, now);
                    }) == 1;
        }
        return update("UPDATE jwt_signing_keys SET wrapped = ?, version = version + 1, updated_at = ? "
                + "WHERE set_id = 1 AND version = ?", statement -> {
                    statement.setBytes(1, wrapped);
                    statement.setLong(2, now);
                    statement.setLong(3, expectedVersion);
                }) == 1;
    }

    Optional<OutboundFederation> findOutboundFederation(String accountId) {
        return queryOne("SELECT account_id, issuer_id, enabled FROM outbound_federation WHERE account_id = ?",
                statement -> statement.setString(1, accountId), JdbcSession::outboundFederation);
    }

    Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
        return queryOne("SELECT account_id, issuer_id, enabled FROM outbound_federation WHERE issuer_id = ?",
                statement -> statement.setString(1, issuerId), JdbcSession::outboundFederation);
    }

    Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled, String newIssuerId,
            long now) {
        Optional<OutboundFederation> current = findOutboundFederation(accountId);
        if (current.map(OutboundFederation::enabled).orElse(false) == enabled) {
            return Optional.empty();
        }
        if (current.isEmpty()) {
            update("INSERT INTO outbound_federation (account_id, issuer_id, enabled, updated_at) VALUES (?, ?, ?, ?)",
                    statement -> {
                        statement.setString(1, accountId);
                        statement.setString(2, newIssuerId);
                        statement.setBoolean(3, enabled);
                        statement.setLong(4, now);
                    });
            return Optional.of(new OutboundFederation(accountId, newIssuerId, enabled));
        }
        // Only the transaction that flips the flag counts; a concurrent one that flipped it first wins.
        int changed = update("UPDATE outbound_federation SET enabled = ?, updated_at = ? "
                + "WHERE account_id = ? AND enabled = ?", statement -> {
                    statement.setBoolean(1, enabled);
                    statement.setLong(2, now);
                    statement.setString(3, accountId);
                    statement.setBoolean(4, !enabled);
                });
        return changed == 1
                ? Optional.of(new OutboundFederation(accountId, current.get().issuerId(), enabled))
                : Optional.empty();
    }

    private static OutboundFederation outboundFederation(ResultSet row) throws SQLException {
        return new OutboundFederation(row.getString(1), row.getString(2), row.getBoolean(3));
    }

    // ---- account settings: the alias and the password policy
    //
    // A write finds the account first, which locks its row: two writes of one account's settings take turns, so these
    // rows need no lock of their own. Two accounts racing for one alias meet at its unique key instead.

    @Override
    public Optional<String> findAccountAlias(String accountId) {
        return queryOne("SELECT account_alias FROM account_aliases WHERE account_id = ?",
                statement -> statement.setString(1, accountId), row -> row.getString(1));
    }

    @Override
    public Optional<String> findAccountIdByAlias(String accountAlias) {
        return queryOne("SELECT account_id FROM account_aliases WHERE account_alias = ?",
                statement -> statement.setString(1, accountAlias), row -> row.getString(1));
    }

    @Override
    public void putAccountAlias(String accountId, String accountAlias) {
        Binder binder = statement -> {
            statement.setString(1, accountAlias);
            statement.setString(2, accountId);
        };
        if (update("UPDATE account_aliases SET account_alias = ? WHERE account_id = ?", binder) == 0) {
            update("INSERT INTO account_aliases (account_alias, account_id) VALUES (?, ?)", binder);
        }
    }

    @Override
    public void deleteAccountAlias(String accountId) {
        update("DELETE FROM account_aliases WHERE account_id = ?", statement -> statement.setString(1, accountId));
    }

    @Override
    public Optional<PasswordPolicy> findPasswordPolicy(String accountId) {
        return queryOne("SELECT minimum_password_length, require_symbols, require_numbers, "
                + "require_uppercase_characters, require_lowercase_characters, allow_users_to_change_password, "
                + "max_password_age, password_reuse_prevention, hard_expiry FROM account_password_policies "
                + "WHERE account_id = ?", statement -> statement.setString(1, accountId), row -> new PasswordPolicy(
                        row.getInt(1), row.getBoolean(2), row.getBoolean(3), row.getBoolean(4), row.getBoolean(5),
                        row.getBoolean(6), Optional.ofNullable(row.getObject(7, Integer.class)),
                        Optional.ofNullable(row.getObject(8, Integer.class)),
                        Optional.ofNullable(row.getObject(9, Boolean.class))));
    }

    @Override
    public void putPasswordPolicy(String accountId, PasswordPolicy policy) {
        deletePasswordPolicy(accountId);
        update("INSERT INTO account_password_policies (account_id, minimum_password_length, require_symbols, "
                + "require_numbers, require_uppercase_characters, require_lowercase_characters, "
                + "allow_users_to_change_password, max_password_age, password_reuse_prevention, hard_expiry) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, accountId);
                    statement.setInt(2, policy.minimumPasswordLength());
                    statement.setBoolean(3, policy.requireSymbols());
                    statement.setBoolean(4, policy.requireNumbers());
                    statement.setBoolean(5, policy.requireUppercaseCharacters());
                    statement.setBoolean(6, policy.requireLowercaseCharacters());
                    statement.setBoolean(7, policy.allowUsersToChangePassword());
                    statement.setObject(8, policy.maxPasswordAge().orElse(null), Types.INTEGER);
                    statement.setObject(9, policy.passwordReusePrevention().orElse(null), Types.INTEGER);
                    statement.setObject(10, policy.hardExpiry().orElse(null), Types.BOOLEAN);
                });
    }

    @Override
    public void deletePasswordPolicy(String accountId) {
        update("DELETE FROM account_password_policies WHERE account_id = ?",
                statement -> statement.setString(1, accountId));
    }

    // ---- many entities at once

    @Override
    public List<User> findUsersById(Collection<String> userIds) {
        var users = new ArrayList<User>();
        forEachChunk(List.copyOf(userIds), chunk -> users.addAll(users("SELECT " + USER_COLUMNS
                + "WHERE user_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk))));
        users.sort(Comparator.comparing(user -> nameKey(user.userName())));
        return users;
    }

    @Override
    public List<Role> findRolesById(Collection<String> roleIds) {
        var roles = new ArrayList<Role>();
        forEachChunk(List.copyOf(roleIds), chunk -> roles.addAll(roles("SELECT " + ROLE_COLUMNS
                + "WHERE role_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk))));
        roles.sort(Comparator.comparing(role -> nameKey(role.roleName())));
        return roles;
    }

    @Override
    public Map<String, List<Group>> listGroupsForUsers(Collection<String> userIds) {
        var groups = new HashMap<String, List<Group>>();
        forEachChunk(List.copyOf(userIds), chunk -> query("SELECT " + GROUP_COLUMNS + ", m.user_id "
                + "FROM iam_groups g JOIN group_members m ON m.group_id = g.group_id "
                + "WHERE m.user_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk),
                row -> groups.computeIfAbsent(row.getString(6), id -> new ArrayList<>()).add(group(row))));
        groups.values().forEach(list -> list.sort(Comparator.comparing(group -> nameKey(group.groupName()))));
        return groups;
    }

    @Override
    public Map<PolicyOwner, List<InlinePolicy>> listInlinePoliciesOf(Collection<PolicyOwner> owners) {
        var policies = new HashMap<PolicyOwner, List<InlinePolicy>>();
        forEachChunkOfOneKind(owners, (kind, chunk) -> query("SELECT owner_id, policy_name, policy_document "
                + "FROM inline_policies WHERE owner_kind = ? AND owner_id IN (" + placeholders(chunk.size()) + ") "
                + "ORDER BY owner_id, policy_name", bindAfter(kind.name(), chunk),
                row -> policies.computeIfAbsent(new PolicyOwner(kind, row.getString(1)), owner -> new ArrayList<>())
                        .add(new InlinePolicy(row.getString(2), row.getString(3)))));
        return policies;
    }

    /** {@inheritDoc} Two queries and the policies' own: the attachments first, then the policies they name. */
    @Override
    public Map<PolicyOwner, List<ManagedPolicy>> listAttachedPoliciesOf(Collection<PolicyOwner> owners) {
        var attachments = new LinkedHashMap<PolicyOwner, List<String>>();
        var policyIds = new LinkedHashSet<String>();
        forEachChunkOfOneKind(owners, (kind, chunk) -> query("SELECT owner_id, policy_id FROM policy_attachments "
                + "WHERE owner_kind = ? AND owner_id IN (" + placeholders(chunk.size()) + ")",
                bindAfter(kind.name(), chunk), row -> {
                    attachments.computeIfAbsent(new PolicyOwner(kind, row.getString(1)), owner -> new ArrayList<>())
                            .add(row.getString(2));
                    return policyIds.add(row.getString(2));
                }));
        var policies = new HashMap<String, ManagedPolicy>();
        forEachChunk(List.copyOf(policyIds), chunk -> managedPolicies("SELECT " + POLICY_COLUMNS
                + "WHERE p.policy_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk))
                .forEach(policy -> policies.put(policy.policyId(), policy)));
        var attached = new HashMap<PolicyOwner, List<ManagedPolicy>>();
        attachments.forEach((owner, ids) -> attached.put(owner, ids.stream()
                .map(policies::get)
                .sorted(Comparator.comparing(policy -> nameKey(policy.policyName())))
                .toList()));
        return attached;
    }

    @Override
    public Map<String, List<PolicyVersion>> listPolicyVersionsOf(Collection<String> policyIds) {
        var versions = new HashMap<String, List<PolicyVersion>>();
        forEachChunk(List.copyOf(policyIds), chunk -> query("SELECT v.policy_id, v.version_id, v.document, "
                + "v.create_date, p.default_version_id FROM policy_versions v "
                + "JOIN managed_policies p ON p.policy_id = v.policy_id WHERE v.policy_id IN ("
                + placeholders(chunk.size()) + ") ORDER BY v.policy_id, v.create_date DESC, v.version_id DESC",
                bindAll(chunk), row -> versions.computeIfAbsent(row.getString(1), id -> new ArrayList<>())
                        .add(policyVersion(row))));
        return versions;
    }

    @Override
    public Map<String, RoleLastUsed> findRoleLastUsedOf(Collection<String> roleIds) {
        var uses = new HashMap<String, RoleLastUsed>();
        forEachChunk(List.copyOf(roleIds), chunk -> query("SELECT role_id, last_used_date, last_used_region "
                + "FROM roles WHERE role_id IN (" + placeholders(chunk.size()) + ") AND last_used_date IS NOT NULL",
                bindAll(chunk), row -> uses.put(row.getString(1),
                        new RoleLastUsed(Instant.ofEpochMilli(row.getLong(2)), row.getString(3)))));
        return uses;
    }

    /**
     * {@inheritDoc} The store counts an AWS managed policy's attachments in every account; here only those to the
     * account's users, groups and roles are counted, in the same query that finds the policies.
     */
    @Override
    public List<ManagedPolicy> listAwsManagedPoliciesAttachedIn(String accountId) {
        var policies = new ArrayList<>(managedPolicies("SELECT p.policy_id, p.account_id, p.policy_name, p.path, "
                + "p.default_version_id, p.description, p.create_date, p.update_date, COUNT(*) "
                + "FROM managed_policies p JOIN policy_attachments a ON a.policy_id = p.policy_id "
                + "WHERE p.account_id = '" + ManagedPolicy.AWS_MANAGED_ACCOUNT + "' AND ("
                + "(a.owner_kind = 'USER' AND a.owner_id IN (SELECT user_id FROM users WHERE account_id = ?)) OR "
                + "(a.owner_kind = 'GROUP' AND a.owner_id IN (SELECT group_id FROM iam_groups WHERE account_id = ?)) "
                + "OR (a.owner_kind = 'ROLE' AND a.owner_id IN (SELECT role_id FROM roles WHERE account_id = ?))) "
                + "GROUP BY p.policy_id, p.account_id, p.policy_name, p.path, p.default_version_id, p.description, "
                + "p.create_date, p.update_date", statement -> {
                    statement.setString(1, accountId);
                    statement.setString(2, accountId);
                    statement.setString(3, accountId);
                }, Optional.of(accountId)));
        policies.sort(Comparator.comparing(policy -> nameKey(policy.policyName())));
        return policies;
    }

    @Override
    public Map<String, List<AccessKey>> listAccessKeysOf(Collection<String> userIds) {
        var keys = new HashMap<String, List<AccessKey>>();
        forEachChunk(List.copyOf(userIds), chunk -> query("SELECT k.access_key_id, k.account_id, k.user_id, "
                + "u.user_name, k.status, k.create_date FROM access_keys k JOIN users u ON u.user_id = k.user_id "
                + "WHERE k.user_id IN (" + placeholders(chunk.size()) + ") "
                + "ORDER BY k.user_id, k.create_date, k.access_key_id", bindAll(chunk),
                row -> keys.computeIfAbsent(row.getString(3), id -> new ArrayList<>()).add(accessKey(row))));
        return keys;
    }

    @Override
    public Map<String, List<MfaDevice>> listMfaDevicesOf(Collection<String> userIds) {
        var devices = new HashMap<String, List<MfaDevice>>();
        forEachChunk(List.copyOf(userIds), chunk -> tagged("SELECT " + MFA_COLUMNS + "WHERE user_id IN ("
                + placeholders(chunk.size()) + ") ORDER BY user_id, serial_number", bindAll(chunk), MFA_TAG_KIND,
                JdbcSession::mfaDevice).forEach(device -> devices
                        .computeIfAbsent(device.userId().orElseThrow(), id -> new ArrayList<>()).add(device)));
        return devices;
    }

    @Override
    public Map<String, AccessKeyLastUsed> findAccessKeyLastUsedOf(Collection<String> accessKeyIds) {
        var uses = new HashMap<String, AccessKeyLastUsed>();
        forEachChunk(List.copyOf(accessKeyIds), chunk -> query("SELECT access_key_id, last_used_date, "
                + "last_used_region, last_used_service FROM access_keys WHERE access_key_id IN ("
                + placeholders(chunk.size()) + ") AND last_used_date IS NOT NULL", bindAll(chunk),
                row -> uses.put(row.getString(1), new AccessKeyLastUsed(Instant.ofEpochMilli(row.getLong(2)),
                        row.getString(3), row.getString(4)))));
        return uses;
    }

    /** Runs {@code work} on slices of {@code owners} of one kind each, as {@link #forEachChunk} does. */
    private static void forEachChunkOfOneKind(Collection<PolicyOwner> owners,
            BiConsumer<PolicyOwner.Kind, List<String>> work) {
        for (PolicyOwner.Kind kind : PolicyOwner.Kind.values()) {
            List<String> ids = owners.stream().filter(owner -> owner.kind() == kind).map(PolicyOwner::ownerId)
                    .distinct().toList();
            forEachChunk(ids, chunk -> work.accept(kind, chunk));
        }
    }

    // ---- instance profiles

    static final String INSTANCE_PROFILE_TAG_KIND = "INSTANCE_PROFILE";

    private static final String INSTANCE_PROFILE_COLUMNS = "p.instance_profile_id, p.account_id, "
            + "p.instance_profile_name, p.path, p.create_date FROM instance_profiles p ";

    @Override
    public Optional<InstanceProfile> findInstanceProfile(String accountId, String instanceProfileName) {
        Binder binder = statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(instanceProfileName));
        };
        lockForWrite("instance_profiles", "account_id = ? AND name_key = ?", binder);
        return first(instanceProfiles("SELECT " + INSTANCE_PROFILE_COLUMNS
                + "WHERE p.account_id = ? AND p.name_key = ?", binder));
    }

    /**
     * {@inheritDoc} Sorted here, not in SQL: PostgreSQL may sort {@code name_key} by a language's collation, and an
     * account has at most 1,000 instance profiles.
     */
    @Override
    public List<InstanceProfile> listInstanceProfiles(String accountId) {
        return sortedByName(instanceProfiles("SELECT " + INSTANCE_PROFILE_COLUMNS + "WHERE p.account_id = ?",
                statement -> statement.setString(1, accountId)));
    }

    @Override
    public int countInstanceProfiles(String accountId) {
        return countInAccount("instance_profiles", accountId);
    }

    /**
     * How many rows of {@code table}, one of the tables of an account's entities, belong to the account: a count over
     * the {@code (account_id, name_key)} index, no row read.
     */
    private int countInAccount(String table, String accountId) {
        return queryOne("SELECT COUNT(*) FROM " + table + " WHERE account_id = ?",
                statement -> statement.setString(1, accountId), row -> Math.toIntExact(row.getLong(1))).orElse(0);
    }

    @Override
    public List<InstanceProfile> listInstanceProfilesForRole(String roleId) {
        return sortedByName(instanceProfiles("SELECT " + INSTANCE_PROFILE_COLUMNS + "JOIN instance_profile_roles h "
                + "ON h.instance_profile_id = p.instance_profile_id WHERE h.role_id = ?",
                statement -> statement.setString(1, roleId)));
    }

    @Override
    public Map<String, List<InstanceProfile>> listInstanceProfilesForRoles(Collection<String> roleIds) {
        var profiles = new ArrayList<InstanceProfile>();
        forEachChunk(List.copyOf(roleIds), chunk -> profiles.addAll(instanceProfiles("SELECT "
                + INSTANCE_PROFILE_COLUMNS + "JOIN instance_profile_roles h ON h.instance_profile_id = "
                + "p.instance_profile_id WHERE h.role_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk))));
        var byRole = new HashMap<String, List<InstanceProfile>>();
        for (InstanceProfile profile : sortedByName(profiles)) {
            for (Role role : profile.roles()) {
                byRole.computeIfAbsent(role.roleId(), id -> new ArrayList<>()).add(profile);
            }
        }
        return byRole;
    }

    private static List<InstanceProfile> sortedByName(List<InstanceProfile> profiles) {
        var sorted = new ArrayList<>(profiles);
        sorted.sort(Comparator.comparing(profile -> nameKey(profile.instanceProfileName())));
        return sorted;
    }

    /**
     * The instance profiles a query selects ({@link #INSTANCE_PROFILE_COLUMNS} first), with their tags and the roles
     * they hold read in a few more queries, whatever the number of profiles.
     */
    private List<InstanceProfile> instanceProfiles(String sql, Binder binder) {
        List<Untagged<Function<List<Role>, InstanceProfile>>> rows = query(sql, binder, row -> {
            String instanceProfileId = row.getString(1);
            String accountId = row.getString(2);
            String instanceProfileName = row.getString(3);
            String path = row.getString(4);
            Instant createDate = Instant.ofEpochMilli(row.getLong(5));
            return new Untagged<>(instanceProfileId, tags -> roles -> new InstanceProfile(accountId,
                    instanceProfileId, instanceProfileName, path, createDate, roles, tags));
        });
        List<String> profileIds = rows.stream().map(Untagged::ownerId).toList();
        List<Function<List<Role>, InstanceProfile>> tagged = withTags(INSTANCE_PROFILE_TAG_KIND, rows);
        var roleIdOf = new HashMap<String, String>();
        forEachChunk(profileIds, chunk -> query("SELECT instance_profile_id, role_id FROM instance_profile_roles "
                + "WHERE instance_profile_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk),
                row -> roleIdOf.put(row.getString(1), row.getString(2))));
        var roles = new HashMap<String, Role>();
        forEachChunk(List.copyOf(new LinkedHashSet<>(roleIdOf.values())), chunk -> roles("SELECT " + ROLE_COLUMNS
                + "WHERE role_id IN (" + placeholders(chunk.size()) + ")", bindAll(chunk))
                .forEach(role -> roles.put(role.roleId(), role)));
        var profiles = new ArrayList<InstanceProfile>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Role role = roles.get(roleIdOf.get(profileIds.get(i)));
            profiles.add(tagged.get(i).apply(role == null ? List.of() : List.of(role)));
        }
        return profiles;
    }

    @Override
    public void createInstanceProfile(InstanceProfile profile) {
        update("INSERT INTO instance_profiles (instance_profile_id, account_id, instance_profile_name, name_key, "
                + "path, create_date) VALUES (?, ?, ?, ?, ?, ?)", statement -> {
                    statement.setString(1, profile.instanceProfileId());
                    statement.setString(2, profile.accountId());
                    statement.setString(3, profile.instanceProfileName());
                    statement.setString(4, nameKey(profile.instanceProfileName()));
                    statement.setString(5, profile.path());
                    statement.setLong(6, profile.createDate().toEpochMilli());
                });
        replaceTags(INSTANCE_PROFILE_TAG_KIND, profile.instanceProfileId(), profile.tags());
    }

    @Override
    public void updateInstanceProfile(InstanceProfile profile) {
        replaceTags(INSTANCE_PROFILE_TAG_KIND, profile.instanceProfileId(), profile.tags());
    }

    @Override
    public void deleteInstanceProfile(String instanceProfileId) {
        replaceTags(INSTANCE_PROFILE_TAG_KIND, instanceProfileId, List.of());
        update("DELETE FROM instance_profiles WHERE instance_profile_id = ?",
                statement -> statement.setString(1, instanceProfileId));
    }

    @Override
    public void addRoleToInstanceProfile(String instanceProfileId, String roleId) {
        update("INSERT INTO instance_profile_roles (instance_profile_id, role_id) VALUES (?, ?)", statement -> {
            statement.setString(1, instanceProfileId);
            statement.setString(2, roleId);
        });
    }

    @Override
    public void removeRoleFromInstanceProfile(String instanceProfileId, String roleId) {
        update("DELETE FROM instance_profile_roles WHERE instance_profile_id = ? AND role_id = ?", statement -> {
            statement.setString(1, instanceProfileId);
            statement.setString(2, roleId);
        });
    }

    // ---- plumbing

    /** IAM names are unique case-insensitively; the store compares lower-cased keys. */
    static String nameKey(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static void setNullable(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static void setNullableInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    /** Short lists (client ids, thumbprints) are stored one per line: none of their values can hold a newline. */
    private static String joinLines(List<String> values) {
        return String.join("\n", values);
    }

    private static List<String> splitLines(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                var result = new ArrayList<T>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }

    /**
     * At most this many values bound to one {@code IN} list: a page of IAM's largest {@code MaxItems} (1,000) and the
     * row that starts the next page in one statement, well within what the drivers accept.
     */
    private static final int CHUNK = 1001;

    /** Runs {@code work} on consecutive slices of {@code values} of at most {@link #CHUNK}; not at all on none. */
    private static void forEachChunk(List<String> values, Consumer<List<String>> work) {
        for (int from = 0; from < values.size(); from += CHUNK) {
            work.accept(values.subList(from, Math.min(values.size(), from + CHUNK)));
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static Binder bindAll(List<String> values) {
        return statement -> {
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 1, values.get(i));
            }
        };
    }

    /** Binds {@code first}, then {@code values}. */
    private static Binder bindAfter(String first, List<String> values) {
        return statement -> {
            statement.setString(1, first);
            for (int i = 0; i < values.size(); i++) {
                statement.setString(i + 2, values.get(i));
            }
        };
    }

    /**
     * Binds a page query's {@code account_id = ? AND name_key >= ? AND LEFT(path, ?) = ? ... LIMIT ?}: a prefix
     * compared by {@code LEFT}, not {@code LIKE}, since a path may hold {@code %} and {@code _}.
     */
    private static Binder pageBinder(String accountId, String pathPrefix, Optional<String> fromNameKey, int limit) {
        return statement -> {
            statement.setString(1, accountId);
            statement.setString(2, fromNameKey.orElse(""));
            statement.setInt(3, pathPrefix.length());
            statement.setString(4, pathPrefix);
            statement.setInt(5, limit);
        };
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
        List<T> rows = query(sql, binder, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private int update(String sql, Binder binder) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw StoreException.from(e);
        }
    }
}
