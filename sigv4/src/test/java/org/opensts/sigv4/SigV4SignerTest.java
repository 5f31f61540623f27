package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.sigv4.SigningTestVectors.ACCESS_KEY_ID;
import static org.opensts.sigv4.SigningTestVectors.SECRET_ACCESS_KEY;
import static org.opensts.sigv4.SigningTestVectors.TIMESTAMP;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signer's behaviour beyond the vectors: what it adds, replaces and refuses. */
class SigV4SignerTest {

    private static final byte[] SECRET = SECRET_ACCESS_KEY.getBytes(UTF_8);

    private static SignableRequest assumeRole() {
        return SignableRequest.builder()
                .method("POST")
                .path("/")
                .addHeader("Host", "sts.us-east-1.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .addHeader("User-Agent", "test-agent/1.0")
                .body("Action=AssumeRole&Version=2011-06-15".getBytes(UTF_8))
                .build();
    }

    @Test
    void sign_addsDateTokenAndAuthorization_andLeavesUserAgentUnsigned() throws SigV4Exception {
        SigningCredentials credentials = SigningCredentials.of(ACCESS_KEY_ID, SECRET, "token-1");

        SignableRequest signed = SigV4Signer.create().sign(assumeRole(), credentials, "us-east-1", "sts", TIMESTAMP);

        assertThat(signed.firstHeader("X-Amz-Date")).contains("20150830T123600Z");
        assertThat(signed.firstHeader("X-Amz-Security-Token")).contains("token-1");
        assertThat(signed.firstHeader("Authorization").orElseThrow()).startsWith(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=");
        assertThat(SigV4Verifier.create().parse(signed).signedHeaders()).doesNotContain("user-agent");
    }

    @Test
    void sign_alreadySignedRequest_replacesTheOldAuthentication() throws SigV4Exception {
        SigV4Signer signer = SigV4Signer.create();
        SigningCredentials credentials = SigningCredentials.of(ACCESS_KEY_ID, SECRET);
        SignableRequest first = signer.sign(assumeRole(), credentials, "us-east-1", "sts", TIMESTAMP);
        Instant later = TIMESTAMP.plusSeconds(60);

        SignableRequest second = signer.sign(first, credentials, "us-east-1", "sts", later);

        assertThat(second.headers("Authorization")).hasSize(1);
        assertThat(second.headers("X-Amz-Date")).containsExactly("20150830T123700Z");
        SigV4Verifier verifier = SigV4Verifier.create();
        assertThatCode(() -> verifier.verify(verifier.parse(second), second, SECRET, later))
                .doesNotThrowAnyException();
    }

    @Test
    void presign_keepsOtherQueryParameters_andReplacesOldPresignParameters() throws SigV4Exception {
        SigV4Signer signer = SigV4Signer.create();
        SigningCredentials credentials = SigningCredentials.of(ACCESS_KEY_ID, SECRET);
        SignableRequest get = SignableRequest.builder()
                .target("/?Action=GetCallerIdentity&Version=2011-06-15")
                .addHeader("Host", "sts.amazonaws.com")
                .build();
        SignableRequest first = signer.presign(get, credentials, "us-east-1", "sts", TIMESTAMP, Duration.ofMinutes(1));

        SignableRequest second = signer.presign(first, credentials, "us-east-1", "sts", TIMESTAMP,
                Duration.ofMinutes(15));

        assertThat(second.query()).startsWith("Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=")
                .contains("&X-Amz-Expires=900&").doesNotContain("X-Amz-Expires=60");
        SigV4Verifier verifier = SigV4Verifier.create();
        SignedRequest parsed = verifier.parse(second);
        assertThat(parsed.expires()).contains(Duration.ofMinutes(15));
        assertThatCode(() -> verifier.verify(parsed, second, SECRET, TIMESTAMP)).doesNotThrowAnyException();
    }

    @Test
    void presign_expiresOutsideOneSecondToSevenDays_isIllegal() {
        SigV4Signer signer = SigV4Signer.create();
        SigningCredentials credentials = SigningCredentials.of(ACCESS_KEY_ID, SECRET);

        for (Duration expires : List.of(Duration.ZERO, Duration.ofDays(7).plusSeconds(1), Duration.ofMillis(1500))) {
            assertThatThrownBy(() -> signer.presign(assumeRole(), credentials, "us-east-1", "sts", TIMESTAMP, expires))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sign_requestWithoutHost_isIllegal() {
        SignableRequest noHost = SignableRequest.builder().method("GET").path("/").build();

        assertThatThrownBy(() -> SigV4Signer.create()
                .sign(noHost, SigningCredentials.of(ACCESS_KEY_ID, SECRET), "us-east-1", "sts", TIMESTAMP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Host");
    }

    @Test
    void signingCredentials_toString_showsTheAccessKeyIdOnly() {
        SigningCredentials credentials = SigningCredentials.of(ACCESS_KEY_ID, SECRET, "session-token-value");

        assertThat(credentials.toString())
                .contains(ACCESS_KEY_ID)
                .doesNotContain(SECRET_ACCESS_KEY)
                .doesNotContain("session-token-value");
    }
}
