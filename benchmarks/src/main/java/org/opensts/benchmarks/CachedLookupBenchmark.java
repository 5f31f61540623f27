package org.opensts.benchmarks;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.IamService;
import org.opensts.iam.InlinePolicy;
import org.opensts.iam.PolicyOwner;
import org.opensts.iam.User;
import org.opensts.iam.bootstrap.FirstStart;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
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
 * The hot path's reads from a warm {@link CachingIdentityStore}: an access key, a user by name and a user's inline
 * policies, each already cached, as every authenticated request reads them; no store I/O.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar CachedLookupBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CachedLookupBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private JdbcIdentityStore jdbcStore;
    private CachingIdentityStore store;
    private String accessKeyId;
    private PolicyOwner owner;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        MasterKey masterKey = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        jdbcStore = JdbcIdentityStore.open(new StoreSettings("jdbc:h2:mem:cached-lookup-benchmark;MODE=PostgreSQL"
                + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty(), 2), masterKey, clock);
        store = new CachingIdentityStore(jdbcStore, Duration.ofHours(1), 100_000);
        AccessKeyCredentials key = FirstStart.initializeIfEmpty(new IamService(store, clock, new SecureRandom()),
                ACCOUNT).orElseThrow();
        accessKeyId = key.accessKey().accessKeyId();
        owner = PolicyOwner.of(findUser().orElseThrow());
        if (findAccessKey().isEmpty() || inlinePolicies() == null) {
            throw new IllegalStateException("the benchmark's reads found nothing");
        }
    }

    @TearDown
    public void tearDown() {
        jdbcStore.close();
    }

    @Benchmark
    public Optional<AccessKeyCredentials> findAccessKey() {
        return store.findAccessKey(accessKeyId);
    }

    @Benchmark
    public Optional<User> findUser() {
        return store.findUser(ACCOUNT, "admin");
    }

    @Benchmark
    public List<InlinePolicy> inlinePolicies() {
        return store.listInlinePolicies(owner);
    }
}
