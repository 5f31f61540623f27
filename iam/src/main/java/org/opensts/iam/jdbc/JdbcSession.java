package org.opensts.iam.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.opensts.iam.AccessKey;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyStatus;
import org.opensts.iam.Account;
import org.opensts.iam.IdentityWriter;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.Role;
import org.opensts.iam.Tag;
import org.opensts.iam.User;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/**
 * Every SQL statement of the identity store, run on one connection: autocommit for a single read, or the transaction
 * of one {@link JdbcIdentityStore#write}. SQL failures surface as {@link StoreException}.
 */
final class JdbcSession implements IdentityWriter {
    private final Connection connection;
    private final MasterKey masterKey;

    JdbcSession(Connection connection, MasterKey masterKey) {
        this.connection = connection;
        this.masterKey = masterKey;
    }

    // ---- accounts

    @Override
    public List<Account> listAccounts() {
        return query("SELECT account_id, create_date FROM accounts ORDER BY account_id", statement -> { },
                row -> new Account(row.getString(1), Instant.ofEpochMilli(row.getLong(2))));
    }

    @Override
    public Optional<Account> findAccount(String accountId) {
        return queryOne("SELECT account_id, create_date FROM accounts WHERE account_id = ?",
                statement -> statement.setString(1, accountId),
                row -> new Account(row.getString(1), Instant.ofEpochMilli(row.getLong(2))));
    }

    @Override
    public void createAccount(Account account) {
        update("INSERT INTO accounts (account_id, create_date) VALUES (?, ?)", statement -> {
            statement.setString(1, account.accountId());
            statement.setLong(2, account.createDate().toEpochMilli());
        });
    }

    // ---- users

    private static final String USER_COLUMNS =
            "user_id, account_id, user_name, path, create_date, permissions_boundary_arn FROM users ";

    @Override
    public Optional<User> findUser(String accountId, String userName) {
        return queryOne("SELECT " + USER_COLUMNS + "WHERE account_id = ? AND name_key = ?", statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(userName));
        }, this::user);
    }

    @Override
    public Optional<User> findUserById(String userId) {
        return queryOne("SELECT " + USER_COLUMNS + "WHERE user_id = ?", statement -> statement.setString(1, userId),
                this::user);
    }

    private User user(ResultSet row) throws SQLException {
        String userId = row.getString(1);
        return new User(row.getString(2), userId, row.getString(3), row.getString(4),
                Instant.ofEpochMilli(row.getLong(5)), Optional.ofNullable(row.getString(6)),
                tags(PolicyOwner.Kind.USER.name(), userId));
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

    // ---- access keys

    @Override
    public Optional<AccessKeyCredentials> findAccessKey(String accessKeyId) {
        return queryOne("SELECT k.access_key_id, k.account_id, k.user_id, u.user_name, k.status, k.create_date, "
                + "k.secret_ciphertext FROM access_keys k JOIN users u ON u.user_id = k.user_id "
                + "WHERE k.access_key_id = ?", statement -> statement.setString(1, accessKeyId), row -> {
                    AccessKey key = accessKey(row);
                    return new AccessKeyCredentials(key, openSecret(key.accessKeyId(), row.getBytes(7)));
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
        byte[] sealed = sealSecret(accessKey.accessKeyId(), secretAccessKey);
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

    /** Secrets are bound to their key id, so a ciphertext moved to another row does not open. */
    private byte[] sealSecret(String accessKeyId, Secret secret) {
        try {
            return masterKey.encrypt(secret.revealBytes(), secretContext(accessKeyId));
        } catch (GeneralSecurityException e) {
            throw new StoreException("Could not seal an access key secret", e);
        }
    }

    private Secret openSecret(String accessKeyId, byte[] sealed) {
        try {
            return Secret.copyOf(masterKey.decrypt(sealed, secretContext(accessKeyId)));
        } catch (GeneralSecurityException e) {
            throw new StoreException("Could not open the secret of access key " + accessKeyId
                    + ": is this the master key the store was created with?", e);
        }
    }

    private static byte[] secretContext(String accessKeyId) {
        return ("opensts access key secret " + accessKeyId).getBytes(UTF_8);
    }

    // ---- roles

    private static final String ROLE_COLUMNS = "role_id, account_id, role_name, path, assume_role_policy, "
            + "description, max_session_duration, permissions_boundary_arn, create_date FROM roles ";

    @Override
    public Optional<Role> findRole(String accountId, String roleName) {
        return queryOne("SELECT " + ROLE_COLUMNS + "WHERE account_id = ? AND name_key = ?", statement -> {
            statement.setString(1, accountId);
            statement.setString(2, nameKey(roleName));
        }, this::role);
    }

    @Override
    public Optional<Role> findRoleById(String roleId) {
        return queryOne("SELECT " + ROLE_COLUMNS + "WHERE role_id = ?", statement -> statement.setString(1, roleId),
                this::role);
    }

    private Role role(ResultSet row) throws SQLException {
        String roleId = row.getString(1);
        return new Role(row.getString(2), roleId, row.getString(3), row.getString(4), row.getString(5),
                Optional.ofNullable(row.getString(6)), row.getInt(7), Optional.ofNullable(row.getString(8)),
                tags(PolicyOwner.Kind.ROLE.name(), roleId), Instant.ofEpochMilli(row.getLong(9)));
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
                    statement.setString(6, role.assumeRolePolicyDocument());
                    setNullable(statement, 7, role.description());
                    statement.setInt(8, role.maxSessionDuration());
                    setNullable(statement, 9, role.permissionsBoundaryArn());
                    statement.setLong(10, role.createDate().toEpochMilli());
                });
        replaceTags(PolicyOwner.Kind.ROLE.name(), role.roleId(), role.tags());
    }

    @Override
    public void updateRole(Role role) {
        update("UPDATE roles SET assume_role_policy = ?, description = ?, max_session_duration = ?, "
                + "permissions_boundary_arn = ? WHERE role_id = ?", statement -> {
                    statement.setString(1, role.assumeRolePolicyDocument());
                    setNullable(statement, 2, role.description());
                    statement.setInt(3, role.maxSessionDuration());
                    setNullable(statement, 4, role.permissionsBoundaryArn());
                    statement.setString(5, role.roleId());
                });
        replaceTags(PolicyOwner.Kind.ROLE.name(), role.roleId(), role.tags());
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

    // ---- tags

    private List<Tag> tags(String ownerKind, String ownerId) throws SQLException {
        return query("SELECT tag_key, tag_value FROM entity_tags WHERE owner_kind = ? AND owner_id = ? "
                + "ORDER BY position", statement -> {
                    statement.setString(1, ownerKind);
                    statement.setString(2, ownerId);
                }, row -> new Tag(row.getString(1), row.getString(2)));
    }

    private void replaceTags(String ownerKind, String ownerId, List<Tag> tags) {
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
                        statement.setString(3, tag.key().toLowerCase(Locale.ROOT));
                        statement.setString(4, tag.key());
                        statement.setString(5, tag.value());
                        statement.setInt(6, index);
                    });
        }
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
