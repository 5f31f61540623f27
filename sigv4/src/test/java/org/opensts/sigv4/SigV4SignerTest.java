package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.sigv4.SigningTestVectors.ACCESS_KEY_ID;
import static org.opensts.sigv4.SigningTestVectors.BOTOCORE_STS_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.BOTOCORE_VANILLA_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.SECRET_ACCESS_KEY;
import static org.opensts.sigv4.SigningTestVectors.TIMESTAMP;
import static org.opensts.sigv4.SigningTestVectors.request;
import static org.opensts.sigv4.SigningTestVectors.signatureOf;
import static org.opensts.sigv4.SigningTestVectors.text;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.SigningTestVectors.Context;

/**
 * The signer: it must reproduce every vector from the unsigned {@code request.txt} (aws-c-auth, history) or
 * {@code .req} (botocore), and what it signs must verify.
 */
class SigV4SignerTest {

    private static final byte[] SECRET = SECRET_ACCESS_KEY.getBytes(UTF_8);

    /**
     * One request to sign and what signing it must give.
     *
     * @param presigned        whether to presign (query form) rather than sign the header
     * @param credentials      what to sign with; a token the vector adds after signing is not among them
     * @param canonicalRequest the expected canonical request, or {@code null} (botocore: only the header is given)
     * @param authorization    the expected {@code Authorization} value, or {@code null} for the query form
     */
    record SigningCase(String name, SignableRequest unsigned, boolean presigned, SigningCredentials credentials,
            Context context, SigV4Signer.Options options, String canonicalRequest, String signature,
            String authorization) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<SigningCase> vectors() {
        SigningTestVectors.assumePresent();
        List<SigningCase> cases = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(SigningTestVectors.awsCAuthCases());
        dirs.add(SigningTestVectors.historyCase());
        for (Path dir : dirs) {
            Context context = SigningTestVectors.context(dir);
            SigningCredentials credentials = context.sessionToken() == null || context.omitSessionToken()
                    ? SigningCredentials.of(context.accessKeyId(), context.secret())
                    : SigningCredentials.of(context.accessKeyId(), context.secret(), context.sessionToken());
            SignableRequest unsigned = request(dir.resolve("request.txt"));
            String header = request(dir.resolve("header-signed-request.txt"))
                    .firstHeader("Authorization").orElseThrow();
            for (boolean presigned : List.of(false, true)) {
                String form = presigned ? "query" : "header";
                // aws-c-auth adds x-amz-content-sha256 for "sign_body" in the header form only; the history case
                // ("signed_body_value") adds it in both forms.
                boolean addContentSha256 = presigned ? context.signedBodyValue() != null : context.signBody();
                SigV4Signer.Options options = SigV4Signer.Options.defaults()
                        .withNormalizePath(context.normalize())
                        .withAddContentSha256(addContentSha256)
                        .withUnsignedPayload(context.unsignedPayload());
                cases.add(new SigningCase(dir.getFileName() + " (" + form + ")", unsigned, presigned, credentials,
                        context, options,
                        text(dir.resolve(form + "-canonical-request.txt")),
                        text(dir.resolve(form + "-signature.txt")),
                        presigned ? null : header));
            }
        }
        for (Path dir : SigningTestVectors.botocoreCases()) {
            String name = dir.getFileName().toString();
            String token = switch (name) {
                case "post-sts-header-before" -> BOTOCORE_STS_TOKEN;
                case "get-vanilla-with-session-token" -> BOTOCORE_VANILLA_TOKEN;
                default -> null; // post-sts-header-after adds its token after signing
            };
            SigningCredentials credentials = token == null
                    ? SigningCredentials.of(ACCESS_KEY_ID, SECRET)
                    : SigningCredentials.of(ACCESS_KEY_ID, SECRET, token);
            String authorization = text(dir.resolve(name + ".authz"));
            cases.add(new SigningCase("botocore/" + name, request(dir.resolve(name + ".req")), false, credentials,
                    Context.common(token), SigV4Signer.Options.defaults(), text(dir.resolve(name + ".creq")),
                    signatureOf(authorization), authorization));
        }
        return cases.stream();
    }

    private static SignableRequest sign(SigningCase c) {
        SigV4Signer signer = SigV4Signer.create(c.options());
        Context context = c.context();
        return c.presigned()
                ? signer.presign(c.unsigned(), c.credentials(), context.region(), context.service(),
                        context.timestamp(), Duration.ofSeconds(context.expirationSeconds()))
                : signer.sign(c.unsigned(), c.credentials(), context.region(), context.service(),
                        context.timestamp());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sign_vectorRequest_givesTheVectorsCanonicalRequest(SigningCase c) throws SigV4Exception {
        SignableRequest signed = sign(c);
        SigV4Verifier verifier = c.context().verifier();

        assertThat(verifier.canonicalRequest(verifier.parse(signed), signed).text()).isEqualTo(c.canonicalRequest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sign_vectorRequest_givesTheVectorsSignature(SigningCase c) {
        SignableRequest signed = sign(c);

        if (c.presigned()) {
            assertThat(signed.query()).endsWith("&X-Amz-Signature=" + c.signature());
        } else {
            assertThat(signed.firstHeader("Authorization")).contains(c.authorization());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void sign_vectorRequest_verifies(SigningCase c) throws SigV4Exception {
        SignableRequest signed = sign(c);
        SigV4Verifier verifier = c.context().verifier();
        SignedRequest parsed = verifier.parse(signed);

        assertThatCode(() -> verifier.verify(parsed, signed, c.context().secret(), c.context().timestamp()))
                .doesNotThrowAnyException();
        assertThat(parsed.securityToken()).isEqualTo(c.credentials().sessionToken());
    }

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
