package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.bootstrap.BootstrapException;
import org.opensts.protocol.ErrorCode;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code bootstrap-credentials} as nodes start: a generated key's secret is in the file before the key exists, so a
 * start that fails after the key was created, or one killed between the two steps, loses no secret.
 */
class BootstrapCredentialsFileTest {
    private static final String GOOD = """
            accounts:
              - id: "123456789012"
                users:
                  - name: bob
                    accessKeys:
                      - generate: true
                roles:
                  - name: r1
                    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole,
                      Principal: {AWS: "arn:aws:iam::123456789012:user/bob"}}]}
            """;
    /** The role, applied after bob's key is created, trusts a user nobody has: IAM refuses it. */
    private static final String FAILS_AFTER_THE_KEY = GOOD.replace("user/bob", "user/nobody");

    @TempDir
    Path dir;

    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Level level;
    private OpenStsNode node;

    @BeforeEach
    void captureEveryLogLine() {
        level = rootLogger.getLevel();
        rootLogger.setLevel(Level.TRACE);
        log.start();
        rootLogger.addAppender(log);
    }

    @AfterEach
    void stop() {
        rootLogger.detachAppender(log);
        rootLogger.setLevel(level);
        if (node != null) {
            node.close();
        }
    }

    private Path credentialsFile() {
        return dir.resolve("node").resolve(OpenStsNode.BOOTSTRAP_CREDENTIALS_FILE);
    }

    private Map<String, String> profile(String name) throws IOException {
        String text = Files.readString(credentialsFile(), UTF_8);
        int start = text.indexOf("[" + name + "]\n");
        assertThat(start).as("profile %s in %s", name, text).isNotNegative();
        int end = text.indexOf("\n[", start + 1);
        return text.substring(start, end < 0 ? text.length() : end + 1).lines().skip(1)
                .map(line -> line.split(" = ", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    private String callerArn(AwsBasicCredentials credentials) {
        try (StsClient sts = SdkClients.sts(node, credentials)) {
            return sts.getCallerIdentity().arn();
        }
    }

    @Test
    void start_failingAfterTheKeyIsCreated_leavesItsSecretInTheFile_andTheNextStartWorksWithIt() throws Exception {
        assertThatThrownBy(() -> TestNodes.start(dir, FAILS_AFTER_THE_KEY))
                .isInstanceOf(BootstrapException.class)
                .hasMessage("role r1 of account 123456789012: MalformedPolicyDocument: Invalid principal in policy: "
                        + "\"AWS\":\"arn:aws:iam::123456789012:user/nobody\"")
                .extracting(e -> ((BootstrapException) e).errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        Map<String, String> bob = profile("bob@123456789012");
        String secret = bob.get("aws_secret_access_key");

        node = TestNodes.start(dir, GOOD);

        assertThat(node.bootstrapKeys()).isEmpty();
        assertThat(profile("bob@123456789012")).isEqualTo(bob);
        assertThat(callerArn(AwsBasicCredentials.create(bob.get("aws_access_key_id"), secret)))
                .isEqualTo("arn:aws:iam::123456789012:user/bob");
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(line -> line.contains(secret));
    }

    @Test
    void start_afterOneKilledOnceTheFileWasWrittenButBeforeTheKeyWasStored_replacesTheUnusedProfile()
            throws Exception {
        // What such a kill leaves: a store that exists (it is opened before any key is generated), and a profile
        // whose key the store never got, beside the profiles of other keys.
        TestNodes.start(dir, GOOD.replace("        accessKeys:\n          - generate: true\n", "")).close();
        String other = "[carol@123456789012]\naws_access_key_id = AKIAOTHERKEPT0000001\n"
                + "aws_secret_access_key = kept-because-not-bobs-0123456789abcdef\n";
        Files.writeString(credentialsFile(), "[bob@123456789012]\naws_access_key_id = AKIANEVERSTORED00001\n"
                + "aws_secret_access_key = never-stored-0123456789abcdef0123456789\n" + other, UTF_8);

        node = TestNodes.start(dir, GOOD);

        String bobKeyId = node.bootstrapKeys().get(0).accessKeyId();
        assertThat(Files.readString(credentialsFile(), UTF_8)).doesNotContain("AKIANEVERSTORED00001")
                .startsWith(other).containsOnlyOnce("[bob@123456789012]").contains(bobKeyId);
        Map<String, String> bob = profile("bob@123456789012");
        assertThat(callerArn(AwsBasicCredentials.create(bobKeyId, bob.get("aws_secret_access_key"))))
                .isEqualTo("arn:aws:iam::123456789012:user/bob");
    }

    @Test
    void start_generatingKeys_writesAnOwnerOnlyFileAndLeavesNoTemporaryFile() throws Exception {
        node = TestNodes.start(dir, GOOD.replace("    roles:\n",
                "      - name: carol\n        accessKeys:\n          - generate: true\n    roles:\n"));

        assertThat(node.bootstrapKeys()).hasSize(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsFile())))
                .isEqualTo("rw-------");
        assertThat(profile("bob@123456789012")).containsKeys("aws_access_key_id", "aws_secret_access_key");
        assertThat(profile("carol@123456789012")).containsKeys("aws_access_key_id", "aws_secret_access_key");
        try (Stream<Path> files = Files.list(credentialsFile().getParent())) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
        node.bootstrapKeys().forEach(key -> assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains(key.secretAccessKey().revealUtf8())));
    }

    @Test
    void start_generatingTwoKeysForOneUser_namesTheSecondProfileApart_soTheFileStaysReadable() throws Exception {
        node = TestNodes.start(dir, GOOD.replace("          - generate: true\n",
                "          - generate: true\n          - generate: true\n"));

        assertThat(node.bootstrapKeys()).hasSize(2);
        String text = Files.readString(credentialsFile(), UTF_8);
        assertThat(text).containsOnlyOnce("[bob@123456789012]\n").containsOnlyOnce("[bob@123456789012-2]\n");
        for (String name : List.of("bob@123456789012", "bob@123456789012-2")) {
            Map<String, String> key = profile(name);
            assertThat(callerArn(AwsBasicCredentials.create(key.get("aws_access_key_id"),
                    key.get("aws_secret_access_key")))).isEqualTo("arn:aws:iam::123456789012:user/bob");
        }
    }

    @Test
    void start_theSameFileAgain_leavesTheFileAsItWas() throws Exception {
        node = TestNodes.start(dir, GOOD);
        String first = Files.readString(credentialsFile(), UTF_8);
        node.close();

        node = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), TestNodes.ACCOUNT)
                .withBootstrapFile(dir.resolve("bootstrap.yaml")));

        assertThat(node.bootstrapKeys()).isEmpty();
        assertThat(Files.readString(credentialsFile(), UTF_8)).isEqualTo(first);
    }
}
