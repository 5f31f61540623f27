package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opensts.cli.client.ClientEnvironment;
import org.opensts.client.StsWireClient;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.server.OpenStsNode;
import org.opensts.server.tls.TlsSource;
import org.opensts.sigv4.SigningCredentials;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code opensts agent} through picocli against a real node: source credentials from the environment or a profile,
 * the endpoints it starts and prints, and its usage errors.
 */
class AgentCommandTest {
    private static final String DEMO_ROLE = "arn:aws:iam::123456789012:role/demo";

    @TempDir
    Path dir;

    private OpenStsNode node;
    private AccessKeyCredentials admin;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private AgentCommand.Running running;

    @BeforeEach
    void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("node"),
                new InetSocketAddress("127.0.0.1", 0), "123456789012")
                .withBootstrapFile(Path.of("..", "examples", "quickstart.yaml")));
        admin = node.initialAdmin().orElseThrow();
        Files.createDirectories(dir.resolve("home"));
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        node.close();
    }

    private ClientEnvironment environment(Map<String, String> variables) {
        return new ClientEnvironment(variables, dir.resolve("home"), Clock.systemUTC(), serial -> "000000");
    }

    private Map<String, String> adminVariables() {
        Map<String, String> variables = new HashMap<>();
        variables.put("AWS_ACCESS_KEY_ID", admin.accessKey().accessKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", admin.secretAccessKey().revealUtf8());
        return variables;
    }

    private CommandLine commandLine(ClientEnvironment environment) {
        CommandLine commandLine = OpenSts.commandLine(environment);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine;
    }

    /** Parses {@code args} and starts the agent without blocking, as {@code call()} does before it waits. */
    private AgentCommand.Running startAgent(ClientEnvironment environment, String... args) throws Exception {
        CommandLine commandLine = commandLine(environment);
        CommandLine.ParseResult parsed = commandLine.parseArgs(args);
        AgentCommand agent = (AgentCommand) parsed.subcommand().commandSpec().userObject();
        running = agent.start();
        return running;
    }

    private String callerArn(AwsCredentials credentials) {
        AwsSessionCredentials session = (AwsSessionCredentials) credentials;
        return StsWireClient.builder(node.endpoint())
                .credentials(SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().getBytes(UTF_8),
                        session.sessionToken()))
                .build()
                .getCallerIdentity()
                .arn();
    }

    @Test
    void agent_environmentKeys_servesTheRoleOverImdsAndContainer() throws Exception {
        Path token = Files.writeString(dir.resolve("container-token"), "tok-123", UTF_8);
        Map<String, String> variables = adminVariables();
        variables.put("AWS_ENDPOINT_URL_STS", node.endpoint().toString());

        AgentCommand.Running agent = startAgent(environment(variables), "agent", "--role-arn", DEMO_ROLE,
                "--role-session-name", "vm", "--imds-listen", "127.0.0.1:0", "--container-listen", "127.0.0.1:0",
                "--container-token-file", token.toString());

        try (InstanceProfileCredentialsProvider sdk = InstanceProfileCredentialsProvider.builder()
                .endpoint(agent.imds.orElseThrow().endpoint().toString()).build()) {
            assertThat(callerArn(sdk.resolveCredentials()))
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/vm");
        }
        assertThat(out.toString())
                .contains("Assumed " + DEMO_ROLE)
                .contains("export AWS_EC2_METADATA_SERVICE_ENDPOINT=" + agent.imds.orElseThrow().endpoint() + "/")
                .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI=" + agent.container.orElseThrow().credentialsUri())
                .doesNotContain(admin.secretAccessKey().revealUtf8());
    }

    @Test
    void agent_profileWithKeys_signsAssumeRoleWithThem() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws").resolve("credentials"), "[ops]\naws_access_key_id = "
                + admin.accessKey().accessKeyId() + "\naws_secret_access_key = "
                + admin.secretAccessKey().revealUtf8() + "\n", UTF_8);

        AgentCommand.Running agent = startAgent(environment(Map.of()), "agent", "--role-arn", DEMO_ROLE,
                "--profile", "ops", "--endpoint-url", node.endpoint().toString(), "--imds-listen", "127.0.0.1:0");

        try (InstanceProfileCredentialsProvider sdk = InstanceProfileCredentialsProvider.builder()
                .endpoint(agent.imds.orElseThrow().endpoint().toString()).build()) {
            assertThat(callerArn(sdk.resolveCredentials()))
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/opensts-agent");
        }
        assertThat(agent.container).isEmpty();
    }

    @Test
    void agent_httpsNodeWithAPrivateCa_trustsTheCaBundleInAwsCaBundle() throws Exception {
        try (OpenStsNode tlsNode = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("tls-node"),
                new InetSocketAddress("127.0.0.1", 0), "123456789012")
                .withBootstrapFile(Path.of("..", "examples", "quickstart.yaml")),
                Optional.of(new TlsSource.SelfSigned()))) {
            AccessKeyCredentials tlsAdmin = tlsNode.initialAdmin().orElseThrow();
            Map<String, String> variables = new HashMap<>();
            variables.put("AWS_ACCESS_KEY_ID", tlsAdmin.accessKey().accessKeyId());
            variables.put("AWS_SECRET_ACCESS_KEY", tlsAdmin.secretAccessKey().revealUtf8());

            int untrusted = commandLine(environment(variables)).execute("agent", "--role-arn", DEMO_ROLE,
                    "--endpoint-url", tlsNode.endpoint().toString(), "--imds-listen", "127.0.0.1:0");
            assertThat(untrusted).isEqualTo(CommandLine.ExitCode.SOFTWARE);

            variables.put("AWS_CA_BUNDLE", tlsNode.caBundle().orElseThrow().toString());
            AgentCommand.Running agent = startAgent(environment(variables), "agent", "--role-arn", DEMO_ROLE,
                    "--endpoint-url", tlsNode.endpoint().toString(), "--imds-listen", "127.0.0.1:0");
            assertThat(agent.imds).isPresent();
            assertThat(out.toString()).contains("Assumed " + DEMO_ROLE + " through " + tlsNode.endpoint());
        }
    }

    @Test
    void agent_webIdentityTokenFile_assumesTheRoleWithoutAnyKey() throws Exception {
        try (TestOidcIssuer issuer = TestOidcIssuer.builder().pathPrefix("/agent").start();
                OpenStsNode oidcNode = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("oidc-node"),
                        new InetSocketAddress("127.0.0.1", 0), "123456789012")
                        .withTrustedCaFile(issuer.caPemFile()))) {
            AccessKeyCredentials oidcAdmin = oidcNode.initialAdmin().orElseThrow();
            try (IamClient iam = IamClient.builder().endpointOverride(oidcNode.endpoint()).region(Region.AWS_GLOBAL)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                            oidcAdmin.accessKey().accessKeyId(), oidcAdmin.secretAccessKey().revealUtf8())))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                String provider = iam.createOpenIDConnectProvider(r -> r.url(issuer.url())
                        .clientIDList(TestOidcIssuer.DEFAULT_AUDIENCE).thumbprintList(issuer.caThumbprint()))
                        .openIDConnectProviderArn();
                iam.createRole(r -> r.roleName("pod").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                        + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + provider
                        + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}"));
            }
            Path token = Files.writeString(dir.resolve("web-identity-token"),
                    issuer.mint(issuer.claims(Instant.now()).build()), UTF_8);

            AgentCommand.Running agent = startAgent(environment(Map.of()), "agent",
                    "--role-arn", "arn:aws:iam::123456789012:role/pod", "--role-session-name", "pod-1",
                    "--web-identity-token-file", token.toString(),
                    "--endpoint-url", oidcNode.endpoint().toString(), "--imds-listen", "127.0.0.1:0");

            try (InstanceProfileCredentialsProvider sdk = InstanceProfileCredentialsProvider.builder()
                    .endpoint(agent.imds.orElseThrow().endpoint().toString()).build()) {
                AwsSessionCredentials session = (AwsSessionCredentials) sdk.resolveCredentials();
                String arn = StsWireClient.builder(oidcNode.endpoint())
                        .credentials(SigningCredentials.of(session.accessKeyId(),
                                session.secretAccessKey().getBytes(UTF_8), session.sessionToken()))
                        .build().getCallerIdentity().arn();
                assertThat(arn).isEqualTo("arn:aws:sts::123456789012:assumed-role/pod/pod-1");
            }
        }
    }

    @Test
    void agent_profileAndWebIdentityTokenFile_isAUsageError() {
        int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn", DEMO_ROLE,
                "--profile", "x", "--web-identity-token-file", "/dev/null", "--imds-listen", "127.0.0.1:0");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("not both");
    }

    @Test
    void agent_roleItMayNotAssume_failsAtStartWithTheAwsError() {
        int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn",
                "arn:aws:iam::123456789012:role/nope", "--endpoint-url", node.endpoint().toString(),
                "--imds-listen", "127.0.0.1:0");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).startsWith("opensts agent: ").contains("AccessDenied");
    }

    /**
     * The endpoints are bound before the role is assumed, so a start that cannot serve costs the server no call: here
     * the server cannot be reached at all, and the address in use is what the start fails on.
     */
    @Test
    void agent_listenAddressInUse_failsAtStartBeforeAssumingTheRole() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn", DEMO_ROLE,
                    "--endpoint-url", "http://127.0.0.1:" + closedPort, "--imds-listen",
                    "127.0.0.1:" + taken.getLocalPort());

            assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        }
        assertThat(err.toString()).startsWith("opensts agent: cannot listen on 127.0.0.1:")
                .containsIgnoringCase("address already in use").doesNotContain("could not connect");
    }

    @Test
    void agent_endpointThatRefusesConnections_failsAtStartSayingSo_withoutANextAttempt() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", "http://127.0.0.1:" + closedPort, "--imds-listen", "127.0.0.1:0");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).startsWith("opensts agent: cannot assume the role: ")
                .contains("could not connect to the endpoint URL").doesNotContain("next attempt");
    }

    @Test
    void agent_caBundleThatDoesNotExist_failsAtStartNamingItAndTheReason() {
        Map<String, String> variables = adminVariables();
        variables.put("AWS_CA_BUNDLE", dir.resolve("nonexistent.pem").toString());

        int exitCode = commandLine(environment(variables)).execute("agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", "https://127.0.0.1:1", "--imds-listen", "127.0.0.1:0");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.SOFTWARE);
        assertThat(err.toString()).isEqualTo("opensts agent: Unable to use the CA bundle "
                + dir.resolve("nonexistent.pem") + ": No such file or directory" + System.lineSeparator());
    }

    @Test
    void agent_noCredentialsAnywhere_failsAtStart() {
        int exitCode = commandLine(environment(Map.of())).execute("agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", node.endpoint().toString(), "--imds-listen", "127.0.0.1:0");

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("opensts agent: ").containsIgnoringCase("credentials");
    }

    @Test
    void agent_containerListenWithoutTokenFile_isAUsageError() {
        int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", node.endpoint().toString(), "--container-listen", "127.0.0.1:0");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--container-listen needs --container-token-file");
    }

    @ParameterizedTest(name = "--imds-listen {0} is refused")
    @ValueSource(strings = {"0.0.0.0:0", "[::]:0", "192.0.2.10:0", "[2001:db8::10]:0"})
    void agent_imdsListenBeyondLoopbackAndLinkLocal_withoutTheFlag_isAUsageError(String listen) {
        int exitCode = commandLine(environment(adminVariables())).execute("agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", node.endpoint().toString(), "--imds-listen", listen);

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("reachable from other hosts").contains("--imds-allow-remote-callers");
    }

    @Test
    void agent_imdsOnTheWildcardWithTheFlag_warns_andPrintsALoopbackEndpointTheSdkUses() throws Exception {
        AgentCommand.Running agent = startAgent(environment(adminVariables()), "agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", node.endpoint().toString(), "--imds-listen", "0.0.0.0:0",
                "--imds-allow-remote-callers");

        String endpoint = agent.imds.orElseThrow().endpoint().toString();
        assertThat(endpoint).startsWith("http://127.0.0.1:");
        assertThat(out.toString()).contains("export AWS_EC2_METADATA_SERVICE_ENDPOINT=" + endpoint + "/");
        // IPv4's wildcard, bound with an IPv4 socket, as it was given.
        assertThat(err.toString()).contains("warning: the instance metadata endpoint listens on 0.0.0.0:"
                + agent.imds.orElseThrow().address().getPort() + ",").contains("gets the role's credentials");
        try (InstanceProfileCredentialsProvider sdk = InstanceProfileCredentialsProvider.builder()
                .endpoint(endpoint).build()) {
            assertThat(callerArn(sdk.resolveCredentials()))
                    .isEqualTo("arn:aws:sts::123456789012:assumed-role/demo/opensts-agent");
        }
    }

    @Test
    void agent_containerOnTheWildcard_warnsOfPlainHttp_andPrintsAUriTheSdksAccept() throws Exception {
        Path token = Files.writeString(dir.resolve("container-token"), "tok-123", UTF_8);

        AgentCommand.Running agent = startAgent(environment(adminVariables()), "agent", "--role-arn", DEMO_ROLE,
                "--endpoint-url", node.endpoint().toString(), "--container-listen", "0.0.0.0:0",
                "--container-token-file", token.toString());

        String uri = agent.container.orElseThrow().credentialsUri().toString();
        assertThat(uri).startsWith("http://127.0.0.1:").endsWith("/v1/credentials");
        assertThat(out.toString()).contains("AWS_CONTAINER_CREDENTIALS_FULL_URI=" + uri);
        assertThat(err.toString()).contains("warning: the container credentials endpoint listens on")
                .contains("unencrypted").doesNotContain("will refuse");
    }

    @Test
    void agent_onLoopback_printsNoWarning() throws Exception {
        Path token = Files.writeString(dir.resolve("container-token"), "tok-123", UTF_8);

        startAgent(environment(adminVariables()), "agent", "--role-arn", DEMO_ROLE, "--endpoint-url",
                node.endpoint().toString(), "--imds-listen", "127.0.0.1:0", "--container-listen", "127.0.0.1:0",
                "--container-token-file", token.toString());

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void agent_withoutRoleArn_isAUsageError() {
        int exitCode = commandLine(environment(adminVariables())).execute("agent");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--role-arn");
    }
}
