package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;

/**
 * {@link SigV4Verifier#parse} and {@link SigV4Verifier#verify} against a real signed STS request that the fuzzer
 * changes: its method, path, query, a header's name or value, an added or removed header, its body, its
 * {@code Authorization} header or just the signature in it; or against a presigned query string of its own.
 *
 * <p>Invariants: both calls throw nothing but {@link SigV4Exception} (each a 4xx: {@code IncompleteSignature},
 * {@code SignatureDoesNotMatch} …); the secret access key is in no message; and no change is accepted unless the
 * verifier's canonical request, the signature bytes and the body are still the ones signed (a header that is not
 * signed, or spacing that canonicalization removes, may change). Seeds in
 * {@code SigV4VerifierFuzzTestInputs/verify_anyChangeOfASignedRequest_isRejected}.
 */
class SigV4VerifierFuzzTest {
    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53Z");
    private static final String ACCESS_KEY_ID = "ASIAY34FZKBOKMUTVV7A";
    private static final String SECRET = "FuzzSecretAccessKeyThatNoMessageMayShow0";
    private static final String SESSION_TOKEN = "FuzzSessionTokenThatNoMessageMayShowEither0123456789+/";
    private static final String BODY = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012"
            + "%3Arole%2Fdemo&RoleSessionName=s1";

    private static final SigV4Verifier VERIFIER = SigV4Verifier.create();
    private static final SignableRequest SIGNED = SigV4Signer.create().sign(SignableRequest.builder()
                    .method("POST").path("/")
                    .addHeader("Host", "sts.us-east-1.amazonaws.com")
                    .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .addHeader("User-Agent", "fuzz/1.0")
                    .body(BODY.getBytes(UTF_8)).build(),
            SigningCredentials.of(ACCESS_KEY_ID, SECRET.getBytes(UTF_8), SESSION_TOKEN), "us-east-1", "sts", NOW);
    private static final SignedRequest SIGNED_PARSED = parsed(SIGNED);
    private static final String CANONICAL = VERIFIER.canonicalRequest(SIGNED_PARSED, SIGNED).text();

    @FuzzTest(maxDuration = "10s")
    void verify_anyChangeOfASignedRequest_isRejected(FuzzedDataProvider data) {
        SignableRequest request = changed(data);
        SignedRequest signed;
        try {
            signed = VERIFIER.parse(request);
            VERIFIER.verify(signed, request, SECRET.getBytes(UTF_8), NOW);
        } catch (SigV4Exception e) {
            assertThat(e.failure()).isNotNull();
            assertThat(e.getMessage()).isNotBlank().doesNotContain(SECRET);
            return;
        }
        assertThat(signed.signature()).as("a changed signature verified").isEqualTo(SIGNED_PARSED.signature());
        assertThat(request.body()).as("a changed body verified").isEqualTo(SIGNED.body());
        assertThat(VERIFIER.canonicalRequest(signed, request).text()).as("a changed request verified")
                .isEqualTo(CANONICAL);
    }

    /** The signed request with one change the fuzzer chooses, or a presigned request of its own. */
    private static SignableRequest changed(FuzzedDataProvider data) {
        int change = data.consumeInt(0, 10);
        int index = data.consumeInt(0, SIGNED.headerCount() - 1);
        String text = data.consumeRemainingAsString();
        SignableRequest.Builder builder = SIGNED.toBuilder();
        switch (change) {
            case 0 -> builder.method(text.isEmpty() ? "GET" : text);
            case 1 -> builder.target(text);
            case 2 -> builder.query(text);
            case 3, 4, 5 -> {
                builder = SignableRequest.builder().method(SIGNED.method()).path(SIGNED.path()).query(SIGNED.query())
                        .body(SIGNED.body());
                for (int i = 0; i < SIGNED.headerCount(); i++) {
                    String name = SIGNED.headerName(i);
                    String value = SIGNED.headerValue(i);
                    if (i != index) {
                        builder.addHeader(name, value);
                    } else if (change == 3) {
                        builder.addHeader(name, text);
                    } else if (change == 4 && !text.isEmpty()) {
                        builder.addHeader(text, value);
                    } // change 5 removes the header
                }
            }
            case 6 -> {
                if (!text.isEmpty()) {
                    int colon = text.indexOf(':');
                    builder.addHeader(colon > 0 ? text.substring(0, colon) : text, colon > 0
                            ? text.substring(colon + 1) : "");
                }
            }
            case 7 -> builder.body(text.getBytes(UTF_8));
            case 8 -> builder.removeHeaders(WireNames.AUTHORIZATION).addHeader(WireNames.AUTHORIZATION, text);
            case 9 -> {
                String authorization = SIGNED.firstHeader(WireNames.AUTHORIZATION).orElseThrow();
                int signature = authorization.indexOf("Signature=") + "Signature=".length();
                builder.removeHeaders(WireNames.AUTHORIZATION)
                        .addHeader(WireNames.AUTHORIZATION, authorization.substring(0, signature) + text);
            }
            default -> builder.removeHeaders(WireNames.AUTHORIZATION).target("/?" + text);
        }
        return builder.build();
    }

    private static SignedRequest parsed(SignableRequest request) {
        try {
            return VERIFIER.parse(request);
        } catch (SigV4Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
