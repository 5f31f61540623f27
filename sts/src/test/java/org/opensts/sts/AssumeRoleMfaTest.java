package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.ALLOW_ALL;
import static org.opensts.sts.StsFixture.roleArn;
import static org.opensts.sts.StsFixture.trusting;
import static org.opensts.sts.StsFixture.userArn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.TotpVerifier;
import org.opensts.iam.Totp;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Secret;
import org.opensts.token.TemporaryCredentials;

/**
 * AssumeRole with {@code SerialNumber} and {@code TokenCode} (IAM User Guide, "Secure API access with MFA"): the
 * device must be enabled for the calling IAM user, the code must be the current or the previous step's and unused; the
 * new session then records when MFA was checked, so {@code aws:MultiFactorAuthPresent} is true in its requests.
 */
class AssumeRoleMfaTest {
    private static final String ALICE_DEVICE = "arn:aws:iam::123456789012:mfa/alice-phone";
    private static final String BOB_DEVICE = "arn:aws:iam::123456789012:mfa/bob-phone";
    /** Trusts alice, but only once she has authenticated with MFA. */
    private static final String MFA_TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},\
            "Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}""";

    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL);
    private final AccessKeyCredentials bob = fixture.user("bob", ALLOW_ALL);
    private final Secret aliceSeed;

    AssumeRoleMfaTest() {
        aliceSeed = enabledDevice("alice-phone", "alice");
        enabledDevice("bob-phone", "bob");
        fixture.role("mfa-only", MFA_TRUST.formatted(userArn("alice")), ALLOW_ALL);
        fixture.role("open", trusting(userArn("alice")), ALLOW_ALL);
        // The enabling codes are spent: move on to a step of its own.
        fixture.clock.advance(Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** Creates a virtual device and enables it for the user with the codes of the previous and the current step. */
    private Secret enabledDevice(String deviceName, String userName) {
        String serial = fixture.iam.mfa().createVirtualMfaDevice(ACCOUNT, deviceName, Optional.empty(), List.of())
                .device().serialNumber();
        Secret seed = fixture.store.findMfaSeed(serial).orElseThrow();
        long step = Totp.timeStep(fixture.clock.instant());
        fixture.iam.mfa().enableMfaDevice(ACCOUNT, userName, serial, Totp.code(seed, step - 1),
                Totp.code(seed, step));
        return seed;
    }

    private String aliceCode(long stepsBack) {
        return Totp.code(aliceSeed, Totp.timeStep(fixture.clock.instant()) - stepsBack);
    }

    private static AssumeRoleRequest request(String role, String serial, String code) {
        return requestFor(roleArn(role), serial, code);
    }

    private static AssumeRoleRequest requestFor(String roleArn, String serial, String code) {
        return new AssumeRoleRequest(roleArn, "session", List.of(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), Optional.empty(), Optional.of(serial), Optional.of(code), Optional.empty(),
                false);
    }

    private AssumeRoleResponse assume(AccessKeyCredentials key, AssumeRoleRequest request) {
        return fixture.assumeRole(fixture.callerOf(key), request);
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
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        // A policy's refusal ends in its encoded authorization message; the MFA checks' own refusals do not.
        assertThat(e.getMessage()).matches(text -> text.equals(message)
                || text.startsWith(message + ". " + ApiException.ENCODED_MESSAGE_LABEL), "is " + message);
    }

    @Test
    void trustRequiringMfa_withoutMfa_isAccessDenied() {
        ApiException e = rejection(() -> fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(roleArn("mfa-only"), "session")));

        assertDenied(e, "User: " + userArn("alice") + " is not authorized to perform: sts:AssumeRole on resource: "
                + roleArn("mfa-only"));
    }

    @Test
    void trustRequiringMfa_withTheCurrentCode_isAllowed_andTheSessionRecordsMfa() {
        Instant now = fixture.clock.instant();

        AssumeRoleResponse response = assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(0)));

        CallerIdentity session = fixture.callerOf(response.credentials());
        assertThat(session.session().orElseThrow().mfaAuthenticatedAt()).contains(now);
        assertThat(fixture.sts.authorizer().baseContext(session, fixture.metadata()).build()
                .values(GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT)).contains(List.of("true"));
    }

    @Test
    void codeOfThePreviousStep_isAccepted() {
        fixture.clock.advance(Duration.ofSeconds(30));

        AssumeRoleResponse response = assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(1)));

        assertThat(response.assumedRoleUser().arn()).endsWith(":assumed-role/mfa-only/session");
    }

    @Test
    void codeOfTheStepTheDeviceWasEnabledIn_isSpentAlready() {
        assertDenied(rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(1)))),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void codeTwoStepsOld_isInvalid() {
        fixture.clock.advance(Duration.ofSeconds(60));

        assertDenied(rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(2)))),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void aCodeUsedOnce_isRefusedTheSecondTime() {
        String code = aliceCode(0);
        assume(alice, request("mfa-only", ALICE_DEVICE, code));

        assertDenied(rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, code))),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void afterTheCurrentCode_thePreviousStepsCodeIsRefused() {
        assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(0)));

        assertDenied(rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(1)))),
                TotpVerifier.INVALID_CODE);
    }

    @Test
    void requestRefusedByTheTrustPolicy_doesNotSpendTheCode() {
        String code = aliceCode(0);
        fixture.user("carol");
        fixture.role("nobody-trusted", trusting(userArn("carol")), ALLOW_ALL);

        rejection(() -> assume(alice, request("nobody-trusted", ALICE_DEVICE, code)));
        AssumeRoleResponse response = assume(alice, request("mfa-only", ALICE_DEVICE, code));

        assertThat(response.credentials()).isNotNull();
    }

    @Test
    void requestRefusedForItsDuration_doesNotSpendTheCode() {
        String code = aliceCode(0);
        AssumeRoleRequest tooLong = new AssumeRoleRequest(roleArn("mfa-only"), "session", List.of(), Optional.empty(),
                Optional.of(7200), List.of(), List.of(), Optional.empty(), Optional.of(ALICE_DEVICE),
                Optional.of(code), Optional.empty(), false);

        assertThat(rejection(() -> assume(alice, tooLong)).errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assume(alice, request("mfa-only", ALICE_DEVICE, code));
    }

    @Test
    void wrongCode_isInvalid() {
        String wrong = aliceCode(0).equals("000000") ? "111111" : "000000";

        ApiException e = rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, wrong)));

        assertDenied(e, TotpVerifier.INVALID_CODE);
        assertThat(e.getMessage()).doesNotContain(wrong);
    }

    @Test
    void deviceOfAnotherUser_isUnableToValidate() {
        assertDenied(rejection(() -> assume(alice, request("mfa-only", BOB_DEVICE, aliceCode(0)))),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void wrongMfa_forRolesOfAnotherAccount_answersAlikeWhetherTheRoleExistsOrNot() {
        fixture.role(StsFixture.OTHER_ACCOUNT, "exists", trusting(userArn("bob")), 3600, List.of());
        String other = "arn:aws:iam::" + StsFixture.OTHER_ACCOUNT + ":role/";

        ApiException existing = rejection(() -> assume(alice, requestFor(other + "exists", ALICE_DEVICE, aliceCode(5))));
        ApiException missing = rejection(() -> assume(alice, requestFor(other + "missing", ALICE_DEVICE, aliceCode(5))));

        assertThat(existing.errorCode()).isEqualTo(missing.errorCode());
        assertThat(existing.getMessage()).isEqualTo(TotpVerifier.INVALID_CODE).isEqualTo(missing.getMessage());
    }

    @Test
    void deviceThatDoesNotExist_isUnableToValidate() {
        assertDenied(rejection(() -> assume(alice, request("mfa-only", "arn:aws:iam::123456789012:mfa/none",
                aliceCode(0)))), TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void hardwareStyleSerialNumber_isUnableToValidate() {
        assertDenied(rejection(() -> assume(alice, request("mfa-only", "GAHT12345678", aliceCode(0)))),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void deactivatedDevice_isUnableToValidate() {
        fixture.iam.mfa().deactivateMfaDevice(ACCOUNT, "alice", ALICE_DEVICE);

        assertDenied(rejection(() -> assume(alice, request("mfa-only", ALICE_DEVICE, aliceCode(0)))),
                TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void roleSessionCaller_presentingADevice_isRefused() {
        TemporaryCredentials session = assume(alice, AssumeRoleRequest.of(roleArn("open"), "first")).credentials();
        fixture.role("chained", trusting(roleArn("open")), ALLOW_ALL);

        ApiException e = rejection(() -> fixture.assumeRole(fixture.callerOf(session),
                request("chained", ALICE_DEVICE, aliceCode(0))));

        assertDenied(e, TotpVerifier.UNABLE_TO_VALIDATE);
    }

    @Test
    void sessionWithoutMfa_hasMultiFactorAuthPresentFalse() {
        TemporaryCredentials session = assume(alice, AssumeRoleRequest.of(roleArn("open"), "plain")).credentials();

        CallerIdentity caller = fixture.callerOf(session);
        assertThat(caller.session().orElseThrow().mfaAuthenticatedAt()).isEmpty();
        assertThat(fixture.sts.authorizer().baseContext(caller, fixture.metadata()).build()
                .values(GlobalConditionKeys.MULTI_FACTOR_AUTH_PRESENT)).contains(List.of("false"));
    }

    @Test
    void mfaSession_mayChainIntoARoleRequiringMfa_andASessionWithoutMayNot() {
        fixture.role("mfa-chained", MFA_TRUST.formatted(roleArn("open")), ALLOW_ALL);
        TemporaryCredentials withMfa = assume(alice, request("open", ALICE_DEVICE, aliceCode(0))).credentials();
        TemporaryCredentials withoutMfa = assume(alice, AssumeRoleRequest.of(roleArn("open"), "plain"))
                .credentials();

        AssumeRoleResponse chained = fixture.assumeRole(fixture.callerOf(withMfa),
                AssumeRoleRequest.of(roleArn("mfa-chained"), "chained"));
        ApiException e = rejection(() -> fixture.assumeRole(fixture.callerOf(withoutMfa),
                AssumeRoleRequest.of(roleArn("mfa-chained"), "chained")));

        assertThat(chained.assumedRoleUser().arn()).endsWith(":assumed-role/mfa-chained/chained");
        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void bobCannotUseAlicesCodeOnHisOwnDevice() {
        assertDenied(rejection(() -> assume(bob, request("mfa-only", BOB_DEVICE, aliceCode(0)))),
                TotpVerifier.INVALID_CODE);
    }
}
