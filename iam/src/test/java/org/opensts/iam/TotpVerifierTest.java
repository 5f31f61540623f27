package org.opensts.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.MfaOperations.NewVirtualMfaDevice;
import org.opensts.iam.TotpVerifier.VerifiedCode;
import org.opensts.iam.jdbc.JdbcIdentityStore;
import org.opensts.iam.jdbc.StoreSettings;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.MasterKey;
import org.opensts.token.Secret;

class TotpVerifierTest {
    private static final String ACCOUNT = "123456789012";
    private static final String SERIAL = "arn:aws:iam::123456789012:mfa/alice-phone";
    private static final Instant ENABLED_AT = Instant.parse("2026-11-25T12:00:10Z");

    private final Clock clock = Clock.fixed(ENABLED_AT, ZoneOffset.UTC);
    private final JdbcIdentityStore store = TestStores.inMemory(TestStores.newMasterKey(), clock);
    private final IamService iam = new IamService(store, clock, new SecureRandom());
    private final TotpVerifier verifier = new TotpVerifier(store);
    private final Secret seed;
    private final String aliceId;
    private final String bobId;

    TotpVerifierTest() {
        iam.accounts().createAccount(ACCOUNT);
        aliceId = iam.users().createUser(ACCOUNT, CreateUserRequest.named("alice")).userId();
        bobId = iam.users().createUser(ACCOUNT, CreateUserRequest.named("bob")).userId();
        NewVirtualMfaDevice device = iam.mfa().createVirtualMfaDevice(ACCOUNT, "alice-phone", Optional.empty(),
                List.of());
        seed = MfaOperationsTest.base32Decode(device.base32StringSeed().revealUtf8());
        long step = Totp.timeStep(ENABLED_AT);
        iam.mfa().enableMfaDevice(ACCOUNT, "alice", SERIAL, Totp.code(seed, step - 1), Totp.code(seed, step));
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A minute after the device was enabled: the enabling codes are in the past. */
    private static Instant later(long seconds) {
        return ENABLED_AT.plusSeconds(60 + seconds);
    }

    private String codeAt(Instant at) {
        return Totp.code(seed, Totp.timeStep(at));
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private static void assertDenied(ApiException e, String message) {
        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void check_codeOfTheCurrentStep_isVerified() {
        Instant at = later(0);

        VerifiedCode code = verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at);

        assertThat(code).isEqualTo(new VerifiedCode(SERIAL, Totp.timeStep(at), at));
    }

    @Test
    void check_codeOfThePreviousStep_isVerified() {
        Instant at = later(0);

        VerifiedCode code = verifier.check(Optional.of(aliceId), SERIAL, codeAt(at.minusSeconds(30)), at);

        assertThat(code.timeStep()).isEqualTo(Totp.timeStep(at) - 1);
    }

    @Test
    void check_codeTwoStepsOld_isInvalid() {
        Instant at = later(0);

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, codeAt(at.minusSeconds(60)), at)),
                TotpVerifier.INVALID_CODE);
    }

    /** A code of the device {@code stepsAway} steps from our clock's current step. */
    record Drift(String name, long stepsAway, boolean accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Drift> drifts() {
        return Stream.of(
                new Drift("two steps behind is refused", -2, false),
                new Drift("the previous step is accepted", -1, true),
                new Drift("the current step is accepted", 0, true),
                new Drift("the next step (a fast clock) is accepted", 1, true),
                new Drift("two steps ahead is refused", 2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void check_codeStepsAwayFromOurClock(Drift drift) {
        Instant at = later(0);
        long step = Totp.timeStep(at) + drift.stepsAway();
        String code = Totp.code(seed, step);

        if (drift.accepted()) {
            assertThat(verifier.check(Optional.of(aliceId), SERIAL, code, at))
                    .isEqualTo(new VerifiedCode(SERIAL, step, at));
        } else {
            assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, code, at)),
                    TotpVerifier.INVALID_CODE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void check_deviceResynchronizedTenStepsAhead_windowIsAroundTheDevicesClock(Drift drift) {
        Instant at = later(0);
        long deviceStep = Totp.timeStep(at) + 10;
        store.write(writer -> writer.resyncMfaDevice(SERIAL, deviceStep - 5, 10));
        long step = deviceStep + drift.stepsAway();
        String code = Totp.code(seed, step);

        if (drift.accepted()) {
            assertThat(verifier.check(Optional.of(aliceId), SERIAL, code, at).timeStep()).isEqualTo(step);
        } else {
            assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, code, at)),
                    TotpVerifier.INVALID_CODE);
        }
    }

    @Test
    void spend_ofTheNextStep_thenTheCurrentStepsCode_isInvalid() {
        Instant at = later(0);
        verifier.spend(verifier.check(Optional.of(aliceId), SERIAL, codeAt(at.plusSeconds(30)), at));

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at)),
                TotpVerifier.INVALID_CODE);
        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, codeAt(at.plusSeconds(30)),
                at.plusSeconds(30))), TotpVerifier.INVALID_CODE);
    }

    @Test
    void nextStepCode_onTwoNodesOfOneStore_isAcceptedOnce() {
        StoreSettings shared = TestPostgres.newDatabase();
        MasterKey masterKey = TestStores.newMasterKey();
        try (JdbcIdentityStore nodeA = JdbcIdentityStore.open(shared, masterKey, clock);
                JdbcIdentityStore nodeB = JdbcIdentityStore.open(shared, masterKey, clock)) {
            var iamA = new IamService(nodeA, clock, new SecureRandom());
            iamA.accounts().createAccount(ACCOUNT);
            String userId = iamA.users().createUser(ACCOUNT, CreateUserRequest.named("alice")).userId();
            Secret sharedSeed = MfaOperationsTest.base32Decode(iamA.mfa().createVirtualMfaDevice(ACCOUNT,
                    "alice-phone", Optional.empty(), List.of()).base32StringSeed().revealUtf8());
            long step = Totp.timeStep(ENABLED_AT);
            iamA.mfa().enableMfaDevice(ACCOUNT, "alice", SERIAL, Totp.code(sharedSeed, step - 1),
                    Totp.code(sharedSeed, step));
            Instant at = later(0);
            String nextStepCode = Totp.code(sharedSeed, Totp.timeStep(at) + 1);
            var verifierA = new TotpVerifier(nodeA);
            var verifierB = new TotpVerifier(nodeB);

            VerifiedCode onA = verifierA.check(Optional.of(userId), SERIAL, nextStepCode, at);
            VerifiedCode onB = verifierB.check(Optional.of(userId), SERIAL, nextStepCode, at);
            verifierA.spend(onA);

            assertDenied(rejection(() -> verifierB.spend(onB)), TotpVerifier.INVALID_CODE);
            assertDenied(rejection(() -> verifierB.check(Optional.of(userId), SERIAL, nextStepCode,
                    at.plusSeconds(30))), TotpVerifier.INVALID_CODE);
        }
    }

    @Test
    void check_theSecondEnablingCode_isNotAcceptedAgain() {
        String enablingCode = codeAt(ENABLED_AT);

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, enablingCode, ENABLED_AT)),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void spend_thenTheSameCode_isInvalid() {
        Instant at = later(0);
        String code = codeAt(at);
        verifier.spend(verifier.check(Optional.of(aliceId), SERIAL, code, at));

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, code, at.plusSeconds(5))),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void spend_twiceForOneCheck_theSecondIsInvalid() {
        Instant at = later(0);
        VerifiedCode checked = verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at);
        VerifiedCode raced = verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at);

        verifier.spend(checked);

        assertDenied(rejection(() -> verifier.spend(raced)), TotpVerifier.INVALID_CODE);
    }

    @Test
    void spend_ofThePreviousStepAfterTheCurrent_isInvalid() {
        Instant at = later(0);
        VerifiedCode previous = verifier.check(Optional.of(aliceId), SERIAL, codeAt(at.minusSeconds(30)), at);
        verifier.spend(verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at));

        assertDenied(rejection(() -> verifier.spend(previous)), TotpVerifier.INVALID_CODE);
    }

    @Test
    void check_deviceOfAnotherUser_isUnableToValidate() {
        Instant at = later(0);

        assertDenied(rejection(() -> verifier.check(Optional.of(bobId), SERIAL, codeAt(at), at)),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void check_callerWhoIsNotAnIamUser_isUnableToValidate() {
        Instant at = later(0);

        assertDenied(rejection(() -> verifier.check(Optional.empty(), SERIAL, codeAt(at), at)),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void check_unknownSerialNumber_isUnableToValidate() {
        Instant at = later(0);

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId),
                "arn:aws:iam::123456789012:mfa/nothing", codeAt(at), at)), TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void check_deactivatedDevice_isUnableToValidate() {
        iam.mfa().deactivateMfaDevice(ACCOUNT, "alice", SERIAL);
        Instant at = later(0);

        assertDenied(rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, codeAt(at), at)),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void messages_neverHoldTheCode() {
        Instant at = later(0);
        String wrong = codeAt(at).equals("000000") ? "111111" : "000000";

        ApiException e = rejection(() -> verifier.check(Optional.of(aliceId), SERIAL, wrong, at));

        assertThat(e.getMessage()).doesNotContain(wrong);
    }
}
