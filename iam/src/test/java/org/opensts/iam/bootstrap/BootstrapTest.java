package org.opensts.iam.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.iam.ForwardingIdentityReader;
import org.opensts.iam.Group;
import org.opensts.iam.IamService;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.IdentityWriter;
import org.opensts.iam.ManagedPolicy;
import org.opensts.iam.OpenIdConnectProvider;
import org.opensts.iam.OutboundFederation;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.PolicyVersion;
import org.opensts.iam.Role;
import org.opensts.iam.SamlProvider;
import org.opensts.iam.StoredKeyRing;
import org.opensts.iam.Tag;
import org.opensts.iam.TestStores;
import org.opensts.iam.User;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ErrorCode;

class BootstrapTest {
    private static final String FILE = """
            accounts:
              - id: "123456789012"
                users:
                  - name: alice
                    path: /team/
                    tags: {Team: platform}
                    policies:
                      - name: ReadOnly
                        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:Get*", Resource: "*"}]}
                    accessKeys:
                      - generate: true
                  - name: bob
                    accessKeys:
                      - accessKeyId: AKIARZPUZDIKE5ROZBQ5
                        secretAccessKey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                roles:
                  - name: demo
                    maxSessionDuration: 7200
                    trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/team/alice"},"Action":"sts:AssumeRole"}]}'
                    policies:
                      - name: Everything
                        document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
            """;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final WriteCountingStore counted = new WriteCountingStore(store);
    private final IamService iam = new IamService(counted, clock, new SecureRandom());
    private final Bootstrap bootstrap = new Bootstrap(iam);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void apply_createsEveryEntityOfTheFile() throws IOException {
        List<Bootstrap.GeneratedAccessKey> generated = bootstrap.apply(BootstrapFile.parse(FILE));

        assertThat(generated).singleElement().satisfies(key -> {
            assertThat(key.userName()).isEqualTo("alice");
            assertThat(key.toString()).doesNotContain(key.secretAccessKey().revealUtf8());
        });
        assertThat(iam.users().getUser("123456789012", "alice").arn()).isEqualTo("arn:aws:iam::123456789012:user/team/alice");
        assertThat(store.findAccessKey("AKIARZPUZDIKE5ROZBQ5")).isPresent();
        Role demo = iam.roles().getRole("123456789012", "demo");
        assertThat(demo.maxSessionDuration()).isEqualTo(7200);
        assertThat(store.listInlinePolicies(PolicyOwner.of(demo))).singleElement()
                .satisfies(policy -> assertThat(policy.policyDocument()).isEqualTo(
                        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                                + "\"Resource\":\"*\"}]}"));
    }

    @Test
    void apply_twice_changesNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(FILE));
        Role before = iam.roles().getRole("123456789012", "demo");
        var keysBefore = iam.users().listAccessKeys("123456789012", "alice");

        List<Bootstrap.GeneratedAccessKey> second = bootstrap.apply(BootstrapFile.parse(FILE));

        assertThat(second).isEmpty();
        assertThat(iam.roles().getRole("123456789012", "demo")).isEqualTo(before);
        assertThat(iam.users().listAccessKeys("123456789012", "alice")).isEqualTo(keysBefore);
    }

    @Test
    void apply_changedTrustPolicyAndDuration_updatesTheRole() throws IOException {
        bootstrap.apply(BootstrapFile.parse(FILE));

        bootstrap.apply(BootstrapFile.parse(FILE.replace("maxSessionDuration: 7200", "maxSessionDuration: 3600")
                .replace("user/team/alice", "user/bob")));

        Role demo = iam.roles().getRole("123456789012", "demo");
        assertThat(demo.maxSessionDuration()).isEqualTo(3600);
        assertThat(iam.roles().trustPolicyDocument(demo)).contains("user/bob");
        assertThat(demo.trustPolicy().bindings()).containsOnlyKeys("arn:aws:iam::123456789012:user/bob");
    }

    @Test
    void apply_twice_writesNothingTheSecondTime() throws IOException {
        bootstrap.apply(BootstrapFile.parse(FILE));
        int writesBefore = counted.writes();

        bootstrap.apply(BootstrapFile.parse(FILE));

        assertThat(counted.writes()).isEqualTo(writesBefore);
    }

    private static final String TAGS_FILE = """
            accounts:
              - id: "123456789012"
                users:
                  - name: u1
                    path: /team/
                    tags: {team: blue}
                roles:
                  - name: r1
                    path: /service/
                    tags: {team: blue}
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow,
                      Principal: {AWS: "arn:aws:iam::123456789012:root"}, Action: "sts:AssumeRole"}]}
            """;

    @Test
    void apply_changedAndAddedTags_areSetOnTheExistingUserAndRole_andTagsTheFileDoesNotNameStay() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));
        iam.users().tagUser("123456789012", "u1", List.of(new Tag("owner", "hand")));
        iam.roles().tagRole("123456789012", "r1", List.of(new Tag("owner", "hand")));

        bootstrap.apply(BootstrapFile.parse(TAGS_FILE.replace("{team: blue}", "{team: red, clearance: secret}")));

        assertThat(iam.users().getUser("123456789012", "u1").tags()).containsExactly(new Tag("team", "red"),
                new Tag("owner", "hand"), new Tag("clearance", "secret"));
        assertThat(iam.roles().getRole("123456789012", "r1").tags()).containsExactly(new Tag("team", "red"),
                new Tag("owner", "hand"), new Tag("clearance", "secret"));
    }

    @Test
    void apply_tagsGivenToAUserAndRoleCreatedWithout_areSet() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE.replace("tags: {team: blue}", "tags: {}")));

        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));

        assertThat(iam.users().getUser("123456789012", "u1").tags()).containsExactly(new Tag("team", "blue"));
        assertThat(iam.roles().getRole("123456789012", "r1").tags()).containsExactly(new Tag("team", "blue"));
    }

    @Test
    void apply_tagsAlreadyHeld_withTheKeyInAnotherCase_writesNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));
        iam.users().untagUser("123456789012", "u1", List.of("team"));
        iam.users().tagUser("123456789012", "u1", List.of(new Tag("TEAM", "blue")));
        int writesBefore = counted.writes();

        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));

        assertThat(counted.writes()).isEqualTo(writesBefore);
        assertThat(iam.users().getUser("123456789012", "u1").tags()).containsExactly(new Tag("TEAM", "blue"));
    }

    @Test
    void apply_tagsBeyondTheQuotaOfAnExistingUser_failsWithIamsError_andTagsNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));
        List<Tag> byHand = IntStream.range(0, 49).mapToObj(i -> new Tag("hand" + i, "x")).toList();
        iam.users().tagUser("123456789012", "u1", byHand);
        BootstrapFile file = BootstrapFile.parse(TAGS_FILE.replace("{team: blue}", "{team: blue, extra: x}"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("user u1 of account 123456789012: LimitExceeded: Cannot exceed quota for TagsPerUser: 50");
        assertThat(iam.users().getUser("123456789012", "u1").tags()).hasSize(50).doesNotContain(new Tag("extra", "x"));
    }

    @Test
    void apply_oneTagKeyInTwoCases_onAnExistingRole_isRefusedAsCreateRoleRefusesIt() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));
        BootstrapFile file = BootstrapFile.parse(TAGS_FILE.replace("path: /service/\n        tags: {team: blue}",
                "path: /service/\n        tags: {team: blue, TEAM: red}"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("role r1 of account 123456789012: InvalidInput: "
                        + "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
        assertThat(iam.roles().getRole("123456789012", "r1").tags()).containsExactly(new Tag("team", "blue"));
    }

    @Test
    void apply_reservedTagKey_onAnExistingUser_isRefusedAsTagUserRefusesIt() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));
        BootstrapFile file = BootstrapFile.parse(TAGS_FILE.replace("path: /team/\n        tags: {team: blue}",
                "path: /team/\n        tags: {\"aws:team\": blue}"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("user u1 of account 123456789012: InvalidInput: "
                        + "User-defined tag keys can't start with 'aws:'. This prefix is reserved for system tags.");
    }

    @Test
    void apply_changedUserPath_movesTheUser_butARoleStaysOnThePathItWasCreatedWith() throws IOException {
        bootstrap.apply(BootstrapFile.parse(TAGS_FILE));

        bootstrap.apply(BootstrapFile.parse(TAGS_FILE.replace("/team/", "/staff/").replace("/service/", "/other/")));

        assertThat(iam.users().getUser("123456789012", "u1").arn())
                .isEqualTo("arn:aws:iam::123456789012:user/staff/u1");
        assertThat(iam.roles().getRole("123456789012", "r1").path()).isEqualTo("/service/");
    }

    /** Account 1's roles trust each other and a user of account 2, which the file defines after account 1. */
    private static final String CROSS_REFERENCES = """
            accounts:
              - id: "111111111111"
                roles:
                  - name: a
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole",
                      Principal: {AWS: ["arn:aws:iam::111111111111:role/b", "arn:aws:iam::222222222222:user/carol"]}}]}
                  - name: b
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole",
                      Principal: {AWS: "arn:aws:iam::111111111111:role/a"}}]}
              - id: "222222222222"
                users:
                  - name: carol
            """;

    @Test
    void apply_trustPoliciesNamingEachOtherAndALaterAccountsUser_bindsEveryPrincipal() throws IOException {
        bootstrap.apply(BootstrapFile.parse(CROSS_REFERENCES));

        Role a = iam.roles().getRole("111111111111", "a");
        Role b = iam.roles().getRole("111111111111", "b");
        User carol = iam.users().getUser("222222222222", "carol");
        assertThat(a.trustPolicy().bindings()).containsExactly(Map.entry(b.arn(), b.roleId()),
                Map.entry(carol.arn(), carol.userId()));
        assertThat(b.trustPolicy().bindings()).containsExactly(Map.entry(a.arn(), a.roleId()));
        assertThat(iam.roles().trustPolicyDocument(a)).isEqualTo(a.trustPolicy().document()).contains(b.arn());
    }

    @Test
    void apply_twiceWithCrossReferences_changesNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(CROSS_REFERENCES));
        Role a = iam.roles().getRole("111111111111", "a");
        Role b = iam.roles().getRole("111111111111", "b");

        bootstrap.apply(BootstrapFile.parse(CROSS_REFERENCES));

        assertThat(iam.roles().getRole("111111111111", "a")).isEqualTo(a);
        assertThat(iam.roles().getRole("111111111111", "b")).isEqualTo(b);
    }

    @Test
    void apply_afterAUserItNamesWasDeleted_createsTheUserAgainAndTrustsTheNewOne() throws IOException {
        bootstrap.apply(BootstrapFile.parse(CROSS_REFERENCES));
        User old = iam.users().getUser("222222222222", "carol");
        iam.users().deleteUser("222222222222", "carol");

        bootstrap.apply(BootstrapFile.parse(CROSS_REFERENCES));

        User carol = iam.users().getUser("222222222222", "carol");
        assertThat(carol.userId()).isNotEqualTo(old.userId());
        assertThat(iam.roles().getRole("111111111111", "a").trustPolicy().bindings())
                .containsEntry(carol.arn(), carol.userId());
    }

    @Test
    void apply_trustNamingAUserNobodyHas_failsWithInvalidPrincipalAndTheNewRoleTrustsNobody() throws IOException {
        BootstrapFile file = BootstrapFile.parse(CROSS_REFERENCES.replace("user/carol", "user/nobody"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("role a of account 111111111111: MalformedPolicyDocument: Invalid principal in policy: "
                        + "\"AWS\":\"arn:aws:iam::222222222222:user/nobody\"");
        assertThat(iam.roles().getRole("111111111111", "a").trustPolicy().document())
                .isEqualTo(Bootstrap.TRUSTS_NOBODY);
    }

    @Test
    void apply_invalidRoleName_failsWithIamsError() throws IOException {
        BootstrapFile file = BootstrapFile.parse(FILE.replace("name: demo", "name: de mo"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .satisfies(e -> assertThat(((BootstrapException) e).entity())
                        .isEqualTo("role de mo of account 123456789012"))
                .extracting(e -> ((BootstrapException) e).errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void apply_knownKeyWithAnotherSecret_isRefused() throws IOException {
        bootstrap.apply(BootstrapFile.parse(FILE));

        BootstrapFile changed = BootstrapFile.parse(FILE.replace("EXAMPLEKEY", "CHANGEDKEY"));

        assertThatThrownBy(() -> bootstrap.apply(changed)).isInstanceOf(BootstrapException.class)
                .hasMessageStartingWith("user bob of account 123456789012: EntityAlreadyExists: ")
                .hasMessageNotContaining("CHANGEDKEY");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "accounts: !oNotForTheLog0123456789tyhn!\n  - id: \"123456789012\"\n",
        "accounts:\n  - id: \"123456789012\"\n    users: [ NotForTheLog0123456789 }\n",
        "accounts:\n  - id: 'NotForTheLog0123456789\n"})
    void read_syntaxError_saysWhereItIs_withoutQuotingTheText(String yaml, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bootstrap.yaml"), yaml);

        assertThatThrownBy(() -> BootstrapFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageMatching("(?s)Invalid bootstrap file .*: (not valid YAML|a value of the wrong kind at \\S+)"
                        + " \\(line \\d+, column \\d+\\)")
                .hasMessageNotContaining("NotForTheLog");
    }

    @Test
    void read_valueOfTheWrongKindUnderAKeyTheFileChose_isPlacedWithoutRepeatingTheKey(@TempDir Path dir)
            throws IOException {
        Path file = Files.writeString(dir.resolve("bootstrap.yaml"), "accounts:\n  - id: \"123456789012\"\n"
                + "    users:\n      - name: bob\n        tags: {Team: a, wJalrXUtnFEMI/K7MDENG/NotForTheLog: [b]}\n");

        assertThatThrownBy(() -> BootstrapFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(": a value of the wrong kind at accounts[0].users[0].tags.(a key)"
                        + " (line 5, column 61)")
                .hasMessageNotContaining("NotForTheLog");
    }

    static Stream<Arguments> unknownFields() {
        return Stream.of(
                Arguments.of("accounts:\n  - id: \"123456789012\"\n    roels: []\n",
                        "unknown field 'roels' in accounts[0]"),
                Arguments.of("accounts:\n  - id: \"123456789012\"\n    users:\n      - name: a\n      - name: b\n"
                        + "        polcies: []\n      - name: c\n", "unknown field 'polcies' in accounts[0].users[1]"),
                Arguments.of("acounts: []\n", "unknown field 'acounts' in the top level"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unknownFields")
    void read_unknownField_isReportedByTheEntryHoldingIt_notByAPositionPastIt(String yaml, String expected,
            @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("bootstrap.yaml"), yaml);

        assertThatThrownBy(() -> BootstrapFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith(": " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "accounts:\n  - id:\n",
        "accounts:\n  - id: \"123456789012\"\n    users:\n      - name:\n",
        "accounts:\n  - id: \"123456789012\"\n    groups:\n      - name:\n",
        "accounts:\n  - id: \"123456789012\"\n    roles:\n      - name: demo\n        trustPolicy:\n",
        "accounts:\n  - id: \"123456789012\"\n    roles:\n      - name:\n        trustPolicy: {}\n",
        "accounts:\n  - id: \"123456789012\"\n    policies:\n      - name: p\n        document: null\n",
        "accounts:\n  - id: \"123456789012\"\n    users:\n      - name: a\n        policies: [{name: ~, document: {}}]\n",
        "accounts:\n  - id: \"123456789012\"\n    samlProviders:\n      - name: corp\n        metadataDocument:\n",
        "accounts:\n  - id: \"123456789012\"\n    openIdConnectProviders:\n      - url:\n",
        "accounts:\n  - id: \"123456789012\"\n    users:\n      - name: a\n        tags: {Team: NULL}\n",
        "accounts:\n  - id: \"123456789012\"\n    roles:\n      - name: r\n        trustPolicy: {}\n        tags:\n"
                + "          Team:\n"})
    void read_requiredMemberGivenWithoutAValue_isAnInvalidFileNamingIt(String yaml) {
        assertThatThrownBy(() -> BootstrapFile.parse(yaml))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("needs a value");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"~\n", "&a>", "null"})
    void read_documentWithNothingInIt_holdsNoAccount(String yaml) throws IOException {
        assertThat(BootstrapFile.parse(yaml).accounts()).isEmpty();
    }

    @Test
    void quickstartExample_isAValidBootstrapFile() throws IOException {
        BootstrapFile file = BootstrapFile.read(Path.of("..", "examples", "quickstart.yaml"));
        FirstStart.initializeIfEmpty(iam, "123456789012"); // the admin it trusts, as `opensts serve` creates it

        bootstrap.apply(file);

        Role demo = iam.roles().getRole("123456789012", "demo");
        assertThat(iam.roles().trustPolicyDocument(demo)).contains("arn:aws:iam::123456789012:user/admin");
        assertThat(demo.trustPolicy().bindings()).containsExactly(Map.entry("arn:aws:iam::123456789012:user/admin",
                iam.users().getUser("123456789012", "admin").userId()));
    }

    @Test
    void firstStart_createsTheAdminOnceWithFullPermissions() {
        var admin = FirstStart.initializeIfEmpty(iam, "123456789012");

        assertThat(admin).isPresent();
        assertThat(admin.get().accessKey().userName()).isEqualTo("admin");
        assertThat(store.listInlinePolicies(PolicyOwner.of(iam.users().getUser("123456789012", "admin"))))
                .singleElement().satisfies(policy -> assertThat(policy.policyName()).isEqualTo("AdministratorAccess"));
        assertThat(FirstStart.initializeIfEmpty(iam, "123456789012")).isEmpty();
    }

    private static final String GROUPS_FILE = """
            accounts:
              - id: "123456789012"
                users:
                  - name: alice
                  - name: bob
                groups:
                  - name: developers
                    path: /teams/
                    members: [alice, BOB]
                    policies:
                      - name: ReadOnly
                        document: {Version: "2012-10-17",
                          Statement: [{Effect: Allow, Action: "iam:Get*", Resource: "*"}]}
            """;

    @Test
    void apply_groups_createsThemWithMembersAndPolicies_andTwiceChangesNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(GROUPS_FILE));
        Group developers = iam.groups().getGroup("123456789012", "developers");

        bootstrap.apply(BootstrapFile.parse(GROUPS_FILE));

        assertThat(iam.groups().getGroup("123456789012", "developers")).isEqualTo(developers);
        assertThat(developers.arn()).isEqualTo("arn:aws:iam::123456789012:group/teams/developers");
        assertThat(store.listUsersInGroup(developers.groupId())).extracting(User::userName)
                .containsExactly("alice", "bob");
        assertThat(store.listInlinePolicies(PolicyOwner.of(developers))).singleElement()
                .satisfies(policy -> assertThat(policy.policyName()).isEqualTo("ReadOnly"));
    }

    @Test
    void apply_changedGroup_isBroughtInLine_andMembersTheFileDoesNotNameStay() throws IOException {
        bootstrap.apply(BootstrapFile.parse(GROUPS_FILE));

        bootstrap.apply(BootstrapFile.parse(GROUPS_FILE.replace("path: /teams/", "path: /staff/")
                .replace("members: [alice, BOB]", "members: [alice]").replace("iam:Get*", "iam:List*")));

        Group developers = iam.groups().getGroup("123456789012", "developers");
        assertThat(developers.path()).isEqualTo("/staff/");
        assertThat(store.listUsersInGroup(developers.groupId())).extracting(User::userName)
                .containsExactly("alice", "bob");
        assertThat(store.listInlinePolicies(PolicyOwner.of(developers))).singleElement()
                .satisfies(policy -> assertThat(policy.policyDocument()).contains("iam:List*"));
    }

    @Test
    void apply_groupMemberWhoDoesNotExist_failsWithIamsError() throws IOException {
        BootstrapFile file = BootstrapFile.parse(GROUPS_FILE.replace("[alice, BOB]", "[alice, nobody]"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("group developers of account 123456789012: NoSuchEntity: "
                        + "The user with name nobody cannot be found.");
    }

    private static final String POLICIES_FILE = """
            accounts:
              - id: "123456789012"
                policies:
                  - name: S3Reader
                    path: /team/
                    description: Reads the team's buckets.
                    document: {Version: "2012-10-17",
                      Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
                users:
                  - name: alice
                    managedPolicies: [arn:aws:iam::123456789012:policy/team/S3Reader]
                    permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
                groups:
                  - name: readers
                    managedPolicies: [arn:aws:iam::aws:policy/IAMReadOnlyAccess]
                roles:
                  - name: worker
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow,
                      Principal: {AWS: "arn:aws:iam::123456789012:root"}, Action: "sts:AssumeRole"}]}
                    managedPolicies: [arn:aws:iam::123456789012:policy/team/S3Reader,
                      arn:aws:iam::aws:policy/IAMReadOnlyAccess]
                    permissionsBoundary: arn:aws:iam::123456789012:policy/team/S3Reader
            """;
    private static final String S3_READER = "arn:aws:iam::123456789012:policy/team/S3Reader";

    @Test
    void apply_managedPolicies_createsAttachesAndBounds_andTwiceChangesNothing() throws IOException {
        bootstrap.apply(BootstrapFile.parse(POLICIES_FILE));
        ManagedPolicy created = iam.managedPolicies().getPolicy("123456789012", S3_READER);

        bootstrap.apply(BootstrapFile.parse(POLICIES_FILE));

        ManagedPolicy policy = iam.managedPolicies().getPolicy("123456789012", S3_READER);
        assertThat(policy).isEqualTo(created);
        assertThat(policy.description()).contains("Reads the team's buckets.");
        assertThat(policy.attachmentCount()).isEqualTo(2);
        assertThat(policy.permissionsBoundaryUsageCount()).isEqualTo(1);
        assertThat(store.listPolicyVersions(policy.policyId())).hasSize(1);
        User alice = iam.users().getUser("123456789012", "alice");
        assertThat(alice.permissionsBoundaryArn()).contains("arn:aws:iam::aws:policy/PowerUserAccess");
        assertThat(store.listAttachedPolicies(PolicyOwner.of(alice))).extracting(ManagedPolicy::arn)
                .containsExactly(S3_READER);
        assertThat(store.listAttachedPolicies(PolicyOwner.of(iam.groups().getGroup("123456789012", "readers"))))
                .extracting(ManagedPolicy::policyName).containsExactly("IAMReadOnlyAccess");
        Role worker = iam.roles().getRole("123456789012", "worker");
        assertThat(worker.permissionsBoundaryArn()).contains(S3_READER);
        assertThat(store.listAttachedPolicies(PolicyOwner.of(worker))).hasSize(2);
    }

    @Test
    void apply_changedPolicyDocument_becomesTheDefaultVersion_evenWhenFiveVersionsExist() throws IOException {
        bootstrap.apply(BootstrapFile.parse(POLICIES_FILE));

        for (int i = 1; i <= 6; i++) {
            bootstrap.apply(BootstrapFile.parse(POLICIES_FILE.replace("s3:GetObject", "s3:GetObjectVersion" + i)));
        }

        ManagedPolicy policy = iam.managedPolicies().getPolicy("123456789012", S3_READER);
        assertThat(policy.defaultVersionId()).isEqualTo("v7");
        assertThat(store.findPolicyVersion(policy.policyId(), "v7").orElseThrow().document())
                .contains("s3:GetObjectVersion6");
        assertThat(store.listPolicyVersions(policy.policyId())).extracting(PolicyVersion::versionId)
                .containsExactly("v7", "v6", "v5", "v4", "v3");
    }

    @Test
    void apply_changedPermissionsBoundary_isPut_andAttachmentsTheFileDoesNotNameStay() throws IOException {
        bootstrap.apply(BootstrapFile.parse(POLICIES_FILE));

        bootstrap.apply(BootstrapFile.parse(POLICIES_FILE
                .replace("permissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess",
                        "permissionsBoundary: arn:aws:iam::aws:policy/IAMReadOnlyAccess")
                .replace("managedPolicies: [arn:aws:iam::123456789012:policy/team/S3Reader,\n"
                        + "          arn:aws:iam::aws:policy/IAMReadOnlyAccess]", "managedPolicies: []")));

        assertThat(iam.users().getUser("123456789012", "alice").permissionsBoundaryArn())
                .contains("arn:aws:iam::aws:policy/IAMReadOnlyAccess");
        assertThat(store.listAttachedPolicies(PolicyOwner.of(iam.roles().getRole("123456789012", "worker"))))
                .hasSize(2);
    }

    @Test
    void apply_attachingAPolicyThatDoesNotExist_failsWithIamsError() throws IOException {
        BootstrapFile file = BootstrapFile.parse(POLICIES_FILE.replace(
                "managedPolicies: [arn:aws:iam::123456789012:policy/team/S3Reader]",
                "managedPolicies: [arn:aws:iam::123456789012:policy/Missing]"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("user alice of account 123456789012: NoSuchEntity: "
                        + "Policy arn:aws:iam::123456789012:policy/Missing does not exist or is not attachable.");
    }

    private static final String PROVIDERS_FILE = """
            accounts:
              - id: "123456789012"
                openIdConnectProviders:
                  - url: https://token.example.com
                    clientIds: [sts.amazonaws.com]
                    thumbprints: [6938fd4d98bab03faadb97b34396831e3780aea1]
                    tags: {team: platform}
                samlProviders:
                  - name: Corporate
                    tags: {team: identity}
                    metadataDocument: |
                      <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
                          entityID="https://idp.example.com">
                        <!--PADDING-->
                        <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                          <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
                              Location="https://idp.example.com/sso"/>
                        </md:IDPSSODescriptor>
                      </md:EntityDescriptor>
            """.replace("PADDING", " ".repeat(800)); // SAML metadata documents are at least 1000 characters
    private static final String OIDC_ARN = "arn:aws:iam::123456789012:oidc-provider/token.example.com";
    private static final String SAML_ARN = "arn:aws:iam::123456789012:saml-provider/Corporate";

    @Test
    void apply_providers_createsThem_andTwiceChangesNothing() throws IOException {
        BootstrapFile file = BootstrapFile.parse(PROVIDERS_FILE);

        bootstrap.apply(file);
        OpenIdConnectProvider oidc = iam.providers().getOpenIdConnectProvider("123456789012", OIDC_ARN);
        SamlProvider saml = iam.providers().getSamlProvider("123456789012", SAML_ARN);
        bootstrap.apply(file);

        assertThat(oidc.clientIds()).containsExactly("sts.amazonaws.com");
        assertThat(oidc.thumbprints()).containsExactly("6938fd4d98bab03faadb97b34396831e3780aea1");
        assertThat(oidc.tags()).containsExactly(new Tag("team", "platform"));
        assertThat(saml.metadataDocument()).isEqualTo(file.accounts().get(0).samlProviders().get(0)
                .metadataDocument());
        assertThat(saml.tags()).containsExactly(new Tag("team", "identity"));
        assertThat(iam.providers().getOpenIdConnectProvider("123456789012", OIDC_ARN)).isEqualTo(oidc);
        assertThat(iam.providers().getSamlProvider("123456789012", SAML_ARN)).isEqualTo(saml);
    }

    @Test
    void apply_changedProviders_areBroughtInLine_andWhatTheFileDoesNotNameStays() throws IOException {
        bootstrap.apply(BootstrapFile.parse(PROVIDERS_FILE));
        iam.providers().addClientIdToOpenIdConnectProvider("123456789012", OIDC_ARN, "added-by-hand");
        iam.providers().tagSamlProvider("123456789012", SAML_ARN, List.of(new Tag("owner", "hand")));

        bootstrap.apply(BootstrapFile.parse(PROVIDERS_FILE
                .replace("clientIds: [sts.amazonaws.com]", "clientIds: [sts.amazonaws.com, cli]")
                .replace("6938fd4d98bab03faadb97b34396831e3780aea1", "a".repeat(40))
                .replace("https://idp.example.com/sso", "https://idp.example.com/sso2")
                .replace("team: identity", "team: security")));

        OpenIdConnectProvider oidc = iam.providers().getOpenIdConnectProvider("123456789012", OIDC_ARN);
        assertThat(oidc.clientIds()).containsExactly("sts.amazonaws.com", "added-by-hand", "cli");
        assertThat(oidc.thumbprints()).containsExactly("a".repeat(40));
        SamlProvider saml = iam.providers().getSamlProvider("123456789012", SAML_ARN);
        assertThat(saml.metadataDocument()).contains("https://idp.example.com/sso2");
        assertThat(saml.tags()).containsExactly(new Tag("team", "security"), new Tag("owner", "hand"));
    }

    @Test
    void apply_samlProviderWithInvalidMetadata_failsWithIamsError() throws IOException {
        BootstrapFile file = BootstrapFile.parse(PROVIDERS_FILE.replace("md:EntityDescriptor", "md:Other"));

        assertThatThrownBy(() -> bootstrap.apply(file)).isInstanceOf(BootstrapException.class)
                .hasMessage("SAML provider Corporate of account 123456789012: InvalidInput: Could not parse metadata");
    }

    /** The embedded store, counting the transactions that write to it. */
    private static final class WriteCountingStore extends ForwardingIdentityReader implements IdentityStore {
        private final IdentityStore delegate;
        private final AtomicInteger writes = new AtomicInteger();

        WriteCountingStore(IdentityStore delegate) {
            this.delegate = delegate;
        }

        int writes() {
            return writes.get();
        }

        @Override
        protected <T> T read(Function<IdentityReader, T> work) {
            return work.apply(delegate);
        }

        @Override
        public <T> T write(Function<IdentityWriter, T> transaction) {
            writes.incrementAndGet();
            return delegate.write(transaction);
        }

        @Override
        public <T> T recordUse(Function<IdentityWriter, T> transaction) {
            writes.incrementAndGet();
            return delegate.recordUse(transaction);
        }

        @Override
        public Optional<StoredKeyRing> loadKeyRing() {
            return delegate.loadKeyRing();
        }

        @Override
        public boolean replaceKeyRing(byte[] wrapped, long expectedVersion) {
            return delegate.replaceKeyRing(wrapped, expectedVersion);
        }

        @Override
        public Optional<StoredKeyRing> loadSigningKeys() {
            return delegate.loadSigningKeys();
        }

        @Override
        public boolean replaceSigningKeys(byte[] wrapped, long expectedVersion) {
            return delegate.replaceSigningKeys(wrapped, expectedVersion);
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederation(String accountId) {
            return delegate.findOutboundFederation(accountId);
        }

        @Override
        public Optional<OutboundFederation> findOutboundFederationByIssuerId(String issuerId) {
            return delegate.findOutboundFederationByIssuerId(issuerId);
        }

        @Override
        public Optional<OutboundFederation> switchOutboundFederation(String accountId, boolean enabled,
                String newIssuerId) {
            return delegate.switchOutboundFederation(accountId, enabled, newIssuerId);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
