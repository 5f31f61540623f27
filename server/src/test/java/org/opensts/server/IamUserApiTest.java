package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.protocol.shape.StructureShape;
import org.opensts.protocol.testing.BotocoreData;
import org.opensts.protocol.testing.ShapeConformance;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.MasterKey;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetAccessKeyLastUsedResponse;
import software.amazon.awssdk.services.iam.model.GetUserPolicyResponse;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListUserTagsResponse;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The user and access-key actions over HTTP, through the AWS SDK for Java v2's own IAM client: each operation
 * round-trips through the SDK's parser, policy documents come back URL-encoded, errors arrive as the SDK's typed
 * exceptions with IAM's statuses, every action is authorized by the caller's policies, and a key made inactive stops
 * authenticating at once.
 */
class IamUserApiTest {
    private static final String ACCOUNT = "123456789012";
    /** An account of its own for the quota, so that filling it leaves the other tests' account alone. */
    private static final String QUOTA_ACCOUNT = "210987654321";
    private static final String ALLOW_S3 = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/a b+c\"}]}";
    private static final String AWS_READ_ONLY = "arn:aws:iam::aws:policy/IAMReadOnlyAccess";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static AccessKeyCredentials admin;
    private static AwsCredentials nobody;
    private static AwsCredentials reader;
    private static AwsCredentials keeper;
    private static AwsCredentials quotaAdmin;
    private static IamClient iam;

    /**
     * One node for the class; each test works on users of its own names. The bootstrap file adds users with known
     * keys: {@code nobody}, without any policy; {@code reader} under {@code /team/}, allowed {@code iam:GetUser} on
     * the users under {@code /team/} only; and {@code keeper}, allowed to manage its own access keys; and a second
     * account whose {@code quota} user may do anything in IAM.
     */
    @BeforeAll
    static void start() throws Exception {
        nobody = TestNodes.knownKey("nobody");
        reader = TestNodes.knownKey("reader");
        keeper = TestNodes.knownKey("keeper");
        quotaAdmin = AwsBasicCredentials.create(AccessKeyIds.newLongTerm(QUOTA_ACCOUNT, new SecureRandom()),
                "quota-secret-0123456789abcdef");
        node = TestNodes.start(dataDir, """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: nobody
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: reader
                        path: /team/
                        policies:
                          - name: GetTeamUsers
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:GetUser", \
                Resource: "arn:aws:iam::123456789012:user/team/*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                      - name: keeper
                        policies:
                          - name: OwnKeys
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["iam:*AccessKey*", \
                "iam:GetUser"], Resource: "arn:aws:iam::123456789012:user/${aws:username}"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                    roles:
                      - name: reader-role
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, \
                Principal: {AWS: "arn:aws:iam::123456789012:user/admin"}, Action: "sts:AssumeRole"}]}
                        policies:
                          - name: Everything
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
                  - id: "210987654321"
                    users:
                      - name: quota
                        policies:
                          - name: Iam
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:*", \
                Resource: "*"}]}
                        accessKeys: [{accessKeyId: %s, secretAccessKey: %s}]
                """.formatted(nobody.accessKeyId(), nobody.secretAccessKey(), reader.accessKeyId(),
                reader.secretAccessKey(), keeper.accessKeyId(), keeper.secretAccessKey(), quotaAdmin.accessKeyId(),
                quotaAdmin.secretAccessKey()));
        admin = node.initialAdmin().orElseThrow();
        iam = client(credentials(admin));
    }

    @AfterAll
    static void stop() {
        iam.close();
        node.close();
    }

    private static AwsCredentials credentials(AccessKeyCredentials key) {
        return AwsBasicCredentials.create(key.accessKey().accessKeyId(), key.secretAccessKey().revealUtf8());
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    static IamClient client(AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static StsClient sts(AwsCredentials credentials, Region region) {
        return SdkClients.sts(node, credentials, region);
    }

    private static String decoded(String urlEncoded) {
        return URLDecoder.decode(urlEncoded, UTF_8);
    }

    private static User createUser(String name) {
        return iam.createUser(r -> r.userName(name)).user();
    }

    // ---- the declared input shapes are the model's

    static Stream<Arguments> declaredShapes() {
        return Stream.of(IamUserActions.CREATE_USER_REQUEST, IamUserActions.GET_USER_REQUEST,
                IamUserActions.UPDATE_USER_REQUEST, IamUserActions.DELETE_USER_REQUEST,
                IamUserActions.LIST_USERS_REQUEST, IamUserActions.TAG_USER_REQUEST, IamUserActions.UNTAG_USER_REQUEST,
                IamUserActions.LIST_USER_TAGS_REQUEST, IamUserActions.PUT_USER_PERMISSIONS_BOUNDARY_REQUEST,
                IamUserActions.DELETE_USER_PERMISSIONS_BOUNDARY_REQUEST, IamUserActions.PUT_USER_POLICY_REQUEST,
                IamUserActions.GET_USER_POLICY_REQUEST, IamUserActions.DELETE_USER_POLICY_REQUEST,
                IamUserActions.LIST_USER_POLICIES_REQUEST, IamUserActions.CREATE_ACCESS_KEY_REQUEST,
                IamUserActions.UPDATE_ACCESS_KEY_REQUEST, IamUserActions.DELETE_ACCESS_KEY_REQUEST,
                IamUserActions.LIST_ACCESS_KEYS_REQUEST, IamUserActions.GET_ACCESS_KEY_LAST_USED_REQUEST)
                .map(shape -> Arguments.of(shape.name(), shape));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredShapes")
    void inputShape_matchesTheModel(String name, StructureShape shape) {
        assertThat(ShapeConformance.differences(shape, BotocoreData.iamModel())).isEmpty();
    }

    // ---- users

    @Test
    void createUser_thenGetUser_roundTripEveryMember() {
        User created = iam.createUser(r -> r.userName("ursula").path("/ops/").permissionsBoundary(AWS_READ_ONLY)
                .tags(Tag.builder().key("Team").value("Ops").build())).user();

        User user = iam.getUser(r -> r.userName("URSULA")).user();

        assertThat(created.userId()).startsWith("AIDA").hasSize(21);
        assertThat(user.userId()).isEqualTo(created.userId());
        assertThat(user.userName()).isEqualTo("ursula");
        assertThat(user.path()).isEqualTo("/ops/");
        assertThat(user.arn()).isEqualTo("arn:aws:iam::123456789012:user/ops/ursula");
        assertThat(user.createDate()).isBefore(Instant.now().plusSeconds(1)).isAfter(Instant.now().minusSeconds(60));
        assertThat(user.permissionsBoundary().permissionsBoundaryArn()).isEqualTo(AWS_READ_ONLY);
        assertThat(user.permissionsBoundary().permissionsBoundaryTypeAsString()).as("as AWS writes it")
                .isEqualTo("Policy");
        assertThat(user.tags()).containsExactly(Tag.builder().key("Team").value("Ops").build());
    }

    @Test
    void getUser_withoutAName_isTheCaller() {
        assertThat(iam.getUser().user().userName()).isEqualTo("admin");
    }

    @Test
    void createUser_nameTakenInAnotherCase_isEntityAlreadyExists409() {
        createUser("victor");

        EntityAlreadyExistsException e = catchThrowableOfType(EntityAlreadyExistsException.class,
                () -> iam.createUser(r -> r.userName("Victor")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User with name Victor already exists.");
    }

    @Test
    void createUser_invalidName_isValidationError400InAwsWords() {
        IamException e = catchThrowableOfType(IamException.class, () -> iam.createUser(r -> r.userName("bad name")));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value at "
                + "'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[\\w+=,.@-]+");
    }

    @Test
    void updateUser_renamesAndMoves_theOldNameIsNoSuchEntity404() {
        User before = createUser("walter");

        iam.updateUser(r -> r.userName("walter").newUserName("walt").newPath("/moved/"));

        User after = iam.getUser(r -> r.userName("walt")).user();
        assertThat(after.userId()).isEqualTo(before.userId());
        assertThat(after.arn()).isEqualTo("arn:aws:iam::123456789012:user/moved/walt");
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getUser(r -> r.userName("walter")));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name walter cannot be found.");
    }

    @Test
    void listUsers_pagesWithMaxItemsAndMarker_inNameOrder() {
        for (String name : List.of("pg-c", "pg-a", "pg-b")) {
            iam.createUser(r -> r.userName(name).path("/paging/"));
        }

        var names = new ArrayList<String>();
        ListUsersResponse page = iam.listUsers(r -> r.pathPrefix("/paging/").maxItems(2));
        assertThat(page.isTruncated()).isTrue();
        page.users().forEach(user -> names.add(user.userName()));
        String marker = page.marker();
        page = iam.listUsers(r -> r.pathPrefix("/paging/").maxItems(2).marker(marker));
        page.users().forEach(user -> names.add(user.userName()));

        assertThat(names).containsExactly("pg-a", "pg-b", "pg-c");
        assertThat(page.isTruncated()).isFalse();
        assertThat(page.marker()).isNull();
        // Listed users come in IAM's short form: no tags, no permissions boundary.
        assertThat(page.users().get(0).tags()).isEmpty();
    }

    @Test
    void deleteUser_withAnAccessKey_isDeleteConflict409_thenSucceedsOnceTheKeyIsGone() {
        createUser("xavier");
        AccessKey key = iam.createAccessKey(r -> r.userName("xavier")).accessKey();

        DeleteConflictException e = catchThrowableOfType(DeleteConflictException.class,
                () -> iam.deleteUser(r -> r.userName("xavier")));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete entity, must delete access keys first.");
        iam.deleteAccessKey(r -> r.userName("xavier").accessKeyId(key.accessKeyId()));
        iam.deleteUser(r -> r.userName("xavier"));
        assertThat(catchThrowableOfType(NoSuchEntityException.class, () -> iam.getUser(r -> r.userName("xavier"))))
                .isNotNull();
    }

    @Test
    void createUser_atTheAccountsQuota_isLimitExceeded409_inAwsWords() throws Exception {
        fillUsersQuota(QUOTA_ACCOUNT);

        try (IamClient other = client(quotaAdmin)) {
            LimitExceededException e = catchThrowableOfType(LimitExceededException.class,
                    () -> other.createUser(r -> r.userName("one-too-many")));

            assertThat(e.statusCode()).isEqualTo(409);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceeded");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for UsersPerAccount: 5000");
            assertThat(other.getAccountSummary().summaryMapAsStrings()).containsEntry("Users", 5000)
                    .containsEntry("UsersQuota", 5000);
        }
    }

    /**
     * Gives the account IAM's 5,000 users in one write through the node's own store (the same embedded database,
     * opened a second time in this JVM), rather than thousands of CreateUser calls.
     */
    private static void fillUsersQuota(String accountId) throws Exception {
        Path nodeDir = dataDir.resolve("node");
        MasterKey masterKey = MasterKey.fromKeysetJson(Files.readString(nodeDir.resolve("master-key.json"), UTF_8));
        Instant created = Instant.parse("2026-11-25T12:00:00Z");
        var random = new SecureRandom();
        try (JdbcIdentityStore store = JdbcIdentityStore.open(StoreSettings.embedded(nodeDir), masterKey,
                Clock.fixed(created, ZoneOffset.UTC))) {
            store.write(writer -> {
                for (int i = writer.countUsers(accountId); i < 5000; i++) {
                    writer.createUser(new org.opensts.iam.User(accountId, AccessKeyIds.newUniqueId("AIDA", random),
                            "seeded-" + i, "/", created, Optional.empty(), List.of()));
                }
                return null;
            });
        }
    }

    // ---- tags and permissions boundary

    @Test
    void tagUntagAndListUserTags_roundTrip_withPagination() {
        createUser("yara");

        iam.tagUser(r -> r.userName("yara").tags(Tag.builder().key("b").value("2").build(),
                Tag.builder().key("a").value("1").build(), Tag.builder().key("c").value("").build()));
        iam.untagUser(r -> r.userName("yara").tagKeys("B"));

        ListUserTagsResponse first = iam.listUserTags(r -> r.userName("yara").maxItems(1));
        ListUserTagsResponse rest = iam.listUserTags(r -> r.userName("yara").marker(first.marker()));
        assertThat(first.tags()).containsExactly(Tag.builder().key("a").value("1").build());
        assertThat(first.isTruncated()).isTrue();
        assertThat(rest.tags()).containsExactly(Tag.builder().key("c").value("").build());
        assertThat(rest.isTruncated()).isFalse();
        assertThat(iam.listUserTags(r -> r.userName("nobody")).tags()).isEmpty();
    }

    @Test
    void tagUser_beyondFiftyTags_isLimitExceeded409() {
        createUser("zack");
        List<Tag> fifty = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            fifty.add(Tag.builder().key("k" + i).value("v").build());
        }
        iam.tagUser(r -> r.userName("zack").tags(fifty));

        LimitExceededException e = catchThrowableOfType(LimitExceededException.class,
                () -> iam.tagUser(r -> r.userName("zack").tags(Tag.builder().key("one-more").value("v").build())));

        assertThat(e.statusCode()).isEqualTo(409);
    }

    /** Round after round, since one round rarely catches a lost update; before writes locked, these always did. */
    @Test
    void tagUser_concurrentCallsWithDistinctKeys_keepEveryTag() throws Exception {
        int callers = 4;
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        try {
            for (int round = 0; round < 10; round++) {
                String userName = "crowded" + round;
                createUser(userName);
                var start = new CyclicBarrier(callers);
                var calls = new ArrayList<Future<?>>();
                for (int caller = 0; caller < callers; caller++) {
                    Tag tag = Tag.builder().key("k" + caller).value("v").build();
                    calls.add(threads.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return iam.tagUser(r -> r.userName(userName).tags(tag));
                    }));
                }
                for (Future<?> call : calls) {
                    call.get(60, TimeUnit.SECONDS);
                }

                assertThat(iam.listUserTags(r -> r.userName(userName)).tags()).extracting(Tag::key)
                        .containsExactlyInAnyOrder("k0", "k1", "k2", "k3");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void permissionsBoundary_putReplaceAndDelete_andAnUnknownPolicyIsNoSuchEntity() {
        createUser("bounded");

        iam.putUserPermissionsBoundary(r -> r.userName("bounded").permissionsBoundary(AWS_READ_ONLY));
        assertThat(iam.getUser(r -> r.userName("bounded")).user().permissionsBoundary().permissionsBoundaryArn())
                .isEqualTo(AWS_READ_ONLY);
        NoSuchEntityException missing = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.putUserPermissionsBoundary(r -> r.userName("bounded")
                        .permissionsBoundary("arn:aws:iam::123456789012:policy/NotThere")));
        InvalidInputException notAPolicy = catchThrowableOfType(InvalidInputException.class,
                () -> iam.putUserPermissionsBoundary(r -> r.userName("bounded")
                        .permissionsBoundary("arn:aws:iam::123456789012:user/bounded")));
        iam.deleteUserPermissionsBoundary(r -> r.userName("bounded"));

        assertThat(missing.awsErrorDetails().errorMessage()).isEqualTo("Scope ARN: "
                + "arn:aws:iam::123456789012:policy/NotThere does not exist or is not attachable.");
        assertThat(notAPolicy.statusCode()).isEqualTo(400);
        assertThat(iam.getUser(r -> r.userName("bounded")).user().permissionsBoundary()).isNull();
    }

    // ---- inline policies

    @Test
    void userPolicies_putGetListDelete_documentComesBackUrlEncoded() {
        createUser("polly");

        iam.putUserPolicy(r -> r.userName("polly").policyName("s3").policyDocument(ALLOW_S3));
        iam.putUserPolicy(r -> r.userName("polly").policyName("a-first").policyDocument(ALLOW_S3));
        GetUserPolicyResponse got = iam.getUserPolicy(r -> r.userName("POLLY").policyName("s3"));

        assertThat(got.userName()).isEqualTo("polly");
        assertThat(got.policyName()).isEqualTo("s3");
        assertThat(got.policyDocument()).doesNotContain("{").contains("%7B");
        assertThat(decoded(got.policyDocument())).isEqualTo(ALLOW_S3);
        var page = iam.listUserPolicies(r -> r.userName("polly").maxItems(1));
        assertThat(page.policyNames()).containsExactly("a-first");
        assertThat(page.isTruncated()).isTrue();
        assertThat(iam.listUserPolicies(r -> r.userName("polly").marker(page.marker())).policyNames())
                .containsExactly("s3");

        iam.deleteUserPolicy(r -> r.userName("polly").policyName("s3"));
        NoSuchEntityException e = catchThrowableOfType(NoSuchEntityException.class,
                () -> iam.getUserPolicy(r -> r.userName("polly").policyName("s3")));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user policy with name s3 cannot be found.");
    }

    @Test
    void putUserPolicy_malformedOrTooLarge_isMalformedPolicyDocument400OrLimitExceeded409() {
        createUser("quentin");
        String large = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::" + "b".repeat(2100) + "\"}]}";

        MalformedPolicyDocumentException malformed = catchThrowableOfType(MalformedPolicyDocumentException.class,
                () -> iam.putUserPolicy(r -> r.userName("quentin").policyName("p").policyDocument("{\"Statement\":")));
        LimitExceededException tooLarge = catchThrowableOfType(LimitExceededException.class,
                () -> iam.putUserPolicy(r -> r.userName("quentin").policyName("p").policyDocument(large)));

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(tooLarge.awsErrorDetails().errorMessage())
                .isEqualTo("Maximum policy size of 2048 bytes exceeded for user quentin");
    }

    // ---- access keys

    @Test
    void accessKeys_createListUpdateDelete_theSecretIsShownOnceAndNeverListed() {
        createUser("kim");

        AccessKey created = iam.createAccessKey(r -> r.userName("kim")).accessKey();
        AccessKey second = iam.createAccessKey(r -> r.userName("kim")).accessKey();
        iam.updateAccessKey(r -> r.userName("kim").accessKeyId(created.accessKeyId()).status(StatusType.INACTIVE));

        assertThat(created.userName()).isEqualTo("kim");
        assertThat(created.accessKeyId()).startsWith("AKIA").hasSize(20);
        assertThat(created.secretAccessKey()).hasSize(40);
        assertThat(created.status()).isEqualTo(StatusType.ACTIVE);
        assertThat(created.createDate()).isNotNull();
        var first = iam.listAccessKeys(r -> r.userName("kim").maxItems(1));
        assertThat(first.accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::status)
                .containsExactly(tuple(created.accessKeyId(), StatusType.INACTIVE));
        assertThat(first.isTruncated()).isTrue();
        assertThat(iam.listAccessKeys(r -> r.userName("kim").marker(first.marker())).accessKeyMetadata())
                .extracting(AccessKeyMetadata::accessKeyId).containsExactly(second.accessKeyId());
        LimitExceededException third = catchThrowableOfType(LimitExceededException.class,
                () -> iam.createAccessKey(r -> r.userName("kim")));
        assertThat(third.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");

        iam.deleteAccessKey(r -> r.userName("kim").accessKeyId(created.accessKeyId()));
        assertThat(iam.listAccessKeys(r -> r.userName("kim")).accessKeyMetadata())
                .extracting(AccessKeyMetadata::accessKeyId).containsExactly(second.accessKeyId());
    }

    @Test
    void updateAccessKey_inactive_failsAuthenticationWithInvalidClientTokenId_untilActiveAgain() {
        createUser("ines");
        AccessKey key = iam.createAccessKey(r -> r.userName("ines")).accessKey();
        AwsCredentials credentials = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        try (StsClient sts = sts(credentials, Region.US_EAST_1)) {
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/ines");

            iam.updateAccessKey(r -> r.userName("ines").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));

            StsException e = catchThrowableOfType(StsException.class, sts::getCallerIdentity);
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");

            iam.updateAccessKey(r -> r.userName("ines").accessKeyId(key.accessKeyId()).status(StatusType.ACTIVE));
            assertThat(sts.getCallerIdentity().arn()).isEqualTo("arn:aws:iam::123456789012:user/ines");

            iam.deleteAccessKey(r -> r.userName("ines").accessKeyId(key.accessKeyId()));
            assertThat(catchThrowableOfType(StsException.class, sts::getCallerIdentity).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidClientTokenId");
        }
    }

    @Test
    void getAccessKeyLastUsed_isNotApplicableUntilUsed_thenNamesTheServiceRegionAndTime() {
        createUser("luke");
        AccessKey key = iam.createAccessKey(r -> r.userName("luke")).accessKey();

        GetAccessKeyLastUsedResponse unused = iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId()));
        assertThat(unused.userName()).isEqualTo("luke");
        assertThat(unused.accessKeyLastUsed().serviceName()).isEqualTo("N/A");
        assertThat(unused.accessKeyLastUsed().region()).isEqualTo("N/A");
        assertThat(unused.accessKeyLastUsed().lastUsedDate()).isNull();

        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (StsClient sts = sts(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()),
                Region.EU_WEST_1)) {
            sts.getCallerIdentity();
        }
        node.flushLastUsed();

        GetAccessKeyLastUsedResponse used = iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId()));
        assertThat(used.accessKeyLastUsed().serviceName()).isEqualTo("sts");
        assertThat(used.accessKeyLastUsed().region()).isEqualTo("eu-west-1");
        assertThat(used.accessKeyLastUsed().lastUsedDate()).isBetween(before, Instant.now());
    }

    @Test
    void getAccessKeyLastUsed_ofAKeyThatDoesNotExist_isAccessDeniedInAwsWords() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.getAccessKeyLastUsed(r -> r.accessKeyId("AKIAIOSFODNN7EXAMPLE")));

        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::123456789012:user/admin is not "
                + "authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void accessKeys_withoutAUserName_areTheCallers_andAPolicyOnAwsUsernameAllowsThem() {
        try (IamClient own = client(keeper)) {
            AccessKey created = own.createAccessKey().accessKey();
            assertThat(created.userName()).isEqualTo("keeper");
            assertThat(own.listAccessKeys().accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId)
                    .contains(keeper.accessKeyId(), created.accessKeyId());
            own.updateAccessKey(r -> r.accessKeyId(created.accessKeyId()).status(StatusType.INACTIVE));
            own.deleteAccessKey(r -> r.accessKeyId(created.accessKeyId()));
            assertThat(own.listAccessKeys(r -> r.userName("keeper")).accessKeyMetadata())
                    .extracting(AccessKeyMetadata::accessKeyId).containsExactly(keeper.accessKeyId());

            IamException others = catchThrowableOfType(IamException.class,
                    () -> own.listAccessKeys(r -> r.userName("admin")));
            assertThat(others.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        }
    }

    @Test
    void aRoleSession_mustNameTheUser_forGetUserAndCreateAccessKey() {
        Credentials session;
        try (StsClient sts = sts(credentials(admin), Region.US_EAST_1)) {
            session = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/reader-role")
                    .roleSessionName("no-user")).credentials();
        }
        try (IamClient asRole = client(AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(),
                session.sessionToken()))) {
            IamException e = catchThrowableOfType(IamException.class, asRole::getUser);
            IamException create = catchThrowableOfType(IamException.class, asRole::createAccessKey);

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Must specify userName when calling with non-User credentials");
            assertThat(create.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
            assertThat(asRole.getUser(r -> r.userName("nobody")).user().userName()).isEqualTo("nobody");
        }
    }

    // ---- authorization

    @Test
    void refusals_nameTheResourceAndTheReasonAsIamDoes_thenTheEncodedMessage() {
        iam.createUser(r -> r.userName("bob-denied"));
        iam.putUserPolicy(r -> r.userName("bob-denied").policyName("p").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"},\
                {"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}"""));
        AccessKey key = iam.createAccessKey(r -> r.userName("bob-denied")).accessKey();
        String user = "User: arn:aws:iam::123456789012:user/bob-denied is not authorized to perform: ";
        String encoded = ". Encoded authorization failure message: ";
        try (IamClient bob = client(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()))) {
            IamException list = catchThrowableOfType(IamException.class, bob::listUsers);
            IamException role = catchThrowableOfType(IamException.class,
                    () -> bob.getRole(r -> r.roleName("reader-role")));
            IamException policy = catchThrowableOfType(IamException.class,
                    () -> bob.getPolicy(r -> r.policyArn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")));

            assertThat(list.awsErrorDetails().errorMessage()).startsWith(user + "iam:ListUsers on resource: "
                    + "arn:aws:iam::123456789012:user/ with an explicit deny in an identity-based policy" + encoded);
            assertThat(role.awsErrorDetails().errorMessage()).startsWith(user + "iam:GetRole on resource: role "
                    + "reader-role because no identity-based policy allows the iam:GetRole action" + encoded);
            assertThat(policy.awsErrorDetails().errorMessage()).startsWith(user + "iam:GetPolicy on resource: policy "
                    + "arn:aws:iam::aws:policy/IAMReadOnlyAccess because no identity-based policy allows the "
                    + "iam:GetPolicy action" + encoded);
        }
    }

    @Test
    void aUserWithoutPolicies_isAccessDenied403_forEveryUserAction() {
        try (IamClient denied = client(nobody)) {
            List<Runnable> calls = List.of(
                    () -> denied.listUsers(),
                    () -> denied.getUser(r -> r.userName("admin")),
                    () -> denied.createUser(r -> r.userName("intruder")),
                    () -> denied.createAccessKey(r -> r.userName("admin")),
                    () -> denied.listAccessKeys(),
                    () -> denied.putUserPolicy(r -> r.userName("nobody").policyName("p").policyDocument(ALLOW_S3)),
                    () -> denied.getAccessKeyLastUsed(r -> r.accessKeyId(nobody.accessKeyId())),
                    () -> denied.tagUser(r -> r.userName("nobody").tags(Tag.builder().key("k").value("v").build())));
            for (Runnable call : calls) {
                IamException e = catchThrowableOfType(IamException.class, call::run);
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            }
            IamException e = catchThrowableOfType(IamException.class, () -> denied.getUser(r -> r.userName("admin")));
            assertThat(e.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:iam::123456789012:user/nobody "
                    + "is not authorized to perform: iam:GetUser on resource: user admin because no identity-based "
                    + "policy allows the iam:GetUser action. Encoded authorization failure message: ");
        }
    }

    @Test
    void aPolicyAllowingGetUserOnOnePath_allowsThatAndNothingElse() {
        try (IamClient limited = client(reader)) {
            assertThat(limited.getUser(r -> r.userName("reader")).user().arn())
                    .isEqualTo("arn:aws:iam::123456789012:user/team/reader");

            for (Runnable call : List.<Runnable>of(
                    () -> limited.getUser(r -> r.userName("admin")),
                    () -> limited.listUsers(),
                    () -> limited.listUserTags(r -> r.userName("reader")),
                    () -> limited.updateUser(r -> r.userName("reader").newPath("/elsewhere/")))) {
                assertThat(catchThrowableOfType(IamException.class, call::run).awsErrorDetails().errorCode())
                        .isEqualTo("AccessDenied");
            }
        }
    }
}
