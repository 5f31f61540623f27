package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.CredentialReportOperations.CredentialReport;
import org.opensts.iam.CredentialReportOperations.State;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Secret;

/** The credential report on a real store: its rows, what it costs, and one report per account however many ask. */
class CredentialReportOperationsTest {
    private static final String ACCOUNT = UserOperationsTest.ACCOUNT;
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    /** The report's header line, as AWS writes it (IAM User Guide, "Getting credential reports"). */
    private static final String AWS_HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
            + "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
            + "cert_2_active,cert_2_last_rotated";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final CountingReader counting = new CountingReader(store);
    private final AtomicInteger keys = new AtomicInteger(100);

    CredentialReportOperationsTest() {
        iam.accounts().createAccount(ACCOUNT);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The store, counting the reads that reach it and the reports begun (each lists the users once). */
    private static class CountingReader extends ForwardingIdentityReader {
        final IdentityReader store;
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger reportsBegun = new AtomicInteger();

        CountingReader(IdentityReader store) {
            this.store = store;
        }

        @Override
        protected <T> T read(Function<IdentityReader, T> work) {
            reads.incrementAndGet();
            return work.apply(store);
        }

        @Override
        public List<User> listUsers(String accountId) {
            reportsBegun.incrementAndGet();
            return super.listUsers(accountId);
        }
    }

    /** Users named {@code prefix…}, each with two access keys, one used, and an enabled MFA device. */
    private void createUsers(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            User user = iam.users().createUser(ACCOUNT, CreateUserRequest.named(prefix + i));
            String used = "AKIAEXAMPLE%09d".formatted(keys.incrementAndGet());
            createKey(user, used, NOW);
            createKey(user, "AKIAEXAMPLE%09d".formatted(keys.incrementAndGet()), NOW.plusSeconds(1));
            use(used);
            enableMfa(user, "arn:aws:iam::" + ACCOUNT + ":mfa/" + prefix + i);
        }
    }

    private void createKey(User user, String accessKeyId, Instant createDate) {
        store.write(writer -> {
            writer.createAccessKey(new AccessKey(accessKeyId, ACCOUNT, user.userId(), user.userName(),
                    AccessKeyStatus.ACTIVE, createDate), Secret.ofUtf8("secret"));
            return null;
        });
    }

    private void use(String accessKeyId) {
        store.recordUse(writer -> {
            writer.recordAccessKeyUse(accessKeyId, new AccessKeyLastUsed(NOW.plusSeconds(90), "eu-west-1", "s3"));
            return null;
        });
    }

    private void enableMfa(User user, String serialNumber) {
        var device = new MfaDevice(serialNumber, ACCOUNT, serialNumber.substring(serialNumber.indexOf('/') + 1), "/",
                Optional.empty(), Optional.empty(), 0, 0, NOW, List.of());
        store.write(writer -> {
            writer.createMfaDevice(device, Secret.ofUtf8("seed"));
            writer.updateMfaDevice(device.enabledFor(user.userId(), NOW, 1));
            return null;
        });
    }

    private int readsOfOneReport(CredentialReportOperations reports) {
        counting.reads.set(0);
        reports.csv(ACCOUNT);
        return counting.reads.get();
    }

    // ---- what a report costs

    @Test
    void report_readsTheStoreAFixedNumberOfTimes_whateverItsUsersHold() {
        var reports = new CredentialReportOperations(counting);
        createUsers("few", 2);
        int fewReads = readsOfOneReport(reports);

        createUsers("many", 30);
        int manyReads = readsOfOneReport(reports);

        // The account, its users, then their keys, devices and keys' last uses.
        assertThat(manyReads).isEqualTo(fewReads).isEqualTo(5);
    }

    @Test
    void report_readsThreeTimesMorePerChunkOfUsers_soNoReadHoldsAConnectionForEveryUser() {
        createUsers("u", 25);

        int reads = readsOfOneReport(new CredentialReportOperations(counting, /* usersPerChunk= */ 10));

        assertThat(reads).isEqualTo(2 + 3 * 3);
    }

    @Test
    void report_madeInChunks_isTheReportMadeAtOnce() {
        createUsers("u", 25);

        assertThat(new CredentialReportOperations(store, /* usersPerChunk= */ 10).csv(ACCOUNT))
                .isEqualTo(new CredentialReportOperations(store).csv(ACCOUNT));
    }

    // ---- what a report says

    @Test
    void userWithTwoKeysAndAnMfaDevice_hasTheRowItHadBeforeReportsWereReadInBulk() {
        User alice = iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice"));
        createKey(alice, "AKIAEXAMPLE000000002", NOW.plusSeconds(1));
        createKey(alice, "AKIAEXAMPLE000000001", NOW);
        store.write(writer -> {
            writer.updateAccessKeyStatus("AKIAEXAMPLE000000001", AccessKeyStatus.INACTIVE);
            return null;
        });
        use("AKIAEXAMPLE000000002");
        enableMfa(alice, "arn:aws:iam::" + ACCOUNT + ":mfa/alice");

        String csv = new CredentialReportOperations(counting).csv(ACCOUNT);

        assertThat(csv).isEqualTo(AWS_HEADER + "\n"
                + "<root_account>,arn:aws:iam::123456789012:root,2026-11-25T12:00:00+00:00,not_supported,N/A,"
                + "not_supported,not_supported,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
                + "alice,arn:aws:iam::123456789012:user/alice,2026-11-25T12:00:00+00:00,false,N/A,N/A,N/A,true,"
                + "false,2026-11-25T12:00:00+00:00,N/A,N/A,N/A,"
                + "true,2026-11-25T12:00:01+00:00,2026-11-25T12:01:30+00:00,eu-west-1,s3,"
                + "false,N/A,false,N/A\n");
    }

    @Test
    void userWithoutKeysOrDevice_hasNoKeysAndMfaInactive() {
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("bare"));

        assertThat(new CredentialReportOperations(store).csv(ACCOUNT)).endsWith("\nbare,"
                + "arn:aws:iam::123456789012:user/bare,2026-11-25T12:00:00+00:00,false,N/A,N/A,N/A,false,"
                + "false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
    }

    @Test
    void header_isAwsColumnsInAwsOrder() {
        assertThat(String.join(",", CredentialReportOperations.COLUMNS)).isEqualTo(AWS_HEADER);
    }

    // ---- one report per account

    @Test
    void getCredentialReport_beforeAnyReport_isReportNotPresent_withoutAMessage() {
        var reports = new CredentialReportOperations(store);

        ApiException e = catchThrowableOfType(ApiException.class, () -> reports.getCredentialReport(ACCOUNT));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.REPORT_NOT_PRESENT);
        assertThat(e.getMessage()).isEmpty();
    }

    @Test
    void generate_isStartedFirst_thenComplete_andTheReportIsMadeOnce() {
        var reports = new CredentialReportOperations(counting);

        assertThat(reports.generateCredentialReport(ACCOUNT, NOW)).isEqualTo(State.STARTED);
        assertThat(reports.generateCredentialReport(ACCOUNT, NOW.plusSeconds(5))).isEqualTo(State.COMPLETE);
        CredentialReport report = reports.getCredentialReport(ACCOUNT);

        assertThat(counting.reportsBegun).hasValue(1);
        assertThat(report.generatedTime()).isEqualTo(NOW);
        assertThat(report.csv()).startsWith(AWS_HEADER + "\n");
    }

    @Test
    void callsWhileAReportIsBeingMade_buildNothing_andAreToldItIsInProgress() throws Exception {
        var building = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var blocking = new CountingReader(store) {
            @Override
            public List<User> listUsers(String accountId) {
                building.countDown();
                await(release);
                return super.listUsers(accountId);
            }
        };
        var reports = new CredentialReportOperations(blocking);
        CompletableFuture<State> first = CompletableFuture.supplyAsync(
                () -> reports.generateCredentialReport(ACCOUNT, NOW));
        assertThat(building.await(30, TimeUnit.SECONDS)).isTrue();

        State second = reports.generateCredentialReport(ACCOUNT, NOW);
        ApiException get = catchThrowableOfType(ApiException.class, () -> reports.getCredentialReport(ACCOUNT));
        release.countDown();

        assertThat(second).isEqualTo(State.IN_PROGRESS);
        assertThat(get.errorCode()).isEqualTo(ErrorCode.REPORT_IN_PROGRESS);
        assertThat(get.getMessage())
                .isEqualTo("The request was rejected because the credential report is still being generated.");
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(State.STARTED);
        assertThat(reports.generateCredentialReport(ACCOUNT, NOW)).isEqualTo(State.COMPLETE);
        assertThat(blocking.reportsBegun).hasValue(1);
        assertThat(reports.getCredentialReport(ACCOUNT).csv()).startsWith(AWS_HEADER + "\n");
    }

    @Test
    void aReportThatCouldNotBeMade_isDropped_soTheNextCallStartsAgain() {
        var failures = new AtomicInteger(1);
        var failingOnce = new CountingReader(store) {
            @Override
            public List<User> listUsers(String accountId) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("the store is unreachable");
                }
                return super.listUsers(accountId);
            }
        };
        var reports = new CredentialReportOperations(failingOnce);

        assertThatThrownBy(() -> reports.generateCredentialReport(ACCOUNT, NOW))
                .isInstanceOf(IllegalStateException.class);
        assertThat(catchThrowableOfType(ApiException.class, () -> reports.getCredentialReport(ACCOUNT)).errorCode())
                .isEqualTo(ErrorCode.REPORT_NOT_PRESENT);
        assertThat(reports.generateCredentialReport(ACCOUNT, NOW)).isEqualTo(State.STARTED);
    }

    @Test
    void aReplacementThatCouldNotBeMade_leavesTheReportMadeBefore() {
        var failing = new AtomicBoolean();
        var failingLater = new CountingReader(store) {
            @Override
            public List<User> listUsers(String accountId) {
                if (failing.get()) {
                    throw new IllegalStateException("the store is unreachable");
                }
                return super.listUsers(accountId);
            }
        };
        var reports = new CredentialReportOperations(failingLater);
        reports.generateCredentialReport(ACCOUNT, NOW);
        failing.set(true);

        assertThatThrownBy(() -> reports.generateCredentialReport(ACCOUNT, NOW.plus(Duration.ofHours(4))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(reports.getCredentialReport(ACCOUNT).generatedTime()).isEqualTo(NOW);
        failing.set(false);
        assertThat(reports.generateCredentialReport(ACCOUNT, NOW.plus(Duration.ofHours(4))))
                .isEqualTo(State.STARTED);
    }

    @Test
    void aReportFourHoursOld_isReplacedByGenerate_andServedUntilThen() {
        var reports = new CredentialReportOperations(counting);
        reports.generateCredentialReport(ACCOUNT, NOW);
        iam.users().createUser(ACCOUNT, CreateUserRequest.named("late-comer"));

        assertThat(reports.getCredentialReport(ACCOUNT).csv()).doesNotContain("late-comer");
        assertThat(reports.generateCredentialReport(ACCOUNT, NOW.plus(Duration.ofHours(4))))
                .isEqualTo(State.STARTED);
        assertThat(reports.getCredentialReport(ACCOUNT).csv()).contains("late-comer");
        assertThat(reports.getCredentialReport(ACCOUNT).generatedTime()).isEqualTo(NOW.plus(Duration.ofHours(4)));
    }

    @Test
    void reportsOfTwoAccounts_areKeptApart() {
        iam.accounts().createAccount(UserOperationsTest.OTHER_ACCOUNT);
        var reports = new CredentialReportOperations(store);
        reports.generateCredentialReport(ACCOUNT, NOW);

        assertThat(catchThrowableOfType(ApiException.class,
                () -> reports.getCredentialReport(UserOperationsTest.OTHER_ACCOUNT)).errorCode())
                .isEqualTo(ErrorCode.REPORT_NOT_PRESENT);
        assertThat(reports.generateCredentialReport(UserOperationsTest.OTHER_ACCOUNT, NOW)).isEqualTo(State.STARTED);
    }

    static Stream<Duration> agesStillReused() {
        return Stream.of(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(4).minusSeconds(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agesStillReused")
    void aReportYoungerThanFourHours_isReused(Duration age) {
        assertThat(CredentialReportOperations.isReusable(NOW, NOW.plus(age))).isTrue();
    }

    static Stream<Duration> agesMadeAgain() {
        return Stream.of(Duration.ofHours(4), Duration.ofDays(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agesMadeAgain")
    void aReportFourHoursOldOrOlder_isMadeAgain(Duration age) {
        assertThat(CredentialReportOperations.isReusable(NOW, NOW.plus(age))).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
