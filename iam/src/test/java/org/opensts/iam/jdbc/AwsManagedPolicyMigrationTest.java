package org.opensts.iam.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AwsManagedPolicyCatalog;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.PolicyVersion;
import org.opensts.iam.TestPostgres;
import org.opensts.iam.TestStores;
import org.opensts.token.MasterKey;

/**
 * How the AWS managed policy catalog reaches a store: copied whole into a new one, never again while the catalog is
 * unchanged, again (keeping ids and attachments) when it changes, into a store of the previous schema, and once when
 * several nodes start on one empty PostgreSQL database at the same time.
 */
class AwsManagedPolicyMigrationTest {
    private static final AwsManagedPolicyCatalog CATALOG = AwsManagedPolicyCatalog.load();
    private static final String READ_ONLY_ID = "ANPAJKSO7NDY4T57MWDSQ";
    private static final String LAMBDA_EXECUTE = "AWSLambdaExecute";

    private final MasterKey masterKey = TestStores.newMasterKey();

    @TempDir
    Path dataDir;

    private JdbcIdentityStore open(StoreSettings settings) {
        return JdbcIdentityStore.open(settings, masterKey, Clock.systemUTC());
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String lambdaExecuteId(JdbcIdentityStore store) {
        return store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, LAMBDA_EXECUTE).orElseThrow().policyId();
    }

    @Test
    void aNewStore_holdsEveryCatalogPolicy_withItsDefaultVersionOnly() {
        try (JdbcIdentityStore store = TestStores.inMemory(masterKey, Clock.systemUTC())) {
            assertThat(store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)).hasSize(CATALOG.policies().size());
            for (AwsManagedPolicyCatalog.Entry entry : CATALOG.policies()) {
                ManagedPolicy expected = entry.policy();
                assertThat(store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, expected.policyName()))
                        .contains(expected);
                assertThat(store.listPolicyVersions(expected.policyId())).containsExactly(new PolicyVersion(
                        expected.policyId(), expected.defaultVersionId(), entry.document(), true,
                        expected.updateDate()));
            }
        }
    }

    /** Flyway as the store configures it, but with the catalog shipped at {@code catalogVersions}. */
    private static void migrate(StoreSettings settings, List<String> catalogVersions) {
        var h2 = new JdbcDataSource();
        h2.setURL(settings.jdbcUrl());
        Flyway.configure().dataSource(h2).locations("classpath:db/migration")
                .javaMigrations(JdbcIdentityStore.javaMigrations(catalogVersions))
                .load().migrate();
    }

    @Test
    void reopeningAStore_doesNotCopyTheCatalogAgain() throws SQLException {
        StoreSettings settings = StoreSettings.embedded(dataDir);
        String id;
        try (JdbcIdentityStore store = open(settings)) {
            id = lambdaExecuteId(store);
            execute(store.dataSource(), "UPDATE policy_versions SET document = 'changed' WHERE policy_id = '" + id
                    + "'");
        }

        try (JdbcIdentityStore store = open(settings)) {
            assertThat(store.findPolicyVersion(id, "v1").orElseThrow().document()).isEqualTo("changed");
        }
    }

    @Test
    void aCatalogShippedAtANewerVersion_isCopiedAgain_keepingPolicyIdsAndAttachments() throws SQLException {
        StoreSettings settings = StoreSettings.embedded(dataDir);
        String id;
        var owner = new PolicyOwner(PolicyOwner.Kind.ROLE, "AROAEXAMPLE0000000001");
        try (JdbcIdentityStore store = open(settings)) {
            id = lambdaExecuteId(store);
            store.write(writer -> {
                writer.attachPolicy(owner, id);
                return null;
            });
            // As an older catalog left it: another default version, another document.
            execute(store.dataSource(), "UPDATE managed_policies SET default_version_id = 'v7' WHERE policy_id = '"
                    + id + "'");
            execute(store.dataSource(), "UPDATE policy_versions SET version_id = 'v7', document = 'old' "
                    + "WHERE policy_id = '" + id + "'");
        }

        migrate(settings, List.of(AwsManagedPolicyMigration.CATALOG_VERSIONS.get(0), "99"));

        try (JdbcIdentityStore store = open(settings)) {
            AwsManagedPolicyCatalog.Entry expected = CATALOG.policies().stream()
                    .filter(entry -> entry.policy().policyName().equals(LAMBDA_EXECUTE)).findFirst().orElseThrow();
            assertThat(lambdaExecuteId(store)).isEqualTo(id);
            assertThat(store.listPolicyVersions(id)).extracting(PolicyVersion::versionId, PolicyVersion::document)
                    .containsExactly(tuple("v1", expected.document()));
            assertThat(store.listAttachedPolicies(owner)).extracting(ManagedPolicy::policyId).containsExactly(id);
            assertThat(store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)).hasSize(CATALOG.policies().size());
        }
    }

    @Test
    void aNewStore_withTwoCatalogVersionsToPass_holdsTheCatalogOnce() throws SQLException {
        StoreSettings settings = StoreSettings.embedded(dataDir);

        migrate(settings, List.of("4", "99"));

        try (JdbcIdentityStore store = open(settings)) {
            assertThat(count(store.dataSource(), "SELECT COUNT(*) FROM policy_versions"))
                    .isEqualTo(CATALOG.policies().size());
            assertThat(count(store.dataSource(), "SELECT COUNT(*) FROM flyway_schema_history "
                    + "WHERE description = 'aws managed policies' AND success")).isEqualTo(2);
        }
    }

    @Test
    void aNodeOfTheReleaseBefore_stillStartsOnAStoreThatCopiedTheCatalog() throws IOException {
        StoreSettings settings = StoreSettings.embedded(dataDir);
        open(settings).close();
        var h2 = new JdbcDataSource();
        h2.setURL(settings.jdbcUrl());

        // The release before had the SQL migrations up to version 3 only; to it the catalog's migration and every
        // later one are future ones.
        Path previousRelease = Files.createDirectories(dataDir.resolve("previous-release"));
        for (String migration : List.of("V1__identities.sql", "V2__groups_policies_providers_mfa.sql",
                "V3__trust_policy_principals.sql")) {
            try (InputStream in = getClass().getResourceAsStream("/db/migration/" + migration)) {
                Files.copy(in, previousRelease.resolve(migration));
            }
        }
        var result = Flyway.configure().dataSource(h2).locations("filesystem:" + previousRelease).load().migrate();

        assertThat(result.success).isTrue();
        assertThat(result.migrationsExecuted).isZero();
    }

    /**
     * A store a newer release has migrated further holds what this build cannot read right (its tables without what
     * the newer migrations added), so this build refuses it, naming the migrations, rather than answer wrongly; a
     * newer copy of the catalog alone is data it reads as it is.
     */
    @Test
    void aStoreMigratedByANewerRelease_isRefused_butNotForANewerCatalogCopy() throws SQLException {
        StoreSettings settings = StoreSettings.embedded(dataDir);
        try (JdbcIdentityStore store = open(settings)) {
            execute(store.dataSource(), "INSERT INTO flyway_schema_history (installed_rank, version, description,"
                    + " type, script, checksum, installed_by, execution_time, success) VALUES (1000, '998',"
                    + " 'aws managed policies', 'JDBC', 'AwsManagedPolicyMigration', NULL, 'test', 0, TRUE)");
        }
        open(settings).close();
        try (JdbcIdentityStore store = open(settings)) {
            execute(store.dataSource(), "INSERT INTO flyway_schema_history (installed_rank, version, description,"
                    + " type, script, checksum, installed_by, execution_time, success) VALUES (1001, '999',"
                    + " 'role sessions', 'SQL', 'V999__role_sessions.sql', 0, 'test', 0, TRUE)");
        }

        assertThatThrownBy(() -> open(settings)).isInstanceOf(StoreException.class)
                .hasMessageContaining("migrated by a newer OpenSTS").hasMessageContaining("999 (role sessions)")
                .hasMessageNotContaining("998");
    }

    @Test
    void aStoreOfThePreviousSchema_getsTheWholeCatalog_keepingItsAttachments() throws SQLException {
        var h2 = new JdbcDataSource();
        StoreSettings settings = StoreSettings.embedded(dataDir);
        h2.setURL(settings.jdbcUrl());
        // Version 2 shipped four AWS managed policies; a user has one of them attached.
        Flyway.configure().dataSource(h2).locations("classpath:db/migration").target("2").load().migrate();
        execute(h2, "INSERT INTO accounts (account_id, create_date) VALUES ('123456789012', 0)");
        execute(h2, "INSERT INTO users (user_id, account_id, user_name, name_key, path, create_date) "
                + "VALUES ('AIDAEXAMPLE0000000001', '123456789012', 'alice', 'alice', '/', 0)");
        execute(h2, "INSERT INTO policy_attachments (owner_kind, owner_id, policy_id) "
                + "VALUES ('USER', 'AIDAEXAMPLE0000000001', '" + READ_ONLY_ID + "')");

        try (JdbcIdentityStore store = open(settings)) {
            List<ManagedPolicy> attached = store.listAttachedPolicies(
                    new PolicyOwner(PolicyOwner.Kind.USER, "AIDAEXAMPLE0000000001"));
            ManagedPolicy readOnly = CATALOG.policies().stream().map(AwsManagedPolicyCatalog.Entry::policy)
                    .filter(policy -> policy.policyName().equals("IAMReadOnlyAccess")).findFirst().orElseThrow();

            assertThat(attached).extracting(ManagedPolicy::policyId, ManagedPolicy::defaultVersionId)
                    .containsExactly(tuple(READ_ONLY_ID, readOnly.defaultVersionId()));
            assertThat(store.listPolicyVersions(READ_ONLY_ID)).hasSize(1);
            assertThat(store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)).hasSize(CATALOG.policies().size());
        }
    }

    @Test
    void nodesStartingAtOnceOnAnEmptyPostgresDatabase_copyTheCatalogOnce() throws Exception {
        StoreSettings settings = TestPostgres.newEmptyDatabase();
        int nodes = 3;
        var ready = new CountDownLatch(nodes);
        ExecutorService threads = Executors.newFixedThreadPool(nodes);
        var stores = new ArrayList<JdbcIdentityStore>();
        try {
            var starts = new ArrayList<Future<JdbcIdentityStore>>();
            for (int i = 0; i < nodes; i++) {
                Callable<JdbcIdentityStore> start = () -> {
                    ready.countDown();
                    ready.await();
                    return open(settings);
                };
                starts.add(threads.submit(start));
            }
            for (Future<JdbcIdentityStore> start : starts) {
                stores.add(start.get());
            }

            DataSource dataSource = stores.get(0).dataSource();
            assertThat(count(dataSource, "SELECT COUNT(*) FROM managed_policies WHERE account_id = 'aws'"))
                    .isEqualTo(CATALOG.policies().size());
            assertThat(count(dataSource, "SELECT COUNT(*) FROM policy_versions")).isEqualTo(CATALOG.policies().size());
            assertThat(count(dataSource, "SELECT COUNT(*) FROM flyway_schema_history "
                    + "WHERE description = 'aws managed policies'")).isEqualTo(1);
            assertThat(stores).allSatisfy(store -> assertThat(lambdaExecuteId(store)).startsWith("ANPA"));
        } finally {
            stores.forEach(JdbcIdentityStore::close);
            threads.shutdownNow();
        }
    }

    @Test
    void theStoresCatalogCopy_isWhatTheCatalogSays_onPostgres() {
        try (JdbcIdentityStore store = open(TestPostgres.newDatabase())) {
            AwsManagedPolicyCatalog.Entry entry = CATALOG.policies().get(CATALOG.policies().size() / 2);

            assertThat(store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, entry.policy().policyName()))
                    .contains(entry.policy());
            assertThat(store.findPolicyVersion(entry.policy().policyId(), entry.policy().defaultVersionId()))
                    .map(PolicyVersion::document).contains(entry.document());
            assertThat(store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)).hasSize(CATALOG.policies().size());
        }
    }
}
