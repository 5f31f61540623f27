package org.opensts.benchmarks;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opensts.federation.oidc.IdpHttpsClient;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.CreateRoleRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.bootstrap.FirstStart;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.sts.AssumeRoleRequest;
import org.opensts.sts.AssumeRoleResponse;
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
 * AssumeRole once the caller is authenticated, as a node runs it: the quick start's {@code admin} user (allowed
 * everything) assumes the role {@code demo}, whose trust policy names it, through {@link StsService} over an in-memory
 * H2 store behind the node's {@link CachingIdentityStore}, warm after the first calls. It covers the trust and identity
 * policy evaluation, the context building, minting and the token's sealing; signature checking and the response's
 * rendering are left out.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar AssumeRoleBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2 -prof gc
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AssumeRoleBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** The quick start's role (examples/quickstart.yaml). */
    private static final String TRUST_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::123456789012:user/admin"}, "Action": "sts:AssumeRole"}]}""";
    private static final String READ_ONLY_IDENTITY = """
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
              "Action": ["sts:GetCallerIdentity", "iam:Get*", "iam:List*"], "Resource": "*"}]}""";

    private JdbcIdentityStore jdbcStore;
    private StsService sts;
    private CallerIdentity admin;
    private RequestMetadata metadata;
    private AssumeRoleRequest request;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var random = new SecureRandom();
        MasterKey masterKey = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        jdbcStore = JdbcIdentityStore.open(new StoreSettings("jdbc:h2:mem:assume-role-benchmark;MODE=PostgreSQL"
                + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty(), 2), masterKey, clock);
        var store = new CachingIdentityStore(jdbcStore, Duration.ofSeconds(10), 100_000);
        var iam = new IamService(store, clock, random);
        AccessKeyCredentials key = FirstStart.initializeIfEmpty(iam, ACCOUNT).orElseThrow();
        iam.roles().createRole(ACCOUNT, new CreateRoleRequest("demo", Optional.empty(), TRUST_POLICY,
                Optional.empty(), Optional.of(3600), Optional.empty(), List.of()));
        iam.roles().putRolePolicy(ACCOUNT, "demo", "ReadOnlyIdentity", READ_ONLY_IDENTITY);
        SharedKeyRing keyRing = SharedKeyRing.open(store, masterKey, clock, random);
        var federation = new Federation(new WebIdentityTokenVerifier(IdpHttpsClient.create(Optional.empty()), clock),
                new SamlResponseVerifier(clock), (assertionId, roleArn, expiresAt) -> true);
        sts = new StsService(store, keyRing, SigV4Verifier.create(), new PolicyEvaluator(), federation, clock,
                random);
        SignableRequest signed = SigV4Signer.create().sign(SignableRequest.builder()
                        .method("POST").path("/").query("")
                        .addHeader("Host", "sts.example.test")
                        .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .body("Action=GetCallerIdentity&Version=2011-06-15".getBytes(UTF_8))
                        .build(),
                SigningCredentials.of(key.accessKey().accessKeyId(), key.secretAccessKey().revealBytes()),
                "us-east-1", "sts", NOW);
        admin = sts.authenticator().authenticate(signed, "sts").caller();
        metadata = new RequestMetadata("c0a8012e-0000-4000-8000-000000000001", NOW, "192.0.2.10", false,
                Optional.of("aws-cli/2.15.0"), "us-east-1");
        request = new AssumeRoleRequest("arn:aws:iam::123456789012:role/demo", "demo", List.of(), Optional.empty(),
                Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
        if (!assumeRole().assumedRoleUser().arn().equals("arn:aws:sts::123456789012:assumed-role/demo/demo")) {
            throw new IllegalStateException("the benchmark's AssumeRole did not assume the role");
        }
    }

    @TearDown
    public void tearDown() {
        jdbcStore.close();
    }

    @Benchmark
    public AssumeRoleResponse assumeRole() {
        return sts.assumeRole(admin, metadata, request);
    }
}
