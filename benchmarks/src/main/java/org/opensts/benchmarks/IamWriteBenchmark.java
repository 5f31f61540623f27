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
import org.opensts.iam.CachingIdentityStore;
import org.opensts.iam.CreateUserRequest;
import org.opensts.iam.IamService;
import org.opensts.iam.Tag;
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
 * One IAM read-modify-write as a node runs it: TagUser on a user with three tags, through {@link IamService} over an
 * in-memory H2 store behind the node's {@link CachingIdentityStore}. It covers the write transaction: finding (and
 * locking) the user, reading its tags, rewriting the user and its tags, committing; each call sets one tag to the
 * value it already has, so the user stays the same size.
 *
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar IamWriteBenchmark -f 1 -wi 3 -i 5 -w 2 -r 2 -prof gc
 * </pre>
 *
 * <p>Not final: JMH generates a subclass of each {@code @State} class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class IamWriteBenchmark {
    private static final String ACCOUNT = "123456789012";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final List<Tag> TAG = List.of(new Tag("team", "blue"));

    private JdbcIdentityStore jdbcStore;
    private IamService iam;

    @Setup
    public void setUp() throws GeneralSecurityException {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        MasterKey masterKey = MasterKey.fromKeysetJson(MasterKey.generateKeysetJson());
        jdbcStore = JdbcIdentityStore.open(new StoreSettings("jdbc:h2:mem:iam-write-benchmark;MODE=PostgreSQL"
                + ";DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", Optional.empty(),
                Optional.empty(), 2), masterKey, clock);
        var store = new CachingIdentityStore(jdbcStore, Duration.ofSeconds(10), 100_000);
        iam = new IamService(store, clock, new SecureRandom());
        iam.accounts().createAccount(ACCOUNT);
        iam.users().createUser(ACCOUNT, new CreateUserRequest("tagged", Optional.empty(), Optional.empty(),
                List.of(new Tag("team", "blue"), new Tag("cost-center", "1234"), new Tag("owner", "alice"))));
        tagUser();
        if (iam.users().getUser(ACCOUNT, "tagged").tags().size() != 3) {
            throw new IllegalStateException("the benchmark's TagUser changed the number of tags");
        }
    }

    @TearDown
    public void tearDown() {
        jdbcStore.close();
    }

    @Benchmark
    public void tagUser() {
        iam.users().tagUser(ACCOUNT, "tagged", TAG);
    }
}
