package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.roleArn;
import static org.opensts.sts.StsFixture.trusting;
import static org.opensts.sts.StsFixture.userArn;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.AccessKeyLastUsed;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.KeyRing;
import org.opensts.token.RegionScope;
import org.opensts.token.Secret;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.TemporaryCredentials;

class AuthenticatorTest {
    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";

    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice", StsFixture.ALLOW_ALL);

    @AfterEach
    void close() {
        fixture.close();
    }

    private TemporaryCredentials aliceSession() {
        fixture.role("reader", trusting(userArn("alice")));
        return fixture.assumeRole(fixture.callerOf(alice), AssumeRoleRequest.of(roleArn("reader"), "s1"))
                .credentials();
    }

    private Authenticator.Authenticated authenticate(SignableRequest request) {
        return fixture.sts.authenticator().authenticate(request, "sts");
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }

    @Test
    void longTermKey_signedRequest_authenticatesAsTheUser() {
        Authenticator.Authenticated authenticated = authenticate(fixture.signed(alice, BODY));

        CallerIdentity caller = authenticated.caller();
        assertThat(caller.arn()).isEqualTo(userArn("alice"));
        assertThat(caller.userId()).startsWith("AIDA").hasSize(21);
        assertThat(caller.accountId()).isEqualTo(ACCOUNT);
        assertThat(caller.isTemporary()).isFalse();
        assertThat(authenticated.region()).isEqualTo("us-east-1");
    }

    @Test
    void temporaryKey_withItsSessionToken_authenticatesAsTheRoleSession() {
        TemporaryCredentials session = aliceSession();

        CallerIdentity caller = authenticate(fixture.signed(session, BODY)).caller();

        assertThat(caller.arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s1");
        assertThat(caller.userId()).matches("AROA[A-Z0-9]{17}:s1");
        assertThat(caller.isRoleSession()).isTrue();
        assertThat(caller.accessKeyId()).isEqualTo(session.accessKeyId()).startsWith("ASIA");
    }

    @Test
    void unsignedRequest_isMissingAuthenticationToken() {
        ApiException e = rejection(() -> authenticate(StsFixture.request(BODY)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MISSING_AUTHENTICATION_TOKEN);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("Request is missing Authentication Token");
    }

    @Test
    void authorizationWithoutSignature_isIncompleteSignature() {
        SignableRequest request = StsFixture.request(BODY).toBuilder()
                .addHeader("X-Amz-Date", "20261125T120000Z")
                .addHeader("Authorization", "AWS4-HMAC-SHA256 Credential=" + alice.accessKey().accessKeyId()
                        + "/20261125/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date")
                .build();

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INCOMPLETE_SIGNATURE);
        // 400, as "Common Errors" lists it and as AWS STS answers it.
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
    }

    @Test
    void unknownAccessKey_isInvalidClientTokenId() {
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".getBytes(UTF_8)),
                "us-east-1", "sts", fixture.clock.instant());

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void wrongSecret_isSignatureDoesNotMatch() {
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(alice.accessKey().accessKeyId(), "not-the-secret".getBytes(UTF_8)),
                "us-east-1", "sts", fixture.clock.instant());

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
    }

    @Test
    void bodyChangedAfterSigning_isSignatureDoesNotMatch() {
        SignableRequest signed = fixture.signed(alice, BODY);
        SignableRequest tampered = signed.toBuilder()
                .body("Action=GetCallerIdentity&Version=2011-06-16".getBytes(UTF_8))
                .build();

        assertThat(rejection(() -> authenticate(tampered)).errorCode()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void requestSignedForIam_sentToSts_isSignatureDoesNotMatch() {
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(alice.accessKey().accessKeyId(), alice.secretAccessKey().revealBytes()),
                "us-east-1", "iam", fixture.clock.instant());

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.getMessage()).isEqualTo("Credential should be scoped to correct service: 'sts'. ");
    }

    @Test
    void requestSignedSixteenMinutesAgo_isSignatureExpired() {
        SignableRequest request = fixture.signed(alice, BODY);
        fixture.clock.advance(Duration.ofMinutes(16));

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertThat(e.getMessage()).startsWith("Signature expired: ");
    }

    @Test
    void requestSignedFourteenMinutesAgo_isAccepted() {
        SignableRequest request = fixture.signed(alice, BODY);
        fixture.clock.advance(Duration.ofMinutes(14));

        assertThat(authenticate(request).caller().arn()).isEqualTo(userArn("alice"));
    }

    @Test
    void temporaryKey_withoutSessionToken_isInvalidClientTokenId() {
        TemporaryCredentials session = aliceSession();
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().revealBytes()),
                "us-east-1", "sts", fixture.clock.instant());

        assertThat(rejection(() -> authenticate(request)).errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void temporaryKey_withTamperedSessionToken_isInvalidClientTokenId() {
        TemporaryCredentials session = aliceSession();
        String token = session.sessionToken().revealUtf8();
        int middle = token.length() / 2;
        String tampered = token.substring(0, middle) + (token.charAt(middle) == 'A' ? 'B' : 'A')
                + token.substring(middle + 1);
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().revealBytes(), tampered),
                "us-east-1", "sts", fixture.clock.instant());

        ApiException e = rejection(() -> authenticate(request));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
        assertThat(e.getMessage()).doesNotContain(tampered);
    }

    @Test
    void temporaryKey_withAnotherSessionsToken_isInvalidClientTokenId() {
        TemporaryCredentials first = aliceSession();
        TemporaryCredentials second = fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(roleArn("reader"), "s2")).credentials();
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(first.accessKeyId(), first.secretAccessKey().revealBytes(),
                        second.sessionToken().revealUtf8()), "us-east-1", "sts", fixture.clock.instant());

        assertThat(rejection(() -> authenticate(request)).errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void longTermKey_withASessionToken_isInvalidClientTokenId() {
        TemporaryCredentials session = aliceSession();
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(alice.accessKey().accessKeyId(), alice.secretAccessKey().revealBytes(),
                        session.sessionToken().revealUtf8()), "us-east-1", "sts", fixture.clock.instant());

        assertThat(rejection(() -> authenticate(request)).errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void expiredSession_isExpiredToken() {
        TemporaryCredentials session = aliceSession();
        fixture.clock.advance(Duration.ofHours(1).plusSeconds(1));

        ApiException e = rejection(() -> authenticate(fixture.signed(session, BODY)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.EXPIRED_TOKEN);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).isEqualTo("The security token included in the request is expired");
    }

    @Test
    void sessionInItsLastSecond_isAccepted() {
        TemporaryCredentials session = aliceSession();
        fixture.clock.advance(Duration.ofHours(1).minusSeconds(1));

        assertThat(authenticate(fixture.signed(session, BODY)).caller().isRoleSession()).isTrue();
    }

    @Test
    void tokenSealedByAnotherDeployment_isInvalidClientTokenId() {
        TemporaryCredentials session = aliceSession();
        var foreignCodec = new SessionTokenCodec(KeyRing.generate(fixture.clock.instant(), new SecureRandom()),
                SharedKeyRing.TOKEN_SCOPE);
        String foreignToken = foreignCodec.seal(fixture.callerOf(session).session().orElseThrow(),
                Secret.copyOf(session.secretAccessKey().revealBytes()));
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().revealBytes(), foreignToken),
                "us-east-1", "sts", fixture.clock.instant());

        assertThat(rejection(() -> authenticate(request)).errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
    }

    @Test
    void sessionSealedBeforeKeyRotation_stillAuthenticates() {
        TemporaryCredentials session = aliceSession();
        fixture.clock.advance(SharedKeyRing.ROTATION_PERIOD.minus(Duration.ofMinutes(30)));
        TemporaryCredentials lateSession = fixture.assumeRole(fixture.callerOf(alice),
                new AssumeRoleRequest(roleArn("reader"), "late", java.util.List.of(), Optional.empty(),
                        Optional.empty(), java.util.List.of(), java.util.List.of(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), false)).credentials();
        fixture.clock.advance(Duration.ofMinutes(31));
        fixture.keyRing.rotateIfDue();

        assertThat(authenticate(fixture.signed(lateSession, BODY)).caller().arn()).endsWith("/reader/late");
        assertThat(fixture.keyRing.primaryKeyAge()).isZero();
        assertThat(session.expiration()).isBefore(fixture.clock.instant());
    }

    @Test
    void longTermKey_thatAuthenticates_isReportedAsUsed_withTimeRegionAndService() {
        var uses = new ArrayList<Map.Entry<String, AccessKeyLastUsed>>();
        fixture.sts.authenticator().onAccessKeyUse((accessKeyId, use) -> uses.add(Map.entry(accessKeyId, use)));

        authenticate(fixture.signed(alice, BODY));

        assertThat(uses).containsExactly(Map.entry(alice.accessKey().accessKeyId(),
                new AccessKeyLastUsed(fixture.clock.instant(), "us-east-1", "sts")));
    }

    @Test
    void rejectedRequestsAndTemporaryKeys_areNotReportedAsUsesOfALongTermKey() {
        TemporaryCredentials session = aliceSession();
        var uses = new ArrayList<String>();
        fixture.sts.authenticator().onAccessKeyUse((accessKeyId, use) -> uses.add(accessKeyId));
        SignableRequest tampered = fixture.signed(alice, BODY).toBuilder()
                .body("Action=GetCallerIdentity&Version=2011-06-16".getBytes(UTF_8))
                .build();

        rejection(() -> authenticate(tampered));
        authenticate(fixture.signed(session, BODY));

        assertThat(uses).isEmpty();
    }

    // Region scope: AWS's version 1 tokens work only in the regions enabled by default.

    record RegionCase(String name, RegionScope scope, String signedRegion, boolean accepted) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RegionCase> regionScopes() {
        return Stream.of(
                new RegionCase("a version 2 token in an opt-in region is accepted", RegionScope.ALL_REGIONS,
                        "ap-east-1", true),
                new RegionCase("a version 1 token in a region enabled by default is accepted",
                        RegionScope.DEFAULT_REGIONS, "eu-west-1", true),
                new RegionCase("a version 1 token in us-east-1 is accepted", RegionScope.DEFAULT_REGIONS, "us-east-1",
                        true),
                new RegionCase("a version 1 token in an opt-in region is InvalidClientTokenId",
                        RegionScope.DEFAULT_REGIONS, "ap-east-1", false),
                new RegionCase("a version 1 token in another opt-in region is InvalidClientTokenId",
                        RegionScope.DEFAULT_REGIONS, "me-central-1", false),
                new RegionCase("a version 1 token in a private region of the deployment is accepted",
                        RegionScope.DEFAULT_REGIONS, "on-prem-1", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regionScopes")
    void sessionToken_regionScope(RegionCase c) {
        TemporaryCredentials session = aliceSession();
        var scoped = fixture.callerOf(session).session().orElseThrow().toBuilder().regionScope(c.scope()).build();
        String token = fixture.keyRing.codec().seal(scoped, Secret.copyOf(session.secretAccessKey().revealBytes()));
        SignableRequest request = fixture.signer.sign(StsFixture.request(BODY),
                SigningCredentials.of(session.accessKeyId(), session.secretAccessKey().revealBytes(), token),
                c.signedRegion(), "sts", fixture.clock.instant());

        if (c.accepted()) {
            assertThat(authenticate(request).region()).isEqualTo(c.signedRegion());
        } else {
            ApiException e = rejection(() -> authenticate(request));
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CLIENT_TOKEN_ID);
            assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
        }
    }
}
