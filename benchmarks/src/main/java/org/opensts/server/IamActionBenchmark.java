package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opensts.federation.oidc.IdpHttpsClient;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.Tag;
import org.opensts.iam.bootstrap.FirstStart;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.protocol.shape.QueryBinder;
import org.opensts.protocol.shape.QueryParameters;
import org.opensts.protocol.shape.Struct;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.Federation;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.SharedKeyRing;
import org.opensts.sts.StsService;
import org.opensts.token.MasterKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One IAM action once the caller is authenticated and the request bound, as a node runs it: the quick start's
 * {@code admin} (allowed everything) calls GetUser on a user with three tags and a permissions boundary, through
 * {@link IamAction#invoke} over an in-memory H2 store behind the node's {@link CachingIdentityStore}, warm after the
 * first calls. It covers finding the user, the request context (global keys, the user's tags) and the policy
 * evaluation; the handler's answer is rendered lazily and left out, as are signature checking and the transport.
 *
 * <p>In the server's package because {@link IamAction} is package-private there: the benchmark runs the real
 * declaration, not a copy of it.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar IamActionBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2 -prof gc
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IamActionBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private JdbcIdentityStore jdbcStore;
    private CallerIdentity admin;
    private RequestMetadata metadata;
    private QueryAction getUser;
    private Struct getUserInput;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var random = new SecureRandom();
        MasterKey masterKey = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        jdbcStore = JdbcIdentityStore.open(new StoreSettings("jdbc:h2:mem:iam-action-benchmark;MODE=PostgreSQL"
                + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty(), 2), masterKey, clock);
        var store = new CachingIdentityStore(jdbcStore, Duration.ofSeconds(10), 100_000);
        var iam = new IamService(store, clock, random);
        AccessKeyCredentials key = FirstStart.initializeIfEmpty(iam, ACCOUNT).orElseThrow();
        iam.users().createUser(ACCOUNT, new CreateUserRequest("alice", Optional.of("/team/"),
                Optional.of("arn:aws:iam::aws:policy/ReadOnlyAccess"),
                List.of(new Tag("team", "blue"), new Tag("cost-center", "1234"), new Tag("env", "prod"))));
        SharedKeyRing keyRing = SharedKeyRing.open(store, masterKey, clock, random);
        var federation = new Federation(new WebIdentityTokenVerifier(IdpHttpsClient.create(Optional.empty()), clock),
                new SamlResponseVerifier(clock), (assertionId, roleArn, expiresAt) -> true);
        var sts = new StsService(store, keyRing, SigV4Verifier.create(), new PolicyEvaluator(), federation, clock,
                random);
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder()
                        .method("POST").path("/").query("")
                        .addHeader("Host", "iam.example.test")
                        .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .body("Action=GetUser&Version=2010-05-08".getBytes(UTF_8))
                        .build(),
                SigningCredentials.of(key.accessKey().accessKeyId(), key.secretAccessKey().revealBytes()),
                "us-east-1", "iam", NOW);
        admin = sts.authenticator().authenticate(signed, "iam").caller();
        metadata = new RequestMetadata("c0a8012e-0000-4000-8000-000000000001", NOW, "192.0.2.10", false,
                Optional.of("aws-cli/2.15.0"), "eu-west-1");
        getUser = IamUserActions.all(iam, sts.authorizer()).stream()
                .filter(action -> action.name().equals("GetUser"))
                .findFirst().orElseThrow();
        getUserInput = QueryBinder.bind(getUser.input(), QueryParameters.of(Map.of("UserName", "alice")));
        getUser();
    }

    @TearDown
    public void tearDown() {
        jdbcStore.close();
    }

    @Benchmark
    public ActionResult getUser() {
        return getUser.invoke(Optional.of(admin), metadata, getUserInput);
    }
}
