package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.cli.OpenSts;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.testing.MutableClock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code opensts sts …} run through the real command line against a real node on loopback (on the test's clock, so
 * expirations are known): each call's output byte for byte in each format, and failures printed and numbered as the
 * AWS CLI v2 prints and numbers them.
 */
class StsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private static TestOidcIssuer issuer;
    private static ClientTestNode node;
    private static Map<String, String> env;
    private static String providerArn;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/ci").start();
        node = ClientTestNode.start(dir, CLOCK, Optional.of(issuer.caPemFile()));
        Path credentials = Files.writeString(dir.resolve("credentials"), node.adminCredentialsFile(), UTF_8);
        env = Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                "AWS_CONFIG_FILE", dir.resolve("no-config").toString(),
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL_STS", node.endpoint().toString());
        createWebIdentityRole();
    }

    /** Registers the issuer as an OIDC provider and creates the role {@code ci} its tokens may assume. */
    private static void createWebIdentityRole() {
        try (IamClient iam = IamClient.builder().endpointOverride(node.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(node.adminKeyId(),
                        node.adminSecret())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            providerArn = iam.createOpenIDConnectProvider(r -> r.url(issuer.url())
                    .clientIDList(TestOidcIssuer.DEFAULT_AUDIENCE).thumbprintList(issuer.caThumbprint()))
                    .openIDConnectProviderArn();
            iam.createRole(r -> r.roleName("ci").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                            + providerArn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}"));
            iam.putRolePolicy(r -> r.roleName("ci").policyName("WhoAmI").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}"));
        }
    }

    private Path tokenFile() throws Exception {
        return Files.writeString(dir.resolve("token"), issuer.mint(issuer.claims(CLOCK.instant()).build()) + "\n",
                UTF_8);
    }

    @AfterAll
    static void stop() {
        node.close();
        issuer.close();
    }

    private int run(Map<String, String> variables, String... args) {
        var environment = new ClientEnvironment(variables, dir, CLOCK, serial -> "000000");
        var commandLine = OpenSts.commandLine(environment);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    private int run(String... args) {
        return run(env, args);
    }

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    private String expiresIn(Duration duration) {
        return CredentialsOutput.cliTimestamp(CLOCK.instant().plus(duration));
    }

    @Test
    void help_listsTheOptions_andNoneTakesASecret() {
        assertThat(run("sts", "assume-role", "--help")).isZero();

        assertThat(out.toString()).contains("--role-arn=ARN", "--role-session-name=NAME", "--duration-seconds=N",
                "--policy=FILE|JSON", "--policy-arns=ARN", "--serial-number=SN", "--token-code=CODE",
                "--external-id=ID", "--tags=KEY=VALUE", "--source-identity=NAME", "--profile=NAME",
                "--endpoint-url=URL", "--region=REGION", "--output=FORMAT")
                .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("--session-token");
    }

    // ---- each call, json

    @Test
    void assumeRole_json_isTheAwsCliShapeByteForByte() throws Exception {
        assertThat(run("sts", "assume-role", "--role-arn", ClientTestNode.DEMO_ROLE, "--role-session-name", "probe"))
                .isZero();

        JsonNode credentials = parse(out.toString()).get("Credentials");
        assertThat(out.toString()).isEqualTo("""
                {
                    "Credentials": {
                        "AccessKeyId": "%s",
                        "SecretAccessKey": "%s",
                        "SessionToken": "%s",
                        "Expiration": "%s"
                    },
                    "AssumedRoleUser": {
                        "AssumedRoleId": "%s",
                        "Arn": "arn:aws:sts::123456789012:assumed-role/demo/probe"
                    }
                }
                """.formatted(credentials.get("AccessKeyId").asText(), credentials.get("SecretAccessKey").asText(),
                credentials.get("SessionToken").asText(), expiresIn(Duration.ofHours(1)),
                parse(out.toString()).get("AssumedRoleUser").get("AssumedRoleId").asText()));
        assertThat(credentials.get("AccessKeyId").asText()).startsWith("ASIA");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void assumeRole_withEveryOption_sendsThemAndPrintsPackedPolicySizeAndSourceIdentity() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}", UTF_8);

        assertThat(run("sts", "assume-role", "--role-arn", ClientTestNode.DEMO_ROLE, "--role-session-name", "full",
                "--duration-seconds", "900", "--policy", "file://" + policy, "--tags", "team=blue", "project=x",
                "--source-identity", "alice", "--external-id", "ext-123")).isZero();

        JsonNode json = parse(out.toString());
        assertThat(json.get("Credentials").get("Expiration").asText()).isEqualTo(expiresIn(Duration.ofMinutes(15)));
        assertThat(json.get("PackedPolicySize").isInt()).isTrue();
        assertThat(json.get("SourceIdentity").asText()).isEqualTo("alice");
        assertThat(List.of(json.fieldNames().next(), out.toString().indexOf("PackedPolicySize")
                < out.toString().indexOf("SourceIdentity"))).containsExactly("Credentials", true);
    }

    @Test
    void getSessionToken_json_holdsOnlyCredentials() throws Exception {
        assertThat(run("sts", "get-session-token", "--duration-seconds", "3600")).isZero();

        JsonNode credentials = parse(out.toString()).get("Credentials");
        assertThat(out.toString()).isEqualTo("""
                {
                    "Credentials": {
                        "AccessKeyId": "%s",
                        "SecretAccessKey": "%s",
                        "SessionToken": "%s",
                        "Expiration": "%s"
                    }
                }
                """.formatted(credentials.get("AccessKeyId").asText(), credentials.get("SecretAccessKey").asText(),
                credentials.get("SessionToken").asText(), expiresIn(Duration.ofHours(1))));
    }

    @Test
    void getFederationToken_json_holdsTheFederatedUserAndPackedPolicySize() throws Exception {
        assertThat(run("sts", "get-federation-token", "--name", "bob", "--policy",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                        + "\"Resource\":\"*\"}]}"))
                .isZero();

        JsonNode json = parse(out.toString());
        assertThat(out.toString()).endsWith("""
                    },
                    "FederatedUser": {
                        "FederatedUserId": "123456789012:bob",
                        "Arn": "arn:aws:sts::123456789012:federated-user/bob"
                    },
                    "PackedPolicySize": %d
                }
                """.formatted(json.get("PackedPolicySize").asInt()));
    }

    @Test
    void getCallerIdentity_json_isUserIdAccountArn() throws Exception {
        assertThat(run("sts", "get-caller-identity")).isZero();

        String userId = parse(out.toString()).get("UserId").asText();
        assertThat(userId).startsWith("AIDA");
        assertThat(out.toString()).isEqualTo("""
                {
                    "UserId": "%s",
                    "Account": "123456789012",
                    "Arn": "arn:aws:iam::123456789012:user/admin"
                }
                """.formatted(userId));
    }

    @Test
    void assumeRoleWithWebIdentity_unsignedWithTheTokenFromAFile_printsSubjectProviderAndAudience() throws Exception {
        Path tokenFile = tokenFile();

        // No credentials at all: the call is not signed.
        assertThat(run(Map.of("AWS_REGION", "us-east-1", "AWS_CONFIG_FILE", "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"), "sts", "assume-role-with-web-identity",
                "--web-identity-token-file", tokenFile.toString(), "--role-arn", "arn:aws:iam::123456789012:role/ci",
                "--role-session-name", "ci-run", "--endpoint-url", node.endpoint().toString())).isZero();

        JsonNode json = parse(out.toString());
        assertThat(out.toString()).endsWith("""
                    },
                    "SubjectFromWebIdentityToken": "%s",
                    "AssumedRoleUser": {
                        "AssumedRoleId": "%s",
                        "Arn": "arn:aws:sts::123456789012:assumed-role/ci/ci-run"
                    },
                    "Provider": "%s",
                    "Audience": "%s"
                }
                """.formatted(TestOidcIssuer.DEFAULT_SUBJECT, json.get("AssumedRoleUser").get("AssumedRoleId").asText(),
                providerArn, TestOidcIssuer.DEFAULT_AUDIENCE));
    }

    @Test
    void credentialProcess_webIdentityTokenFileWithAnotherToken_missesTheCache() throws Exception {
        Path tokenFile = tokenFile();
        var variables = Map.of("AWS_REGION", "us-east-1", "AWS_CONFIG_FILE", "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", "XDG_CACHE_HOME", dir.resolve("wi-cache").toString());
        String[] args = {"credential-process", "--web-identity-token-file", tokenFile.toString(), "--role-arn",
            "arn:aws:iam::123456789012:role/ci", "--role-session-name", "cached", "--endpoint-url",
            node.endpoint().toString()};
        int first = run(variables, args);
        long callsAfterFirst = node.calls("AssumeRoleWithWebIdentity");
        // The file now holds a token STS would refuse: the identity changed, so the cached session is not its own.
        Files.writeString(tokenFile, "eyJ.forged.token\n", UTF_8);
        out.getBuffer().setLength(0);

        int second = run(variables, args);

        assertThat(first).isZero();
        assertThat(second).isEqualTo(254);
        assertThat(out.toString()).isEmpty();
        assertThat(node.calls("AssumeRoleWithWebIdentity")).isEqualTo(callsAfterFirst + 1);
    }

    @Test
    void profileWithWebIdentityTokenFileAndRole_signsAsTheRoleItAssumes() throws Exception {
        Path config = Files.writeString(dir.resolve("web-config"), """
                [profile web]
                web_identity_token_file = %s
                role_arn = arn:aws:iam::123456789012:role/ci
                role_session_name = from-profile
                """.formatted(tokenFile()), UTF_8);
        var variables = new HashMap<>(env);
        variables.put("AWS_CONFIG_FILE", config.toString());

        assertThat(run(variables, "sts", "get-caller-identity", "--profile", "web")).isZero();

        assertThat(parse(out.toString()).get("Arn").asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/ci/from-profile");
    }

    @Test
    void webIdentityVariables_withoutKeys_signAsTheRoleTheyAssume() throws Exception {
        var variables = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_CONFIG_FILE", "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", "AWS_ENDPOINT_URL", node.endpoint().toString(),
                "AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile().toString(),
                "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/ci", "AWS_ROLE_SESSION_NAME", "from-env"));

        assertThat(run(variables, "sts", "get-caller-identity")).isZero();

        assertThat(parse(out.toString()).get("Arn").asText())
                .isEqualTo("arn:aws:sts::123456789012:assumed-role/ci/from-env");
    }

    // ---- the other formats, from a real call

    @Test
    void assumeRole_env_setsTheVariablesThatAShellThenSees() throws Exception {
        assertThat(run("sts", "assume-role", "--role-arn", ClientTestNode.DEMO_ROLE, "--role-session-name", "for-eval",
                "--output", "env")).isZero();

        Process shell = new ProcessBuilder("sh", "-c", "eval \"$1\"; printf '%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" "
                + "\"$AWS_CREDENTIAL_EXPIRATION\" \"${#AWS_SESSION_TOKEN}\"", "sh", out.toString()).start();
        String[] seen = new String(shell.getInputStream().readAllBytes(), UTF_8).split("\\|");
        assertThat(shell.waitFor()).isZero();
        assertThat(seen[0]).startsWith("ASIA");
        assertThat(seen[1]).isEqualTo(expiresIn(Duration.ofHours(1)));
        assertThat(Integer.parseInt(seen[2])).isPositive();
        assertThat(out.toString())
                .startsWith("export AWS_ACCESS_KEY_ID=" + seen[0] + "\nexport AWS_SECRET_ACCESS_KEY=");
    }

    @Test
    void getSessionToken_credentialProcess_isVersion1Json() throws Exception {
        assertThat(run("sts", "get-session-token", "--output", "credential-process")).isZero();

        JsonNode json = parse(out.toString());
        assertThat(json.get("Version").asInt()).isEqualTo(1);
        assertThat(json.get("Expiration").asText()).isEqualTo(CLOCK.instant().plus(Duration.ofHours(12)).toString());
        assertThat(out.toString()).startsWith("{\n    \"Version\": 1,\n    \"AccessKeyId\": \"ASIA");
    }

    // ---- HTTPS with a private CA

    @Test
    void https_trustsTheCaBundleOfAwsCaBundle_andRefusesTheServerWithoutIt(@TempDir Path tlsDir) throws Exception {
        try (ClientTestNode https = ClientTestNode.startHttps(tlsDir, CLOCK)) {
            Path credentials = Files.writeString(tlsDir.resolve("credentials"), https.adminCredentialsFile(), UTF_8);
            var variables = new HashMap<>(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                    "AWS_CONFIG_FILE", "/nonexistent", "AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL", https.endpoint().toString()));

            int untrusted = run(variables, "sts", "get-caller-identity");
            String refusal = err.toString();
            variables.put("AWS_CA_BUNDLE", https.caBundle().toString());
            int trusted = run(variables, "sts", "get-caller-identity");

            assertThat(untrusted).isEqualTo(255);
            assertThat(refusal).startsWith("\nSSL validation failed for " + https.endpoint() + "/ ");
            assertThat(trusted).isZero();
            assertThat(parse(out.toString()).get("Arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/admin");
        }
    }

    // ---- failures, as the AWS CLI prints and numbers them

    record FailureCase(String name, Map<String, String> variables, List<String> args, int exitCode, String stderr) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FailureCase> failures() {
        var noCredentials = new HashMap<>(Map.of("AWS_REGION", "us-east-1", "AWS_CONFIG_FILE", "/nonexistent",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent", "AWS_ENDPOINT_URL", "http://127.0.0.1:1"));
        return Stream.of(
                new FailureCase("parameters below the model's minimums", null, List.of("sts", "assume-role",
                        "--role-arn", "abc", "--role-session-name", "x", "--duration-seconds", "100"), 252, """

                        Parameter validation failed:
                        Invalid length for parameter RoleArn, value: 3, valid min length: 20
                        Invalid length for parameter RoleSessionName, value: 1, valid min length: 2
                        Invalid value for parameter DurationSeconds, value: 100, valid min value: 900
                        """),
                new FailureCase("a role the caller may not assume", null, List.of("sts", "assume-role", "--role-arn",
                        "arn:aws:iam::123456789012:role/nosuch", "--role-session-name", "probe"), 254,
                        "\nAn error occurred (AccessDenied) when calling the AssumeRole operation: User: "
                                + "arn:aws:iam::123456789012:user/admin is not authorized to perform: "
                                + "sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nosuch"),
                new FailureCase("no credentials anywhere", noCredentials, List.of("sts", "get-caller-identity"), 253,
                        "\nUnable to locate credentials. You can configure credentials by running "
                                + "\"aws configure\".\n"),
                new FailureCase("no region anywhere", Map.of("AWS_CONFIG_FILE", "/nonexistent"),
                        List.of("sts", "get-caller-identity"), 253, "\nYou must specify a region. You can also "
                                + "configure your region by running \"aws configure\".\n"),
                new FailureCase("a profile that does not exist", null, List.of("sts", "get-caller-identity",
                        "--profile", "nope"), 255, "\nThe config profile (nope) could not be found\n"),
                new FailureCase("an endpoint nothing listens on", null, List.of("sts", "get-caller-identity",
                        "--endpoint-url", "http://127.0.0.1:1"), 255,
                        "\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"\n"),
                new FailureCase("a required option missing", null, List.of("sts", "assume-role", "--role-session-name",
                        "x"), 252, "the following arguments are required: --role-arn"),
                new FailureCase("an unknown option", null, List.of("sts", "get-caller-identity", "--secret-access-key",
                        "s"), 252, "Unknown options: '--secret-access-key'"),
                new FailureCase("a credentials format for a call without credentials", null, List.of("sts",
                        "get-caller-identity", "--output", "env"), 252,
                        "\n--output env prints credentials, and GetCallerIdentity returns none\n"),
                new FailureCase("an output format the call cannot print", null, List.of("sts", "get-session-token",
                        "--output", "yaml"), 252, "expected json, env or credential-process, got 'yaml'"),
                new FailureCase("a CA bundle without a certificate", Map.of("AWS_CA_BUNDLE", "/etc/hostname",
                        "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "https://127.0.0.1:1", "AWS_ACCESS_KEY_ID",
                        "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret"),
                        List.of("sts", "get-caller-identity"), 255, "\nUnable to use the CA bundle /etc/hostname: "
                                + "/etc/hostname holds no PEM certificate\n"),
                new FailureCase("a CA bundle that does not exist", Map.of("AWS_CA_BUNDLE", "/nonexistent.pem",
                        "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "https://127.0.0.1:1", "AWS_ACCESS_KEY_ID",
                        "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret"),
                        List.of("sts", "get-caller-identity"), 255, "\nUnable to use the CA bundle /nonexistent.pem: "
                                + "No such file or directory\n"),
                new FailureCase("a CA bundle that is a directory", Map.of("AWS_CA_BUNDLE", "/",
                        "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", "https://127.0.0.1:1", "AWS_ACCESS_KEY_ID",
                        "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret"),
                        List.of("sts", "get-caller-identity"), 255, "\nUnable to use the CA bundle /: "
                                + "Is a directory\n"),
                new FailureCase("a policy file that does not exist", null, List.of("sts", "assume-role", "--role-arn",
                        ClientTestNode.DEMO_ROLE, "--role-session-name", "x", "--policy", "file:///nonexistent.json"),
                        252, "\nError parsing parameter '--policy': Unable to load paramfile file:///nonexistent.json:"
                                + " No such file or directory: '/nonexistent.json'\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failure_isPrintedAndNumberedAsTheAwsCliDoes(FailureCase c) {
        int exitCode = run(c.variables() == null ? env : c.variables(), c.args().toArray(String[]::new));

        assertThat(exitCode).isEqualTo(c.exitCode());
        assertThat(out.toString()).isEmpty();
        if (c.exitCode() == 252 && !c.stderr().startsWith("\n")) {
            assertThat(err.toString()).contains(c.stderr());
        } else if (c.exitCode() == 254) {
            assertThat(err.toString()).startsWith(c.stderr());
        } else {
            assertThat(err.toString()).isEqualTo(c.stderr());
        }
    }
}
