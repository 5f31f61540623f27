package org.opensts.iam.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.opensts.iam.BucketPolicy;
import org.opensts.iam.BucketPolicyStore;
import org.opensts.protocol.CallExecutor;

/**
 * Bucket policies in the identity store's database ({@code bucket_policies}, migration V9). On PostgreSQL every put
 * and delete announces itself like the store's other writes, so every node drops its cached policies within moments.
 */
final class JdbcBucketPolicyStore implements BucketPolicyStore {
    private final DataSource dataSource;
    private final boolean announce;
    /** The embedded store's sync, shared with the identity store's writes; null for PostgreSQL. */
    private final EmbeddedCommitSync commitSync;
    private final Clock clock;

    JdbcBucketPolicyStore(DataSource dataSource, boolean announce, EmbeddedCommitSync commitSync, Clock clock) {
        this.dataSource = dataSource;
        this.announce = announce;
        this.commitSync = commitSync;
        this.clock = clock;
    }

    @Override
    public Optional<BucketPolicy> find(String bucket) {
        return CallExecutor.blocking(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT bucket, account_id, document, updated_at FROM bucket_policies WHERE bucket = ?")) {
                statement.setString(1, bucket);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new BucketPolicy(row.getString(1), row.getString(2), row.getString(3),
                            Instant.ofEpochMilli(row.getLong(4))));
                }
            } catch (SQLException e) {
                throw StoreException.from(e);
            }
        });
    }

    /** {@inheritDoc} Two nodes putting at once: the last to commit wins, as with S3's own PutBucketPolicy. */
    @Override
    public void put(String bucket, String accountId, String document) {
        inTransaction(connection -> {
            long now = clock.millis();
            int updated;
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE bucket_policies SET account_id = ?, document = ?, updated_at = ? WHERE bucket = ?")) {
                statement.setString(1, accountId);
                statement.setString(2, document);
                statement.setLong(3, now);
                statement.setString(4, bucket);
                updated = statement.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO bucket_policies (bucket, account_id, document, updated_at) VALUES (?, ?, ?, ?)")) {
                    statement.setString(1, bucket);
                    statement.setString(2, accountId);
                    statement.setString(3, document);
                    statement.setLong(4, now);
                    statement.executeUpdate();
                }
            }
            return true;
        });
    }

    @Override
    public boolean delete(String bucket) {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM bucket_policies WHERE bucket = ?")) {
                statement.setString(1, bucket);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @Override
    public List<BucketPolicy> list() {
        return CallExecutor.blocking(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(
                            "SELECT bucket, account_id, document, updated_at FROM bucket_policies ORDER BY bucket");
                    ResultSet rows = statement.executeQuery()) {
                var policies = new ArrayList<BucketPolicy>();
                while (rows.next()) {
                    policies.add(new BucketPolicy(rows.getString(1), rows.getString(2), rows.getString(3),
                            Instant.ofEpochMilli(rows.getLong(4))));
                }
                return policies;
            } catch (SQLException e) {
                throw StoreException.from(e);
            }
        });
    }

    @Override
    public boolean replace(String bucket, String expected, String document) {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE bucket_policies SET document = ? WHERE bucket = ? AND document = ?")) {
                statement.setString(1, document);
                statement.setString(2, bucket);
                statement.setString(3, expected);
                return statement.executeUpdate() > 0;
            }
        });
    }

    @FunctionalInterface
    private interface Work {
        boolean run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction, announcing it on PostgreSQL, and forcing it to the disk on the embedded
     * store, when it changed something.
     */
    private boolean inTransaction(Work work) {
        return CallExecutor.blocking(() -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    boolean changed = work.run(connection);
                    if (announce && changed) {
                        PostgresChangeFeed.announce(connection);
                    }
                    connection.commit();
                    if (commitSync != null && changed) {
                        commitSync.afterCommit(connection);
                    }
                    return changed;
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw StoreException.from(e);
            }
        });
    }
}
