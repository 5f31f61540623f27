package org.opensts.iam.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.opensts.iam.AwsManagedPolicyCatalog;
import org.opensts.iam.ManagedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the {@link AwsManagedPolicyCatalog} into {@code managed_policies} and {@code policy_versions}, where every
 * read, attachment and authorization finds AWS managed policies as it finds customer managed ones.
 *
 * <p>A versioned Flyway migration, one per catalog the project has shipped ({@link #CATALOG_VERSIONS}): a store copies
 * the catalog when it passes the newest of them, and never again until a regenerated catalog adds a newer one, so
 * start-up after the first does not grow with the catalog. The older ones do nothing (a new store copies the catalog
 * once, not once per version). Being versioned, the migration is one that a node of an earlier release ignores as a
 * future one, so during a rolling upgrade the nodes not yet upgraded still start. On PostgreSQL Flyway holds its lock
 * while it runs: of several nodes starting at once, one copies and the others find it done.
 *
 * <p>A policy already stored keeps its id, so its attachments still point at it; its path, dates and default version
 * are brought in line with the catalog, and its versions are replaced by the catalog's one. A stored AWS managed policy
 * the catalog no longer lists is left in place: identities may still have it attached, as they may on AWS.
 */
final class AwsManagedPolicyMigration implements JavaMigration {
    /**
     * The schema versions at which a catalog was shipped, oldest first. Regenerating the catalog adds a version above
     * every migration there is by then.
     */
    static final List<String> CATALOG_VERSIONS = List.of("4");
    /** How the schema history names each copy of the catalog. */
    static final String DESCRIPTION = "aws managed policies";

    private static final Logger LOG = LoggerFactory.getLogger(AwsManagedPolicyMigration.class);
    private static final int BATCH_SIZE = 200;

    private final MigrationVersion version;
    private final boolean copies;

    private AwsManagedPolicyMigration(String version, boolean copies) {
        this.version = MigrationVersion.fromVersion(version);
        this.copies = copies;
    }

    /** One migration per version, of which only the newest copies the catalog. */
    static List<JavaMigration> forVersions(List<String> versions) {
        var migrations = new ArrayList<JavaMigration>();
        for (int i = 0; i < versions.size(); i++) {
            migrations.add(new AwsManagedPolicyMigration(versions.get(i), i == versions.size() - 1));
        }
        return migrations;
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    /** The same for every version: Flyway checks that an applied migration's description has not changed. */
    @Override
    public String getDescription() {
        return DESCRIPTION;
    }

    /** None: the catalog an applied migration copied is allowed to differ from the one shipped now. */
    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        if (copies) {
            long started = System.nanoTime();
            AwsManagedPolicyCatalog catalog = AwsManagedPolicyCatalog.load();
            copy(context.getConnection(), catalog);
            LOG.info("Copied {} AWS managed policies ({}) into the store in {} ms", catalog.policies().size(),
                    catalog.source(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    static void copy(Connection connection, AwsManagedPolicyCatalog catalog) throws SQLException {
        Map<String, String> storedIds = storedPolicyIds(connection);
        try (var insertPolicy = connection.prepareStatement("INSERT INTO managed_policies (policy_name, path, "
                        + "default_version_id, next_version, description, create_date, update_date, policy_id, "
                        + "account_id, name_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                var updatePolicy = connection.prepareStatement("UPDATE managed_policies SET policy_name = ?, "
                        + "path = ?, default_version_id = ?, next_version = ?, description = ?, create_date = ?, "
                        + "update_date = ? WHERE policy_id = ?");
                var deleteVersions = connection.prepareStatement("DELETE FROM policy_versions WHERE policy_id = ?");
                var insertVersion = connection.prepareStatement("INSERT INTO policy_versions (policy_id, version_id, "
                        + "document, create_date) VALUES (?, ?, ?, ?)")) {
            int pending = 0;
            for (AwsManagedPolicyCatalog.Entry entry : catalog.policies()) {
                ManagedPolicy policy = entry.policy();
                String storedId = storedIds.get(JdbcSession.nameKey(policy.policyName()));
                String policyId = storedId != null ? storedId : policy.policyId();
                PreparedStatement upsert = storedId != null ? updatePolicy : insertPolicy;
                setPolicyColumns(upsert, policy, policyId);
                if (storedId == null) {
                    upsert.setString(9, ManagedPolicy.AWS_MANAGED_ACCOUNT);
                    upsert.setString(10, JdbcSession.nameKey(policy.policyName()));
                }
                upsert.addBatch();
                if (storedId != null) {
                    deleteVersions.setString(1, policyId);
                    deleteVersions.addBatch();
                }
                insertVersion.setString(1, policyId);
                insertVersion.setString(2, policy.defaultVersionId());
                insertVersion.setString(3, entry.document());
                // IAM dates the newest version, the default one of every AWS managed policy, with the policy's update.
                insertVersion.setLong(4, policy.updateDate().toEpochMilli());
                insertVersion.addBatch();
                if (++pending == BATCH_SIZE) {
                    flush(insertPolicy, updatePolicy, deleteVersions, insertVersion);
                    pending = 0;
                }
            }
            flush(insertPolicy, updatePolicy, deleteVersions, insertVersion);
        }
    }

    /** The ids of the AWS managed policies already stored, by name key. */
    private static Map<String, String> storedPolicyIds(Connection connection) throws SQLException {
        var ids = new HashMap<String, String>();
        try (var select = connection.prepareStatement(
                "SELECT name_key, policy_id FROM managed_policies WHERE account_id = ?")) {
            select.setString(1, ManagedPolicy.AWS_MANAGED_ACCOUNT);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return ids;
    }

    /** The first eight parameters, in the same order for the insert and the update. */
    private static void setPolicyColumns(PreparedStatement statement, ManagedPolicy policy, String policyId)
            throws SQLException {
        statement.setString(1, policy.policyName());
        statement.setString(2, policy.path());
        statement.setString(3, policy.defaultVersionId());
        // AWS managed policies get no versions from callers; the counter only has to stay past the default's number.
        statement.setInt(4, versionNumber(policy.defaultVersionId()) + 1);
        if (policy.description().isPresent()) {
            statement.setString(5, policy.description().get());
        } else {
            statement.setNull(5, Types.VARCHAR);
        }
        statement.setLong(6, policy.createDate().toEpochMilli());
        statement.setLong(7, policy.updateDate().toEpochMilli());
        statement.setString(8, policyId);
    }

    private static int versionNumber(String versionId) {
        return Integer.parseInt(versionId.substring(1));
    }

    /** Policies before their versions (the foreign key), old versions before the new. */
    private static void flush(PreparedStatement insertPolicy, PreparedStatement updatePolicy,
            PreparedStatement deleteVersions, PreparedStatement insertVersion) throws SQLException {
        insertPolicy.executeBatch();
        updatePolicy.executeBatch();
        deleteVersions.executeBatch();
        insertVersion.executeBatch();
    }
}
