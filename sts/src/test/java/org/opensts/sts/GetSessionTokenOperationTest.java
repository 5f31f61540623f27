package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Totp;
import org.opensts.iam.TotpVerifier;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Secret;
import org.opensts.token.TemporaryCredentials;

class GetSessionTokenOperationTest {
    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice");

    @AfterEach
    void close() {
        fixture.close();
    }

    private TemporaryCredentials sessionToken(GetSessionTokenRequest request) {
        return fixture.sts.getSessionToken(fixture.callerOf(alice), request);
    }

    private static GetSessionTokenRequest plain() {
        return new GetSessionTokenRequest(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private String enabledDevice(Secret[] seedOut) {
        String serial = fixture.iam.mfa().createVirtualMfaDevice(ACCOUNT, "alice-phone", Optional.empty(), List.of())
                .device().serialNumber();
        Secret seed = fixture.store.findMfaSeed(serial).orElseThrow();
        long step = Totp.timeStep(fixture.clock.instant());
        fixture.iam.mfa().enableMfaDevice(ACCOUNT, "alice", serial, Totp.code(seed, step - 1), Totp.code(seed, step));
        fixture.clock.advance(Totp.TIME_STEP);
        seedOut[0] = seed;
        return serial;
    }

    @Test
    void getSessionToken_isTheCallingUserForTwelveHoursByDefault() {
        TemporaryCredentials credentials = sessionToken(plain());

        CallerIdentity caller = fixture.callerOf(credentials);
        assertThat(caller.arn()).isEqualTo(StsFixture.userArn("alice"));
        assertThat(caller.userId()).startsWith("AIDA");
        assertThat(caller.isTemporary()).isTrue();
        assertThat(caller.user()).isPresent();
        assertThat(credentials.expiration()).isEqualTo(fixture.clock.instant().plusSeconds(43200));
        assertThat(caller.session().orElseThrow().mfaAuthenticatedAt()).isEmpty();
    }

    @Test
    void getSessionToken_withSessionCredentials_isAccessDenied() {
        TemporaryCredentials credentials = sessionToken(plain());

        ApiException e = rejection(() -> fixture.sts.getSessionToken(fixture.callerOf(credentials), plain()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo("Cannot call GetSessionToken with session credentials");
    }

    @Test
    void getSessionToken_withAValidMfaCode_recordsMfaInTheSession() {
        Secret[] seed = new Secret[1];
        String serial = enabledDevice(seed);
        String code = Totp.code(seed[0], Totp.timeStep(fixture.clock.instant()));

        TemporaryCredentials credentials = sessionToken(new GetSessionTokenRequest(Optional.of(3600),
                Optional.of(serial), Optional.of(code)));

        assertThat(fixture.callerOf(credentials).session().orElseThrow().mfaAuthenticatedAt())
                .contains(fixture.clock.instant());
        ApiException replay = rejection(() -> sessionToken(new GetSessionTokenRequest(Optional.empty(),
                Optional.of(serial), Optional.of(code))));
        assertThat(replay.getMessage()).isEqualTo(TotpVerifier.INVALID_CODE);
    }

    @Test
    void getSessionToken_withAWrongMfaCode_isAccessDenied() {
        Secret[] seed = new Secret[1];
        String serial = enabledDevice(seed);
        String wrong = Totp.code(seed[0], Totp.timeStep(fixture.clock.instant()) + 5);

        ApiException e = rejection(() -> sessionToken(new GetSessionTokenRequest(Optional.empty(),
                Optional.of(serial), Optional.of(wrong))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo(TotpVerifier.INVALID_CODE);
    }

    @Test
    void getSessionToken_serialNumberWithoutCode_isAccessDenied() {
        ApiException e = rejection(() -> sessionToken(new GetSessionTokenRequest(Optional.empty(),
                Optional.of("arn:aws:iam::123456789012:mfa/alice-phone"), Optional.empty())));

        assertThat(e.getMessage()).isEqualTo(
                "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
    }

    @Test
    void getSessionTokenSession_cannotCallGetAccessKeyInfo() {
        TemporaryCredentials credentials = sessionToken(plain());

        ApiException e = rejection(() -> fixture.sts.getAccessKeyInfo(fixture.callerOf(credentials),
                fixture.metadata(), alice.accessKey().accessKeyId()));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage())
                .isEqualTo("Cannot call GetAccessKeyInfo with session credentials from GetSessionToken");
    }

    @Test
    void getSessionTokenSession_cannotCallDecodeAuthorizationMessage_evenWithThePermission() {
        fixture.iam.users().putUserPolicy(StsFixture.ACCOUNT, "alice", "decode", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}""");
        TemporaryCredentials credentials = sessionToken(plain());

        ApiException e = rejection(() -> fixture.sts.decodeAuthorizationMessage(fixture.callerOf(credentials),
                fixture.metadata(), "anything"));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage())
                .isEqualTo("Cannot call DecodeAuthorizationMessage with session credentials from GetSessionToken");
    }

    @Test
    void getSessionTokenRequest_toString_leavesOutTheCode() {
        var request = new GetSessionTokenRequest(Optional.empty(), Optional.of("arn:aws:iam::123456789012:mfa/x"),
                Optional.of("987654"));

        assertThat(request.toString()).doesNotContain("987654").contains("[redacted]");
    }
}
