package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.IamQuotas;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.protocol.AwsRegions;
import org.opensts.server.ConnectionLimits;
import org.opensts.server.DataDirectoryLock;
import org.opensts.server.OpenStsNode;
import org.opensts.server.RateLimit;
import org.opensts.server.Regions;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code opensts serve}'s store options, run through picocli as the launcher runs them, with the output, the error
 * stream and the log captured: the password may come from a file or the environment, and shows up in none of them.
 */
class ServeCommandTest {
    private static final String PASSWORD = "cli-test-password-71b3";
    /** Nothing listens on port 1 of the loopback: the connection is refused at once. */
    private static final String UNREACHABLE_STORE = "jdbc:postgresql://127.0.0.1:1/opensts";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Map<String, String> environment = Map.of();

    @BeforeEach
    void captureLog() {
        log.start();
        rootLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        rootLogger.detachAppender(log);
    }

    private CommandLine commandLine(ServeCommand command) {
        CommandLine commandLine = new CommandLine(command).setUsageHelpWidth(200);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine;
    }

    private int serve(String... args) {
        return commandLine(new ServeCommand(environment::get)).execute(args);
    }

    /** Parses the options and returns the store settings they name, as {@code call()} would build them. */
    private StoreSettings parseStore(String... args) {
        var command = new ServeCommand(environment::get);
        commandLine(command).parseArgs(args);
        return command.storeSettings().orElseThrow();
    }

    /** Everything a user or an operator could read: standard output, standard error and every log event. */
    private String everythingPrinted() {
        var printed = new StringBuilder(out.toString()).append(err);
        for (ILoggingEvent event : log.list) {
            printed.append(event.getFormattedMessage()).append('\n');
            if (event.getThrowableProxy() != null) {
                printed.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append('\n');
            }
        }
        return printed.toString();
    }

    private Path passwordFile(String content) throws IOException {
        return Files.writeString(dir.resolve("store-password"), content, UTF_8);
    }

    @Test
    void help_listsTheStoreOptions() {
        assertThat(serve("--help")).isZero();

        assertThat(out.toString())
                .contains("--store=URL", "--store-user=USER", "--store-password:env=VAR", "--store-password:file=FILE")
                .contains("--master-key-file=FILE", "DIR/master-key.json")
                .contains("--trusted-ca-file=FILE")
                .contains("--tls-cert=FILE", "--tls-key=FILE", "--tls-self-signed", "AWS_CA_BUNDLE")
                .contains("OPENSTS_STORE_PASSWORD");
    }

    // ---- where the password comes from

    record PasswordCase(String name, List<String> args, Map<String, String> environment) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<PasswordCase> passwordSources() {
        return Stream.of(
                new PasswordCase("--store-password:env names a variable", List.of("--store-password:env", "DB_PW"),
                        Map.of("DB_PW", PASSWORD, ServeCommand.PASSWORD_ENVIRONMENT_VARIABLE, "not this one")),
                new PasswordCase("$OPENSTS_STORE_PASSWORD without an option", List.of(),
                        Map.of(ServeCommand.PASSWORD_ENVIRONMENT_VARIABLE, PASSWORD)),
                new PasswordCase("--store-password:file, its line break dropped", List.of("--store-password:file", "@"),
                        Map.of(ServeCommand.PASSWORD_ENVIRONMENT_VARIABLE, "not this one")));
    }

    /** {@code @} in a case's arguments stands for a file holding the password and a line break. */
    private String[] storeArgs(PasswordCase source, String storeUrl) throws IOException {
        var args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(), "--store", storeUrl,
                "--store-user", "opensts"));
        for (String arg : source.args()) {
            args.add(arg.equals("@") ? passwordFile(PASSWORD + "\n").toString() : arg);
        }
        return args.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passwordSources")
    void storePassword_isReadFrom(PasswordCase source) throws IOException {
        environment = source.environment();

        StoreSettings settings = parseStore(storeArgs(source, "jdbc:postgresql://db.example:5432/opensts"));

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/opensts");
        assertThat(settings.username()).contains("opensts");
        assertThat(settings.password().orElseThrow().matches(PASSWORD.getBytes(UTF_8))).isTrue();
        assertThat(settings.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void storePassword_noSourceAtAll_isNoPassword() {
        StoreSettings settings = parseStore("--store", "jdbc:postgresql://db.example/opensts");

        assertThat(settings.password()).isEmpty();
        assertThat(settings.username()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("passwordSources")
    void unreachableStore_failsWithAClearMessage_andShowsThePasswordNowhere(PasswordCase source) throws IOException {
        environment = source.environment();

        int exitCode = serve(storeArgs(source, UNREACHABLE_STORE));

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("Cannot open the identity store at " + UNREACHABLE_STORE)
                .contains("refused");
        assertThat(everythingPrinted()).doesNotContain(PASSWORD);
    }

    // ---- usage errors, found before anything starts

    record UsageCase(String name, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<UsageCase> usageErrors() {
        return Stream.of(
                new UsageCase("a store URL that is not PostgreSQL", List.of("--store", "jdbc:mysql://db/opensts"),
                        "--store must be a PostgreSQL JDBC URL"),
                new UsageCase("a password in the store URL",
                        List.of("--store", "jdbc:postgresql://db/opensts?user=opensts&password=" + PASSWORD),
                        "--store must not carry a password"),
                new UsageCase("an SSL key password in the store URL",
                        List.of("--store", "jdbc:postgresql://db/opensts?sslpassword=" + PASSWORD),
                        "--store must not carry a password"),
                new UsageCase("a store user without a store", List.of("--store-user", "opensts"),
                        "--store-user and --store-password need --store"),
                new UsageCase("a store password without a store", List.of("--store-password:env", "DB_PW"),
                        "--store-user and --store-password need --store"),
                new UsageCase("both password sources", List.of("--store", UNREACHABLE_STORE,
                        "--store-password:env", "DB_PW", "--store-password:file", "pw"), "mutually exclusive"),
                new UsageCase("a password variable that is not set", List.of("--store", UNREACHABLE_STORE,
                        "--store-password:env", "NO_SUCH_VARIABLE"),
                        "environment variable NO_SUCH_VARIABLE is not set"),
                new UsageCase("a password file that does not exist", List.of("--store", UNREACHABLE_STORE,
                        "--store-password:file", "/nonexistent/store-password"),
                        "cannot read /nonexistent/store-password"),
                new UsageCase("a trusted CA file that does not exist", List.of("--trusted-ca-file",
                        "/nonexistent/ca.pem"), "--trusted-ca-file: cannot read /nonexistent/ca.pem (No such file or "
                        + "directory)"),
                new UsageCase("a trusted CA file that is a directory", List.of("--trusted-ca-file", "/"),
                        "--trusted-ca-file: cannot read / (Is a directory)"),
                new UsageCase("a TLS certificate without its key", List.of("--tls-cert", "/etc/hostname"),
                        "--tls-cert and --tls-key go together"),
                new UsageCase("a TLS key without its certificate", List.of("--tls-key", "/etc/hostname"),
                        "--tls-cert and --tls-key go together"),
                new UsageCase("a self-signed certificate and a given one", List.of("--tls-self-signed",
                        "--tls-cert", "/etc/hostname", "--tls-key", "/etc/hostname"),
                        "--tls-self-signed cannot be combined with --tls-cert or --tls-key"),
                new UsageCase("a TLS key file that does not exist", List.of("--tls-cert", "/etc/hostname",
                        "--tls-key", "/nonexistent/key.pem"), "--tls-key: cannot read /nonexistent/key.pem (No such "
                        + "file or directory)"),
                new UsageCase("an audit size that is not a size", List.of("--audit-max-size", "lots"),
                        "expected a size such as 100MB, 512KB or 1GB, got 'lots'"),
                new UsageCase("an audit size below a kilobyte", List.of("--audit-max-size", "512"),
                        "--audit-max-size must be at least 1KB"),
                new UsageCase("an audit retention of no days", List.of("--audit-retention-days", "0"),
                        "--audit-retention-days must be at least 1, not 0"),
                new UsageCase("an audit fsync mode that is neither batch nor none", List.of("--audit-fsync", "always"),
                        "expected batch or none, not 'always'"),
                new UsageCase("a public URL without a scheme", List.of("--public-url", "sts.example.com"),
                        "--public-url must be an http or https URL"),
                new UsageCase("a public URL with a query", List.of("--public-url", "https://sts.example.com/?a=b"),
                        "--public-url must be an http or https URL"),
                new UsageCase("a public URL that is no URL", List.of("--public-url", "https://exa mple.com"),
                        "--public-url: not a URL"),
                new UsageCase("an S3 upstream without the gateway", List.of("--s3-upstream", "http://127.0.0.1:9000"),
                        "--s3-upstream, --s3-upstream-credentials, --s3-region and "
                                + "--no-s3-upstream-checksum-trailers need --s3-gateway"),
                new UsageCase("the store's trailer switch without the gateway",
                        List.of("--no-s3-upstream-checksum-trailers"), "need --s3-gateway"),
                new UsageCase("an S3 gateway without an upstream", List.of("--s3-gateway", "127.0.0.1:0"),
                        "--s3-gateway needs --s3-upstream and --s3-upstream-credentials"),
                new UsageCase("an S3 upstream with a path", List.of("--s3-gateway", "127.0.0.1:0", "--s3-upstream",
                        "http://127.0.0.1:9000/base", "--s3-upstream-credentials", "/etc/hostname"),
                        "--s3-upstream must be an http or https URL with a host and no path"),
                new UsageCase("an S3 upstream that is not HTTP", List.of("--s3-gateway", "127.0.0.1:0",
                        "--s3-upstream", "ftp://127.0.0.1", "--s3-upstream-credentials", "/etc/hostname"),
                        "--s3-upstream must be an http or https URL"),
                new UsageCase("S3 upstream credentials that do not exist", List.of("--s3-gateway", "127.0.0.1:0",
                        "--s3-upstream", "http://127.0.0.1:9000", "--s3-upstream-credentials", "/nonexistent/creds"),
                        "--s3-upstream-credentials: cannot read /nonexistent/creds (No such file or directory)"),
                new UsageCase("S3 upstream credentials without a default profile", List.of("--s3-gateway",
                        "127.0.0.1:0", "--s3-upstream", "http://127.0.0.1:9000", "--s3-upstream-credentials",
                        "/etc/hostname"), "--s3-upstream-credentials: /etc/hostname has no [default] profile"),
                new UsageCase("an S3 region with capitals", List.of("--s3-gateway", "127.0.0.1:0", "--s3-upstream",
                        "http://127.0.0.1:9000", "--s3-upstream-credentials", "/etc/hostname", "--s3-region",
                        "US-EAST-1"), "--s3-region must be a region name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void storeOptions_usageError(UsageCase usage) {
        var args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString()));
        args.addAll(usage.args());

        assertThat(serve(args.toArray(String[]::new))).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains(usage.message());
        assertThat(everythingPrinted()).doesNotContain(PASSWORD);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void s3UpstreamCredentials_withoutAKeyId_isAUsageErrorThatShowsNoSecret() throws IOException {
        String secret = "upstream-secret-never-printed-4c1e";
        Path credentials = Files.writeString(dir.resolve("upstream-credentials"),
                "[default]\naws_secret_access_key = " + secret + "\n", UTF_8);

        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--s3-gateway", "127.0.0.1:0",
                "--s3-upstream", "http://127.0.0.1:9000", "--s3-upstream-credentials", credentials.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("the [default] profile has no aws_access_key_id");
        assertThat(everythingPrinted()).doesNotContain(secret);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    // ---- files and directories the start cannot use: one line naming the option, its path and the reason

    record StartFailureCase(String name, List<String> args, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** In a case's arguments and message, {@code @} stands for the test's temporary directory. */
    static Stream<StartFailureCase> startFailures() {
        return Stream.of(
                new StartFailureCase("a bootstrap file that does not exist", List.of("--bootstrap", "@/nope.yaml"),
                        "--bootstrap: cannot read @/nope.yaml (No such file or directory)"),
                new StartFailureCase("a bootstrap file that is a directory", List.of("--bootstrap", "@/adir"),
                        "--bootstrap: cannot read @/adir (Is a directory)"),
                new StartFailureCase("a master key file in a directory that does not exist", List.of(
                        "--master-key-file", "@/nodir/master-key.json"), "--master-key-file: cannot read or create "
                        + "@/nodir/master-key.json (No such file or directory: @/nodir)"),
                new StartFailureCase("a master key file that is a directory", List.of("--master-key-file", "@/adir"),
                        "--master-key-file: cannot read or create @/adir (Is a directory)"),
                new StartFailureCase("a data directory below a regular file", List.of("--data-dir", "@/afile/data"),
                        "--data-dir: cannot use @/afile/data (Not a directory)"),
                new StartFailureCase("a data directory two below a regular file", List.of("--data-dir",
                        "@/afile/data/node"), "--data-dir: cannot use @/afile/data/node (Not a directory: "
                        + "@/afile/data)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startFailures")
    void startFailure_onAFileOrDirectory_isOneLineNamingTheOptionThePathAndTheReason(StartFailureCase failure)
            throws IOException {
        Files.createDirectory(dir.resolve("adir"));
        Files.writeString(dir.resolve("afile"), "a regular file\n", UTF_8);
        var args = new ArrayList<>(List.of("--listen", "127.0.0.1:0"));
        if (!failure.args().contains("--data-dir")) {
            args.addAll(List.of("--data-dir", dir.resolve("data").toString()));
        }
        failure.args().forEach(arg -> args.add(arg.replace("@", dir.toString())));

        int exitCode = serve(args.toArray(String[]::new));

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).isEqualTo("opensts serve: " + failure.message().replace("@", dir.toString())
                + System.lineSeparator());
        assertThat(everythingPrinted()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void bootstrapFileThatDoesNotExist_failsBeforeCreatingTheDataDirectory() {
        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--bootstrap", dir.resolve("nope.yaml").toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    // ---- the trusted CA file

    @Test
    void trustedCaFile_withoutACertificate_failsNamingTheFileBeforeCreatingAnything() throws IOException {
        Path bundle = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n", UTF_8);

        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--trusted-ca-file", bundle.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("The trusted CA file cannot be used", bundle.toString());
        assertThat(dir.resolve("data")).doesNotExist();
    }

    // ---- TLS

    @Test
    void tlsCert_thatIsNotACertificate_failsNamingTheFile() throws IOException {
        Path certificate = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n", UTF_8);
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n", UTF_8);

        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--tls-cert", certificate.toString(), "--tls-key", key.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains(certificate + " holds no PEM certificate");
    }

    // ---- the master key file

    @Test
    void masterKeyFile_thatIsNotAKey_failsNamingTheFile() throws IOException {
        Path masterKey = Files.writeString(dir.resolve("master-key.json"), "{\"not\": \"a keyset\"}", UTF_8);

        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--master-key-file", masterKey.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("The master key in " + masterKey + " is not a valid key");
    }

    @Test
    void dataDirectoryOfARunningNode_isRefusedInOneLine_andItsAuditLogIsLeftAlone() throws Exception {
        Path data = dir.resolve("data");
        try (var running = OpenStsNode.start(OpenStsNode.Config.embedded(data,
                new InetSocketAddress("127.0.0.1", 0), "123456789012"))) {
            Files.writeString(data.resolve("audit.log"), "{\"eventName\":\"GetCallerIdentity\"}\n", UTF_8);

            // A PostgreSQL store would take a second node: the data directory's own lock refuses it.
            int exitCode = serve("--data-dir", data.toString(), "--listen", "127.0.0.1:0",
                    "--store", UNREACHABLE_STORE);

            assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
            assertThat(err.toString()).startsWith("opensts serve: The data directory " + data + " is in use by "
                    + "another node (process " + ProcessHandle.current().pid() + ", which holds "
                    + data.toRealPath().resolve("node.lock") + "); each node needs a data directory of its own")
                    .hasLineCount(1);
            assertThat(data.resolve("audit.log")).hasContent("{\"eventName\":\"GetCallerIdentity\"}");
            // The refused start released nothing of the running node's: a third is refused as well.
            assertThat(catchThrowable(() -> OpenStsNode.start(OpenStsNode.Config.embedded(data,
                    new InetSocketAddress("127.0.0.1", 0), "123456789012"))))
                    .isInstanceOf(DataDirectoryLock.DataDirectoryInUseException.class);
        }
    }

    @Test
    void listenAddressInUse_failsInOneLineNamingTheAddress() throws IOException {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen",
                    "127.0.0.1:" + taken.getLocalPort());

            assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
            assertThat(err.toString().strip()).isEqualTo("opensts serve: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + " (Address already in use)");
        }
    }

    // ---- the bootstrap file

    @Test
    void bootstrap_entityIamRefuses_failsNamingTheEntityAndIamsError_andKeepsTheGeneratedSecretInItsFile()
            throws IOException {
        Path bootstrap = Files.writeString(dir.resolve("bootstrap.yaml"), """
                accounts:
                  - id: "123456789012"
                    users:
                      - name: bob
                        accessKeys: [{generate: true}]
                    roles:
                      - name: r1
                        trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: sts:AssumeRole,
                          Principal: {AWS: "arn:aws:iam::123456789012:user/nobody"}}]}
                """, UTF_8);
        Path data = dir.resolve("data");

        int exitCode = serve("--data-dir", data.toString(), "--listen", "127.0.0.1:0", "--bootstrap",
                bootstrap.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).isEqualTo("opensts serve: --bootstrap " + bootstrap + ": cannot apply role r1 of "
                + "account 123456789012: MalformedPolicyDocument: Invalid principal in policy: "
                + "\"AWS\":\"arn:aws:iam::123456789012:user/nobody\"" + System.lineSeparator());
        String credentials = Files.readString(data.resolve("bootstrap-credentials"), UTF_8);
        String secret = credentials.lines().filter(line -> line.startsWith("aws_secret_access_key = ")).findFirst()
                .orElseThrow().substring("aws_secret_access_key = ".length());
        assertThat(credentials).startsWith("[bob@123456789012]\naws_access_key_id = AKIA");
        assertThat(everythingPrinted()).doesNotContain(secret).doesNotContain("ApiException");
    }

    // ---- regions and throttling

    private ServeCommand parse(String... args) {
        var command = new ServeCommand(environment::get);
        commandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void help_listsTheRegionAndRateLimitOptions() {
        assertThat(serve("--help")).isZero();

        assertThat(out.toString()).contains("--region=NAME", "--regions=LIST", "--rate-limit=N", "--burst=N",
                "us-east-1", "2000", "RegionDisabledException", "Throttling");
    }

    @Test
    void regions_noOptions_areUsEast1WithEveryCommercialRegionEnabled() {
        Regions regions = parse().regionSettings();

        assertThat(regions.nodeRegion()).isEqualTo("us-east-1");
        assertThat(regions.enabled()).containsExactlyInAnyOrderElementsOf(AwsRegions.COMMERCIAL);
    }

    @Test
    void regions_givenList_areTheOnlyEnabledOnes() {
        Regions regions = parse("--region", "eu-west-1", "--regions", "eu-west-1,us-east-1").regionSettings();

        assertThat(regions.nodeRegion()).isEqualTo("eu-west-1");
        assertThat(regions.enabled()).containsExactlyInAnyOrder("eu-west-1", "us-east-1");
    }

    @Test
    void regions_nodeRegionNotEnabled_isWarnedOf_becauseItsUnsignedCallsWouldAllBeRefused() {
        assertThat(parse("--region", "on-prem-1").regionNotEnabledWarning()).get().asString()
                .contains("--region on-prem-1 is not one of --regions").contains("RegionDisabledException");
        assertThat(parse("--region", "on-prem-1", "--regions", "on-prem-1,us-east-1").regionNotEnabledWarning())
                .isEmpty();
        assertThat(parse().regionNotEnabledWarning()).isEmpty();
    }

    record OptionCase(String name, List<String> args, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<OptionCase> badRegionAndRateOptions() {
        return Stream.of(
                new OptionCase("--region with capitals", List.of("--region", "US-EAST-1"), "--region must be"),
                new OptionCase("--regions with a space inside a name", List.of("--regions", "us-east-1,eu west-1"),
                        "--regions must list region names"),
                new OptionCase("--regions with no name", List.of("--regions", ","), "--regions must name at least"),
                new OptionCase("a negative --rate-limit", List.of("--rate-limit", "-1"), "--rate-limit must be"),
                new OptionCase("--burst of 0", List.of("--burst", "0"), "--burst must be at least 1"),
                new OptionCase("--max-connections of 0", List.of("--max-connections", "0"),
                        "--max-connections must be at least 1"),
                new OptionCase("--iam-quota without =", List.of("--iam-quota", "Roles"), "--iam-quota takes NAME=N"),
                new OptionCase("--iam-quota past AWS's maximum", List.of("--iam-quota", "Roles=5001"),
                        "The Roles quota must be from 1 to 5000"),
                new OptionCase("--iam-quota lowered to 0", List.of("--iam-quota", "Users=0"),
                        "The Users quota must be from 1 to 5000"),
                new OptionCase("--iam-quota of another name", List.of("--iam-quota", "AccessKeysPerUser=3"),
                        "No IAM quota is named AccessKeysPerUser"),
                new OptionCase("--iam-quota not a number", List.of("--iam-quota", "Groups=many"),
                        "N must be a whole number"),
                new OptionCase("--iam-quota past int", List.of("--iam-quota", "Roles=99999999999"),
                        "The Roles quota must be from 1 to 5000"),
                new OptionCase("--iam-quota naming one quota twice", List.of("--iam-quota", "Roles=2000",
                        "--iam-quota", "roles=3000"), "--iam-quota names roles more than once"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRegionAndRateOptions")
    void serve_badRegionOrRateOption_isUsageErrorBeforeStarting(OptionCase option) {
        var args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString()));
        args.addAll(option.args());

        assertThat(serve(args.toArray(String[]::new))).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains(option.error());
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void rateLimit_noOptions_is2000PerSecondWithABurstOf4000() {
        assertThat(parse().rateLimitSettings()).isEqualTo(new RateLimit(2000, 4000));
    }

    @Test
    void rateLimit_withBurst_takesBoth() {
        assertThat(parse("--rate-limit", "10", "--burst", "3").rateLimitSettings()).isEqualTo(new RateLimit(10, 3));
    }

    @Test
    void rateLimit_zero_turnsThrottlingOff() {
        assertThat(parse("--rate-limit", "0").rateLimitSettings().enabled()).isFalse();
    }

    @Test
    void iamQuotas_noOption_areAwssDefaults_andEachGivenOneIsRaised() {
        assertThat(parse().iamQuotaSettings()).isEqualTo(IamQuotas.AWS_DEFAULTS);
        assertThat(parse("--iam-quota", "Roles=5000", "--iam-quota", "groups=500").iamQuotaSettings())
                .isEqualTo(IamQuotas.AWS_DEFAULTS.with("Roles", 5000).with("Groups", 500));
    }

    @Test
    void iamQuotas_givenBelowAwssDefault_isLowered_toOneAtLeast() {
        assertThat(parse("--iam-quota", "Users=2", "--iam-quota", "Roles=1").iamQuotaSettings())
                .isEqualTo(IamQuotas.AWS_DEFAULTS.with("Users", 2).with("Roles", 1));
    }

    @Test
    void help_iamQuota_saysAQuotaMayBeRaisedOrLowered_andItsBounds() {
        assertThat(serve("--help")).isZero();

        assertThat(out.toString()).contains("Raise (or lower, to 1 at least) a per-account IAM quota")
                .contains("Users (5000, at most 5000)", "Groups (300, at most 500)");
    }

    @Test
    void maxConnections_noOption_isSizedFromTheDescriptorLimit() {
        assertThat(parse().maxConnectionsSetting()).isEqualTo(ConnectionLimits.defaultMaxConnections());
    }

    @Test
    void maxConnections_given_isTaken() {
        assertThat(parse("--max-connections", "250").maxConnectionsSetting()).isEqualTo(250);
    }
}
