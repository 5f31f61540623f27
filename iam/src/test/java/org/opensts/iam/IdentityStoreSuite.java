package org.opensts.iam;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.token.KeyRing;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

/**
 * What the identity store does, whatever database holds it: each subclass names a database, and every case here runs
 * on a fresh, migrated one. The cases drive {@link JdbcIdentityStore} through {@link IdentityStore#write} and the
 * reader methods only, plus plain SQL where a case checks what is at rest.
 *
 * <p>A new entity adds its cases here (one section per entity, as below), and they run on H2 and on PostgreSQL alike.
 */
abstract class IdentityStoreSuite {
    static final String ACCOUNT = "123456789012";
    static final String OTHER_ACCOUNT = "210987654321";
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123Z");
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final TrustPolicy TRUST_POLICY = TrustPolicy.of("{\"Version\":\"2012-10-17\",\"Statement\":[{"
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},"
            + "\"Action\":\"sts:AssumeRole\"}]}", Map.of());
    static final String ALICE = "arn:aws:iam::123456789012:user/alice";
    static final String DEPLOY = "arn:aws:iam::123456789012:role/ci/Deploy";
    /** A trust policy naming alice and the role Deploy, bound to their ids. */
    static final TrustPolicy BOUND_TRUST_POLICY = TrustPolicy.of("{\"Version\":\"2012-10-17\",\"Statement\":[{"
            + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"" + ALICE + "\",\"" + DEPLOY + "\","
            + "\"arn:aws:iam::123456789012:root\"]},\"Action\":\"sts:AssumeRole\"}]}",
            orderedMap(ALICE, "AIDAEXAMPLE0000000001", DEPLOY, "AROAEXAMPLE0000000009"));

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final MasterKey masterKey = TestStores.newMasterKey();
    StoreSettings settings;
    JdbcIdentityStore store;

    /** A new, empty database; each case gets its own. */
    abstract StoreSettings newDatabase();

    @BeforeEach
    void openStore() {
        settings = newDatabase();
        store = JdbcIdentityStore.open(settings, masterKey, clock);
        write(writer -> {
            writer.createAccount(new Account(ACCOUNT, NOW));
            writer.createAccount(new Account(OTHER_ACCOUNT, NOW));
        });
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    void write(Consumer<IdentityWriter> work) {
        store.write(writer -> {
            work.accept(writer);
            return null;
        });
    }

    static User user(String account, String userId, String name, Tag... tags) {
        return new User(account, userId, name, "/", NOW, Optional.empty(), List.of(tags));
    }

    static User user(String userId, String name) {
        return user(ACCOUNT, userId, name);
    }

    static Role role(String roleId, String name, Tag... tags) {
        return new Role(ACCOUNT, roleId, name, "/", TRUST_POLICY, Optional.empty(), Role.DEFAULT_MAX_SESSION_DURATION,
                Optional.empty(), List.of(tags), NOW);
    }

    static Map<String, String> orderedMap(String... keysAndValues) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static AccessKey accessKey(String accessKeyId, User owner, Instant createDate) {
        return new AccessKey(accessKeyId, owner.accountId(), owner.userId(), owner.userName(), AccessKeyStatus.ACTIVE,
                createDate);
    }

    // ---- accounts

    @Test
    void accounts_areFoundAndListedInIdOrder() {
        assertThat(store.findAccount(ACCOUNT)).contains(new Account(ACCOUNT, NOW));
        assertThat(store.listAccounts()).extracting(Account::accountId).containsExactly(ACCOUNT, OTHER_ACCOUNT);
        assertThat(store.findAccount("999999999999")).isEmpty();
    }

    @Test
    void createAccount_existingId_isADuplicateKey() {
        assertThatThrownBy(() -> write(writer -> writer.createAccount(new Account(ACCOUNT, NOW))))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
    }

    // ---- users

    @Test
    void createUser_readsBackEveryFieldByNameInAnyCaseAndById() {
        var alice = new User(ACCOUNT, "AIDAEXAMPLE0000000001", "Alice", "/team/platform/", NOW,
                Optional.of("arn:aws:iam::123456789012:policy/Boundary"),
                List.of(new Tag("Team", "Platform"), new Tag("CostCenter", "42")));
        write(writer -> writer.createUser(alice));

        assertThat(store.findUser(ACCOUNT, "alice")).contains(alice);
        assertThat(store.findUser(ACCOUNT, "ALICE")).contains(alice);
        assertThat(store.findUserById("AIDAEXAMPLE0000000001")).contains(alice);
        assertThat(store.findUser(OTHER_ACCOUNT, "alice")).isEmpty();
        assertThat(store.findUserById("AIDAEXAMPLE0000000009")).isEmpty();
    }

    @Test
    void createUser_sameNameInAnotherCase_isADuplicateKey() {
        write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "Alice")));

        assertThatThrownBy(() -> write(writer -> writer.createUser(user("AIDAEXAMPLE0000000002", "ALICE"))))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
    }

    @Test
    void createUser_sameNameInAnotherAccount_isAnotherUser() {
        write(writer -> {
            writer.createUser(user(ACCOUNT, "AIDAEXAMPLE0000000001", "alice"));
            writer.createUser(user(OTHER_ACCOUNT, "AIDAEXAMPLE0000000002", "alice"));
        });

        assertThat(store.findUser(ACCOUNT, "alice").orElseThrow().userId()).isEqualTo("AIDAEXAMPLE0000000001");
        assertThat(store.findUser(OTHER_ACCOUNT, "alice").orElseThrow().userId()).isEqualTo("AIDAEXAMPLE0000000002");
    }

    @Test
    void createUser_existingId_isADuplicateKey() {
        write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "alice")));

        assertThatThrownBy(() -> write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "bob"))))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
    }

    @Test
    void listUsers_isSortedByNameIgnoringCase() {
        write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "carol"));
            writer.createUser(user("AIDAEXAMPLE0000000002", "Bob"));
            writer.createUser(user("AIDAEXAMPLE0000000003", "alice"));
            writer.createUser(user(OTHER_ACCOUNT, "AIDAEXAMPLE0000000004", "dave"));
        });

        assertThat(store.listUsers(ACCOUNT)).extracting(User::userName).containsExactly("alice", "Bob", "carol");
    }

    @Test
    void countUsers_countsTheAccountsOwnOnly() {
        write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "alice"));
            writer.createUser(user("AIDAEXAMPLE0000000002", "bob"));
            writer.createUser(user(OTHER_ACCOUNT, "AIDAEXAMPLE0000000003", "alice"));
        });

        assertThat(store.countUsers(ACCOUNT)).isEqualTo(2);
        assertThat(store.countUsers(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countUsers("999999999999")).isZero();
    }

    @Test
    void countUsers_inAWrite_countsWhatTheWriteCreatedAndDeleted() {
        write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "alice")));

        store.write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000002", "bob"));
            writer.createUser(user("AIDAEXAMPLE0000000003", "carol"));
            writer.deleteUser("AIDAEXAMPLE0000000001");
            assertThat(writer.countUsers(ACCOUNT)).isEqualTo(2);
            return null;
        });
        assertThat(store.countUsers(ACCOUNT)).isEqualTo(2);
    }

    /** Every character IAM allows in a name, in an order that a language's collation would sort differently. */
    static final List<String> AWKWARD_NAMES = List.of("ab", "a-b", "A_b", "a.b", "a+b", "a=b", "a,b", "a@b", "aB1",
            "Z9", "z10", "0a", "_x", "-", "@");

    @Test
    void listUsersPage_walkedFromMarkerToMarker_givesEveryUserOnceInJavaOrderOfLowerCaseNames() {
        write(writer -> {
            for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
                writer.createUser(user(String.format("AIDAEXAMPLE%010d", i), AWKWARD_NAMES.get(i)));
            }
            writer.createUser(user(OTHER_ACCOUNT, "AIDAEXAMPLE9999999999", "a-a"));
        });
        var walked = new ArrayList<String>();
        Optional<String> from = Optional.empty();
        int pages = 0;
        do {
            List<User> page = store.listUsers(ACCOUNT, "/", from, 4 + 1);
            page.stream().limit(4).forEach(user -> walked.add(user.userName()));
            from = page.size() > 4 ? Optional.of(page.get(4).userName().toLowerCase(Locale.ROOT))
                    : Optional.empty();
            pages++;
        } while (from.isPresent());

        assertThat(walked).containsExactlyElementsOf(AWKWARD_NAMES.stream()
                .sorted(Comparator.comparing(name -> name.toLowerCase(Locale.ROOT))).toList());
        assertThat(pages).isEqualTo(4);
    }

    @Test
    void listRolesPage_walkedFromMarkerToMarker_givesEveryRoleOnceInJavaOrderOfLowerCaseNames() {
        write(writer -> {
            for (int i = 0; i < AWKWARD_NAMES.size(); i++) {
                writer.createRole(role(String.format("AROAEXAMPLE%010d", i), AWKWARD_NAMES.get(i)));
            }
        });
        var walked = new ArrayList<String>();
        Optional<String> from = Optional.empty();
        do {
            List<Role> page = store.listRoles(ACCOUNT, "/", from, 5 + 1);
            page.stream().limit(5).forEach(role -> walked.add(role.roleName()));
            from = page.size() > 5 ? Optional.of(page.get(5).roleName().toLowerCase(Locale.ROOT))
                    : Optional.empty();
        } while (from.isPresent());

        assertThat(walked).containsExactlyElementsOf(AWKWARD_NAMES.stream()
                .sorted(Comparator.comparing(name -> name.toLowerCase(Locale.ROOT))).toList());
    }

    @Test
    void listUsersPage_fromAKeyNoUserHas_startsAtTheNextNameAndStopsAtTheLimit() {
        write(writer -> List.of("alice", "bob", "carol", "dave").forEach(
                name -> writer.createUser(user("AIDAEXAMPLE" + name.toUpperCase(Locale.ROOT), name))));

        assertThat(store.listUsers(ACCOUNT, "/", Optional.of("b"), 2)).extracting(User::userName)
                .containsExactly("bob", "carol");
        assertThat(store.listUsers(ACCOUNT, "/", Optional.of("zz"), 2)).isEmpty();
    }

    @Test
    void listUsersPage_pathPrefix_isALiteralPrefixNotAPattern() {
        write(writer -> {
            writer.createUser(new User(ACCOUNT, "AIDAEXAMPLE0000000001", "literal", "/a_b%/", NOW, Optional.empty(),
                    List.of()));
            writer.createUser(new User(ACCOUNT, "AIDAEXAMPLE0000000002", "underscore", "/axbc/", NOW, Optional.empty(),
                    List.of()));
            writer.createUser(new User(ACCOUNT, "AIDAEXAMPLE0000000003", "deeper", "/a_b%/c/", NOW, Optional.empty(),
                    List.of()));
            writer.createUser(user("AIDAEXAMPLE0000000004", "root"));
        });

        assertThat(store.listUsers(ACCOUNT, "/a_b%/", Optional.empty(), 10)).extracting(User::userName)
                .containsExactly("deeper", "literal");
        assertThat(store.listUsers(ACCOUNT, "/", Optional.empty(), 10)).hasSize(4);
    }

    @Test
    void listedUsersAndRoles_eachCarryTheirOwnTagsAndBindingsInOrder() {
        write(writer -> {
            for (int i = 0; i < 30; i++) {
                writer.createUser(user(ACCOUNT, String.format("AIDAEXAMPLE%010d", i), "user" + i,
                        new Tag("index", Integer.toString(i)), new Tag("a", "first"), new Tag("Z", "last")));
                Tag[] tags = i % 2 == 0 ? new Tag[0] : new Tag[] {new Tag("index", Integer.toString(i))};
                writer.createRole(new Role(ACCOUNT, String.format("AROAEXAMPLE%010d", i), "role" + i, "/",
                        i % 3 == 0 ? BOUND_TRUST_POLICY : TRUST_POLICY, Optional.empty(),
                        Role.DEFAULT_MAX_SESSION_DURATION, Optional.empty(), List.of(tags), NOW));
            }
        });

        for (User user : store.listUsers(ACCOUNT, "/", Optional.empty(), 100)) {
            String index = user.userName().substring("user".length());
            assertThat(user.tags()).containsExactly(new Tag("index", index), new Tag("a", "first"),
                    new Tag("Z", "last"));
            assertThat(store.findUserById(user.userId())).contains(user);
        }
        List<Role> roles = store.listRoles(ACCOUNT, "/", Optional.empty(), 100);
        assertThat(roles).hasSize(30);
        for (Role role : roles) {
            int index = Integer.parseInt(role.roleName().substring("role".length()));
            assertThat(role.tags()).isEqualTo(index % 2 == 0 ? List.of() : List.of(new Tag("index", "" + index)));
            assertThat(role.trustPolicy()).isEqualTo(index % 3 == 0 ? BOUND_TRUST_POLICY : TRUST_POLICY);
            assertThat(store.findRoleById(role.roleId())).contains(role);
        }
        assertThat(store.listRoles(ACCOUNT)).isEqualTo(store.listRoles(ACCOUNT, "/", Optional.empty(), 1000));
    }

    // ---- access keys and their sealed secrets

    @Test
    void createAccessKey_readsBackTheKeyAndItsSecret() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        AccessKey key = accessKey("AKIAEXAMPLE000000001", alice, NOW);
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(key, Secret.ofUtf8(SECRET));
        });

        AccessKeyCredentials found = store.findAccessKey("AKIAEXAMPLE000000001").orElseThrow();
        assertThat(found.accessKey()).isEqualTo(key);
        assertThat(found.secretAccessKey().matches(SECRET.getBytes(UTF_8))).isTrue();
        assertThat(store.findAccessKey("AKIAEXAMPLE000000009")).isEmpty();
    }

    @Test
    void accessKeySecret_atRest_isSealedNotPlain() throws SQLException {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW), Secret.ofUtf8(SECRET));
        });

        byte[] stored = sealedSecret("AKIAEXAMPLE000000001");
        assertThat(new String(stored, UTF_8)).doesNotContain(SECRET);
        assertThat(new String(stored, ISO_8859_1)).doesNotContain(SECRET);
    }

    @Test
    void accessKeySecret_sealedForAnotherKeyId_doesNotOpen() throws SQLException {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW), Secret.ofUtf8(SECRET));
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000002", alice, NOW), Secret.ofUtf8("another secret"));
        });
        // Someone with write access to the database moves a sealed secret to another row.
        byte[] moved = sealedSecret("AKIAEXAMPLE000000001");
        try (Connection connection = store.dataSource().getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE access_keys SET secret_ciphertext = ? WHERE access_key_id = ?")) {
            update.setBytes(1, moved);
            update.setString(2, "AKIAEXAMPLE000000002");
            update.executeUpdate();
        }

        assertThatThrownBy(() -> store.findAccessKey("AKIAEXAMPLE000000002"))
                .isInstanceOf(StoreException.class)
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void accessKeySecret_withAnotherMasterKey_isAStoreErrorThatDoesNotShowTheSecret() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW), Secret.ofUtf8(SECRET));
        });

        try (JdbcIdentityStore otherKey = JdbcIdentityStore.open(settings, TestStores.newMasterKey(), clock)) {
            assertThatThrownBy(() -> otherKey.findAccessKey("AKIAEXAMPLE000000001"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void listAccessKeys_isOldestFirst() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE00000000B", alice, NOW.plusSeconds(60)), Secret.ofUtf8("b"));
            writer.createAccessKey(accessKey("AKIAEXAMPLE00000000A", alice, NOW), Secret.ofUtf8("a"));
        });

        assertThat(store.listAccessKeys(alice.userId())).extracting(AccessKey::accessKeyId)
                .containsExactly("AKIAEXAMPLE00000000A", "AKIAEXAMPLE00000000B");
    }

    @Test
    void credentialsOfManyUsers_areReadAtOnce_eachUsersOwn_asTheyAreReadOneByOne() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        User bob = user("AIDAEXAMPLE0000000002", "bob");
        User carol = user("AIDAEXAMPLE0000000003", "carol");
        var aliceDevice = new MfaDevice("arn:aws:iam::123456789012:mfa/alice", ACCOUNT, "alice", "/",
                Optional.empty(), Optional.empty(), 0, 0, NOW, List.of(new Tag("Owner", "alice")));
        var spare = new MfaDevice("arn:aws:iam::123456789012:mfa/spare", ACCOUNT, "spare", "/", Optional.empty(),
                Optional.empty(), 0, 0, NOW, List.of());
        write(writer -> {
            writer.createUser(alice);
            writer.createUser(bob);
            writer.createUser(carol);
            writer.createAccessKey(accessKey("AKIAEXAMPLE00000000B", alice, NOW.plusSeconds(60)), Secret.ofUtf8("b"));
            writer.createAccessKey(accessKey("AKIAEXAMPLE00000000A", alice, NOW), Secret.ofUtf8("a"));
            writer.createAccessKey(accessKey("AKIAEXAMPLE00000000C", bob, NOW), Secret.ofUtf8("c"));
            writer.createMfaDevice(aliceDevice, Secret.ofUtf8("seed"));
            writer.updateMfaDevice(aliceDevice.enabledFor(alice.userId(), NOW, 1));
            writer.createMfaDevice(spare, Secret.ofUtf8("seed"));
        });
        var use = new AccessKeyLastUsed(NOW.plusSeconds(5), "eu-west-1", "s3");
        store.recordUse(writer -> {
            writer.recordAccessKeyUse("AKIAEXAMPLE00000000A", use);
            return null;
        });
        List<String> users = List.of(carol.userId(), bob.userId(), alice.userId(), "AIDANOSUCHUSER000001");

        assertThat(store.listAccessKeysOf(users)).isEqualTo(Map.of(alice.userId(), store.listAccessKeys(alice.userId()),
                bob.userId(), store.listAccessKeys(bob.userId())));
        assertThat(store.listAccessKeysOf(users).get(alice.userId())).extracting(AccessKey::accessKeyId)
                .containsExactly("AKIAEXAMPLE00000000A", "AKIAEXAMPLE00000000B");
        assertThat(store.listMfaDevicesOf(users))
                .isEqualTo(Map.of(alice.userId(), store.listMfaDevicesForUser(alice.userId())));
        assertThat(store.listMfaDevicesOf(users).get(alice.userId())).singleElement().satisfies(device -> {
            assertThat(device.isEnabled()).isTrue();
            assertThat(device.tags()).containsExactly(new Tag("Owner", "alice"));
        });
        assertThat(store.findAccessKeyLastUsedOf(List.of("AKIAEXAMPLE00000000A", "AKIAEXAMPLE00000000B",
                "AKIAEXAMPLE00000000C", "AKIANOSUCHKEY0000001"))).isEqualTo(Map.of("AKIAEXAMPLE00000000A", use));
        assertThat(store.listAccessKeysOf(List.of())).isEmpty();
        assertThat(store.listMfaDevicesOf(List.of())).isEmpty();
        assertThat(store.findAccessKeyLastUsedOf(List.of())).isEmpty();
    }

    @Test
    void credentialsOfMoreUsersThanOneStatementBinds_areEveryOne() {
        User zed = user("AIDAEXAMPLE0000009999", "zed");
        write(writer -> {
            writer.createUser(zed);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000009", zed, NOW), Secret.ofUtf8("z"));
        });
        store.recordUse(writer -> {
            writer.recordAccessKeyUse("AKIAEXAMPLE000000009", new AccessKeyLastUsed(NOW, "us-east-1", "iam"));
            return null;
        });
        var userIds = new ArrayList<String>();
        var keyIds = new ArrayList<String>();
        for (int i = 0; i < 2500; i++) {
            userIds.add("AIDAEXAMPLE%010d".formatted(i));
            keyIds.add("AKIAEXAMPLE%09d".formatted(i + 10));
        }
        userIds.add(zed.userId());
        keyIds.add("AKIAEXAMPLE000000009");

        assertThat(store.listAccessKeysOf(userIds)).containsOnlyKeys(zed.userId());
        assertThat(store.listMfaDevicesOf(userIds)).isEmpty();
        assertThat(store.findAccessKeyLastUsedOf(keyIds)).containsOnlyKeys("AKIAEXAMPLE000000009");
    }

    @Test
    void updateAccessKeyStatus_isReadBack() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW), Secret.ofUtf8(SECRET));
        });

        write(writer -> writer.updateAccessKeyStatus("AKIAEXAMPLE000000001", AccessKeyStatus.INACTIVE));

        assertThat(store.findAccessKey("AKIAEXAMPLE000000001").orElseThrow().accessKey().status())
                .isEqualTo(AccessKeyStatus.INACTIVE);
    }

    @Test
    void createAccessKey_existingId_isADuplicateKey() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        write(writer -> {
            writer.createUser(alice);
            writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW), Secret.ofUtf8(SECRET));
        });

        assertThatThrownBy(() -> write(writer -> writer.createAccessKey(accessKey("AKIAEXAMPLE000000001", alice, NOW),
                Secret.ofUtf8("other")))).isInstanceOf(StoreException.DuplicateKeyException.class);
    }

    private byte[] sealedSecret(String accessKeyId) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT secret_ciphertext FROM access_keys WHERE access_key_id = ?")) {
            query.setString(1, accessKeyId);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getBytes(1);
            }
        }
    }

    // ---- roles

    @Test
    void createRole_readsBackEveryFieldByNameInAnyCaseAndById() {
        var deploy = new Role(ACCOUNT, "AROAEXAMPLE0000000001", "Deploy", "/ci/", TRUST_POLICY,
                Optional.of("Deploys from CI"), Role.MAX_MAX_SESSION_DURATION,
                Optional.of("arn:aws:iam::123456789012:policy/Boundary"), List.of(new Tag("Env", "prod")), NOW);
        write(writer -> writer.createRole(deploy));

        assertThat(store.findRole(ACCOUNT, "deploy")).contains(deploy);
        assertThat(store.findRole(ACCOUNT, "DEPLOY")).contains(deploy);
        assertThat(store.findRoleById("AROAEXAMPLE0000000001")).contains(deploy);
        assertThat(store.findRole(OTHER_ACCOUNT, "deploy")).isEmpty();
    }

    @Test
    void updateRole_replacesTheMutableFieldsAndTheTags() {
        Role original = role("AROAEXAMPLE0000000001", "deploy", new Tag("Env", "prod"), new Tag("Team", "ci"));
        write(writer -> writer.createRole(original));
        Role updated = original
                .withTrustPolicy(BOUND_TRUST_POLICY)
                .withDescriptionAndMaxSessionDuration(Optional.of("now described"), 7200)
                .withTags(List.of(new Tag("Env", "staging")));

        write(writer -> writer.updateRole(updated));

        assertThat(store.findRoleById(original.roleId())).contains(updated);
    }

    @Test
    void trustPolicy_readsBackTheDocumentAsSubmittedAndItsBindingsInOrder() {
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "deploy").withTrustPolicy(BOUND_TRUST_POLICY)));

        TrustPolicy read = store.findRole(ACCOUNT, "deploy").orElseThrow().trustPolicy();

        assertThat(read.document()).isEqualTo(BOUND_TRUST_POLICY.document());
        assertThat(read.bindings()).containsExactlyEntriesOf(BOUND_TRUST_POLICY.bindings());
        assertThat(read.evaluatedDocument()).contains("AIDAEXAMPLE0000000001", "AROAEXAMPLE0000000009")
                .doesNotContain(ALICE, DEPLOY);
    }

    @Test
    void updateRole_withATrustPolicyBindingFewerPrincipals_dropsTheOthers() {
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "deploy").withTrustPolicy(BOUND_TRUST_POLICY)));

        write(writer -> writer.updateRole(role("AROAEXAMPLE0000000001", "deploy")));

        assertThat(store.findRoleById("AROAEXAMPLE0000000001").orElseThrow().trustPolicy().bindings()).isEmpty();
    }

    @Test
    void deleteRole_takesItsTrustPolicyBindingsWithIt() throws SQLException {
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "deploy").withTrustPolicy(BOUND_TRUST_POLICY)));

        write(writer -> writer.deleteRole("AROAEXAMPLE0000000001"));

        try (Connection connection = store.dataSource().getConnection();
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM role_trust_principals")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void createRole_sameNameInAnotherCase_isADuplicateKey() {
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "Deploy")));

        assertThatThrownBy(() -> write(writer -> writer.createRole(role("AROAEXAMPLE0000000002", "dEPLOY"))))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
    }

    @Test
    void countRoles_countsTheAccountsOwnOnly() {
        write(writer -> {
            writer.createRole(role("AROAEXAMPLE0000000001", "deploy"));
            writer.createRole(role("AROAEXAMPLE0000000002", "audit"));
            writer.createRole(new Role(OTHER_ACCOUNT, "AROAEXAMPLE0000000003", "deploy", "/", TRUST_POLICY,
                    Optional.empty(), Role.DEFAULT_MAX_SESSION_DURATION, Optional.empty(), List.of(), NOW));
        });

        assertThat(store.countRoles(ACCOUNT)).isEqualTo(2);
        assertThat(store.countRoles(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countRoles("999999999999")).isZero();
    }

    // ---- groups and managed policies: how many an account has

    @Test
    void countGroups_countsTheAccountsOwnOnly() {
        write(writer -> {
            writer.createGroup(new Group(ACCOUNT, "AGPAEXAMPLE0000000001", "devs", "/", NOW));
            writer.createGroup(new Group(ACCOUNT, "AGPAEXAMPLE0000000002", "ops", "/", NOW));
            writer.createGroup(new Group(OTHER_ACCOUNT, "AGPAEXAMPLE0000000003", "devs", "/", NOW));
        });

        assertThat(store.countGroups(ACCOUNT)).isEqualTo(2);
        assertThat(store.countGroups(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countGroups("999999999999")).isZero();
    }

    @Test
    void countManagedPolicies_countsTheAccountsOwnCustomerManagedOnes_notAwsManagedOnes() {
        write(writer -> {
            writer.createManagedPolicy(customerManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000001", "ReadLogs"), "{}");
            writer.createManagedPolicy(customerManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000002", "WriteLogs"), "{}");
            writer.createManagedPolicy(customerManagedPolicy(OTHER_ACCOUNT, "ANPAEXAMPLE0000000003", "ReadLogs"),
                    "{}");
        });

        assertThat(store.listManagedPolicies(ManagedPolicy.AWS_MANAGED_ACCOUNT)).isNotEmpty();
        assertThat(store.countManagedPolicies(ACCOUNT)).isEqualTo(2);
        assertThat(store.countManagedPolicies(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countManagedPolicies("999999999999")).isZero();
    }

    @Test
    void countPolicyVersions_countsEveryVersionOfTheAccountsOwnPolicies() {
        write(writer -> {
            writer.createManagedPolicy(customerManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000001", "ReadLogs"), "{}");
            writer.createPolicyVersion("ANPAEXAMPLE0000000001", "{\"v\":2}", NOW);
            writer.createManagedPolicy(customerManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000002", "WriteLogs"), "{}");
            writer.createManagedPolicy(customerManagedPolicy(OTHER_ACCOUNT, "ANPAEXAMPLE0000000003", "ReadLogs"),
                    "{}");
        });

        assertThat(store.countPolicyVersions(ACCOUNT)).isEqualTo(3);
        assertThat(store.countPolicyVersions(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countPolicyVersions(ManagedPolicy.AWS_MANAGED_ACCOUNT)).isPositive();
        assertThat(store.countPolicyVersions("999999999999")).isZero();
    }

    static ManagedPolicy customerManagedPolicy(String account, String policyId, String name) {
        return new ManagedPolicy(account, policyId, name, "/", "v1", Optional.empty(), NOW, NOW, List.of(), 0, 0);
    }

    // ---- inline policies

    @Test
    void putInlinePolicy_createsThenReplaces_andListsByName() {
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        PolicyOwner owner = PolicyOwner.of(deploy);
        write(writer -> {
            writer.createRole(deploy);
            writer.putInlinePolicy(owner, new InlinePolicy("write", "{\"v\":1}"));
            writer.putInlinePolicy(owner, new InlinePolicy("read", "{\"v\":1}"));
        });

        write(writer -> writer.putInlinePolicy(owner, new InlinePolicy("write", "{\"v\":2}")));

        assertThat(store.listInlinePolicies(owner)).containsExactly(new InlinePolicy("read", "{\"v\":1}"),
                new InlinePolicy("write", "{\"v\":2}"));
        assertThat(store.findInlinePolicy(owner, "write")).contains(new InlinePolicy("write", "{\"v\":2}"));
        assertThat(store.findInlinePolicy(owner, "missing")).isEmpty();
    }

    @Test
    void inlinePolicies_belongToTheirOwnerOnly() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        write(writer -> {
            writer.createUser(alice);
            writer.createRole(deploy);
            writer.putInlinePolicy(PolicyOwner.of(alice), new InlinePolicy("mine", "{}"));
        });

        assertThat(store.listInlinePolicies(PolicyOwner.of(deploy))).isEmpty();
        assertThat(store.findInlinePolicy(PolicyOwner.of(deploy), "mine")).isEmpty();
        assertThat(store.listInlinePolicies(PolicyOwner.of(alice))).hasSize(1);
    }

    @Test
    void inlinePolicyDocument_ofManyKilobytes_isReadBackExactly() {
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        // Over the 10,240-character role policy quota, to show the column does not cut it short.
        String document = "{\"Statement\":[" + "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"},".repeat(400)
                + "{}]}";
        write(writer -> {
            writer.createRole(deploy);
            writer.putInlinePolicy(PolicyOwner.of(deploy), new InlinePolicy("big", document));
        });

        assertThat(store.findInlinePolicy(PolicyOwner.of(deploy), "big").orElseThrow().policyDocument())
                .isEqualTo(document);
    }

    // ---- tags and text the two databases must keep alike

    record TextCase(String name, String userName, String tagKey, String tagValue) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TextCase> texts() {
        return Stream.of(
                new TextCase("plain ASCII", "alice", "Team", "Platform"),
                new TextCase("names and tags at their length limits", "u".repeat(64), "k".repeat(128),
                        "v".repeat(256)),
                new TextCase("characters IAM allows in names", "a+b=c,d.e@f-g_h", "aws:team/x.y", "a:b/c=d+e-f@g"),
                new TextCase("SQL quote and wildcard characters in values", "quote", "q", "it's 100% _literal_ \\"),
                new TextCase("non-ASCII tag values", "unicode", "Stadt", "Zürich, 東京, 🚀"),
                new TextCase("an empty tag value", "empty", "Empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void text_isReadBackExactly(TextCase text) {
        User user = user(ACCOUNT, "AIDAEXAMPLE0000000001", text.userName(), new Tag(text.tagKey(), text.tagValue()));
        write(writer -> writer.createUser(user));

        assertThat(store.findUser(ACCOUNT, text.userName())).contains(user);
    }

    @Test
    void tags_keepTheOrderTheyWereGivenIn() {
        List<Tag> tags = List.of(new Tag("zeta", "1"), new Tag("Alpha", "2"), new Tag("mid", "3"));
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "deploy", tags.toArray(Tag[]::new))));

        assertThat(store.findRoleById("AROAEXAMPLE0000000001").orElseThrow().tags()).isEqualTo(tags);
    }

    @Test
    void tags_twoKeysDifferingOnlyInCase_areADuplicateKey() {
        assertThatThrownBy(() -> write(writer -> writer.createUser(user(ACCOUNT, "AIDAEXAMPLE0000000001", "alice",
                new Tag("Team", "a"), new Tag("TEAM", "b"))))).isInstanceOf(StoreException.DuplicateKeyException.class);
        assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
    }

    @Test
    void tags_ofAManagedPolicy_mayDifferOnlyInCase() {
        var policy = new ManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000001", "Tagged", "/", "v1", Optional.empty(),
                Instant.EPOCH, Instant.EPOCH, List.of(new Tag("a", "lowercase"), new Tag("A", "uppercase")), 0, 0);

        write(writer -> writer.createManagedPolicy(policy, "{}"));

        assertThat(store.findManagedPolicy(ACCOUNT, "Tagged").orElseThrow().tags()).containsExactly(
                new Tag("a", "lowercase"), new Tag("A", "uppercase"));
    }

    @Test
    void tags_ofOneEntity_areNotAnothers() {
        write(writer -> {
            writer.createUser(user(ACCOUNT, "AIDAEXAMPLE0000000001", "alice", new Tag("Team", "a")));
            writer.createRole(role("AROAEXAMPLE0000000001", "deploy", new Tag("Env", "prod")));
        });

        assertThat(store.findUserById("AIDAEXAMPLE0000000001").orElseThrow().tags()).containsExactly(
                new Tag("Team", "a"));
        assertThat(store.findRoleById("AROAEXAMPLE0000000001").orElseThrow().tags()).containsExactly(
                new Tag("Env", "prod"));
    }

    // ---- instance profiles

    static InstanceProfile instanceProfile(String account, String profileId, String name, String path, Tag... tags) {
        return new InstanceProfile(account, profileId, name, path, NOW, List.of(), List.of(tags));
    }

    @Test
    void createInstanceProfile_readsBackEveryFieldByNameInAnyCase_withoutARole() {
        var web = instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "Web", "/app/", new Tag("Team", "a"),
                new Tag("Env", "prod"));
        write(writer -> writer.createInstanceProfile(web));

        assertThat(store.findInstanceProfile(ACCOUNT, "wEB")).contains(web);
        assertThat(store.findInstanceProfile(OTHER_ACCOUNT, "Web")).isEmpty();
        assertThat(web.arn()).isEqualTo("arn:aws:iam::123456789012:instance-profile/app/Web");
    }

    @Test
    void createInstanceProfile_sameNameInAnotherCase_isADuplicateKey_inTheSameAccountOnly() {
        write(writer -> writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "Web", "/")));

        assertThatThrownBy(() -> write(writer -> writer.createInstanceProfile(
                instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000002", "wEB", "/other/"))))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
        write(writer -> writer.createInstanceProfile(
                instanceProfile(OTHER_ACCOUNT, "AIPAEXAMPLE0000000003", "web", "/")));
    }

    @Test
    void countInstanceProfiles_countsTheAccountsOwnOnly() {
        write(writer -> {
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000002", "batch", "/"));
            writer.createInstanceProfile(instanceProfile(OTHER_ACCOUNT, "AIPAEXAMPLE0000000003", "web", "/"));
        });

        assertThat(store.countInstanceProfiles(ACCOUNT)).isEqualTo(2);
        assertThat(store.countInstanceProfiles(OTHER_ACCOUNT)).isEqualTo(1);
        assertThat(store.countInstanceProfiles("999999999999")).isZero();
    }

    @Test
    void listInstanceProfiles_isTheAccountsOnly_inJavaOrderOfLowerCaseNames_eachWithItsOwnTagsAndRole() {
        Role deploy = role("AROAEXAMPLE0000000001", "deploy", new Tag("Owner", "ci"));
        write(writer -> {
            writer.createRole(deploy);
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "b-web", "/",
                    new Tag("K", "b")));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000002", "A_batch", "/"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000003", "ab", "/",
                    new Tag("K", "ab")));
            writer.createInstanceProfile(instanceProfile(OTHER_ACCOUNT, "AIPAEXAMPLE0000000004", "elsewhere", "/"));
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000003", deploy.roleId());
        });

        List<InstanceProfile> listed = store.listInstanceProfiles(ACCOUNT);

        // Java order: "a_batch" sorts before "ab" ('_' is 0x5F, 'b' 0x62), whatever PostgreSQL's collation says.
        assertThat(listed).extracting(InstanceProfile::instanceProfileName).containsExactly("A_batch", "ab", "b-web");
        assertThat(listed).extracting(InstanceProfile::tags).containsExactly(List.of(),
                List.of(new Tag("K", "ab")), List.of(new Tag("K", "b")));
        assertThat(listed.get(1).roles()).containsExactly(deploy);
        assertThat(listed.get(0).roles()).isEmpty();
    }

    @Test
    void addRoleToInstanceProfile_isFoundFromBothSides_andRemovingItEmptiesBoth() {
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        Role idle = role("AROAEXAMPLE0000000002", "idle");
        write(writer -> {
            writer.createRole(deploy);
            writer.createRole(idle);
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000002", "Api", "/"));
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000001", deploy.roleId());
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000002", deploy.roleId());
        });

        assertThat(store.findInstanceProfile(ACCOUNT, "web").orElseThrow().roles()).containsExactly(deploy);
        assertThat(store.listInstanceProfilesForRole(deploy.roleId()))
                .extracting(InstanceProfile::instanceProfileName).containsExactly("Api", "web");
        assertThat(store.listInstanceProfilesForRole(idle.roleId())).isEmpty();

        write(writer -> writer.removeRoleFromInstanceProfile("AIPAEXAMPLE0000000001", deploy.roleId()));

        assertThat(store.findInstanceProfile(ACCOUNT, "web").orElseThrow().roles()).isEmpty();
        assertThat(store.listInstanceProfilesForRole(deploy.roleId()))
                .extracting(InstanceProfile::instanceProfileName).containsExactly("Api");
    }

    @Test
    void addRoleToInstanceProfile_aSecondRole_isRefusedByTheStoreItself() {
        write(writer -> {
            writer.createRole(role("AROAEXAMPLE0000000001", "deploy"));
            writer.createRole(role("AROAEXAMPLE0000000002", "idle"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/"));
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000001", "AROAEXAMPLE0000000001");
        });

        assertThatThrownBy(() -> write(writer -> writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000001",
                "AROAEXAMPLE0000000002"))).isInstanceOf(StoreException.class);
        assertThat(store.findInstanceProfile(ACCOUNT, "web").orElseThrow().roles())
                .extracting(Role::roleName).containsExactly("deploy");
    }

    @Test
    void deleteRole_whileInAnInstanceProfile_isRefusedByTheStoreItself() {
        write(writer -> {
            writer.createRole(role("AROAEXAMPLE0000000001", "deploy"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/"));
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000001", "AROAEXAMPLE0000000001");
        });

        assertThatThrownBy(() -> write(writer -> writer.deleteRole("AROAEXAMPLE0000000001")))
                .isInstanceOf(StoreException.class);
        assertThat(store.findRoleById("AROAEXAMPLE0000000001")).isPresent();
    }

    @Test
    void updateInstanceProfile_replacesTheTags_andDeleteTakesThemWithIt() throws SQLException {
        var web = instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/", new Tag("Team", "a"));
        write(writer -> writer.createInstanceProfile(web));

        write(writer -> writer.updateInstanceProfile(web.withTags(List.of(new Tag("Env", "prod")))));

        assertThat(store.findInstanceProfile(ACCOUNT, "web").orElseThrow().tags())
                .containsExactly(new Tag("Env", "prod"));

        write(writer -> writer.deleteInstanceProfile(web.instanceProfileId()));

        assertThat(store.findInstanceProfile(ACCOUNT, "web")).isEmpty();
        try (Connection connection = store.dataSource().getConnection();
                Statement query = connection.createStatement();
                ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM entity_tags")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isZero();
        }
    }

    @Test
    void listInstanceProfilesForRoles_givesEachRoleItsOwn_andLeavesOutRolesInNone() {
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        Role batch = role("AROAEXAMPLE0000000002", "batch");
        Role idle = role("AROAEXAMPLE0000000003", "idle");
        write(writer -> {
            writer.createRole(deploy);
            writer.createRole(batch);
            writer.createRole(idle);
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000001", "web", "/"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000002", "Api", "/"));
            writer.createInstanceProfile(instanceProfile(ACCOUNT, "AIPAEXAMPLE0000000003", "jobs", "/"));
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000001", deploy.roleId());
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000002", deploy.roleId());
            writer.addRoleToInstanceProfile("AIPAEXAMPLE0000000003", batch.roleId());
        });

        Map<String, List<InstanceProfile>> byRole = store.listInstanceProfilesForRoles(
                List.of(deploy.roleId(), batch.roleId(), idle.roleId()));

        assertThat(byRole.keySet()).containsExactlyInAnyOrder(deploy.roleId(), batch.roleId());
        assertThat(byRole.get(deploy.roleId())).extracting(InstanceProfile::instanceProfileName)
                .containsExactly("Api", "web");
        assertThat(byRole.get(batch.roleId())).extracting(InstanceProfile::roles)
                .containsExactly(List.of(batch));
    }

    // ---- many entities at once

    @Test
    void bulkReads_giveEachUserGroupAndRoleItsOwn_andLeaveOutThoseWithout() {
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        User bob = user("AIDAEXAMPLE0000000002", "Bob");
        Role deploy = role("AROAEXAMPLE0000000001", "deploy");
        Role idle = role("AROAEXAMPLE0000000002", "idle");
        var devs = new Group(ACCOUNT, "AGPAEXAMPLE0000000001", "devs", "/", NOW);
        var ops = new Group(ACCOUNT, "AGPAEXAMPLE0000000002", "Ops", "/", NOW);
        var policy = new ManagedPolicy(ACCOUNT, "ANPAEXAMPLE0000000001", "Shared", "/", "v1", Optional.empty(), NOW,
                NOW, List.of(), 0, 0);
        ManagedPolicy s3ReadOnly = store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, "AmazonS3ReadOnlyAccess")
                .orElseThrow();
        var use = new RoleLastUsed(NOW, "eu-west-1");
        write(writer -> {
            writer.createUser(alice);
            writer.createUser(bob);
            writer.createRole(deploy);
            writer.createRole(idle);
            writer.createGroup(devs);
            writer.createGroup(ops);
            writer.addUserToGroup(ops.groupId(), alice.userId());
            writer.addUserToGroup(devs.groupId(), alice.userId());
            writer.putInlinePolicy(PolicyOwner.of(alice), new InlinePolicy("a-inline", "{\"a\":1}"));
            writer.putInlinePolicy(PolicyOwner.of(devs), new InlinePolicy("g-inline", "{\"g\":1}"));
            writer.putInlinePolicy(PolicyOwner.of(deploy), new InlinePolicy("r-inline", "{\"r\":1}"));
            writer.createManagedPolicy(policy, "{\"v\":1}");
            writer.createPolicyVersion(policy.policyId(), "{\"v\":2}", NOW.plusSeconds(1));
            writer.attachPolicy(PolicyOwner.of(alice), policy.policyId());
            writer.attachPolicy(PolicyOwner.of(alice), s3ReadOnly.policyId());
            writer.attachPolicy(PolicyOwner.of(devs), s3ReadOnly.policyId());
            writer.attachPolicy(PolicyOwner.of(deploy), policy.policyId());
        });
        store.recordUse(writer -> {
            writer.recordRoleUse(deploy.roleId(), use);
            return null;
        });
        List<PolicyOwner> owners = List.of(PolicyOwner.of(alice), PolicyOwner.of(bob), PolicyOwner.of(devs),
                PolicyOwner.of(ops), PolicyOwner.of(deploy), PolicyOwner.of(idle));

        assertThat(store.findUsersById(List.of(bob.userId(), alice.userId(), "AIDANOSUCHUSER000001")))
                .containsExactly(alice, bob);
        assertThat(store.findRolesById(List.of(idle.roleId(), deploy.roleId(), alice.userId())))
                .containsExactly(deploy, idle);
        assertThat(store.listGroupsForUsers(List.of(alice.userId(), bob.userId())))
                .isEqualTo(Map.of(alice.userId(), List.of(devs, ops)));
        assertThat(store.listInlinePoliciesOf(owners)).isEqualTo(Map.of(
                PolicyOwner.of(alice), List.of(new InlinePolicy("a-inline", "{\"a\":1}")),
                PolicyOwner.of(devs), List.of(new InlinePolicy("g-inline", "{\"g\":1}")),
                PolicyOwner.of(deploy), List.of(new InlinePolicy("r-inline", "{\"r\":1}"))));
        Map<PolicyOwner, List<ManagedPolicy>> attached = store.listAttachedPoliciesOf(owners);
        assertThat(attached.keySet()).containsExactlyInAnyOrder(PolicyOwner.of(alice), PolicyOwner.of(devs),
                PolicyOwner.of(deploy));
        assertThat(attached.get(PolicyOwner.of(alice))).extracting(ManagedPolicy::arn)
                .containsExactly(s3ReadOnly.arn(), policy.arn());
        assertThat(attached.get(PolicyOwner.of(devs))).extracting(ManagedPolicy::arn)
                .containsExactly(s3ReadOnly.arn());
        assertThat(attached.get(PolicyOwner.of(deploy))).isEqualTo(store.listAttachedPolicies(PolicyOwner.of(deploy)));
        assertThat(store.findRoleLastUsedOf(List.of(deploy.roleId(), idle.roleId())))
                .isEqualTo(Map.of(deploy.roleId(), use));
        assertThat(store.listPolicyVersionsOf(List.of(policy.policyId(), s3ReadOnly.policyId())))
                .isEqualTo(Map.of(policy.policyId(), store.listPolicyVersions(policy.policyId()),
                        s3ReadOnly.policyId(), store.listPolicyVersions(s3ReadOnly.policyId())));
        assertThat(store.listPolicyVersionsOf(List.of(policy.policyId())).get(policy.policyId()))
                .extracting(PolicyVersion::versionId).containsExactly("v2", "v1");
    }

    @Test
    void bulkReads_ofMoreIdsThanOneStatementBinds_findEveryOne() {
        write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "alice"));
            writer.createUser(user("AIDAEXAMPLE0000009999", "zed"));
        });
        var ids = new ArrayList<String>();
        for (int i = 0; i < 2500; i++) {
            ids.add("AIDAEXAMPLE%010d".formatted(i));
        }
        ids.add("AIDAEXAMPLE0000009999");

        assertThat(store.findUsersById(ids)).extracting(User::userName).containsExactly("alice", "zed");
        assertThat(store.listInlinePoliciesOf(ids.stream().map(id -> new PolicyOwner(PolicyOwner.Kind.USER, id))
                .toList())).isEmpty();
    }

    @Test
    void awsManagedPoliciesAttachedIn_anAccount_areCountedInThatAccountOnly() {
        ManagedPolicy s3ReadOnly = store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, "AmazonS3ReadOnlyAccess")
                .orElseThrow();
        ManagedPolicy lambdaExecute = store.findManagedPolicy(ManagedPolicy.AWS_MANAGED_ACCOUNT, "AWSLambdaExecute")
                .orElseThrow();
        User alice = user("AIDAEXAMPLE0000000001", "alice");
        User other = user(OTHER_ACCOUNT, "AIDAEXAMPLE0000000002", "other");
        var bounded = new Role(ACCOUNT, "AROAEXAMPLE0000000001", "bounded", "/", TRUST_POLICY, Optional.empty(),
                Role.DEFAULT_MAX_SESSION_DURATION, Optional.of(s3ReadOnly.arn()), List.of(), NOW);
        var otherBounded = new Role(OTHER_ACCOUNT, "AROAEXAMPLE0000000002", "bounded", "/", TRUST_POLICY,
                Optional.empty(), Role.DEFAULT_MAX_SESSION_DURATION, Optional.of(s3ReadOnly.arn()), List.of(), NOW);
        var otherGroup = new Group(OTHER_ACCOUNT, "AGPAEXAMPLE0000000001", "team", "/", NOW);
        write(writer -> {
            writer.createUser(alice);
            writer.createUser(other);
            writer.createRole(bounded);
            writer.createRole(otherBounded);
            writer.createGroup(otherGroup);
            writer.attachPolicy(PolicyOwner.of(alice), s3ReadOnly.policyId());
            writer.attachPolicy(PolicyOwner.of(bounded), s3ReadOnly.policyId());
            writer.attachPolicy(PolicyOwner.of(other), s3ReadOnly.policyId());
            writer.attachPolicy(PolicyOwner.of(otherGroup), lambdaExecute.policyId());
        });

        List<ManagedPolicy> mine = store.listAwsManagedPoliciesAttachedIn(ACCOUNT);
        List<ManagedPolicy> theirs = store.listAwsManagedPoliciesAttachedIn(OTHER_ACCOUNT);

        assertThat(mine).extracting(ManagedPolicy::policyName, ManagedPolicy::attachmentCount,
                ManagedPolicy::permissionsBoundaryUsageCount).containsExactly(
                        tuple("AmazonS3ReadOnlyAccess", 2, 1));
        assertThat(mine.get(0)).usingRecursiveComparison()
                .ignoringFields("attachmentCount", "permissionsBoundaryUsageCount").isEqualTo(s3ReadOnly);
        assertThat(theirs).extracting(ManagedPolicy::policyName, ManagedPolicy::attachmentCount,
                ManagedPolicy::permissionsBoundaryUsageCount).containsExactly(
                        tuple("AmazonS3ReadOnlyAccess", 1, 1),
                        tuple("AWSLambdaExecute", 1, 0));
    }

    // ---- transactions

    @Test
    void write_thatThrows_rollsBackEverythingItDid() {
        assertThatThrownBy(() -> store.write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "alice"));
            writer.createRole(role("AROAEXAMPLE0000000001", "deploy"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
        assertThat(store.findRole(ACCOUNT, "deploy")).isEmpty();
    }

    @Test
    void write_failingOnADuplicate_rollsBackItsEarlierStatements() {
        write(writer -> writer.createRole(role("AROAEXAMPLE0000000001", "deploy")));

        assertThatThrownBy(() -> write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "alice"));
            writer.createRole(role("AROAEXAMPLE0000000002", "Deploy"));
        })).isInstanceOf(StoreException.DuplicateKeyException.class);

        assertThat(store.findUser(ACCOUNT, "alice")).isEmpty();
    }

    @Test
    void write_seesItsOwnUncommittedChanges_andReturnsItsResult() {
        Optional<User> seenInside = store.write(writer -> {
            writer.createUser(user("AIDAEXAMPLE0000000001", "alice"));
            return writer.findUser(ACCOUNT, "ALICE");
        });

        assertThat(seenInside).isPresent();
    }

    @Test
    void committedWrite_isSeenByAnotherStoreOnTheSameDatabase() {
        write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "alice")));

        try (JdbcIdentityStore another = JdbcIdentityStore.open(settings, masterKey, clock)) {
            assertThat(another.findUser(ACCOUNT, "alice")).isPresent();
        }
    }

    @Test
    void reopening_migratesNothingAndKeepsEverything() throws SQLException {
        write(writer -> writer.createUser(user("AIDAEXAMPLE0000000001", "alice")));
        int migrations = appliedMigrations();
        store.close();

        store = JdbcIdentityStore.open(settings, masterKey, clock);

        assertThat(appliedMigrations()).isEqualTo(migrations);
        assertThat(store.findUser(ACCOUNT, "alice")).isPresent();
    }

    private int appliedMigrations() throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\"")) {
            row.next();
            return row.getInt(1);
        }
    }

    // ---- account settings: the alias and the password policy

    @Test
    void putAccountAlias_isFoundByAccountAndByAlias_andReplacesTheAccountsAlias() {
        write(writer -> writer.putAccountAlias(ACCOUNT, "example-corp"));
        write(writer -> writer.putAccountAlias(ACCOUNT, "example-corp-2"));

        assertThat(store.findAccountAlias(ACCOUNT)).contains("example-corp-2");
        assertThat(store.findAccountIdByAlias("example-corp-2")).contains(ACCOUNT);
        assertThat(store.findAccountIdByAlias("example-corp")).isEmpty();
        assertThat(store.findAccountAlias(OTHER_ACCOUNT)).isEmpty();
    }

    @Test
    void putAccountAlias_anotherAccountsAlias_isADuplicateKey() {
        write(writer -> writer.putAccountAlias(ACCOUNT, "example-corp"));

        assertThatThrownBy(() -> write(writer -> writer.putAccountAlias(OTHER_ACCOUNT, "example-corp")))
                .isInstanceOf(StoreException.DuplicateKeyException.class);
        assertThat(store.findAccountAlias(OTHER_ACCOUNT)).isEmpty();
    }

    @Test
    void deleteAccountAlias_leavesTheAccountWithoutOne_andTheAliasFree() {
        write(writer -> writer.putAccountAlias(ACCOUNT, "example-corp"));

        write(writer -> writer.deleteAccountAlias(ACCOUNT));
        write(writer -> writer.putAccountAlias(OTHER_ACCOUNT, "example-corp"));

        assertThat(store.findAccountAlias(ACCOUNT)).isEmpty();
        assertThat(store.findAccountIdByAlias("example-corp")).contains(OTHER_ACCOUNT);
    }

    @Test
    void putPasswordPolicy_readsBackEveryMember_andReplacesTheWholePolicy() {
        var full = new PasswordPolicy(10, true, true, true, true, true, Optional.of(60), Optional.of(3),
                Optional.of(true));
        var defaults = new PasswordPolicy(6, false, false, false, false, false, Optional.empty(), Optional.empty(),
                Optional.empty());

        write(writer -> writer.putPasswordPolicy(ACCOUNT, full));
        assertThat(store.findPasswordPolicy(ACCOUNT)).contains(full);

        write(writer -> writer.putPasswordPolicy(ACCOUNT, defaults));
        assertThat(store.findPasswordPolicy(ACCOUNT)).contains(defaults);
        assertThat(store.findPasswordPolicy(OTHER_ACCOUNT)).isEmpty();
    }

    @Test
    void putPasswordPolicy_hardExpiryFalse_isKeptApartFromNotGiven() {
        var policy = new PasswordPolicy(6, false, false, false, false, false, Optional.empty(), Optional.empty(),
                Optional.of(false));

        write(writer -> writer.putPasswordPolicy(ACCOUNT, policy));

        assertThat(store.findPasswordPolicy(ACCOUNT).orElseThrow().hardExpiry()).contains(false);
    }

    @Test
    void deletePasswordPolicy_leavesNone() {
        write(writer -> writer.putPasswordPolicy(ACCOUNT, new PasswordPolicy(8, false, true, false, false, false,
                Optional.empty(), Optional.of(24), Optional.empty())));

        write(writer -> writer.deletePasswordPolicy(ACCOUNT));

        assertThat(store.findPasswordPolicy(ACCOUNT)).isEmpty();
    }

    // ---- the session key ring

    @Test
    void keyRing_replacementIsACompareAndSetOnTheVersion() {
        assertThat(store.loadKeyRing()).isEmpty();
        assertThat(store.replaceKeyRing(new byte[] {1}, 0)).isTrue();
        assertThat(store.replaceKeyRing(new byte[] {2}, 0)).as("a second first ring").isFalse();
        long version = store.loadKeyRing().orElseThrow().version();

        assertThat(store.replaceKeyRing(new byte[] {3}, version)).isTrue();
        assertThat(store.replaceKeyRing(new byte[] {4}, version)).as("a stale version").isFalse();
        assertThat(store.loadKeyRing().orElseThrow().wrapped()).containsExactly(3);
        assertThat(store.loadKeyRing().orElseThrow().version()).isGreaterThan(version);
    }

    @Test
    void keyRing_everyByteValue_isReadBackExactly() {
        byte[] wrapped = new byte[4096];
        for (int i = 0; i < wrapped.length; i++) {
            wrapped[i] = (byte) i;
        }

        assertThat(store.replaceKeyRing(wrapped, 0)).isTrue();

        assertThat(store.loadKeyRing().orElseThrow().wrapped()).isEqualTo(wrapped);
    }

    @Test
    void keyRing_twoStoresReplacingFromOneVersion_onlyTheFirstWins() throws GeneralSecurityException {
        // A ring the master key opens: a store is opened only with the key its ring was wrapped with.
        assertThat(store.replaceKeyRing(masterKey.wrap(KeyRing.generate(NOW, new SecureRandom())), 0)).isTrue();
        long version = store.loadKeyRing().orElseThrow().version();

        try (JdbcIdentityStore another = JdbcIdentityStore.open(settings, masterKey, clock)) {
            boolean first = store.replaceKeyRing(new byte[] {2}, version);
            boolean second = another.replaceKeyRing(new byte[] {3}, version);

            assertThat(List.of(first, second)).containsExactly(true, false);
            assertThat(another.loadKeyRing().orElseThrow().wrapped()).containsExactly(2);
        }
    }
}
