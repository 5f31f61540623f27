package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.verifier.TestKeys.NOW;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.SessionTokenCodec;
import org.opensts.token.TemporaryCredentials;

/**
 * The session token codec answers a token it opened before from its cache: the verifier must still refuse such a
 * token exactly as it refuses one opened afresh — once the session has expired, or when the request is not signed
 * with the session's secret.
 */
class RequestVerifierTokenCacheTest {
    private static final SigV4Signer STS_SIGNER = SigV4Signer.create();
    private static final String BODY = "Action=GetCallerIdentity&Version=2011-06-15";

    private final TestKeys keys = new TestKeys();
    // Issued an hour before NOW for 90 minutes: valid at NOW, expired from NOW + 30 minutes.
    private final TemporaryCredentials session = keys.roleSession(Duration.ofMinutes(90));
    private final Instant afterExpiry = NOW.plus(Duration.ofMinutes(30));

    @Test
    void sts_sessionExpiredSinceItsTokenWasCached_isExpiredToken_asWithAFreshCodec() throws Exception {
        keys.verifier().verifyBuffered(sign(TestKeys.credentials(session), NOW), "sts"); // opens and caches

        var cached = failure(verifierAt(afterExpiry, keys), sign(TestKeys.credentials(session), afterExpiry));
        var fresh = failure(verifierAt(afterExpiry, freshCodecOf(keys)),
                sign(TestKeys.credentials(session), afterExpiry));

        assertThat(cached.failure()).isEqualTo(VerificationFailure.EXPIRED_TOKEN).isEqualTo(fresh.failure());
        assertThat(cached.getMessage()).isEqualTo("The security token included in the request is expired")
                .isEqualTo(fresh.getMessage());
    }

    @Test
    void sts_sessionExpiredSinceItsTokenWasCached_isExpiredToken_fromTheExpirationInstantOn() throws Exception {
        keys.verifier().verifyBuffered(sign(TestKeys.credentials(session), NOW), "sts");
        Instant justBefore = afterExpiry.minusMillis(1);

        verifierAt(justBefore, keys).verifyBuffered(sign(TestKeys.credentials(session), justBefore), "sts");
        var e = failure(verifierAt(afterExpiry, keys), sign(TestKeys.credentials(session), afterExpiry));

        assertThat(e.failure()).isEqualTo(VerificationFailure.EXPIRED_TOKEN);
    }

    @Test
    void sts_cachedTokenWithTheWrongSecret_isSignatureDoesNotMatch() throws Exception {
        keys.verifier().verifyBuffered(sign(TestKeys.credentials(session), NOW), "sts");
        var wrongSecret = SigningCredentials.of(session.accessKeyId(),
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ".getBytes(UTF_8), session.sessionToken().revealUtf8());

        var e = failure(keys.verifier(), sign(wrongSecret, NOW));

        assertThat(e.failure()).isEqualTo(VerificationFailure.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void sts_cachedTokenPresentedWithAnotherAccessKeyId_isInvalidToken() throws Exception {
        keys.verifier().verifyBuffered(sign(TestKeys.credentials(session), NOW), "sts");
        TemporaryCredentials other = keys.roleSession();
        var mixed = SigningCredentials.of(other.accessKeyId(), other.secretAccessKey().revealBytes(),
                session.sessionToken().revealUtf8());

        var e = failure(keys.verifier(), sign(mixed, NOW));

        assertThat(e.failure()).isEqualTo(VerificationFailure.INVALID_TOKEN);
    }

    private static SignableRequest sign(SigningCredentials credentials, Instant at) {
        var request = SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("Content-Length", Integer.toString(BODY.getBytes(UTF_8).length))
                .body(BODY.getBytes(UTF_8)).build();
        return STS_SIGNER.sign(request, credentials, "us-east-1", "sts", at);
    }

    private static RequestVerifier verifierAt(Instant now, SessionKeys sessionKeys) {
        return RequestVerifier.builder().sessionKeys(sessionKeys).longTermKeys(accessKeyId -> Optional.empty())
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    /** The same ring in a new codec, whose cache has seen nothing. */
    private static SessionKeys freshCodecOf(TestKeys keys) {
        SessionTokenCodec fresh = keys.codec().withKeyRing(keys.codec().keyRing());
        return new SessionKeys() {
            @Override
            public SessionTokenCodec codec() {
                return fresh;
            }

            @Override
            public boolean reloadFor(int keyId) {
                return false;
            }
        };
    }

    private static VerificationException failure(RequestVerifier verifier, SignableRequest signed) {
        try {
            verifier.verifyBuffered(signed, "sts");
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("the request was accepted");
    }
}
