package org.opensts.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.opensts.cli.client.ClientConfigException;
import org.opensts.cli.client.ClientCredentials;
import org.opensts.cli.client.ClientEnvironment;
import org.opensts.cli.client.ClientOptions;
import org.opensts.cli.client.CredentialChain;
import org.opensts.client.AssumeRoleCredentialsProvider;
import org.opensts.client.CaBundle;
import org.opensts.client.LocalFile;
import org.opensts.client.StsWireClient;
import org.opensts.client.WebIdentityCredentialsProvider;
import org.opensts.client.agent.AgentCredentials;
import org.opensts.client.agent.ContainerCredentialsServer;
import org.opensts.client.agent.ImdsServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * {@code opensts agent}: assumes a role, keeps its credentials fresh, and serves them to unmodified programs through
 * an IMDSv2-compatible endpoint and a container credentials endpoint (docs/credentials.md).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Assume a role and serve its credentials, refreshed ahead of expiry, to the programs on this "
                + "host or pod: an instance metadata (IMDSv2) endpoint and a container credentials endpoint.",
            "The agent signs AssumeRole with credentials found the AWS CLI way (environment variables, --profile, "
                + "the shared files), or assumes the role with a web identity token file. The STS endpoint comes "
                + "from --endpoint-url, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL or the profile; AWS_CA_BUNDLE "
                + "names the CAs to trust for an HTTPS endpoint with a private CA."})
final class AgentCommand implements Callable<Integer> {
    /**
     * How often the agent asks its provider for the credentials between programs' requests, so a refresh starts
     * within this long of falling due (five to six minutes before expiry) however rarely programs ask.
     */
    private static final Duration REFRESH_CHECK_PERIOD = Duration.ofSeconds(5);

    @Option(names = "--role-arn", paramLabel = "ARN", required = true, description = "The role to assume.")
    private String roleArn;

    @Option(names = "--role-session-name", paramLabel = "NAME", defaultValue = "opensts-agent",
            description = "The role session name (default: ${DEFAULT-VALUE}).")
    private String roleSessionName;

    @Option(names = "--duration-seconds", paramLabel = "N",
            description = "How long each session lasts (default: the server's, an hour).")
    private Integer durationSeconds;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "The AWS CLI profile whose credentials sign AssumeRole.")
    private String profile;

    @Option(names = "--web-identity-token-file", paramLabel = "FILE",
            description = "Assume the role with AssumeRoleWithWebIdentity, presenting the token in FILE (read again "
                    + "on every refresh) instead of signing AssumeRole.")
    private Path webIdentityTokenFile;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "The OpenSTS endpoint.")
    private String endpointUrl;

    @Option(names = "--region", paramLabel = "NAME", description = "The region to sign for, and the one the instance "
            + "metadata endpoint names (default: as the AWS CLI finds it, else us-east-1).")
    private String region;

    @Option(names = "--imds-listen", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            description = "Serve the instance metadata endpoint here: a loopback or link-local address, unless "
                    + "--imds-allow-remote-callers (default: 127.0.0.1:8791 when --container-listen is not given).")
    private InetSocketAddress imdsListen;

    @Option(names = "--imds-allow-remote-callers",
            description = "Let --imds-listen take an address other hosts can reach (anything but a loopback or "
                    + "link-local address, e.g. 0.0.0.0). The instance metadata endpoint has no secret: every host "
                    + "that can reach it gets the role's credentials.")
    private boolean imdsAllowRemoteCallers;

    @Option(names = "--imds-v1", description = "Also answer instance metadata GETs without a session token (IMDSv1).")
    private boolean imdsV1;

    @Option(names = "--container-listen", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            description = "Serve the container credentials endpoint (GET /v1/credentials) here.")
    private InetSocketAddress containerListen;

    @Option(names = "--container-token-file", paramLabel = "FILE",
            description = "The file holding the token callers must send as Authorization (required with "
                    + "--container-listen; read on every request).")
    private Path containerTokenFile;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final ClientEnvironment environment;

    AgentCommand() {
        this(ClientEnvironment.system());
    }

    /** For tests: {@code environment} stands in for the process's variables, home directory and clock. */
    AgentCommand(ClientEnvironment environment) {
        this.environment = environment;
    }

    /** A running agent: its endpoints and what to close. */
    static final class Running implements AutoCloseable {
        private final List<AutoCloseable> resources;
        final Optional<ImdsServer> imds;
        final Optional<ContainerCredentialsServer> container;

        Running(List<AutoCloseable> resources, Optional<ImdsServer> imds,
                Optional<ContainerCredentialsServer> container) {
            this.resources = resources;
            this.imds = imds;
            this.container = container;
        }

        @Override
        public void close() {
            for (int i = resources.size() - 1; i >= 0; i--) {
                try {
                    resources.get(i).close();
                } catch (Exception e) {
                    // closing the rest matters more
                }
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        Running running;
        try {
            running = start();
        } catch (ClientConfigException e) {
            return fail(e.getMessage(), e.exitCode());
        } catch (CommandLine.ParameterException e) {
            throw e; // picocli prints the usage error
        } catch (IOException e) {
            return fail(PathOptions.describeWithoutOptions(e), CommandLine.ExitCode.SOFTWARE);
        } catch (RuntimeException e) {
            return fail(e.getMessage(), CommandLine.ExitCode.SOFTWARE);
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "opensts-agent-shutdown"));
        stopped.await();
        return CommandLine.ExitCode.OK;
    }

    private int fail(String message, int exitCode) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("opensts agent: " + message);
        err.flush();
        return exitCode;
    }

    /**
     * Checks the options, obtains the first credentials (so a role that cannot be assumed fails now, not at the first
     * caller), starts the endpoints and prints how to point programs at them.
     */
    Running start() throws ClientConfigException, IOException {
        if (containerListen != null && containerTokenFile == null) {
            throw usageError("--container-listen needs --container-token-file");
        }
        if (containerTokenFile != null && containerListen == null) {
            throw usageError("--container-token-file goes with --container-listen");
        }
        if (profile != null && webIdentityTokenFile != null) {
            throw usageError("give --profile or --web-identity-token-file, not both");
        }
        if (webIdentityTokenFile != null) {
            WebIdentityCredentialsProvider.readToken(webIdentityTokenFile); // fails the start with the reason
        }
        InetSocketAddress imdsAddress = imdsListen != null || containerListen != null ? imdsListen
                : new InetSocketAddress("127.0.0.1", 8791);
        if (imdsAddress != null && beyondTheLink(imdsAddress) && !imdsAllowRemoteCallers) {
            throw usageError("--imds-listen " + imdsListen.getHostString() + " is reachable from other hosts, and the "
                    + "instance metadata endpoint has no secret: any of them would get the role's credentials. Listen "
                    + "on a loopback or link-local address, or give --imds-allow-remote-callers to accept that.");
        }
        ClientOptions options = new ClientOptions(Optional.ofNullable(profile), Optional.ofNullable(region),
                Optional.ofNullable(endpointUrl));
        CredentialChain chain = new CredentialChain(environment);
        String signingRegion = region != null ? region : regionOrDefault(chain, options);
        URI endpoint = chain.endpoint(options, signingRegion);
        Clock clock = environment.clock();
        // As the AWS CLI does: AWS_CA_BUNDLE replaces the default trust for an HTTPS endpoint with a private CA.
        Optional<StsWireClient.Transport> transport = Optional.empty();
        Optional<String> caBundle = environment.variable("AWS_CA_BUNDLE");
        if (caBundle.isPresent() && endpoint.getScheme().equalsIgnoreCase("https")) {
            try {
                transport = Optional.of(CaBundle.transport(Path.of(caBundle.get())));
            } catch (IOException e) {
                // The same words as the sts commands', with the system's reason rather than the bare path.
                throw new IOException("Unable to use the CA bundle " + caBundle.get() + ": " + LocalFile.reason(e), e);
            }
        }

        List<AutoCloseable> resources = new ArrayList<>();
        AwsCredentialsProvider provider = webIdentityTokenFile != null
                ? webIdentityProvider(endpoint, signingRegion, clock, transport)
                : assumeRoleProvider(endpoint, signingRegion, clock, transport, options);
        resources.add((SdkAutoCloseable) provider);
        Running running = null;
        try {
            AgentCredentials credentials = new AgentCredentials(provider, roleArn, clock);
            // The endpoints first: an address in use or a token file that cannot be read fails the start before the
            // role is assumed for nothing.
            Optional<ImdsServer> imds = Optional.empty();
            if (imdsAddress != null) {
                imds = Optional.of(ImdsServer.start(imdsAddress, credentials, signingRegion, imdsV1));
                resources.add(imds.get());
            }
            Optional<ContainerCredentialsServer> container = Optional.empty();
            if (containerListen != null) {
                container = Optional.of(ContainerCredentialsServer.start(containerListen, credentials,
                        containerTokenFile));
                resources.add(container.get());
            }
            AgentCredentials.Snapshot first = firstCredentials(credentials);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Assumed %s through %s (access key id %s, expires %s); refreshing ahead of expiry.%n",
                    roleArn, endpoint, first.accessKeyId(), first.expiration());
            PrintWriter err = spec.commandLine().getErr();
            resources.add(credentials.keepFresh(REFRESH_CHECK_PERIOD, failure -> {
                err.printf("opensts agent: cannot renew the role's credentials, and the last ones have expired: %s;"
                        + " programs are answered 503 until it can%n", reasonOf(failure));
                err.flush();
            }, () -> {
                err.printf("opensts agent: the role's credentials are renewed again%n");
                err.flush();
            }));
            if (imds.isPresent()) {
                if (beyondTheLink(imdsAddress)) {
                    err.printf("opensts agent: warning: the instance metadata endpoint listens on %s, which other "
                            + "hosts can reach; it has no secret, so every one of them that can connect gets the "
                            + "role's credentials.%n", imds.get().listenAuthority());
                }
                out.printf("Instance metadata (IMDSv%s) at %s; point the AWS CLI and SDKs at it with:%n"
                        + "  export AWS_EC2_METADATA_SERVICE_ENDPOINT=%s/%n", imdsV1 ? "1 and v2" : "2",
                        imds.get().endpoint(), imds.get().endpoint());
            }
            if (container.isPresent()) {
                if (beyondTheLink(containerListen)) {
                    err.printf("opensts agent: warning: the container credentials endpoint listens on %s, which other "
                            + "hosts can reach over plain HTTP: its Authorization token and the credentials cross the "
                            + "network unencrypted.%n", container.get().listenAuthority());
                }
                if (!ContainerCredentialsServer.acceptedOverHttp(container.get().credentialsUri())) {
                    err.printf("opensts agent: warning: the AWS CLI and the Python SDK accept a plain-HTTP "
                            + "AWS_CONTAINER_CREDENTIALS_FULL_URI only on a loopback address or on 169.254.170.2, "
                            + "169.254.170.23 or [fd00:ec2::23], and will refuse %s.%n",
                            container.get().credentialsUri());
                }
                out.printf("Container credentials at %s; point the AWS CLI and SDKs at it with:%n"
                        + "  export AWS_CONTAINER_CREDENTIALS_FULL_URI=%s AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=%s%n",
                        container.get().credentialsUri(), container.get().credentialsUri(),
                        containerTokenFile.toAbsolutePath());
            }
            out.flush();
            err.flush();
            running = new Running(resources, imds, container);
            return running;
        } finally {
            if (running == null) {
                new Running(resources, Optional.empty(), Optional.empty()).close();
            }
        }
    }

    /**
     * The role's first credentials. A failure is told by its own reason (the STS error, the endpoint that does not
     * answer), not by the retrying provider's account of it, whose next attempt the agent will not make.
     */
    private static AgentCredentials.Snapshot firstCredentials(AgentCredentials credentials) {
        try {
            return credentials.current();
        } catch (SdkClientException e) {
            throw new IllegalStateException("cannot assume the role: " + reasonOf(e), e);
        }
    }

    /**
     * Why credentials could not be had: the cause the retrying provider recorded (the STS error, the endpoint that does
     * not answer), not its own account of it, which names the provider's class and its next attempt.
     */
    private static String reasonOf(RuntimeException failure) {
        Throwable reason = failure instanceof SdkClientException && failure.getCause() != null ? failure.getCause()
                : failure;
        return reason.getMessage();
    }

    /**
     * Whether hosts beyond this one and its link can reach {@code listen}: anything but a loopback or link-local
     * address (EC2's own metadata endpoint is link-local), the wildcard included. An unresolved name is left to fail
     * when bound.
     */
    private static boolean beyondTheLink(InetSocketAddress listen) {
        InetAddress address = listen.getAddress();
        return address != null && !address.isLoopbackAddress() && !address.isLinkLocalAddress();
    }

    private static String regionOrDefault(CredentialChain chain, ClientOptions options) {
        try {
            return chain.region(options);
        } catch (ClientConfigException e) {
            return "us-east-1"; // STS's global endpoint signs for us-east-1; the agent needs no region otherwise
        }
    }

    private AwsCredentialsProvider webIdentityProvider(URI endpoint, String signingRegion, Clock clock,
            Optional<StsWireClient.Transport> transport) {
        WebIdentityCredentialsProvider.Builder builder = WebIdentityCredentialsProvider.builder()
                .endpoint(endpoint)
                .region(signingRegion)
                .roleArn(roleArn)
                .roleSessionName(roleSessionName)
                .webIdentityTokenFile(webIdentityTokenFile)
                .clock(clock);
        transport.ifPresent(builder::transport);
        if (durationSeconds != null) {
            builder.durationSeconds(durationSeconds);
        }
        return builder.build();
    }

    private AwsCredentialsProvider assumeRoleProvider(URI endpoint, String signingRegion, Clock clock,
            Optional<StsWireClient.Transport> transport, ClientOptions options) throws ClientConfigException {
        // Found now, so that missing credentials fail at start; found again at each refresh, so rotated keys and
        // expiring source sessions are picked up.
        sourceCredentials(options);
        AssumeRoleCredentialsProvider.Builder builder = AssumeRoleCredentialsProvider.builder()
                .endpoint(endpoint)
                .region(signingRegion)
                .sourceCredentials(() -> {
                    try {
                        return sourceCredentials(options);
                    } catch (ClientConfigException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                })
                .roleArn(roleArn)
                .roleSessionName(roleSessionName)
                .clock(clock);
        transport.ifPresent(builder::transport);
        if (durationSeconds != null) {
            builder.durationSeconds(durationSeconds);
        }
        return builder.build();
    }

    private synchronized AwsCredentials sourceCredentials(ClientOptions options) throws ClientConfigException {
        ClientCredentials found = new CredentialChain(environment).credentials(options);
        String secret = found.secretAccessKey().revealUtf8();
        return found.sessionToken()
                .<AwsCredentials>map(token -> AwsSessionCredentials.create(found.accessKeyId(), secret,
                        token.revealUtf8()))
                .orElseGet(() -> AwsBasicCredentials.create(found.accessKeyId(), secret));
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
