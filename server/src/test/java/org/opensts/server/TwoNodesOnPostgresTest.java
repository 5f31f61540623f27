package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.KeyRing;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;
import org.opensts.token.SecretAccessKeys;
import org.opensts.token.SessionTokenCodec;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Two nodes on one real PostgreSQL database, each with its own data directory and port, sharing one master key file:
 * what is created or rotated through node A is used through node B, driven by the AWS SDK for Java v2.
 */
class TwoNodesOnPostgresTest {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(TwoNodesOnPostgresTest.class);
    private static final String ACCOUNT = "123456789012";
    private static final String STORE_USER = "opensts";
    private static final String STORE_PASSWORD = "two-node-test-password-8c2d";
    /** The promise: a change made through one node is used by every node within a second. */
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static PasswordPostgres postgres;

    @TempDir
    Path workDir;

    private final SecureRandom random = new SecureRandom();
    private StoreSettings store;
    private Path masterKeyFile;
    private OpenStsNode nodeA;
    private OpenStsNode nodeB;
    private AccessKeyCredentials admin;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = PasswordPostgres.start(STORE_USER, STORE_PASSWORD);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private static StoreSettings storeSettings(String database, String password) {
        return StoreSettings.postgres("jdbc:postgresql://localhost:" + postgres.port() + "/" + database,
                Optional.of(STORE_USER), Optional.of(Secret.ofUtf8(password)));
    }

    @BeforeEach
    void newDatabase() {
        String database = "opensts_" + DATABASES.incrementAndGet();
        postgres.createDatabase(database);
        store = storeSettings(database, STORE_PASSWORD);
        masterKeyFile = workDir.resolve("shared").resolve("master-key.json");
    }

    @AfterEach
    void stopNodes() {
        for (OpenStsNode node : new OpenStsNode[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    private OpenStsNode start(String name, Optional<Path> bootstrapFile) throws IOException, InterruptedException {
        Files.createDirectories(masterKeyFile.getParent());
        OpenStsNode.Config config = OpenStsNode.Config.embedded(workDir.resolve(name),
                        new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withStore(store)
                .withMasterKeyFile(masterKeyFile);
        return OpenStsNode.start(bootstrapFile.map(config::withBootstrapFile).orElse(config));
    }

    /** Node A initializes the empty store and creates the admin; node B joins it. */
    private void startBothNodes(Optional<Path> bootstrapOnA) throws IOException, InterruptedException {
        nodeA = start("a", bootstrapOnA);
        admin = nodeA.initialAdmin().orElseThrow();
        nodeB = start("b", Optional.empty());
    }

    private static StsClient sts(OpenStsNode node, AwsCredentials credentials) {
        return SdkClients.sts(node, credentials);
    }

    private AwsCredentials adminCredentials() {
        return AwsBasicCredentials.create(admin.accessKey().accessKeyId(), admin.secretAccessKey().revealUtf8());
    }

    private static AwsSessionCredentials session(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    private Credentials assumeDemo(OpenStsNode node, String sessionName) {
        try (StsClient sts = sts(node, adminCredentials())) {
            return sts.assumeRole(request -> request.roleArn("arn:aws:iam::" + ACCOUNT + ":role/demo")
                    .roleSessionName(sessionName)).credentials();
        }
    }

    private static String callerArn(OpenStsNode node, AwsCredentials credentials) {
        try (StsClient sts = sts(node, credentials)) {
            return sts.getCallerIdentity().arn();
        }
    }

    /** Calls {@code call} until it succeeds or {@code deadline} passes; then returns its result or its last error. */
    private static <T> T eventually(Duration deadline, Supplier<T> call) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (StsException e) {
                if (System.nanoTime() - end > 0) {
                    throw e;
                }
            }
        }
    }

    @Test
    void secondNodeOnTheFirstNodesDataDirectory_isRefused_thoughTheStoreTakesBoth() throws Exception {
        nodeA = start("a", Optional.empty());

        // Both would append to one audit.log at their own positions, overwriting each other's events.
        var refused = catchThrowableOfType(DataDirectoryLock.DataDirectoryInUseException.class,
                () -> start("a", Optional.empty()));

        assertThat(refused.getMessage()).startsWith("The data directory " + workDir.resolve("a") + " is in use");
        assertThat(callerArn(nodeA, AwsBasicCredentials.create(nodeA.initialAdmin().orElseThrow().accessKey()
                .accessKeyId(), nodeA.initialAdmin().orElseThrow().secretAccessKey().revealUtf8())))
                .endsWith(":user/admin");
    }

    @Test
    void userAndRoleCreatedThroughNodeAsIamApi_areUsedThroughNodeBWithinOneSecond() throws Exception {
        startBothNodes(Optional.empty());
        // Node B looks the role up first, and caches that it does not exist.
        assertThat(catchThrowableOfType(StsException.class, () -> assumeShared(nodeB, adminCredentials()))
                .statusCode()).isEqualTo(403);

        AwsBasicCredentials alice;
        long created;
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            iam.createUser(r -> r.userName("alice"));
            var key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
            alice = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
            iam.putUserPolicy(r -> r.userName("alice").policyName("AssumeShared").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "\"sts:AssumeRole\",\"Resource\":\"arn:aws:iam::" + ACCOUNT + ":role/shared\"}]}"));
            iam.createRole(r -> r.roleName("shared").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT
                            + ":user/alice\"}}]}"));
            created = System.nanoTime();
        }

        assertThat(eventually(WITHIN, () -> callerArn(nodeB, alice)))
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/alice");
        assertThat(eventually(WITHIN, () -> assumeShared(nodeB, alice)).assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/shared/through-b");
        LOG.info("User and role created through node A's IAM API were used through node B after {} ms",
                (System.nanoTime() - created) / 1_000_000);
    }

    @Test
    void userAndRoleFromABootstrapFileOnNodeA_areUsedThroughNodeBWithinOneSecond() throws Exception {
        startBothNodes(Optional.empty());
        String aliceKeyId = AccessKeyIds.newLongTerm(ACCOUNT, random);
        var alice = AwsBasicCredentials.create(aliceKeyId, SecretAccessKeys.generate(random).revealUtf8());
        // Node B looks alice and the role up first, and caches that neither exists.
        StsException unknownKey = catchThrowableOfType(StsException.class, () -> callerArn(nodeB, alice));
        assertThat(unknownKey.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        assertThat(catchThrowableOfType(StsException.class, () -> assumeShared(nodeB, alice)).statusCode())
                .isEqualTo(403);
        Path bootstrap = Files.writeString(workDir.resolve("bootstrap.yaml"), """
                accounts:
                  - id: "%s"
                    users:
                      - name: alice
                        accessKeys: [{accessKeyId: %s, secretAccessKey: "%s"}]
                        policies:
                          - name: AssumeShared
                            document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole,
                                       Resource: "arn:aws:iam::%1$s:role/shared"}]}
                    roles:
                      - name: shared
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole,
                                      Principal: {AWS: "arn:aws:iam::%1$s:user/alice"}}]}
                """.formatted(ACCOUNT, aliceKeyId, alice.secretAccessKey()), UTF_8);

        // Node A applies the bootstrap file on a restart, while node B keeps running.
        nodeA.close();
        nodeA = start("a", Optional.of(bootstrap));

        assertThat(eventually(WITHIN, () -> callerArn(nodeB, alice)))
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/alice");
        assertThat(eventually(WITHIN, () -> assumeShared(nodeB, alice)).assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/shared/through-b");
    }

    /** Calls {@code call} until it is refused or {@code deadline} passes; returns the refusal. */
    private static StsException refusedWithin(Duration deadline, Runnable call) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            try {
                call.run();
            } catch (StsException e) {
                return e;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("still allowed after " + deadline);
            }
        }
    }

    /**
     * Revocation as the IAM console does it ("Revoke active sessions", IAM User Guide, "Revoking IAM role temporary
     * security credentials"): the inline role policy AWSRevokeOlderSessions, put through node A, denies node B's
     * calls with a session issued before it within a second; a session issued afterwards keeps working.
     */
    @Test
    void sessionsRevokedThroughNodeA_areRefusedThroughNodeBWithinOneSecond_newSessionsWork() throws Exception {
        startBothNodes(Optional.empty());
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/chained";
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            iam.createRole(r -> r.roleName("chained").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}}]}"));
            iam.putRolePolicy(r -> r.roleName("chained").policyName("Chain").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "\"sts:AssumeRole\",\"Resource\":\"*\"}]}"));
        }
        Supplier<AwsSessionCredentials> assume = () -> {
            try (StsClient sts = sts(nodeA, adminCredentials())) {
                return session(sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("s1")).credentials());
            }
        };
        AwsSessionCredentials old = assume.get();
        Runnable chainThroughB = () -> {
            try (StsClient sts = sts(nodeB, old)) {
                sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("chain"));
            }
        };
        // Node B caches the role and its policies, and allows the old session, before the revocation.
        eventually(WITHIN, () -> {
            chainThroughB.run();
            return true;
        });

        long revoked;
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            String now = Instant.now().toString();
            iam.putRolePolicy(r -> r.roleName("chained").policyName("AWSRevokeOlderSessions").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\","
                            + "\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\""
                            + now + "\"}}}}"));
            revoked = System.nanoTime();
        }
        StsException refused = refusedWithin(WITHIN, chainThroughB);
        long propagationMillis = (System.nanoTime() - revoked) / 1_000_000;

        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        AwsSessionCredentials fresh = assume.get();
        try (StsClient sts = sts(nodeB, fresh)) {
            assertThat(sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("chain")).assumedRoleUser().arn())
                    .endsWith(":assumed-role/chained/chain");
        }
        LOG.info("A revocation put through node A refused an old session on node B after {} ms", propagationMillis);
    }

    @Test
    void userDeletedThroughNodeA_itsSessionIsRefusedThroughNodeBWithinOneSecond_andANamesakeChangesNothing()
            throws Exception {
        startBothNodes(Optional.empty());
        AwsBasicCredentials alice;
        String aliceId;
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                + "\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":user/alice\"}}]}";
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            aliceId = iam.createUser(r -> r.userName("alice")).user().userId();
            var key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
            alice = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
            iam.createRole(r -> r.roleName("shared").assumeRolePolicyDocument(trust));
        }
        Credentials issued;
        try (StsClient sts = sts(nodeA, alice)) {
            issued = sts.getSessionToken().credentials();
        }
        AwsSessionCredentials aliceSession = session(issued);
        // Node B caches alice, her session's user and the role before the deletion.
        assertThat(eventually(WITHIN, () -> assumeShared(nodeB, aliceSession)).assumedRoleUser().arn())
                .endsWith(":assumed-role/shared/through-b");

        AwsBasicCredentials namesake;
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            iam.deleteAccessKey(r -> r.userName("alice").accessKeyId(alice.accessKeyId()));
            iam.deleteUser(r -> r.userName("alice"));
            StsException refused = refusedWithin(WITHIN, () -> assumeShared(nodeB, aliceSession));
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");

            iam.createUser(r -> r.userName("alice"));
            iam.putUserPolicy(r -> r.userName("alice").policyName("Everything").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                            + "\"Resource\":\"*\"}]}"));
            var key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
            namesake = AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        }

        assertThat(eventually(WITHIN, () -> callerArn(nodeB, namesake))).endsWith(":user/alice");
        assertThat(catchThrowableOfType(StsException.class, () -> assumeShared(nodeB, aliceSession))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(catchThrowableOfType(StsException.class, () -> assumeShared(nodeB, namesake))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        try (IamClient iam = iam(nodeB, adminCredentials())) {
            assertThat(URLDecoder.decode(iam.getRole(r -> r.roleName("shared")).role().assumeRolePolicyDocument(),
                    UTF_8)).isEqualTo(trust.replace("arn:aws:iam::" + ACCOUNT + ":user/alice", aliceId));
        }
    }

    private static IamClient iam(OpenStsNode node, AwsCredentials credentials) {
        return SdkClients.iam(node, credentials);
    }

    private static software.amazon.awssdk.services.sts.model.AssumeRoleResponse assumeShared(OpenStsNode node,
            AwsCredentials credentials) {
        try (StsClient sts = sts(node, credentials)) {
            return sts.assumeRole(request -> request.roleArn("arn:aws:iam::" + ACCOUNT + ":role/shared")
                    .roleSessionName("through-b"));
        }
    }

    @Test
    void sessionTokenMintedByNodeA_authenticatesOnNodeB_alsoAfterNodeARotatedTheKeyRing() throws Exception {
        startBothNodes(Optional.of(Path.of("..", "examples", "quickstart.yaml")));
        String demoSession = "arn:aws:sts::" + ACCOUNT + ":assumed-role/demo/";
        Credentials beforeRotation = assumeDemo(nodeA, "before");
        assertThat(callerArn(nodeB, session(beforeRotation))).isEqualTo(demoSession + "before");

        nodeA.rotateKeyRing();
        long rotated = System.nanoTime();
        Credentials afterRotation = assumeDemo(nodeA, "after");
        int newPrimary = keyIdOf(afterRotation);
        assertThat(newPrimary).as("sealed with a new key").isNotEqualTo(keyIdOf(beforeRotation));

        // Before node B meets a token of the new key, it has heard of the rotation: it seals with the new key too.
        Credentials mintedByB = assumeDemo(nodeB, "by-b");
        while (keyIdOf(mintedByB) != newPrimary && System.nanoTime() - rotated < WITHIN.toNanos()) {
            mintedByB = assumeDemo(nodeB, "by-b");
        }
        assertThat(keyIdOf(mintedByB)).as("primary key of node B's ring").isEqualTo(newPrimary);
        assertThat(callerArn(nodeB, session(afterRotation))).isEqualTo(demoSession + "after");
        assertThat(callerArn(nodeB, session(beforeRotation))).as("old key kept").isEqualTo(demoSession + "before");
        assertThat(callerArn(nodeA, session(mintedByB))).isEqualTo(demoSession + "by-b");
    }

    @Test
    void authorizationMessageEncodedByNodeA_decodesOnNodeB_alsoAfterNodeARotatedTheKeyRing() throws Exception {
        startBothNodes(Optional.of(Path.of("..", "examples", "quickstart.yaml")));
        nodeA.rotateKeyRing();
        String message;
        try (StsClient sts = sts(nodeA, session(assumeDemo(nodeA, "reader")))) {
            // demo's trust policy names admin only: its own sessions are refused, with an encoded message.
            var e = catchThrowableOfType(software.amazon.awssdk.services.sts.model.StsException.class,
                    () -> sts.assumeRole(request -> request.roleArn("arn:aws:iam::" + ACCOUNT + ":role/demo")
                            .roleSessionName("chained")));
            message = StsEndToEndTest.encodedMessage(e.awsErrorDetails().errorMessage());
        }

        try (StsClient sts = sts(nodeB, adminCredentials())) {
            String decoded = sts.decodeAuthorizationMessage(request -> request.encodedMessage(message))
                    .decodedMessage();
            assertThat(decoded).contains("\"arn\":\"arn:aws:sts::" + ACCOUNT + ":assumed-role/demo/reader\"",
                    "\"action\":\"sts:AssumeRole\"");
        }
    }

    /** The key id in a token's header, read with the codec's own parser; no key is needed for that. */
    private static int keyIdOf(Credentials credentials) {
        var anyCodec = new SessionTokenCodec(KeyRing.generate(Instant.EPOCH, new SecureRandom()), "aws");
        return anyCodec.peekUnverifiedKeyId(credentials.sessionToken()).orElseThrow();
    }

    /**
     * Nodes started together with one bootstrap file on the store they share (a rolling deployment of a file that
     * adds entities) apply it one after the other: both start, and what the file names exists once, one generated key
     * where it asks for one, as after applying it twice in a row.
     */
    @Test
    void nodesStartedTogetherWithOneBootstrapFile_bothStart_andCreateItsEntitiesOnce() throws Exception {
        startBothNodes(Optional.empty());
        Path bootstrap = Files.writeString(workDir.resolve("together.yaml"), """
                accounts:
                  - id: "%1$s"
                    users:
                      - name: together-user
                        accessKeys:
                          - generate: true
                    roles:
                      - name: together-role
                        trustPolicy:
                          Version: "2012-10-17"
                          Statement:
                            - {Effect: Allow, Principal: {AWS: "arn:aws:iam::%1$s:user/admin"}, Action: sts:AssumeRole}
                """.formatted(ACCOUNT));
        ExecutorService starting = Executors.newFixedThreadPool(2);
        List<Future<OpenStsNode>> nodes = List.of(starting.submit(() -> start("c", Optional.of(bootstrap))),
                starting.submit(() -> start("d", Optional.of(bootstrap))));
        starting.shutdown();
        List<Throwable> failures = new ArrayList<>();
        for (Future<OpenStsNode> node : nodes) {
            try {
                node.get(2, TimeUnit.MINUTES).close();
            } catch (ExecutionException e) {
                failures.add(e.getCause());
            }
        }

        assertThat(failures).isEmpty();
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            assertThat(iam.listAccessKeys(r -> r.userName("together-user")).accessKeyMetadata()).hasSize(1);
            assertThat(iam.getRole(r -> r.roleName("together-role")).role().arn()).endsWith(":role/together-role");
        }
    }

    @Test
    void nodeRestartedOnItsDataDirectory_withAdminCredentialsButNoEmbeddedDatabase_starts() throws Exception {
        nodeA = start("a", Optional.empty());
        nodeA.close();
        nodeA = null;

        // The data directory of a PostgreSQL node never has opensts.mv.db: admin-credentials beside it is no sign of
        // a lost embedded store.
        nodeA = start("a", Optional.empty());

        assertThat(workDir.resolve("a").resolve("admin-credentials")).exists();
        assertThat(workDir.resolve("a").resolve("opensts.mv.db")).doesNotExist();
    }

    /**
     * A replica given another master key must stop before writing: its bootstrap file's keys, sealed with a key no
     * other node holds, would fail every node's calls and starts.
     */
    @Test
    void nodeWithAnotherMasterKey_refusesToJoinTheStore_sayingWhy_beforeApplyingItsBootstrapFile() throws Exception {
        nodeA = start("a", Optional.empty());
        admin = nodeA.initialAdmin().orElseThrow();
        Path otherKey = Files.writeString(workDir.resolve("other-master-key.json"), MasterKey.generateKeysetJson());
        Path bootstrap = Files.writeString(workDir.resolve("replica.yaml"), """
                accounts:
                  - id: "%s"
                    users:
                      - name: replica-user
                        accessKeys:
                          - generate: true
                """.formatted(ACCOUNT));
        OpenStsNode.Config config = OpenStsNode.Config.embedded(workDir.resolve("b"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withStore(store).withMasterKeyFile(otherKey)
                .withBootstrapFile(bootstrap);

        IOException e = catchThrowableOfType(IOException.class, () -> OpenStsNode.start(config));

        assertThat(e).hasMessageContaining("does not open with this master key")
                .hasMessageContaining(otherKey.toString());
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            assertThat(iam.listUsers().users()).extracting(user -> user.userName()).doesNotContain("replica-user");
        }
    }

    @Test
    void nodeWithoutTheMasterKeyFile_refusesToJoinTheStore_sayingTheFileIsMissing_andCreatesNone() throws Exception {
        nodeA = start("a", Optional.empty());
        Path absentKey = workDir.resolve("not-mounted").resolve("master-key.json");
        Files.createDirectories(absentKey.getParent());
        OpenStsNode.Config config = OpenStsNode.Config.embedded(workDir.resolve("b"),
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withStore(store).withMasterKeyFile(absentKey);

        IOException e = catchThrowableOfType(IOException.class, () -> OpenStsNode.start(config));

        assertThat(e).hasMessage("The master key file " + absentKey + " does not exist, but the store was created "
                + "with one: restore that file (every node of one store needs the same), or start on a new store");
        try (var left = Files.list(absentKey.getParent())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void wrongStorePassword_failsToStart_andNeitherTheErrorNorTheLogShowsIt() {
        String wrongPassword = "wrong-password-3f9a";
        store = storeSettings(store.describe().substring(store.describe().lastIndexOf('/') + 1), wrongPassword);
        var log = new ListAppender<ILoggingEvent>();
        var root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        log.start();
        root.addAppender(log);
        try {
            StoreException e = catchThrowableOfType(StoreException.class, () -> start("a", Optional.empty()));

            assertThat(e).hasMessageContaining("password authentication failed")
                    .hasMessageNotContaining(wrongPassword);
            assertThat(log.list).allSatisfy(event -> assertThat(event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy())))
                    .doesNotContain(wrongPassword));
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void samlAssertionRedeemedThroughNodeA_isRefusedThroughNodeB() throws Exception {
        startBothNodes(Optional.empty());
        var idp = TestSamlIdp.create("https://idp.example.com/saml");
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/saml-dev";
        String providerArn;
        try (IamClient iam = iam(nodeA, adminCredentials())) {
            providerArn = iam.createSAMLProvider(r -> r.name("corp").samlMetadataDocument(idp.metadataXml()))
                    .samlProviderArn();
            iam.createRole(r -> r.roleName("saml-dev").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + providerArn
                    + "\"},\"Action\":\"sts:AssumeRoleWithSAML\"}]}"));
        }
        Supplier<String> newAssertion = () -> idp.response(Instant.now()).role(roleArn, providerArn)
                .roleSessionName("ross").base64();
        String assertion = newAssertion.get();
        try (StsClient a = anonymousSts(nodeA); StsClient b = anonymousSts(nodeB)) {
            a.assumeRoleWithSAML(r -> r.roleArn(roleArn).principalArn(providerArn).samlAssertion(assertion));
            // Node B knows the provider and the role once a fresh assertion of the same IdP works there.
            eventually(WITHIN, () -> b.assumeRoleWithSAML(r -> r.roleArn(roleArn).principalArn(providerArn)
                    .samlAssertion(newAssertion.get())));

            var replay = catchThrowableOfType(InvalidIdentityTokenException.class, () -> b.assumeRoleWithSAML(
                    r -> r.roleArn(roleArn).principalArn(providerArn).samlAssertion(assertion)));

            assertThat(replay.awsErrorDetails().errorMessage()).contains("already been used");
        }
    }

    private static StsClient anonymousSts(OpenStsNode node) {
        return StsClient.builder()
                .endpointOverride(SdkClients.endpoint(node))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
