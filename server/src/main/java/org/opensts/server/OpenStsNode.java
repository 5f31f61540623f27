package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.netty.handler.ssl.SslContext;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.opensts.federation.oidc.IdpHttpsClient;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.gateway.S3Gateway;
import org.opensts.gateway.S3GatewayConfig;
import org.opensts.gateway.s3.BucketPolicies;
import org.opensts.gateway.s3.S3Error;
import org.opensts.gateway.s3.S3ErrorCode;
import org.opensts.gateway.s3.S3Exception;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.BucketPolicy;
import org.opensts.iam.BucketPolicyStore;
import org.opensts.iam.CachingBucketPolicyStore;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.IamQuotas;
import org.opensts.iam.IamService;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.LastUsedRecorder;
import org.opensts.iam.PrincipalBindings;
import org.opensts.iam.bootstrap.Bootstrap;
import org.opensts.iam.bootstrap.BootstrapFile;
import org.opensts.iam.bootstrap.FirstStart;
import org.opensts.iam.jdbc.JdbcAssertionReplayGuard;
import org.opensts.iam.jdbc.JdbcConsoleTokenUses;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.TemporarilyUnavailable;
import org.opensts.server.tls.SelfSignedCertificates;
import org.opensts.server.tls.ServerTlsContext;
import org.opensts.server.tls.TlsSource;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sts.Federation;
import org.opensts.sts.SharedKeyRing;
import org.opensts.sts.StsService;
import org.opensts.sts.WebIdentitySigningKeys;
import org.opensts.sts.WebIdentityTokens;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OpenSTS node, assembled and listening: master key, identity store, key ring, operations and the HTTP server.
 *
 * <p>On the first start with an empty store it creates the account and the {@code admin} user with one access key,
 * and writes that key to {@code admin-credentials} in the data directory (shared-credentials format, mode 600); a
 * bootstrap file, if given, is applied on every start and changes nothing when nothing changed.
 *
 * <p>Several nodes may share one PostgreSQL store and one master key file. Each listens for the changes the others
 * commit, and on each one drops its identity caches and reloads the session key ring, so a user created or a key ring
 * rotated through one node is in use on every node within about a second.
 */
public final class OpenStsNode implements AutoCloseable {
    /** The transport's own switch for its buffer leak tracking. */
    private static final String LEAK_DETECTION_PROPERTY = "io.netty.leakDetection.level";
    private static final Logger LOG = LoggerFactory.getLogger(OpenStsNode.class);
    static final String MASTER_KEY_FILE = "master-key.json";
    static final String ADMIN_CREDENTIALS_FILE = "admin-credentials";
    static final String BOOTSTRAP_CREDENTIALS_FILE = "bootstrap-credentials";
    /** The embedded store's database file in the data directory (see {@link StoreSettings#embedded}). */
    static final String EMBEDDED_DATABASE_FILE = "opensts.mv.db";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final JdbcIdentityStore jdbcStore;
    private final SharedKeyRing keyRing;
    private final StsServer server;
    private final ScheduledExecutorService maintenance;
    private final Optional<AccessKeyCredentials> initialAdmin;
    private final Path adminCredentialsFile;
    private final List<Bootstrap.GeneratedAccessKey> bootstrapKeys;
    private final Runnable flushLastUsed;
    private final Optional<ServerTlsContext> tls;
    private final Optional<Path> caBundle;
    private final WebIdentitySigningKeys signingKeys;
    /** Set once the gateway listens, after the node is assembled; closed first. */
    private Optional<S3Gateway> s3Gateway = Optional.empty();
    /** The data directory's lock when this node took it itself; released last on close. */
    private Optional<DataDirectoryLock> ownDataDirectoryLock = Optional.empty();
    /** How many ListAuditEvents calls may read the audit files at once (tests fill it to see a call throttled). */
    private ConcurrencyLimit consoleAuditReads = ConcurrencyLimit.halfTheProcessors();

    private OpenStsNode(JdbcIdentityStore jdbcStore, SharedKeyRing keyRing, StsServer server,
            ScheduledExecutorService maintenance, Optional<AccessKeyCredentials> initialAdmin,
            Path adminCredentialsFile, List<Bootstrap.GeneratedAccessKey> bootstrapKeys, Runnable flushLastUsed,
            Optional<ServerTlsContext> tls, Optional<Path> caBundle, WebIdentitySigningKeys signingKeys) {
        this.signingKeys = signingKeys;
        this.jdbcStore = jdbcStore;
        this.keyRing = keyRing;
        this.server = server;
        this.maintenance = maintenance;
        this.initialAdmin = initialAdmin;
        this.adminCredentialsFile = adminCredentialsFile;
        this.bootstrapKeys = bootstrapKeys;
        this.flushLastUsed = flushLastUsed;
        this.tls = tls;
        this.caBundle = caBundle;
    }

    /**
     * How to start a node. {@code store} empty means the embedded H2 store in {@code dataDir}; {@code masterKeyFile}
     * empty means {@code master-key.json} in {@code dataDir}; {@code trustedCaFile} is a PEM bundle of CAs trusted for
     * identity providers' HTTPS servers beside the JDK's.
     */
    public record Config(Path dataDir, InetSocketAddress listen, String accountId, Optional<Path> bootstrapFile,
            Optional<StoreSettings> store, Optional<Path> masterKeyFile, Optional<Path> trustedCaFile, Clock clock,
            Regions regions, RateLimit rateLimit, Optional<URI> publicUrl, ConnectionTimeouts timeouts,
            int maxConnections, IamQuotas iamQuotas) {
        public static Config embedded(Path dataDir, InetSocketAddress listen, String accountId) {
            return new Config(dataDir, listen, accountId, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Clock.systemUTC(), Regions.defaults(), RateLimit.defaults(), Optional.empty(),
                    ConnectionTimeouts.DEFAULTS, ConnectionLimits.defaultMaxConnections(), IamQuotas.AWS_DEFAULTS);
        }

        /** How many client connections may be open at once; one more is refused (see {@link ConnectionLimits}). */
        public Config withMaxConnections(int newMaxConnections) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    regions, rateLimit, publicUrl, timeouts, newMaxConnections, iamQuotas);
        }

        public Config withBootstrapFile(Path file) {
            return new Config(dataDir, listen, accountId, Optional.of(file), store, masterKeyFile, trustedCaFile,
                    clock, regions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        public Config withStore(StoreSettings settings) {
            return new Config(dataDir, listen, accountId, bootstrapFile, Optional.of(settings), masterKeyFile,
                    trustedCaFile, clock, regions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /** Nodes that share a store must share the master key too: it wraps the key ring and seals stored secrets. */
        public Config withMasterKeyFile(Path file) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, Optional.of(file), trustedCaFile,
                    clock, regions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /** CAs (a PEM bundle) that identity providers' certificates may chain to, beside the JDK's trusted ones. */
        public Config withTrustedCaFile(Path file) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, Optional.of(file),
                    clock, regions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /** The clock of the node, its token buckets included (they refill as it moves). */
        public Config withClock(Clock newClock) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile,
                    newClock, regions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /** The node's own region and the regions it serves STS in. */
        public Config withRegions(Regions newRegions) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    newRegions, rateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /** The per-account request rate and burst; {@link RateLimit#DISABLED} turns throttling off. */
        public Config withRateLimit(RateLimit newRateLimit) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    regions, newRateLimit, publicUrl, timeouts, maxConnections, iamQuotas);
        }

        /**
         * The externally visible base URL of the deployment, such as {@code https://sts.example.com}: web identity
         * token issuers are below it. Without one it is {@code http://HOST:PORT} of the listen address.
         */
        public Config withPublicUrl(URI url) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    regions, rateLimit, Optional.of(url), timeouts, maxConnections, iamQuotas);
        }

        /** How long a connection may stay idle, and take to send one request, before the node closes it. */
        public Config withConnectionTimeouts(ConnectionTimeouts newTimeouts) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    regions, rateLimit, publicUrl, newTimeouts, maxConnections, iamQuotas);
        }

        /** The per-account IAM quotas: AWS's defaults unless raised (see {@link IamQuotas}). */
        public Config withIamQuotas(IamQuotas newQuotas) {
            return new Config(dataDir, listen, accountId, bootstrapFile, store, masterKeyFile, trustedCaFile, clock,
                    regions, rateLimit, publicUrl, timeouts, maxConnections, newQuotas);
        }

        Path masterKeyFileOrDefault() {
            return masterKeyFile.orElseGet(() -> dataDir.resolve(MASTER_KEY_FILE));
        }
    }

    /**
     * Turns off the transport's buffer leak tracking for this JVM, unless {@value #LEAK_DETECTION_PROPERTY} asks for a
     * level. By default the transport tracks one buffer in 128 and records a stack trace at each of its uses: a
     * debugging aid that a serving node pays for on every call (about 1% of a signed call's CPU in a profile under
     * load). {@code opensts serve} calls this; tests keep the tracking.
     */
    public static void stopBufferLeakTracking() {
        if (System.getProperty(LEAK_DETECTION_PROPERTY) == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /**
     * Starts a node and returns once it listens.
     *
     * @throws IOException if the trusted CA file, data directory, master key or bootstrap file cannot be used, or the
     *     store's key ring was wrapped with another master key
     * @throws org.opensts.iam.jdbc.StoreException if the store cannot be reached or migrated
     * @throws org.opensts.iam.bootstrap.BootstrapException if IAM refuses an entity of the bootstrap file; the
     *     secrets of the keys it generated before are in {@code bootstrap-credentials} all the same
     */
    public static OpenStsNode start(Config config) throws IOException, InterruptedException {
        return start(config, Optional.empty());
    }

    /**
     * Starts a node that serves HTTPS when {@code tlsSource} is present: from the given PEM files, or from a CA and
     * server certificate it keeps in {@code DATA/tls/}. Either way, changed files are picked up within a few seconds
     * by new connections.
     *
     * @throws IOException as {@link #start(Config)}, and if the certificate or key cannot be used
     */
    public static OpenStsNode start(Config config, Optional<TlsSource> tlsSource)
            throws IOException, InterruptedException {
        return start(config, tlsSource, Optional.empty());
    }

    /**
     * Starts a node that also runs the S3 gateway when {@code s3Gateway} is present: on its own address, over HTTPS
     * when the node serves HTTPS, with the node's certificate.
     *
     * @throws IOException as {@link #start(Config, Optional)}
     */
    public static OpenStsNode start(Config config, Optional<TlsSource> tlsSource,
            Optional<S3GatewayOptions> s3Gateway) throws IOException, InterruptedException {
        Files.createDirectories(config.dataDir());
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDir());
        try {
            OpenStsNode node = start(config, lock, tlsSource, s3Gateway);
            node.ownDataDirectoryLock = Optional.of(lock);
            return node;
        } catch (IOException | RuntimeException | InterruptedException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Starts a node in a data directory whose lock the caller has taken and releases after {@link #close()}: so does
     * {@code opensts serve}, which opens the audit log in the directory before the node starts, and closes it after.
     *
     * @throws IOException as {@link #start(Config, Optional)}
     * @throws IllegalArgumentException if {@code dataDirectoryLock} is not a held lock on the config's data directory
     */
    public static OpenStsNode start(Config config, DataDirectoryLock dataDirectoryLock, Optional<TlsSource> tlsSource,
            Optional<S3GatewayOptions> s3Gateway) throws IOException, InterruptedException {
        if (!dataDirectoryLock.holds(config.dataDir())) {
            throw new IllegalArgumentException("The lock held is not one on " + config.dataDir());
        }
        IdpHttpsClient idpHttps = idpHttpsClient(config.trustedCaFile());
        Optional<Path> caBundle = Optional.empty();
        Optional<ServerTlsContext> tls = Optional.empty();
        if (tlsSource.isPresent()) {
            TlsSource.CertificateFiles files;
            if (tlsSource.get() instanceof TlsSource.CertificateFiles given) {
                files = given;
            } else {
                SelfSignedCertificates.Issued issued = SelfSignedCertificates.ensure(config.dataDir().resolve("tls"),
                        SelfSignedCertificates.SubjectAlternativeNames.forListenHost(config.listen().getHostString()),
                        config.clock());
                files = new TlsSource.CertificateFiles(issued.serverCertificateChain(), issued.serverPrivateKey());
                caBundle = Optional.of(issued.caCertificate().toAbsolutePath());
            }
            tls = Optional.of(ServerTlsContext.load(files.certificateChain(), files.privateKey()));
        }
        if (config.store().isEmpty()) {
            requireEmbeddedStoreFileOrNewDirectory(config.dataDir());
        }
        Path masterKeyFile = config.masterKeyFileOrDefault();
        warnIfOpenToOthers(masterKeyFile, "master key file");
        warnIfOpenToOthers(config.dataDir().resolve(ADMIN_CREDENTIALS_FILE), "admin credentials file");
        warnIfOpenToOthers(config.dataDir().resolve(BOOTSTRAP_CREDENTIALS_FILE), "bootstrap credentials file");
        Clock clock = config.clock();
        var random = new SecureRandom();
        StoreSettings settings = config.store().orElseGet(() -> StoreSettings.embedded(config.dataDir()));
        KeyedStore opened = openStore(settings, masterKeyFile, clock);
        MasterKey masterKey = opened.masterKey();
        JdbcIdentityStore jdbcStore = opened.store();
        try {
            var store = new CachingIdentityStore(jdbcStore, Duration.ofSeconds(10), 100_000);
            // The store checked the master key before migrating; a ring another node created since then is checked
            // here, still before this node writes anything (the admin's or the bootstrap file's secrets).
            SharedKeyRing keyRing = openKeyRing(store, masterKey, masterKeyFile, clock, random);
            var iam = new IamService(store, clock, random, config.iamQuotas());
            // The admin key's secret is in its file before the key is stored (see FirstStart).
            Path adminFile = config.dataDir().resolve(ADMIN_CREDENTIALS_FILE);
            Optional<AccessKeyCredentials> admin = FirstStart.initializeIfEmpty(iam, config.accountId(), clock,
                    random, new FirstStart.AdminKeyJournal() {
                        @Override
                        public void record(AccessKeyCredentials credentials) throws IOException {
                            requireNoAdminKeyOfAnotherStore(config.dataDir(), adminFile);
                            writeOwnerOnly(adminFile, profile("default", credentials));
                        }

                        @Override
                        public void discard() throws IOException {
                            Files.deleteIfExists(adminFile);
                        }
                    });
            List<Bootstrap.GeneratedAccessKey> generated = List.of();
            if (config.bootstrapFile().isPresent()) {
                // Each generated key's secret is in the file before the key exists (see BootstrapCredentialsFile).
                var credentialsFile = new BootstrapCredentialsFile(config.dataDir().resolve(BOOTSTRAP_CREDENTIALS_FILE),
                        accessKeyId -> jdbcStore.findAccessKey(accessKeyId).isPresent());
                BootstrapFile file = BootstrapFile.read(config.bootstrapFile().get());
                // One node at a time: nodes started together with one file must not both create what it names. The
                // cache is dropped first, so that what the node before wrote is read, not an absence cached earlier.
                generated = jdbcStore.whileApplyingBootstrap(() -> {
                    store.invalidateAll();
                    return new Bootstrap(iam).apply(file, credentialsFile);
                });
            }
            WebIdentitySigningKeys signingKeys = WebIdentitySigningKeys.open(store, masterKey, clock, random);
            var bucketPolicies = new CachingBucketPolicyStore(jdbcStore.bucketPolicies(), Duration.ofSeconds(10),
                    100_000);
            // Policies put before PutBucketPolicy bound their principals are bound now, as trust policies are when
            // the bootstrap file saves them again.
            for (String unbound : PrincipalBindings.bindStoredBucketPolicies(bucketPolicies, store)) {
                LOG.warn("S3 gateway: {}", unbound);
            }
            // What other nodes commit from now on (and, once listening, anything before) drops what this node holds.
            jdbcStore.listenForChanges(() -> {
                store.invalidateAll();
                keyRing.reload();
                signingKeys.reload();
                bucketPolicies.invalidateAll();
            });
            var replayGuard = JdbcAssertionReplayGuard.of(jdbcStore, clock);
            var consoleTokenUses = JdbcConsoleTokenUses.of(jdbcStore, clock);
            var federation = new Federation(
                    new WebIdentityTokenVerifier(idpHttps, clock),
                    new SamlResponseVerifier(clock), replayGuard::firstUse);
            var sts = new StsService(store, keyRing, SigV4Verifier.create(), new PolicyEvaluator(), federation, clock,
                    random);
            var accessKeyUses = LastUsedRecorder.forAccessKeys();
            sts.authenticator().onAccessKeyUse(accessKeyUses::record);
            var roleUses = LastUsedRecorder.forRoles();
            sts.onRoleUse(roleUses::record);
            // Straight to the JDBC store: last-use records are never cached, so writing them must not empty the caches.
            Runnable flushLastUsed = () -> {
                flush(accessKeyUses, jdbcStore);
                flush(roleUses, jdbcStore);
            };
            // Known before listening when configured; otherwise it is the bound address, so set once listening.
            var publicUrl = new AtomicReference<String>(config.publicUrl().map(URI::toString).orElse(null));
            var webIdentityTokens = new WebIdentityTokens(store, sts.authorizer(), signingKeys, publicUrl::get, clock,
                    random);
            var metrics = new ServerMetrics();
            metrics.ageGauge("opensts.key.ring.primary.age.seconds", "Age of the primary session-token key",
                    keyRing::primaryKeyAge);
            metrics.ageGauge("opensts.web.identity.signing.key.age.seconds",
                    "Age of the newest web identity token signing key", signingKeys::signingKeyAge);
            metrics.gauge("opensts.store.reachable", "0 from a failure to reach the identity store's database until "
                    + "a call or a maintenance task reaches it again, else 1", () -> jdbcStore.isReachable() ? 1 : 0);
            metrics.gauge("opensts.audit.log.writable", "0 from a failure to write the audit log until it is written "
                    + "again (calls are answered ServiceUnavailable meanwhile), else 1",
                    () -> AuditLog.isWritable() ? 1 : 0);
            var throttle = new RequestThrottle(config.rateLimit(), nanoTime(clock));
            var consoleAuditReads = ConcurrencyLimit.halfTheProcessors();
            var nodeFacts = new NodeFacts(NodeFacts.jarVersion(), config.regions().nodeRegion(), settings.isPostgres(),
                    clock.instant(), keyRing, metrics, clock);
            var console = new ConsoleRoutes(ConsoleAssets.fromJar(),
                    new FederationEndpoint(keyRing, consoleTokenUses::firstUse, clock, random, throttle,
                            config.publicUrl()),
                    Optional.of(new ConsoleApi(sts.authenticator(), sts.authorizer(), throttle,
                            new AuditLogFiles(config.dataDir()), nodeFacts, consoleAuditReads)));
            StsServer server = StsServer.start(
                    ServerConfig.listeningOn(config.listen(), config.timeouts(), config.maxConnections()), sts,
                    Map.of(ApiVersion.STS, StsActions.all(sts, webIdentityTokens),
                            ApiVersion.IAM, IamActions.all(iam, sts.authorizer(), webIdentityTokens)), metrics, clock,
                    config.regions(), throttle, tls, Optional.of(new IssuerEndpoints(webIdentityTokens)),
                    Optional.of(console));
            if (config.publicUrl().isEmpty()) {
                publicUrl.set(listenUrl(server.address(), tls.isPresent()));
            }
            ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(runnable -> {
                var thread = new Thread(runnable, "opensts-maintenance");
                thread.setDaemon(true);
                return thread;
            });
            maintenance.scheduleWithFixedDelay(() -> rotate(keyRing), 1, 1, TimeUnit.HOURS);
            maintenance.scheduleWithFixedDelay(() -> rotate(signingKeys), 1, 1, TimeUnit.MINUTES);
            maintenance.scheduleWithFixedDelay(flushLastUsed, 5, 5, TimeUnit.SECONDS);
            maintenance.scheduleWithFixedDelay(() -> purgeExpiredAssertionUses(replayGuard), 1, 1, TimeUnit.MINUTES);
            maintenance.scheduleWithFixedDelay(() -> purgeExpiredConsoleTokenUses(consoleTokenUses), 1, 1,
                    TimeUnit.MINUTES);
            maintenance.scheduleWithFixedDelay(nodeFacts::sample, 0, NodeFacts.SAMPLE_PERIOD_SECONDS, TimeUnit.SECONDS);
            tls.ifPresent(context -> maintenance.scheduleWithFixedDelay(context::reloadIfChanged, 2, 2,
                    TimeUnit.SECONDS));
            var node = new OpenStsNode(jdbcStore, keyRing, server, maintenance, admin, adminFile, generated,
                    flushLastUsed, tls, caBundle, signingKeys);
            node.consoleAuditReads = consoleAuditReads;
            if (s3Gateway.isPresent()) {
                node.s3Gateway = Optional.of(startS3Gateway(s3Gateway.get(), config, sts, bucketPolicies, store, tls));
                LOG.info("S3 gateway listening on {} in front of {}", node.s3Gateway.get().endpoint(),
                        s3Gateway.get().upstream());
            }
            LOG.info("OpenSTS listening on {} (store: {})", node.endpoint(), settings.describe());
            return node;
        } catch (IOException | RuntimeException | InterruptedException e) {
            jdbcStore.close();
            throw e;
        }
    }

    /**
     * Starts the S3 gateway: requests authenticated by the node's own verifier, decided by the node's authorizer with
     * the bucket policies of its store, forwarded to the upstream store re-signed with the gateway's key; its audited
     * calls are written to the node's audit log.
     */
    private static S3Gateway startS3Gateway(S3GatewayOptions options, Config config, StsService sts,
            CachingBucketPolicyStore bucketPolicies, IdentityReader identities, Optional<ServerTlsContext> tls)
            throws IOException, InterruptedException {
        var gatewayConfig = new S3GatewayConfig(options.listen(), options.upstream(), options.upstreamCredentials(),
                options.region().orElse(config.regions().nodeRegion()), config.accountId(), config.clock(),
                config.timeouts().request(), config.timeouts().idle(), config.maxConnections(),
                options.upstreamChecksumTrailers());
        return S3Gateway.start(gatewayConfig, sts.authenticator().requestVerifier(),
                sts.authorizer().sessionAuthorizer(), new StoredBucketPolicies(bucketPolicies, identities),
                (event, whenDone) -> AuditLog.writeGatewayEvent(event, whenDone::accept),
                tls.map(context -> (Supplier<SslContext>) context::current));
    }

    /**
     * The gateway's view of the store's bucket policies: the documents only, each IAM user and role they name bound to
     * its unique id when the policy is put, as IAM binds a trust policy's ({@link PrincipalBindings}), so that a grant
     * to a role or user is not inherited by a namesake created after it is deleted.
     */
    private record StoredBucketPolicies(BucketPolicyStore store, IdentityReader identities)
            implements org.opensts.gateway.BucketPolicyStore {
        @Override
        public Optional<String> find(String bucket) {
            return store.find(bucket).map(BucketPolicy::document);
        }

        @Override
        public Optional<String> show(String bucket) {
            return find(bucket).map(stored -> PrincipalBindings.shown(stored, identities));
        }

        @Override
        public void put(String bucket, String accountId, String document) throws S3Exception {
            String bound;
            try {
                bound = PrincipalBindings.bind(document, identities);
            } catch (ApiException e) {
                throw S3Error.of(S3ErrorCode.MALFORMED_POLICY, BucketPolicies.INVALID_PRINCIPAL).toException();
            }
            store.put(bucket, accountId, bound);
        }

        @Override
        public boolean delete(String bucket) {
            return store.delete(bucket);
        }
    }

    /**
     * The token buckets' time source: the JVM's monotonic clock for the system clock, otherwise (in tests) the given
     * clock's instant in nanoseconds, so that moving that clock refills the buckets.
     */
    private static LongSupplier nanoTime(Clock clock) {
        if (clock.equals(Clock.systemUTC())) {
            return System::nanoTime;
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** The client for identity providers' HTTPS servers; a CA bundle that cannot be used stops the start. */
    private static IdpHttpsClient idpHttpsClient(Optional<Path> trustedCaFile) throws IOException {
        try {
            return IdpHttpsClient.create(trustedCaFile);
        } catch (IllegalArgumentException e) {
            throw new IOException("The trusted CA file cannot be used: " + e.getMessage(), e);
        }
    }

    private static SharedKeyRing openKeyRing(CachingIdentityStore store, MasterKey masterKey, Path masterKeyFile,
            Clock clock, SecureRandom random) throws IOException {
        try {
            return SharedKeyRing.open(store, masterKey, clock, random);
        } catch (IllegalStateException e) {
            throw masterKeyMismatch(e, masterKeyFile);
        }
    }

    /**
     * Refuses to start the embedded store on a database file that is missing or empty in a data directory that shows a
     * store was there: {@code admin-credentials} or {@code bootstrap-credentials} (written once a store was open), or
     * audit events. The database would take such a file for a new store, and the start would create a new account and
     * admin and write {@code admin-credentials} over the only copy of the old admin's secret. An empty file is what a
     * crash or an interrupted copy or restore may leave.
     *
     * @throws IOException naming what is missing and what to do
     */
    static void requireEmbeddedStoreFileOrNewDirectory(Path dataDir) throws IOException {
        Path database = dataDir.resolve(EMBEDDED_DATABASE_FILE);
        String state;
        if (!Files.exists(database)) {
            state = "does not exist";
        } else if (Files.isRegularFile(database) && Files.size(database) == 0) {
            state = "is empty";
        } else {
            return;
        }
        List<String> traces = new ArrayList<>();
        for (String name : List.of(ADMIN_CREDENTIALS_FILE, BOOTSTRAP_CREDENTIALS_FILE)) {
            if (Files.exists(dataDir.resolve(name))) {
                traces.add(name);
            }
        }
        auditEvents(dataDir).ifPresent(traces::add);
        if (!traces.isEmpty()) {
            throw new IOException("The embedded store's database " + database + " " + state + ", but " + dataDir
                    + " holds " + String.join(" and ", traces) + " of a store that existed: restore the database from "
                    + "a backup, or start on a new data directory (with a new account and admin)");
        }
    }

    /** The first file in {@code dataDir} that holds audit events, if one does: the node there has served calls. */
    private static Optional<String> auditEvents(Path dataDir) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            // audit.log is created, empty, before the node starts; rolled files only ever hold events.
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.startsWith("audit.") && !name.equals(AuditLogFiles.LIVE)
                            || name.equals(AuditLogFiles.LIVE) && sizeOf(dataDir.resolve(name)) > 0)
                    .sorted().findFirst();
        }
    }

    /**
     * Before a first start writes a new admin key over {@code adminFile}: refuses when the data directory shows it
     * served a store that is gone — the file exists and audit events are there — whatever the store (an empty
     * PostgreSQL database after a loss, a volume not mounted, another {@code --store}). A first start killed before
     * it stored its key leaves the file but no events, and is simply done again.
     */
    static void requireNoAdminKeyOfAnotherStore(Path dataDir, Path adminFile) throws IOException {
        if (!Files.exists(adminFile)) {
            return;
        }
        Optional<String> events = auditEvents(dataDir);
        if (events.isPresent()) {
            throw new IOException("The store is empty, but " + dataDir + " holds " + adminFile.getFileName() + " and "
                    + events.get() + " of a store it served: check --store, or restore that store from a backup, or "
                    + "start on a new data directory (with a new account and admin)");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Warns, as ssh does of a private key, when a secret file exists and other users than its owner may use it: after a
     * restore with a plain copy, for instance, it takes the umask's permissions.
     */
    static void warnIfOpenToOthers(Path file, String what) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            // Absent (created later, owner-only), or on a file system without POSIX permissions.
            return;
        }
        if (!OWNER_ONLY.containsAll(permissions)) {
            LOG.warn("The {} {} is open to other users ({}): it holds secrets, so make it readable by its owner only "
                    + "(chmod 600 {})", what, file, PosixFilePermissions.toString(permissions), file);
        }
    }

    /** The store, open, and the master key it is used with. */
    private record KeyedStore(JdbcIdentityStore store, MasterKey masterKey) {
    }

    /** Opens the store with the key in {@code masterKeyFile}, or with a new one, put there once the store takes it. */
    private static KeyedStore openStore(StoreSettings settings, Path masterKeyFile, Clock clock) throws IOException {
        try (MasterKeyFile keyFile = MasterKeyFile.open(masterKeyFile)) {
            JdbcIdentityStore store = openStore(settings, keyFile, keyFile.key(), clock);
            MasterKey kept;
            try {
                kept = keyFile.keep();
            } catch (IOException | RuntimeException e) {
                store.close();
                throw e;
            }
            if (kept == keyFile.key()) {
                return new KeyedStore(store, kept);
            }
            // Another node put its new key in place first: the store is to be used with that one.
            store.close();
            return new KeyedStore(openStore(settings, keyFile, kept, clock), kept);
        }
    }

    /**
     * Opens the store, which first checks that its key ring, if it has one, opens with {@code masterKey}: a new key
     * (the file absent) never does, so the store was created with a file that is gone.
     */
    private static JdbcIdentityStore openStore(StoreSettings settings, MasterKeyFile keyFile, MasterKey masterKey,
            Clock clock) throws IOException {
        try {
            return JdbcIdentityStore.open(settings, masterKey, clock);
        } catch (JdbcIdentityStore.MasterKeyMismatchException e) {
            if (keyFile.isNew() && masterKey == keyFile.key()) {
                throw new IOException("The master key file " + keyFile.file() + " does not exist, but the store was "
                        + "created with one: restore that file (every node of one store needs the same), or start "
                        + "on a new store", e);
            }
            throw masterKeyMismatch(e, keyFile.file());
        }
    }

    private static IOException masterKeyMismatch(RuntimeException e, Path masterKeyFile) {
        return new IOException(e.getMessage() + " (" + masterKeyFile + "); every node that shares a store needs the "
                + "master key file that the store was created with", e);
    }

    private static void flush(LastUsedRecorder<?> recorder, JdbcIdentityStore store) {
        try {
            recorder.flush(store);
        } catch (RuntimeException e) {
            maintenanceFailed("Writing last-use records", e);
        }
    }

    /**
     * Deletes the records of SAML assertions that have expired, a thousand at a time and at most ten thousand a run, so
     * that a backlog is worked off over a few minutes without holding the store's connections.
     */
    private static void purgeExpiredAssertionUses(JdbcAssertionReplayGuard replayGuard) {
        try {
            for (int batch = 0; batch < 10; batch++) {
                if (replayGuard.purgeExpired(1_000) < 1_000) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            maintenanceFailed("Purging expired SAML assertion records", e);
        }
    }

    /** Deletes the records of console sign-in tokens and handoffs past their retention, as for SAML assertions. */
    private static void purgeExpiredConsoleTokenUses(JdbcConsoleTokenUses uses) {
        try {
            for (int batch = 0; batch < 10; batch++) {
                if (uses.purgeExpired(1_000) < 1_000) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            maintenanceFailed("Purging expired console sign-in token records", e);
        }
    }

    private static void rotate(SharedKeyRing keyRing) {
        try {
            keyRing.rotateIfDue();
        } catch (RuntimeException e) {
            maintenanceFailed("Session key ring rotation", e);
        }
    }

    /**
     * Rotates the web identity token signing keys if due: the schedule asks every minute, so a key is replaced about a
     * day after it started signing and a retired key is dropped soon after its last token has expired.
     */
    private static void rotate(WebIdentitySigningKeys signingKeys) {
        try {
            signingKeys.rotateIfDue();
        } catch (RuntimeException e) {
            maintenanceFailed("Web identity token signing key rotation", e);
        }
    }

    /**
     * Logs a failed run of a maintenance task, which the schedule runs again: in one line while the store cannot be
     * reached (the store logs when such an outage begins and ends, and the task would otherwise add a stack trace at
     * every run of the outage), with the stack trace otherwise.
     */
    private static void maintenanceFailed(String task, RuntimeException e) {
        if (TemporarilyUnavailable.isCause(e)) {
            LOG.warn("{} failed; will retry: {}", task, e.getMessage());
        } else {
            LOG.warn("{} failed; will retry", task, e);
        }
    }

    /** {@code http[s]://HOST:PORT} of where the server listens, an IPv6 address in brackets. */
    static String listenUrl(InetSocketAddress address, boolean https) {
        // A node listening on every address is reached here as localhost, which its self-signed certificate names;
        // the wildcard address itself is no host a client can verify a certificate for.
        String host = address.getAddress() != null && address.getAddress().isAnyLocalAddress() ? "localhost"
                : address.getHostString();
        return (https ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + address.getPort();
    }

    /** Rotates the web identity token signing keys now, as the schedule does once they are a day old. */
    void rotateSigningKeys() {
        signingKeys.rotate();
    }

    public InetSocketAddress address() {
        return server.address();
    }

    /** The cap on ListAuditEvents calls reading the audit files at once. */
    ConcurrencyLimit consoleAuditReads() {
        return consoleAuditReads;
    }

    /**
     * The base URL clients use: {@code http://} or {@code https://}, the listen host ({@code localhost} when the node
     * listens on every address) and the real port.
     */
    public URI endpoint() {
        return URI.create(listenUrl(server.address(), tls.isPresent()));
    }

    /** The S3 gateway's base URL, when the node runs one. */
    public Optional<URI> s3GatewayEndpoint() {
        return s3Gateway.map(S3Gateway::endpoint);
    }

    /** The CA certificate clients trust for {@code --tls-self-signed} ({@code AWS_CA_BUNDLE}), an absolute path. */
    public Optional<Path> caBundle() {
        return caBundle;
    }

    /** Checks the certificate and key files now, as the schedule does every two seconds. */
    boolean reloadTlsIfChanged() {
        return tls.map(ServerTlsContext::reloadIfChanged).orElse(false);
    }

    /** The admin's access key, present only when this start initialized an empty store. */
    public Optional<AccessKeyCredentials> initialAdmin() {
        return initialAdmin;
    }

    /** Writes the last-use records gathered since the last write now, as the schedule does every five seconds. */
    void flushLastUsed() {
        flushLastUsed.run();
    }

    /** Rotates the session key ring now, as the schedule does once the primary key is a day old. */
    void rotateKeyRing() {
        keyRing.rotate();
    }

    public Path adminCredentialsFile() {
        return adminCredentialsFile;
    }

    /** The access keys the bootstrap file generated on this start. */
    public List<Bootstrap.GeneratedAccessKey> bootstrapKeys() {
        return bootstrapKeys;
    }

    @Override
    public void close() {
        // The gateway lets its transfers under way finish (up to its grace) while the listener does the same with its
        // calls: one does not wait for the other. Both are done before the store closes.
        Optional<Thread> gatewayStopping = s3Gateway.map(gateway -> {
            Thread stopping = new Thread(gateway::close, "opensts-s3-gateway-stop");
            stopping.start();
            return stopping;
        });
        // Let a flush or rotation under way finish its transaction rather than interrupting it mid-write.
        maintenance.shutdown();
        try {
            if (!maintenance.awaitTermination(5, TimeUnit.SECONDS)) {
                maintenance.shutdownNow();
            }
        } catch (InterruptedException e) {
            maintenance.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server.close();
        gatewayStopping.ifPresent(stopping -> {
            try {
                stopping.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        flushLastUsed.run();
        jdbcStore.close();
        ownDataDirectoryLock.ifPresent(lock -> {
            try {
                lock.close();
            } catch (IOException e) {
                // The process's end drops the lock all the same.
                LOG.warn("Could not release the lock on the data directory {}", lock.directory(), e);
            }
        });
    }

    private static String profile(String name, AccessKeyCredentials credentials) {
        return profile(name, credentials.accessKey().accessKeyId(), credentials.secretAccessKey());
    }

    /** A shared-credentials profile, as {@code admin-credentials} and {@code bootstrap-credentials} hold them. */
    static String profile(String name, String accessKeyId, Secret secretAccessKey) {
        return "[" + name + "]\n"
                + "aws_access_key_id = " + accessKeyId + "\n"
                + "aws_secret_access_key = " + secretAccessKey.revealUtf8() + "\n";
    }

    /**
     * Replaces {@code file} with {@code content}, readable by its owner only: written to a temporary file, forced to
     * the disk, renamed over {@code file}, and the directory forced, so that after a crash the file is either the old
     * one or the new one, whole, and never visible with wider permissions.
     */
    static void writeOwnerOnly(Path file, String content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, ".opensts", ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try {
            writeAndForce(temporary, content);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Writes {@code content} into the (empty) {@code file} and forces it to the disk. */
    static void writeAndForce(Path file, String content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(/* metaData= */ true);
        }
    }

    /** Forces a directory's entries (a rename in it) to the disk, where the platform can open a directory. */
    static void forceDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(/* metaData= */ true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for reading; the rename is then as durable as they make it.
            LOG.debug("Could not force directory {} to the disk", directory, e);
        }
    }
}
