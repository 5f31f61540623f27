package org.opensts.verifier;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.opensts.sigv4.SigV4Exception;
import org.opensts.sigv4.SigV4Signer;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.sigv4.SignableRequest;
import org.opensts.sigv4.SignedRequest;
import org.opensts.token.TemporaryCredentials;

/**
 * {@link RequestVerifier#verifyBuffered} (what an STS node runs on every request) against three real signed requests
 * (a POST signed with temporary credentials, a presigned GET with temporary credentials, a POST signed with a
 * long-term key) that the fuzzer changes where a forger would: the session token, the access key id, the signature,
 * the body, the date, or the whole {@code Authorization} header or query string.
 *
 * <p>Invariants: nothing but {@link VerificationException}, each a 4xx; no message holds a secret access key or the
 * session token; and nothing is accepted unless what the node acts on is what was signed: the same session token, key,
 * signature bytes, date and body, for the same caller. Seeds in
 * {@code RequestVerifierFuzzTestInputs/verifyBuffered_anyChangeOfASignedRequest_isRejected}.
 */
class RequestVerifierFuzzTest {
    private static final String BODY = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012"
            + "%3Arole%2Fdemo&RoleSessionName=s1";
    private static final SigV4Signer SIGNER = SigV4Signer.create();
    private static final SigV4Verifier PARSER = SigV4Verifier.create();

    private final TestKeys keys = new TestKeys();
    private final RequestVerifier verifier = keys.verifier();
    private final TemporaryCredentials session = keys.roleSession();
    private final String sessionToken = session.sessionToken().revealUtf8();
    private final String sessionSecret = session.secretAccessKey().revealUtf8();
    private final List<SignableRequest> signedRequests = List.of(
            SIGNER.sign(post(), TestKeys.credentials(session), "us-east-1", "sts", keys.now),
            SIGNER.presign(SignableRequest.builder().method("GET")
                    .target("/?Action=GetCallerIdentity&Version=2011-06-15").addHeader("Host", "sts.amazonaws.com")
                    .build(), TestKeys.credentials(session), "us-east-1", "sts", keys.now, Duration.ofMinutes(15)),
            SIGNER.sign(post(), TestKeys.longTermCredentials(), "us-east-1", "sts", keys.now));

    @FuzzTest(maxDuration = "10s")
    void verifyBuffered_anyChangeOfASignedRequest_isRejected(FuzzedDataProvider data) {
        SignableRequest original = data.pickValue(signedRequests);
        SignableRequest request = changed(original, data);
        Verification verification;
        try {
            verification = verifier.verifyBuffered(request, "sts");
        } catch (VerificationException e) {
            assertThat(e.failure().s3Status()).isLessThan(500);
            assertThat(e.failure().queryStatus()).isLessThan(500);
            assertThat(e.getMessage()).isNotBlank().doesNotContain(sessionSecret).doesNotContain(sessionToken)
                    .doesNotContain(TestKeys.LONG_TERM_SECRET);
            return;
        }
        SignedRequest expected = parse(original);
        SignedRequest actual = parse(request);
        assertThat(actual.securityToken()).as("a changed session token was accepted")
                .isEqualTo(expected.securityToken());
        assertThat(actual.accessKeyId()).as("a changed access key id was accepted")
                .isEqualTo(expected.accessKeyId());
        assertThat(signature(request)).as("a changed signature was accepted")
                .isEqualToIgnoringCase(signature(original));
        assertThat(actual.requestTime()).as("a changed date was accepted").isEqualTo(expected.requestTime());
        assertThat(request.body()).as("a changed body was accepted").isEqualTo(original.body());
        assertThat(verification.caller().accessKeyId()).isEqualTo(expected.accessKeyId());
    }

    private static SignableRequest post() {
        return SignableRequest.builder().method("POST").path("/")
                .addHeader("Host", "sts.amazonaws.com")
                .addHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .body(BODY.getBytes(UTF_8)).build();
    }

    /** {@code original} with the part the fuzzer picks changed as it says. */
    private SignableRequest changed(SignableRequest original, FuzzedDataProvider data) {
        var choices = Mutations.of(data);
        UnaryOperator<String> mutate = text -> Mutations.mutateText(text, choices);
        boolean presigned = original.query().contains("X-Amz-Signature=");
        return switch (data.consumeInt(0, 5)) {
            // A long-term key's request gets the session's token, changed: a key with a token not its own.
            case 0 -> presigned ? withQueryParameter(original, "X-Amz-Security-Token", mutate)
                    : withHeader(original, "X-Amz-Security-Token", token -> mutate.apply(token.isEmpty() ? sessionToken
                            : token));
            case 1 -> presigned ? withQueryParameter(original, "X-Amz-Credential", mutate)
                    : withHeader(original, "Authorization", authorization -> {
                        int start = authorization.indexOf("Credential=") + "Credential=".length();
                        int end = authorization.indexOf('/', start);
                        return authorization.substring(0, start) + mutate.apply(authorization.substring(start, end))
                                + authorization.substring(end);
                    });
            case 2 -> presigned ? withQueryParameter(original, "X-Amz-Signature", mutate)
                    : withHeader(original, "Authorization", authorization -> {
                        int start = authorization.indexOf("Signature=") + "Signature=".length();
                        return authorization.substring(0, start) + mutate.apply(authorization.substring(start));
                    });
            case 3 -> original.toBuilder().body(mutate.apply(new String(bytes(original), UTF_8)).getBytes(UTF_8))
                    .build();
            case 4 -> presigned ? withQueryParameter(original, "X-Amz-Date", mutate)
                    : withHeader(original, "X-Amz-Date", mutate);
            default -> presigned ? original.toBuilder().query(data.consumeRemainingAsString()).build()
                    : withHeader(original, "Authorization", authorization -> data.consumeRemainingAsString());
        };
    }

    private static SignableRequest withHeader(SignableRequest request, String name, UnaryOperator<String> change) {
        String value = request.firstHeader(name).orElse("");
        return request.toBuilder().removeHeaders(name).addHeader(name, change.apply(value)).build();
    }

    /** The request with the raw (still percent-encoded) value of query parameter {@code name} changed. */
    private static SignableRequest withQueryParameter(SignableRequest request, String name,
            UnaryOperator<String> change) {
        var query = new StringBuilder();
        for (String pair : request.query().split("&", -1)) {
            query.append(query.length() == 0 ? "" : "&");
            query.append(pair.startsWith(name + '=') ? name + '=' + change.apply(pair.substring(name.length() + 1))
                    : pair);
        }
        return request.toBuilder().query(query.toString()).build();
    }

    /** The signature's hex text, from the {@code Authorization} header or the presigned query. */
    private static String signature(SignableRequest request) {
        String authorization = request.firstHeader("Authorization").orElse("");
        int header = authorization.indexOf("Signature=");
        if (header >= 0) {
            // The field ends at a comma or white space, and a field after it that the verifier does not know is not
            // signed and changes nothing: "<signature> g2t=MQx" is the same signature, not a forgery.
            String field = authorization.substring(header + "Signature=".length()).strip();
            for (int i = 0; i < field.length(); i++) {
                if (field.charAt(i) == ',' || Character.isWhitespace(field.charAt(i))) {
                    return field.substring(0, i);
                }
            }
            return field;
        }
        int query = request.query().indexOf("X-Amz-Signature=");
        int end = request.query().indexOf('&', query);
        return request.query().substring(query + "X-Amz-Signature=".length(), end < 0 ? request.query().length() : end);
    }

    private static byte[] bytes(SignableRequest request) {
        var body = request.body();
        var bytes = new byte[body.remaining()];
        body.get(bytes);
        return bytes;
    }

    private static SignedRequest parse(SignableRequest request) {
        try {
            return PARSER.parse(request);
        } catch (SigV4Exception e) {
            throw new AssertionError("an accepted request does not parse", e);
        }
    }
}
