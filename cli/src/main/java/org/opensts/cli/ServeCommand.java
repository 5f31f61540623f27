package org.opensts.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.opensts.client.LocalFile;
import org.opensts.gateway.UpstreamCredentialsFile;
import org.opensts.iam.IamQuotas;
import org.opensts.iam.bootstrap.BootstrapException;
import org.opensts.iam.jdbc.StoreException;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.protocol.AwsRegions;
import org.opensts.server.ConnectionLimits;
import org.opensts.server.ConnectionTimeouts;
import org.opensts.server.DataDirectoryLock;
import org.opensts.server.OpenStsNode;
import org.opensts.server.RateLimit;
import org.opensts.server.Regions;
import org.opensts.server.S3GatewayOptions;
import org.opensts.server.tls.TlsSource;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.Secret;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code opensts serve}: runs a node until it is stopped, on the embedded store or on a PostgreSQL store that several
 * nodes share. The store password comes from a file or an environment variable, never from a flag's value, and is
 * never printed.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs OpenSTS: the STS and IAM Query APIs on one port, on an embedded store by default.")
final class ServeCommand implements Callable<Integer> {
    /** Read when neither --store-password option is given. */
    static final String PASSWORD_ENVIRONMENT_VARIABLE = "OPENSTS_STORE_PASSWORD";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Where the embedded store, the master key and admin-credentials live "
                    + "(default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8790",
            converter = ListenAddressConverter.class,
            description = "Address and port to listen on (default: ${DEFAULT-VALUE}; port 0 picks a free one).")
    private InetSocketAddress listen;

    @Option(names = "--account-id", paramLabel = "ID", defaultValue = "123456789012",
            description = "The account created on first start (default: ${DEFAULT-VALUE}).")
    private String accountId;

    @Option(names = "--bootstrap", paramLabel = "FILE",
            description = "A YAML file of accounts, users and roles to create or update at start-up.")
    private Path bootstrapFile;

    @Option(names = "--store", paramLabel = "URL",
            description = "A PostgreSQL store that several nodes may share: jdbc:postgresql://HOST:PORT/DATABASE "
                    + "(default: the embedded store in the data directory, for one node).")
    private String storeUrl;

    @Option(names = "--store-user", paramLabel = "USER", description = "The PostgreSQL user.")
    private String storeUser;

    @ArgGroup(exclusive = true)
    private PasswordSource passwordSource;

    /** Where the store password comes from; without either, from $OPENSTS_STORE_PASSWORD if it is set. */
    static final class PasswordSource {
        @Option(names = "--store-password:env", paramLabel = "VAR",
                description = "Read the PostgreSQL password from environment variable VAR "
                        + "(default: $" + PASSWORD_ENVIRONMENT_VARIABLE + ", if set).")
        private String environmentVariable;

        @Option(names = "--store-password:file", paramLabel = "FILE",
                description = "Read the PostgreSQL password from FILE (a trailing line break is ignored).")
        private Path file;
    }

    @Option(names = "--master-key-file", paramLabel = "FILE",
            description = "The master key, created with a new store; every node of one store needs the same one "
                    + "(default: DIR/master-key.json).")
    private Path masterKeyFile;

    @Option(names = "--trusted-ca-file", paramLabel = "FILE",
            description = "A PEM bundle of CA certificates trusted for identity providers' HTTPS servers (OIDC "
                    + "discovery and keys), beside the JDK's trusted CAs.")
    private Path trustedCaFile;

    @Option(names = "--region", paramLabel = "NAME", defaultValue = AwsRegions.DEFAULT_REGION,
            description = "The node's own region: unsigned calls (web identity, SAML) are served in it "
                    + "(default: ${DEFAULT-VALUE}).")
    private String region;

    @Option(names = "--regions", paramLabel = "LIST", split = ",",
            description = "The regions STS is enabled in, comma-separated; a call signed for another region is "
                    + "refused with RegionDisabledException (default: every public AWS commercial region).")
    private List<String> regions;

    @Option(names = "--rate-limit", paramLabel = "N", defaultValue = "" + RateLimit.DEFAULT_REQUESTS_PER_SECOND,
            description = "Requests per second admitted per account on this node, half as many per calling "
                    + "principal; beyond it calls get Throttling (default: ${DEFAULT-VALUE}; 0 turns it off).")
    private int rateLimit;

    @Option(names = "--burst", paramLabel = "N",
            description = "Requests per account admitted at once from a full bucket (default: twice --rate-limit).")
    private Integer burst;

    @Option(names = "--iam-quota", paramLabel = "NAME=N",
            description = "Raise (or lower, to 1 at least) a per-account IAM quota, as AWS raises them on request: "
                    + "Users (5000, at most 5000), Groups (300, at most 500), Roles (1000, at most 5000), Policies "
                    + "(1500, at most 5000), InstanceProfiles (1000, at most 5000); may be repeated.")
    private List<String> iamQuotas;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Close a client connection idle between requests for longer than this "
                    + "(default: ${DEFAULT-VALUE}).")
    private int idleTimeoutSeconds;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Close a client connection whose request (headers and body) has not arrived whole this "
                    + "long after its first byte (default: ${DEFAULT-VALUE}).")
    private int requestTimeoutSeconds;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Client connections open at once; one more is answered 503 ServiceUnavailable and closed "
                    + "(default: half the process's file-descriptor limit, at most 10000).")
    private Integer maxConnections;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS with this PEM certificate chain (the server's certificate first); reloaded "
                    + "when it changes. Needs --tls-key.")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The PEM private key (RSA or EC; PKCS #8, PKCS #1 or SEC 1) of --tls-cert; reloaded when it "
                    + "changes.")
    private Path tlsKey;

    @Option(names = "--tls-self-signed",
            description = "Serve HTTPS with a certificate from a private CA kept in DIR/tls/ (made on first start); "
                    + "clients trust DIR/tls/ca.pem, e.g. with AWS_CA_BUNDLE.")
    private boolean tlsSelfSigned;

    @Option(names = "--audit-max-size", paramLabel = "SIZE", defaultValue = "100MB",
            converter = FileSizeConverter.class,
            description = "Roll DIR/audit.log over when it would grow past SIZE, e.g. 100MB, 512KB, 1GB "
                    + "(default: ${DEFAULT-VALUE}; at least 1KB). It also rolls over daily (UTC).")
    private FileSize auditMaxSize;

    @Option(names = "--audit-retention-days", paramLabel = "DAYS", defaultValue = "90",
            description = "Delete rolled-over audit files (DIR/audit.YYYY-MM-DD.N.log.gz) older than DAYS days "
                    + "(default: ${DEFAULT-VALUE}; at least 1).")
    private int auditRetentionDays;

    @Option(names = "--audit-fsync", paramLabel = "MODE", defaultValue = "none", converter = AuditFsyncConverter.class,
            description = "batch: answer a call once its event is forced to the disk, with one fsync per batch of "
                    + "events; none: once it is written, leaving the disk to the OS (default: ${DEFAULT-VALUE}).")
    private AuditFsync auditFsync;

    /** Reads --audit-fsync as it is spelled, in lower case. */
    static final class AuditFsyncConverter implements CommandLine.ITypeConverter<AuditFsync> {
        @Override
        public AuditFsync convert(String value) {
            try {
                return AuditFsync.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--public-url", paramLabel = "URL",
            description = "The externally visible base URL, such as https://sts.example.com: web identity token "
                    + "issuers are URL/outbound-federation/ID (default: http://HOST:PORT of --listen).")
    private String publicUrl;

    @Option(names = "--s3-gateway", paramLabel = "HOST:PORT", converter = ListenAddressConverter.class,
            description = "Also run the S3 gateway on HOST:PORT, in front of --s3-upstream: S3 requests signed with "
                    + "OpenSTS credentials, allowed by their policies, go upstream re-signed with the gateway's key. "
                    + "HTTPS when the node serves HTTPS.")
    private InetSocketAddress s3Gateway;

    @Option(names = "--s3-upstream", paramLabel = "URL",
            description = "The S3-compatible store behind the gateway: http:// or https://HOST[:PORT], no path.")
    private String s3Upstream;

    @Option(names = "--s3-upstream-credentials", paramLabel = "FILE",
            description = "The gateway's own key at the upstream store: a shared-credentials file whose [default] "
                    + "profile has aws_access_key_id, aws_secret_access_key and optionally aws_session_token.")
    private Path s3UpstreamCredentials;

    @Option(names = "--s3-region", paramLabel = "NAME",
            description = "The region the gateway signs upstream requests for (default: --region).")
    private String s3Region;

    @Option(names = "--no-s3-upstream-checksum-trailers",
            description = "Send the store no aws-chunked body with a checksum trailer (STREAMING-UNSIGNED-PAYLOAD-"
                    + "TRAILER), for a store that cannot read one: a checksum a client sends in a trailer is then "
                    + "checked by the gateway only, and the store keeps none of it.")
    private boolean noS3UpstreamChecksumTrailers;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final Function<String, String> environment;

    ServeCommand() {
        this(System::getenv);
    }

    /** For tests: {@code environment} stands in for the process environment. */
    ServeCommand(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws Exception {
        OpenStsNode.stopBufferLeakTracking();
        if (!accountId.matches("\\d{12}")) {
            throw usageError("--account-id must be 12 digits, not '" + accountId + "'");
        }
        if (auditRetentionDays < 1) {
            throw usageError("--audit-retention-days must be at least 1, not " + auditRetentionDays);
        }
        if (auditMaxSize.getSize() < FileSize.KB_COEFFICIENT) {
            throw usageError("--audit-max-size must be at least 1KB");
        }
        Optional<StoreSettings> store = storeSettings();
        Optional<TlsSource> tls = tlsSource();
        Optional<S3GatewayOptions> gateway = s3GatewayOptions();
        OpenStsNode.Config config = OpenStsNode.Config.embedded(dataDir, listen, accountId);
        if (bootstrapFile != null) {
            config = config.withBootstrapFile(bootstrapFile);
        }
        if (store.isPresent()) {
            config = config.withStore(store.get());
        }
        if (masterKeyFile != null) {
            config = config.withMasterKeyFile(masterKeyFile);
        }
        config = config.withRegions(regionSettings()).withRateLimit(rateLimitSettings())
                .withConnectionTimeouts(timeoutSettings()).withMaxConnections(maxConnectionsSetting())
                .withIamQuotas(iamQuotaSettings());
        if (trustedCaFile != null) {
            checkReadable("--trusted-ca-file", trustedCaFile);
            config = config.withTrustedCaFile(trustedCaFile);
        }
        if (publicUrl != null) {
            config = config.withPublicUrl(publicUrl(publicUrl));
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean dataDirExisted = Files.isDirectory(dataDir);
        DataDirectoryLock lock = null;
        AuditLogFile auditLog = null;
        OpenStsNode node;
        try {
            if (bootstrapFile != null) {
                // Before anything is created; read later, a directory would fail with no path in the message.
                PathOptions.checkReadable(bootstrapFile);
            }
            Files.createDirectories(dataDir);
            // Before anything in the directory is opened: a second node on it would overwrite this one's audit log.
            lock = DataDirectoryLock.acquire(dataDir);
            // The audit file is open before the node listens, so that no call's event finds it missing.
            auditLog = AuditLogFile.install(dataDir, auditMaxSize, auditRetentionDays, auditFsync);
            node = OpenStsNode.start(config, lock, tls, gateway);
        } catch (StoreException | IOException | BootstrapException e) {
            if (auditLog != null) {
                auditLog.close();
            }
            try {
                if (lock != null && !dataDirExisted) {
                    // A start that fails on its configuration leaves nothing behind, not even an empty audit log.
                    lock.closeAndDelete();
                    AuditLogFile.deleteIfEmpty(dataDir);
                } else if (lock != null) {
                    lock.close();
                }
            } catch (IOException cleanup) {
                // The failure to report is the start's; this one only rides along with it.
                e.addSuppressed(cleanup);
            }
            // Configuration the operator can fix: say what is wrong, in one line, without a stack trace.
            PrintWriter err = spec.commandLine().getErr();
            if (e instanceof BootstrapException) {
                // The entity, IAM's error code and message; keys generated before it are in bootstrap-credentials.
                err.println("opensts serve: --bootstrap " + bootstrapFile + ": cannot apply " + e.getMessage());
            } else if (e instanceof IOException io) {
                err.println("opensts serve: " + pathOptions().describe(io));
            } else {
                err.println("opensts serve: " + e.getMessage());
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        AuditLogFile openAuditLog = auditLog;
        DataDirectoryLock heldLock = lock;
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            // After the node: its last calls' events are written, then the file is closed and compressed.
            openAuditLog.close();
            // Last: until the audit log is closed, no other node may open it. The process's end drops it anyway.
            try {
                heldLock.close();
            } catch (IOException e) {
                // Nothing left to do: the lock goes with the process.
            }
            stopped.countDown();
        }, "opensts-shutdown"));
        String endpoint = node.endpoint().toString();
        node.initialAdmin().ifPresent(admin -> out.printf(
                "Created account %s with user admin; its credentials are in %s (access key id %s)%n", accountId,
                node.adminCredentialsFile(), admin.accessKey().accessKeyId()));
        node.bootstrapKeys().forEach(key -> out.printf(
                "Bootstrap created an access key for %s in account %s (access key id %s); see %s%n", key.userName(),
                key.accountId(), key.accessKeyId(),
                dataDir.resolve("bootstrap-credentials")));
        node.s3GatewayEndpoint().ifPresent(gatewayEndpoint -> out.printf(
                "S3 gateway at %s in front of %s%n", gatewayEndpoint, s3Upstream));
        node.caBundle().ifPresent(ca -> out.printf(
                "HTTPS with a private CA; to make the AWS CLI and SDKs trust it:%n  export AWS_CA_BUNDLE=%s%n", ca));
        regionNotEnabledWarning().ifPresent(warning -> {
            spec.commandLine().getErr().println(warning);
            spec.commandLine().getErr().flush();
        });
        if (Files.exists(node.adminCredentialsFile())) {
            out.printf("OpenSTS is ready at %s. Try:%n  AWS_SHARED_CREDENTIALS_FILE=%s aws --endpoint-url %s "
                    + "--region us-east-1 sts get-caller-identity%n", endpoint, node.adminCredentialsFile(), endpoint);
        } else {
            // Another node created the account on this shared store; its data directory holds admin-credentials.
            out.printf("OpenSTS is ready at %s.%n", endpoint);
        }
        out.flush();
        stopped.await();
        return 0;
    }

    /** The node's region and enabled regions the options name, checked before anything is started. */
    Regions regionSettings() {
        List<String> enabled = regions == null ? AwsRegions.COMMERCIAL
                : regions.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
        if (!AwsRegions.isWellFormed(region)) {
            throw usageError("--region must be a region name such as us-east-1, not '" + region + "'");
        }
        for (String name : enabled) {
            if (!AwsRegions.isWellFormed(name)) {
                throw usageError("--regions must list region names such as us-east-1, not '" + name + "'");
            }
        }
        if (enabled.isEmpty()) {
            throw usageError("--regions must name at least one region");
        }
        return Regions.of(region, enabled);
    }

    /**
     * A warning when the node's own region is not among those STS is enabled in: every unsigned call (web identity,
     * SAML) is then refused with RegionDisabledException, as at a regional endpoint where STS is deactivated. Allowed,
     * as AWS allows it, but more often a private region left out of {@code --regions} than meant.
     */
    Optional<String> regionNotEnabledWarning() {
        Regions settings = regionSettings();
        return settings.enabled().contains(settings.nodeRegion()) ? Optional.empty()
                : Optional.of("opensts serve: warning: --region " + settings.nodeRegion() + " is not one of --regions,"
                        + " so AssumeRoleWithWebIdentity and AssumeRoleWithSAML will be refused with"
                        + " RegionDisabledException; add it to --regions to serve them");
    }

    /** The connection timeouts the options name, checked before anything is started. */
    ConnectionTimeouts timeoutSettings() {
        if (idleTimeoutSeconds < 1 || requestTimeoutSeconds < 1) {
            throw usageError("--idle-timeout and --request-timeout must be at least 1 second");
        }
        return new ConnectionTimeouts(Duration.ofSeconds(idleTimeoutSeconds),
                Duration.ofSeconds(requestTimeoutSeconds));
    }

    /** The connection cap the options name, checked before anything is started. */
    int maxConnectionsSetting() {
        if (maxConnections == null) {
            return ConnectionLimits.defaultMaxConnections();
        }
        if (maxConnections < 1) {
            throw usageError("--max-connections must be at least 1");
        }
        return maxConnections;
    }

    /** The IAM quotas the options name, AWS's defaults for the others, checked before anything is started. */
    IamQuotas iamQuotaSettings() {
        IamQuotas quotas = IamQuotas.AWS_DEFAULTS;
        var named = new HashSet<String>();
        for (String setting : iamQuotas == null ? List.<String>of() : iamQuotas) {
            int equals = setting.indexOf('=');
            if (equals < 0) {
                throw usageError("--iam-quota takes NAME=N, such as Roles=5000, not " + setting);
            }
            String name = setting.substring(0, equals).trim();
            if (!named.add(name.toLowerCase(Locale.ROOT))) {
                throw usageError("--iam-quota names " + name + " more than once");
            }
            long value;
            try {
                value = Long.parseLong(setting.substring(equals + 1).trim());
            } catch (NumberFormatException e) {
                throw usageError("--iam-quota " + setting + ": N must be a whole number");
            }
            try {
                // A value past int's range is past every quota's maximum too: the range check says so.
                quotas = quotas.with(name, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value)));
            } catch (IllegalArgumentException e) {
                throw usageError("--iam-quota " + setting + ": " + e.getMessage());
            }
        }
        return quotas;
    }

    /** The rate limit the options name, checked before anything is started. */
    RateLimit rateLimitSettings() {
        if (rateLimit < 0) {
            throw usageError("--rate-limit must be 0 (off) or a positive number of requests per second");
        }
        if (burst != null && burst < 1) {
            throw usageError("--burst must be at least 1");
        }
        if (rateLimit == 0) {
            return RateLimit.DISABLED;
        }
        return burst == null ? RateLimit.perSecond(rateLimit) : new RateLimit(rateLimit, burst);
    }

    /** Where the HTTPS certificate comes from, if the options ask for HTTPS; checked before anything is started. */
    Optional<TlsSource> tlsSource() {
        if (tlsSelfSigned) {
            if (tlsCertificate != null || tlsKey != null) {
                throw usageError("--tls-self-signed cannot be combined with --tls-cert or --tls-key");
            }
            return Optional.of(new TlsSource.SelfSigned());
        }
        if (tlsCertificate == null && tlsKey == null) {
            return Optional.empty();
        }
        if (tlsCertificate == null || tlsKey == null) {
            throw usageError("--tls-cert and --tls-key go together");
        }
        checkReadable("--tls-cert", tlsCertificate);
        checkReadable("--tls-key", tlsKey);
        return Optional.of(new TlsSource.CertificateFiles(tlsCertificate, tlsKey));
    }

    /** The S3 gateway the options ask for, if any; its upstream and credentials checked before anything starts. */
    Optional<S3GatewayOptions> s3GatewayOptions() {
        if (s3Gateway == null) {
            if (s3Upstream != null || s3UpstreamCredentials != null || s3Region != null
                    || noS3UpstreamChecksumTrailers) {
                throw usageError("--s3-upstream, --s3-upstream-credentials, --s3-region and "
                        + "--no-s3-upstream-checksum-trailers need --s3-gateway");
            }
            return Optional.empty();
        }
        if (s3Upstream == null || s3UpstreamCredentials == null) {
            throw usageError("--s3-gateway needs --s3-upstream and --s3-upstream-credentials");
        }
        URI upstream;
        try {
            upstream = new URI(s3Upstream.endsWith("/") ? s3Upstream.substring(0, s3Upstream.length() - 1)
                    : s3Upstream);
        } catch (URISyntaxException e) {
            throw usageError("--s3-upstream: not a URL: '" + s3Upstream + "'");
        }
        if (!("https".equals(upstream.getScheme()) || "http".equals(upstream.getScheme())) || upstream.getHost() == null
                || !upstream.getRawPath().isEmpty() || upstream.getRawQuery() != null
                || upstream.getRawFragment() != null || upstream.getRawUserInfo() != null) {
            throw usageError("--s3-upstream must be an http or https URL with a host and no path, such as "
                    + "http://127.0.0.1:9000, not '" + s3Upstream + "'");
        }
        if (s3Region != null && !AwsRegions.isWellFormed(s3Region)) {
            throw usageError("--s3-region must be a region name such as us-east-1, not '" + s3Region + "'");
        }
        SigningCredentials credentials;
        try {
            credentials = UpstreamCredentialsFile.read(s3UpstreamCredentials);
        } catch (IOException e) {
            throw usageError("--s3-upstream-credentials: cannot read " + s3UpstreamCredentials + " ("
                    + LocalFile.reason(e) + ")");
        } catch (IllegalArgumentException e) {
            // The message names the file and the missing setting, never a value.
            throw usageError("--s3-upstream-credentials: " + e.getMessage());
        }
        return Optional.of(new S3GatewayOptions(s3Gateway, upstream, credentials, Optional.ofNullable(s3Region),
                /* upstreamChecksumTrailers= */ !noS3UpstreamChecksumTrailers));
    }

    /** The PostgreSQL store the options name, if any; checked before anything is started. */
    Optional<StoreSettings> storeSettings() {
        if (storeUrl == null) {
            if (storeUser != null || passwordSource != null) {
                throw usageError("--store-user and --store-password need --store");
            }
            return Optional.empty();
        }
        if (!storeUrl.startsWith("jdbc:postgresql://")) {
            throw usageError("--store must be a PostgreSQL JDBC URL: jdbc:postgresql://HOST:PORT/DATABASE");
        }
        if (carriesPassword(storeUrl)) {
            // Say nothing of the URL itself: it holds the password.
            throw usageError("--store must not carry a password, which anyone listing processes could read; use "
                    + "--store-password:file, --store-password:env or $" + PASSWORD_ENVIRONMENT_VARIABLE);
        }
        return Optional.of(StoreSettings.postgres(storeUrl, Optional.ofNullable(storeUser), storePassword()));
    }

    private Optional<Secret> storePassword() {
        if (passwordSource != null && passwordSource.file != null) {
            Path file = passwordSource.file;
            try {
                return Optional.of(Secret.ofUtf8(withoutTrailingLineBreak(Files.readString(file, UTF_8))));
            } catch (IOException e) {
                throw usageError("--store-password:file: cannot read " + file + " (" + LocalFile.reason(e) + ")");
            }
        }
        if (passwordSource != null && passwordSource.environmentVariable != null) {
            String variable = passwordSource.environmentVariable;
            String value = environment.apply(variable);
            if (value == null || value.isEmpty()) {
                throw usageError("--store-password:env: environment variable " + variable + " is not set");
            }
            return Optional.of(Secret.ofUtf8(value));
        }
        String value = environment.apply(PASSWORD_ENVIRONMENT_VARIABLE);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(Secret.ofUtf8(value));
    }

    private static String withoutTrailingLineBreak(String content) {
        int end = content.length();
        while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
            end--;
        }
        return content.substring(0, end);
    }

    /** Whether a parameter of the URL names a password ({@code password}, {@code sslpassword}, …). */
    static boolean carriesPassword(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        if (query < 0) {
            return false;
        }
        for (String parameter : jdbcUrl.substring(query + 1).split("&")) {
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (name.toLowerCase(Locale.ROOT).contains("password")) {
                return true;
            }
        }
        return false;
    }

    /** An absolute http or https URL with a host and no query or fragment; a trailing slash is dropped. */
    private URI publicUrl(String value) {
        URI url;
        try {
            url = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            throw usageError("--public-url: not a URL: '" + value + "'");
        }
        if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null
                || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw usageError("--public-url must be an http or https URL with a host and no query, such as "
                    + "https://sts.example.com, not '" + value + "'");
        }
        return url;
    }

    /** A usage error, before anything is started, unless {@code file} can be read. */
    private void checkReadable(String option, Path file) {
        PathOptions.whyUnreadable(file).ifPresent(reason -> {
            throw usageError(option + ": cannot read " + file + " (" + reason + ")");
        });
    }

    /** The options that name files and directories, for {@link PathOptions#describe} of a failed start. */
    private PathOptions pathOptions() {
        return new PathOptions()
                .add("--bootstrap", bootstrapFile, PathOptions.Use.READ)
                .add("--master-key-file", masterKeyFile, PathOptions.Use.READ_OR_CREATE)
                .add("--trusted-ca-file", trustedCaFile, PathOptions.Use.READ)
                .add("--tls-cert", tlsCertificate, PathOptions.Use.READ)
                .add("--tls-key", tlsKey, PathOptions.Use.READ)
                // Last: the master key, the store, the TLS files of --tls-self-signed and the audit log are in it.
                .add("--data-dir", dataDir, PathOptions.Use.DIRECTORY);
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
