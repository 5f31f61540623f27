package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.cli.OpenSts;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.ProcessCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code opensts credential-process} against a real node on the test's clock: the Version 1 JSON, the cache's hits,
 * misses and refresh five minutes before expiry, its file modes and its refusal to follow planted links, one entry
 * per request and source, concurrent invocations that make one AssumeRole between them, and failures that print
 * nothing on standard output.
 */
class CredentialProcessCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private ClientTestNode node;
    private Map<String, String> env;
    private Path home;

    @BeforeEach
    void start() throws Exception {
        node = ClientTestNode.start(dir, clock);
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), node.adminCredentialsFile(), UTF_8);
        Files.writeString(home.resolve(".aws/config"), """
                [profile base]
                region = us-east-1
                endpoint_url = %s
                [profile other]
                region = us-east-1
                endpoint_url = %s
                aws_access_key_id = %s
                aws_secret_access_key = %s
                """.formatted(node.endpoint(), node.endpoint(), node.adminKeyId(), node.adminSecret()), UTF_8);
        env = Map.of("AWS_REGION", "us-east-1");
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(Map<String, String> variables, String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var commandLine = OpenSts.commandLine(new ClientEnvironment(variables, home, clock, serial -> "000000"));
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Run assumeDemo(String... extra) {
        var args = new ArrayList<>(List.of("credential-process", "--role-arn", ClientTestNode.DEMO_ROLE,
                "--profile", "base"));
        args.addAll(List.of(extra));
        return run(env, args.toArray(String[]::new));
    }

    private Path cacheDir() {
        return home.resolve(".opensts/cache");
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> files = Files.list(cacheDir())) {
            return files.filter(file -> file.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void firstRun_printsVersion1Json_andSecondRunServesItFromTheCache() throws Exception {
        Run first = assumeDemo();
        Run second = assumeDemo();

        assertThat(first.exitCode()).isZero();
        var json = JSON.readTree(first.out());
        assertThat(json.get("Version").asInt()).isEqualTo(1);
        assertThat(json.get("AccessKeyId").asText()).startsWith("ASIA");
        assertThat(json.get("AccountId").asText()).isEqualTo("123456789012");
        assertThat(json.get("Expiration").asText()).isEqualTo(clock.instant().plus(Duration.ofHours(1)).toString());
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(node.calls("AssumeRole")).isEqualTo(1);
        assertThat(first.err() + second.err()).isEmpty();
    }

    @Test
    void cachedCredentials_areServedUntilFifteenMinutesBeforeExpiry_thenRefreshed() throws Exception {
        Run first = assumeDemo();

        // The AWS CLI and the Python SDK run the process again whenever 15 minutes or less are left: served entries
        // must have more, or each of their calls would start the JVM.
        clock.advance(Duration.ofMinutes(44).plusSeconds(59));
        Run stillCached = assumeDemo();
        clock.advance(Duration.ofSeconds(1));
        Run refreshed = assumeDemo();

        assertThat(stillCached.out()).isEqualTo(first.out());
        assertThat(refreshed.out()).isNotEqualTo(first.out());
        assertThat(JSON.readTree(refreshed.out()).get("Expiration").asText())
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)).toString());
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    @Test
    void sessionShorterThanTwiceTheMargin_isServedForHalfItsLifetime_notReassumedOnEveryRun() throws Exception {
        Run first = assumeDemo("--duration-seconds", "900");

        clock.advance(Duration.ofMinutes(7).plusSeconds(29));
        Run stillCached = assumeDemo("--duration-seconds", "900");
        clock.advance(Duration.ofSeconds(1));
        Run refreshed = assumeDemo("--duration-seconds", "900");
        Run servedFromTheNewEntry = assumeDemo("--duration-seconds", "900");

        assertThat(stillCached.out()).isEqualTo(first.out());
        assertThat(refreshed.out()).isNotEqualTo(first.out());
        assertThat(servedFromTheNewEntry.out()).isEqualTo(refreshed.out());
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no secret", "trailing data", "version 2"})
    void damagedEntry_isAMiss_andIsReplaced(String damage) throws Exception {
        Run first = assumeDemo();
        Path entry = entries().get(0);
        var entryJson = (ObjectNode) JSON.readTree(Files.readString(entry));
        var output = (ObjectNode) JSON.readTree(entryJson.get("Output").asText());
        String text;
        switch (damage) {
            case "no secret" -> text = JSON.writeValueAsString(entryJson.put("Output",
                    JSON.writeValueAsString(output.without("SecretAccessKey"))));
            case "trailing data" -> text = JSON.writeValueAsString(entryJson) + " garbage";
            default -> text = JSON.writeValueAsString(entryJson.put("Output",
                    JSON.writeValueAsString(output.put("Version", 2))));
        }
        Files.writeString(entry, text);

        Run second = assumeDemo();

        assertThat(second.exitCode()).isZero();
        assertThat(second.out()).isNotEqualTo(first.out());
        assertThat(JSON.readTree(second.out()).get("SecretAccessKey").asText()).isNotBlank();
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    @Test
    void cache_directoryIsMode700_andEntriesAndLocksMode600() throws Exception {
        assumeDemo();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(".opensts"))))
                .isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(cacheDir())) {
            assertThat(files.toList()).hasSize(2).allSatisfy(file -> assertThat(PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
    }

    @Test
    void cache_thatWasLooselyPermitted_isTightenedTo700() throws Exception {
        Files.createDirectories(cacheDir());
        Files.setPosixFilePermissions(cacheDir(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(assumeDemo().exitCode()).isZero();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir()))).isEqualTo("rwx------");
    }

    @Test
    void plantedSymlinkInPlaceOfAnEntry_isNeitherReadNorWrittenThrough() throws Exception {
        assumeDemo();
        Path entry = entries().get(0);
        // A well-formed entry that would be served, were it read through the link.
        String fake = JSON.writeValueAsString(Map.of("Obtained", clock.instant().toString(), "Output",
                "{\"Version\": 1, \"AccessKeyId\": \"ASIAPLANTED\", \"SecretAccessKey\": \"x\", "
                        + "\"SessionToken\": \"y\", \"Expiration\": \"2999-01-01T00:00:00Z\"}"));
        Path victim = Files.writeString(dir.resolve("victim.json"), fake, UTF_8);
        Files.delete(entry);
        Files.createSymbolicLink(entry, victim);

        Run run = assumeDemo();

        assertThat(run.out()).doesNotContain("ASIAPLANTED");
        assertThat(Files.readString(victim, UTF_8)).isEqualTo(fake);
        assertThat(Files.isSymbolicLink(entry)).isFalse();
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    /**
     * An entry someone else could have written while the directory was open to them (it is made the user's alone
     * before use): one others may write, or one of another user, is a miss, and the refresh replaces it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"writable by others", "of another user"})
    void plantedEntry_isNotServed_andIsReplaced(String planted) throws Exception {
        assumeDemo();
        Path entry = entries().get(0);
        String fake = JSON.writeValueAsString(Map.of("Obtained", clock.instant().toString(), "Output",
                "{\"Version\": 1, \"AccessKeyId\": \"ASIAPLANTED\", \"SecretAccessKey\": \"x\", "
                        + "\"SessionToken\": \"y\", \"Expiration\": \"2999-01-01T00:00:00Z\"}"));
        Files.writeString(entry, fake, UTF_8);
        if (planted.equals("writable by others")) {
            Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));
        } else {
            try {
                Files.setAttribute(entry, "unix:uid", 54321);
            } catch (java.io.IOException e) {
                Assumptions.abort("only root can give the entry to another user here");
            }
        }

        Run run = assumeDemo();

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("ASIAPLANTED");
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
        assertThat(Files.readString(entry, UTF_8)).doesNotContain("ASIAPLANTED");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entry))).isEqualTo("rw-------");
    }

    /** An entry moved onto another request's name (the two differ only in their session names) is not served. */
    @Test
    void entryMovedOntoAnotherRequestsName_isAMiss() throws Exception {
        Run first = assumeDemo("--role-session-name", "first");
        Path firstEntry = entries().get(0);
        assumeDemo("--role-session-name", "second");
        Path secondEntry = entries().stream().filter(entry -> !entry.equals(firstEntry)).findFirst().orElseThrow();
        Files.copy(firstEntry, secondEntry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        Run second = assumeDemo("--role-session-name", "second");

        assertThat(second.out()).isNotEqualTo(first.out());
        assertThat(node.calls("AssumeRole")).isEqualTo(3);
    }

    /** A lock file someone else left while the directory was open to them is not taken: its holder could stall runs. */
    @Test
    void lockFileThatIsNotTheUsersOwn_isNotTaken_butCredentialsAreStillPrinted() throws Exception {
        assumeDemo();
        Path lock;
        try (Stream<Path> files = Files.list(cacheDir())) {
            lock = files.filter(file -> file.toString().endsWith(".lock")).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(lock, PosixFilePermissions.fromString("rw-rw-rw-"));
        clock.advance(Duration.ofMinutes(50)); // the entry is due for refresh

        Run run = assumeDemo();

        assertThat(run.exitCode()).isZero();
        assertThat(JSON.readTree(run.out()).get("Version").asInt()).isEqualTo(1);
        assertThat(run.err()).contains("not caching credentials").contains("is not mode 600 (rw-rw-rw-)");
    }

    @Test
    void cacheDirectoryThatIsASymlink_isNotUsed_butCredentialsAreStillPrinted() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(home.resolve(".opensts"));
        Files.createSymbolicLink(cacheDir(), elsewhere);

        Run run = assumeDemo();

        assertThat(run.exitCode()).isZero();
        assertThat(JSON.readTree(run.out()).get("Version").asInt()).isEqualTo(1);
        assertThat(run.err()).contains("not caching credentials");
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void cacheDirectoryOfAnotherUser_isNotUsed() throws Exception {
        Files.createDirectories(cacheDir(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            Files.setAttribute(cacheDir(), "unix:uid", 54321);
        } catch (java.io.IOException e) {
            Assumptions.abort("only root can give the directory to another user here");
        }

        Run run = assumeDemo();

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("belongs to another user (uid 54321)");
        try (Stream<Path> files = Files.list(cacheDir())) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void differentSessionsRolesAndSources_getTheirOwnEntries() throws Exception {
        Run base = assumeDemo();
        Run otherSession = assumeDemo("--role-session-name", "other-session");
        Run otherSource = run(env, "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE, "--profile", "other");
        Run otherDuration = assumeDemo("--duration-seconds", "900");

        assertThat(Stream.of(base, otherSession, otherSource, otherDuration).map(Run::out).distinct()).hasSize(4);
        assertThat(entries()).hasSize(4);
        assertThat(node.calls("AssumeRole")).isEqualTo(4);
    }

    @Test
    void aChangedCredentialsFile_isADifferentSource_andMissesTheCache() throws Exception {
        assumeDemo();
        Files.writeString(home.resolve(".aws/credentials"), "\n# rotated\n", UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        assumeDemo();

        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    @Test
    void sameAccessKeyIdWithAWrongSecret_missesTheCache_andIsRefusedBySts() throws Exception {
        var variables = new HashMap<>(env);
        variables.put("AWS_ENDPOINT_URL", node.endpoint().toString());
        variables.put("AWS_ACCESS_KEY_ID", node.adminKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", node.adminSecret());
        Run signed = run(variables, "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE);
        variables.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-of-this-key-at-all-00000000");

        Run wrongSecret = run(variables, "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE);

        // The cache stands in for STS only for the caller STS would have answered: knowing an access key id (which
        // is not secret) must not be enough to be handed the role's credentials.
        assertThat(signed.exitCode()).isZero();
        assertThat(wrongSecret.exitCode()).isEqualTo(254);
        assertThat(wrongSecret.out()).isEmpty();
        assertThat(node.calls("AssumeRole")).isEqualTo(2);
    }

    @Test
    void concurrentInvocations_makeOneAssumeRoleBetweenThem() throws Exception {
        int invocations = 8;
        var ready = new CountDownLatch(invocations);
        var go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(invocations);
        try {
            var results = new ArrayList<Future<Run>>();
            for (int i = 0; i < invocations; i++) {
                Callable<Run> invocation = () -> {
                    ready.countDown();
                    go.await();
                    return assumeDemo();
                };
                results.add(pool.submit(invocation));
            }
            ready.await();
            go.countDown();
            var outputs = new ArrayList<String>();
            for (Future<Run> result : results) {
                Run run = result.get();
                assertThat(run.exitCode()).isZero();
                outputs.add(run.out());
            }

            assertThat(outputs).allMatch(outputs.get(0)::equals);
            assertThat(node.calls("AssumeRole")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusedCall_printsTheErrorOnStandardErrorOnly_andCachesNothing() throws Exception {
        Run run = run(env, "credential-process", "--role-arn", "arn:aws:iam::123456789012:role/nosuch",
                "--profile", "base");

        assertThat(run.exitCode()).isEqualTo(254);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("\nAn error occurred (AccessDenied) when calling the AssumeRole operation: ");
        assertThat(entries()).isEmpty();
    }

    /**
     * A config file or token file that is a device, a FIFO or larger than any real one is a one-line error (255, as
     * the AWS CLI answers a file it cannot read), not an exhausted heap or a wait for a writer that never comes.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"an endless device", "a FIFO", "a file of 2 MiB"})
    void configFileThatCannotBeReadWhole_isAOneLineError(String kind) throws Exception {
        Path config = switch (kind) {
            case "an endless device" -> Path.of("/dev/zero");
            case "a FIFO" -> {
                Path fifo = dir.resolve("config.fifo");
                assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
                yield fifo;
            }
            default -> Files.writeString(dir.resolve("big-config"), "# " + "x".repeat(2 * 1024 * 1024), UTF_8);
        };
        var variables = new java.util.HashMap<>(env);
        variables.put("AWS_CONFIG_FILE", config.toString());

        Run run = run(variables, "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE, "--no-cache");

        assertThat(run.exitCode()).isEqualTo(255);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).isEqualTo("Unable to parse config file: " + config);
        assertThat(node.calls("AssumeRole")).isZero();
    }

    @Test
    void noCache_callsEveryTime() {
        assumeDemo("--no-cache");
        assumeDemo("--no-cache");

        assertThat(node.calls("AssumeRole")).isEqualTo(2);
        assertThat(cacheDir()).doesNotExist();
    }

    @Test
    void awsSdkForJavaProcessProvider_runningTheCommand_callsAsTheRole() {
        // The command as a profile would run it: a JVM of its own, its home (and so ~/.aws) given as HOME, which a
        // credential_process inherits from the AWS CLI or SDK that starts it.
        List<String> command = List.of("env", "HOME=" + home,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenSts.class.getName(),
                "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE, "--role-session-name", "java-sdk",
                "--profile", "base", "--no-cache");
        try (var provider = ProcessCredentialsProvider.builder().command(command).build();
                var sts = StsClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(provider).httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(sts.getCallerIdentity().arn())
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/java-sdk");
        }
    }

    @Test
    void webIdentityTokenFile_withoutAnyCredentials_isAnUnsignedCall() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "not-a-jwt\n", UTF_8);
        var variables = new HashMap<>(env);
        variables.put("AWS_CONFIG_FILE", "/nonexistent");
        variables.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent");

        Run run = run(variables, "credential-process", "--role-arn", ClientTestNode.DEMO_ROLE,
                "--web-identity-token-file", token.toString(), "--endpoint-url", node.endpoint().toString());

        assertThat(run.exitCode()).isEqualTo(254);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("\nAn error occurred (").contains("when calling the "
                + "AssumeRoleWithWebIdentity operation");
        assertThat(node.calls("AssumeRoleWithWebIdentity")).isEqualTo(1);
    }
}
