package org.opensts.iam.jdbc;

import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Schema version 11: what lets an IAM list call and a cold AssumeRole cost the same with 100,000 users and roles as
 * with ten.
 *
 * <p>ListUsers and ListRoles read one page at a time, by a range scan of the {@code (account_id, name_key)} index from
 * the page's first name on. The marker must compare as the index sorts, and the names must sort the same on both
 * databases: H2 compares strings as Java does, code unit by code unit, while a PostgreSQL database sorts by the
 * collation it was created with (often a language's, in which {@code a-b} sorts after {@code ab}). On PostgreSQL the
 * two name keys therefore take the {@code "C"} collation, byte order, which is Java's for IAM's ASCII names, and their
 * unique indexes are rebuilt in it. Column types are changed in SQL that only PostgreSQL accepts, hence a Java
 * migration rather than a script.
 *
 * <p>A managed policy's permissions boundary count looks users and roles up by boundary ARN, which no index served:
 * with 100,000 of each, reading one policy (as authorizing a principal whose cache entries are cold does for each
 * policy attached to it) scanned both tables.
 */
final class NameOrderMigration implements JavaMigration {
    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("11");
    }

    @Override
    public String getDescription() {
        return "name order and boundary indexes";
    }

    @Override
    public Integer getChecksum() {
        return 11;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        boolean postgres = context.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (Statement statement = context.getConnection().createStatement()) {
            if (postgres) {
                statement.execute("ALTER TABLE users ALTER COLUMN name_key TYPE VARCHAR(64) COLLATE \"C\"");
                statement.execute("ALTER TABLE roles ALTER COLUMN name_key TYPE VARCHAR(64) COLLATE \"C\"");
            }
            statement.execute("CREATE INDEX users_boundary ON users (permissions_boundary_arn)");
            statement.execute("CREATE INDEX roles_boundary ON roles (permissions_boundary_arn)");
        }
    }
}
