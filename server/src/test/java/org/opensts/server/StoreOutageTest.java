package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.iam.testing.FreezableTcpProxy;
import org.opensts.sigv4.SigV4;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.Secret;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * A node on a real PostgreSQL database that stops (here: a proxy in front of it closes every connection and refuses new
 * ones), driven by the AWS SDK for Java v2 with one attempt per call: calls that need the store are answered
 * {@code 503 ServiceUnavailable}, concurrent calls of one access key included, within a bound far below the SDKs'
 * 60-second read timeout, and so are the authorization API's and, in S3's words, the S3 gateway's; a role session's
 * call, which needs no store, is answered meanwhile; and once the database is back, the node serves again without a
 * restart. A database that goes silent instead (the proxy passes no byte) holds the calls that need it for seconds, but
 * not a role session's call behind them.
 */
class StoreOutageTest {
    private static final String ACCOUNT = "123456789012";
    private static final String STORE_USER = "opensts";
    private static final String STORE_PASSWORD = "outage-test-password-41ac";
    /** Generous: the node gives up on a stopped database within its 5-second wait for a connection. */
    private static final Duration BOUND = Duration.ofSeconds(40);
    private static final int CALLERS = 12;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");

    private static PasswordPostgres postgres;

    @TempDir
    Path workDir;

    private FreezableTcpProxy proxy;
    private String database;
    private OpenStsNode node;
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS + 4);

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = PasswordPostgres.start(STORE_USER, STORE_PASSWORD);
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void startNode() throws Exception {
        proxy = FreezableTcpProxy.to("127.0.0.1", postgres.port());
        // A database of its own for each test's node, whose master key is the test's.
        database = "opensts" + DATABASES.incrementAndGet();
        postgres.createDatabase(database);
        // A statement waits at most 5 s for a frozen database (the default is 30 s), so that those tests end sooner.
        var store = StoreSettings.postgres("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database
                        + "?socketTimeout=5",
                Optional.of(STORE_USER), Optional.of(Secret.ofUtf8(STORE_PASSWORD)));
        // The S3 gateway's store is never reached here: a request is refused before it would be forwarded.
        var gateway = new S3GatewayOptions(new InetSocketAddress("127.0.0.1", 0), URI.create("http://127.0.0.1:9"),
                SigningCredentials.of("UPSTREAMSTOREKEY0001", "upstream-store-secret".getBytes(UTF_8)),
                Optional.empty());
        node = OpenStsNode.start(OpenStsNode.Config.embedded(workDir.resolve("node"),
                        new InetSocketAddress("127.0.0.1", 0), ACCOUNT)
                .withStore(store)
                .withMasterKeyFile(workDir.resolve("master-key.json")), Optional.empty(), Optional.of(gateway));
    }

    @AfterEach
    void stop() throws IOException {
        callers.shutdownNow();
        if (node != null) {
            node.close();
        }
        proxy.close();
    }

    @Test
    void databaseStopped_storeCallsAre503_sessionCallsAreAnswered_andTheNodeRecoversByItself() throws Exception {
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        var adminCredentials = AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8());
        AwsSessionCredentials session = roleSession(adminCredentials);
        AwsBasicCredentials bob = newUserKey(adminCredentials);
        // The write that created bob's key dropped every cache: from here bob's calls need the store.

        proxy.stop();

        // Concurrent calls signed with one key: each is answered 503 ServiceUnavailable.
        List<AwsServiceException> failures = assertTimeoutPreemptively(BOUND, () -> concurrently(CALLERS,
                () -> failureOf(() -> callerArn(bob))));
        assertThat(failures).hasSize(CALLERS).allMatch(StoreOutageTest::isServiceUnavailable);
        assertThat(metric("opensts_store_reachable")).isZero();
        // The JSON APIs answer it in their own shape, with the same status and code.
        HttpResponse<String> authorization = authorizationApiCall(bob);
        assertThat(authorization.statusCode()).isEqualTo(503);
        assertThat(authorization.body()).contains("\"ServiceUnavailable\"");
        // So does the S3 gateway, in S3's.
        HttpResponse<String> s3 = s3GatewayCall(bob);
        assertThat(s3.statusCode()).isEqualTo(503);
        assertThat(s3.body()).contains("<Code>ServiceUnavailable</Code>");

        // While store-bound calls keep failing, a role session's call, which needs no store, is answered.
        var stop = new AtomicBoolean();
        var failed = new AtomicInteger();
        var storeBound = new ArrayList<CompletableFuture<Void>>();
        for (int i = 0; i < CALLERS; i++) {
            storeBound.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    if (isServiceUnavailable(failureOf(() -> callerArn(bob)))) {
                        failed.incrementAndGet();
                    }
                }
            }, callers));
        }
        try {
            String sessionArn = assertTimeoutPreemptively(BOUND, () -> callerArn(session));
            assertThat(sessionArn).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/outage/during");
        } finally {
            stop.set(true);
            CompletableFuture.allOf(storeBound.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        assertThat(failed).hasPositiveValue();

        proxy.start();

        assertThat(eventually(BOUND, () -> callerArn(bob))).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/bob");
        try (IamClient iam = iam(adminCredentials)) {
            assertThat(iam.getUser(r -> r.userName("bob")).user().userName()).isEqualTo("bob");
        }
        assertThat(metric("opensts_store_reachable")).isOne();
    }

    @Test
    void databaseFrozen_aRoleSessionsCallIsAnsweredWhileStoreCallsWaitOnIt() throws Exception {
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        var adminCredentials = AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8());
        AwsSessionCredentials session = roleSession(adminCredentials);
        AwsBasicCredentials bob = newUserKey(adminCredentials);

        // Silent, not stopped: no byte passes and nothing is refused, as when the database hangs or the network
        // drops its packets. Calls that need the store wait on it for seconds (the pool's wait, the statement's).
        proxy.freeze();
        var storeCallsAnswered = new AtomicInteger();
        var storeBound = new ArrayList<CompletableFuture<Void>>();
        try {
            // More calls than the node has operations threads; readers of one key share one load, and wait for it.
            for (int i = 0; i < CALLERS; i++) {
                storeBound.add(CompletableFuture.runAsync(() -> {
                    failureOf(() -> callerArn(bob));
                    storeCallsAnswered.incrementAndGet();
                }, callers));
            }
            Thread.sleep(1_000);
            assertThat(storeCallsAnswered).as("the store-bound calls wait on the frozen database").hasValue(0);

            String sessionArn = assertTimeoutPreemptively(BOUND, () -> callerArn(session));

            assertThat(sessionArn).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/outage/during");
            assertThat(storeCallsAnswered).as("store-bound calls answered before the role session's").hasValue(0);
        } finally {
            proxy.thaw();
        }
        CompletableFuture.allOf(storeBound.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(eventually(BOUND, () -> callerArn(bob))).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/bob");
    }

    @Test
    void samlCall_refusedForTheStoreAfterItsAssertionCheckedOut_is503_auditedAsTheSamlUsersCall() throws Exception {
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        String providerArn;
        try (IamClient iam = iam(AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8()))) {
            providerArn = iam.createSAMLProvider(r -> r.name("corp").samlMetadataDocument(IDP.metadataXml()))
                    .samlProviderArn();
            iam.createRole(r -> r.roleName("dev").assumeRolePolicyDocument("{\"Version\":\"2012-10-17\","
                    + "\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + providerArn
                    + "\"},\"Action\":\"sts:AssumeRoleWithSAML\"}]}"));
        }
        String roleArn = "arn:aws:iam::" + ACCOUNT + ":role/dev";
        // The database refuses only the record of an assertion's single use, made once the assertion checked out, as
        // a server shutting down would (SQLSTATE 57P03): what comes before reaches the store as usual.
        postgres.superuser(database, """
                CREATE FUNCTION refuse_use() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'the database system is shutting down' USING ERRCODE = '57P03'; END $$;
                CREATE TRIGGER refuse_use BEFORE INSERT ON saml_assertion_uses
                    FOR EACH ROW EXECUTE FUNCTION refuse_use();
                """);
        try (StsClient sts = sts(AnonymousCredentialsProvider.create())) {
            var events = new ArrayList<String>();

            AwsServiceException refused = audited(events, () -> failureOf(() -> sts.assumeRoleWithSAML(r -> r
                    .roleArn(roleArn).principalArn(providerArn).samlAssertion(samlAssertion(roleArn, providerArn)))));

            assertThat(isServiceUnavailable(refused)).as(String.valueOf(refused)).isTrue();
            assertThat(events).filteredOn(line -> line.contains("\"eventName\":\"AssumeRoleWithSAML\""))
                    .singleElement().asString()
                    .contains("\"userIdentity\":{\"type\":\"SAMLUser\"", "\"userName\":\"ross@example.com\"",
                            "\"errorCode\":\"ServiceUnavailable\"");
        }
    }

    private static String samlAssertion(String roleArn, String providerArn) {
        return IDP.response(Instant.now()).role(roleArn, providerArn).roleSessionName("ross")
                .nameId("ross@example.com").nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT).base64();
    }

    @Test
    void consoleLogin_whileTheDatabaseIsStopped_is503_auditedAsAFailedLogin_andTheTokenStillWorksAfter()
            throws Exception {
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        AwsSessionCredentials session = roleSession(AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8()));
        String token = signinToken(session);

        proxy.stop();
        var events = new ArrayList<String>();
        HttpResponse<String> refused = audited(events, () -> assertTimeoutPreemptively(BOUND, () -> login(token)));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("ServiceUnavailable");
        assertThat(events)
                .filteredOn(line -> line.contains("\"eventName\":\"ConsoleLogin\""))
                .singleElement().asString().contains("\"ConsoleLogin\":\"Failure\"")
                .contains(StoreUnavailable.MESSAGE);

        proxy.start();

        // The token's single use was never recorded: it signs the browser in once the store is back.
        assertThat(eventually(BOUND, () -> {
            HttpResponse<String> login = login(token);
            if (login.statusCode() == 503) {
                throw AwsServiceException.builder().message("still unavailable").build();
            }
            return login;
        }).statusCode()).isEqualTo(302);
    }

    /**
     * What {@code call} returns, the node's audit events meanwhile added to {@code events}: they go to the
     * opensts.audit logger, off in tests, which is listened to for the call.
     */
    private static <T> T audited(List<String> events, Supplier<T> call) {
        var audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        audit.addAppender(appender);
        audit.setLevel(Level.INFO);
        try {
            return call.get();
        } finally {
            audit.detachAppender(appender);
            audit.setLevel(level);
            appender.list.forEach(event -> events.add(event.getFormattedMessage()));
        }
    }

    /** The value of a gauge on the node's {@code /metrics} page. */
    private double metric(String name) throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                node.endpoint().resolve("/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
        return page.body().lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError(name + " is not on the metrics page"));
    }

    private String signinToken(AwsSessionCredentials session) throws Exception {
        String json = "{\"sessionId\":\"" + session.accessKeyId() + "\",\"sessionKey\":\"" + session.secretAccessKey()
                + "\",\"sessionToken\":\"" + session.sessionToken() + "\"}";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.endpoint().resolve(
                "/federation?Action=getSigninToken&Session=" + URLEncoder.encode(json, UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String body = answer.body();
        int start = body.indexOf("\"SigninToken\":\"") + "\"SigninToken\":\"".length();
        return body.substring(start, body.indexOf('"', start));
    }

    private HttpResponse<String> login(String token) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(node.endpoint().resolve(
                    "/federation?Action=login&Issuer=" + URLEncoder.encode("https://broker.example.com/", UTF_8)
                            + "&Destination=" + URLEncoder.encode("/console/", UTF_8) + "&SigninToken="
                            + URLEncoder.encode(token, UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A call of the authorization API signed with {@code credentials}; refused before its body is read. */
    private HttpResponse<String> authorizationApiCall(AwsCredentials credentials) throws Exception {
        URI endpoint = node.endpoint().resolve(AuthorizationApi.PATH);
        byte[] body = "{}".getBytes(UTF_8);
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder().method("POST")
                        .path(AuthorizationApi.PATH).addHeader("Host", endpoint.getAuthority())
                        .addHeader("Content-Type", "application/json").body(body).build(),
                SigningCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey().getBytes(UTF_8)),
                "us-east-1", "opensts", Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(
                body));
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i).toLowerCase(Locale.ROOT);
            if (!name.equals("host") && !name.equals("content-length")) {
                request.header(signed.headerName(i), signed.headerValue(i));
            }
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GetObject through the S3 gateway signed with {@code credentials}; refused before the store is asked. */
    private HttpResponse<String> s3GatewayCall(AwsCredentials credentials) throws Exception {
        URI endpoint = node.s3GatewayEndpoint().orElseThrow().resolve("/bucket/key");
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder().method("GET")
                        .path("/bucket/key").addHeader("Host", endpoint.getAuthority())
                        .addHeader("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD).build(),
                SigningCredentials.of(credentials.accessKeyId(), credentials.secretAccessKey().getBytes(UTF_8)),
                "us-east-1", "s3", Instant.now());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).GET();
        for (int i = 0; i < signed.headerCount(); i++) {
            String name = signed.headerName(i).toLowerCase(Locale.ROOT);
            if (!name.equals("host")) {
                request.header(signed.headerName(i), signed.headerValue(i));
            }
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private AwsSessionCredentials roleSession(AwsCredentials admin) {
        try (IamClient iam = iam(admin); StsClient sts = sts(admin)) {
            iam.createRole(r -> r.roleName("outage").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                            + "\"sts:AssumeRole\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + ACCOUNT + ":root\"}}]}"));
            Credentials credentials = eventually(BOUND, () -> sts.assumeRole(r -> r
                    .roleArn("arn:aws:iam::" + ACCOUNT + ":role/outage").roleSessionName("during")).credentials());
            return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                    credentials.sessionToken());
        }
    }

    private AwsBasicCredentials newUserKey(AwsCredentials admin) {
        try (IamClient iam = iam(admin)) {
            iam.createUser(r -> r.userName("bob"));
            var key = iam.createAccessKey(r -> r.userName("bob")).accessKey();
            return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
        }
    }

    private String callerArn(AwsCredentials credentials) {
        try (StsClient sts = sts(credentials)) {
            return sts.getCallerIdentity().arn();
        }
    }

    /** One attempt per call, so that what the node answered is what the test sees. */
    private StsClient sts(AwsCredentials credentials) {
        return sts(StaticCredentialsProvider.create(credentials));
    }

    private StsClient sts(AwsCredentialsProvider credentials) {
        return StsClient.builder().endpointOverride(node.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private IamClient iam(AwsCredentials credentials) {
        return IamClient.builder().endpointOverride(node.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static boolean isServiceUnavailable(AwsServiceException e) {
        return e != null && e.statusCode() == 503 && "ServiceUnavailable".equals(e.awsErrorDetails().errorCode());
    }

    private static AwsServiceException failureOf(Runnable call) {
        try {
            call.run();
            return null;
        } catch (AwsServiceException e) {
            return e;
        }
    }

    private <T> List<T> concurrently(int count, Supplier<T> call) throws Exception {
        var start = new CountDownLatch(1);
        var futures = new ArrayList<CompletableFuture<T>>();
        for (int i = 0; i < count; i++) {
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call.get();
            }, callers));
        }
        start.countDown();
        var results = new ArrayList<T>();
        for (var future : futures) {
            results.add(future.get());
        }
        return results;
    }

    /** The first result of {@code call} that is not an AWS error, tried every 100 ms until {@code limit}. */
    private static <T> T eventually(Duration limit, Supplier<T> call) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
