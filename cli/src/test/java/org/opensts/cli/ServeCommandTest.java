package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.opensts.iam.jdbc.StoreSettings;
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
                        "/nonexistent/ca.pem"), "--trusted-ca-file: cannot read /nonexistent/ca.pem"),
                new UsageCase("a public URL without a scheme", List.of("--public-url", "sts.example.com"),
                        "--public-url must be an http or https URL"),
                new UsageCase("a public URL with a query", List.of("--public-url", "https://sts.example.com/?a=b"),
                        "--public-url must be an http or https URL"),
                new UsageCase("a public URL that is no URL", List.of("--public-url", "https://exa mple.com"),
                        "--public-url: not a URL"));
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

    // ---- the master key file

    @Test
    void masterKeyFile_thatIsNotAKey_failsNamingTheFile() throws IOException {
        Path masterKey = Files.writeString(dir.resolve("master-key.json"), "{\"not\": \"a keyset\"}", UTF_8);

        int exitCode = serve("--data-dir", dir.resolve("data").toString(), "--listen", "127.0.0.1:0",
                "--master-key-file", masterKey.toString());

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).contains("The master key in " + masterKey + " is not a valid key");
    }
}
