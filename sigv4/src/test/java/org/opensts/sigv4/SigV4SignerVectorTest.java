package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.opensts.sigv4.SigningTestVectors.ACCESS_KEY_ID;
import static org.opensts.sigv4.SigningTestVectors.LEGACY_STS_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.LEGACY_VANILLA_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.SECRET_ACCESS_KEY;
import static org.opensts.sigv4.SigningTestVectors.request;
import static org.opensts.sigv4.SigningTestVectors.signatureOf;
import static org.opensts.sigv4.SigningTestVectors.text;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.SigningTestVectors.Context;

/**
 * The signer against the external vectors: it must reproduce every one from the unsigned {@code request.txt} (main
 * suite, history) or {@code .req} (legacy suite), and what it signs must verify.
 */
class SigV4SignerVectorTest {

    private static final byte[] SECRET = SECRET_ACCESS_KEY.getBytes(UTF_8);

    /**
     * One request to sign and what signing it must give.
     *
     * @param presigned        whether to presign (query form) rather than sign the header
     * @param credentials      what to sign with; a token the vector adds after signing is not among them
     * @param canonicalRequest the expected canonical request, or {@code null} (legacy suite: only the header is given)
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
        List<SigningCase> cases = new ArrayList<>();
        List<Path> dirs = new ArrayList<>(SigningTestVectors.mainSuiteCases());
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
                // The main suite adds x-amz-content-sha256 for "sign_body" in the header form only; the history case
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
        for (Path dir : SigningTestVectors.legacySuiteCases()) {
            String name = dir.getFileName().toString();
            String token = switch (name) {
                case "post-sts-header-before" -> LEGACY_STS_TOKEN;
                case "get-vanilla-with-session-token" -> LEGACY_VANILLA_TOKEN;
                default -> null; // post-sts-header-after adds its token after signing
            };
            SigningCredentials credentials = token == null
                    ? SigningCredentials.of(ACCESS_KEY_ID, SECRET)
                    : SigningCredentials.of(ACCESS_KEY_ID, SECRET, token);
            String authorization = text(dir.resolve(name + ".authz"));
            cases.add(new SigningCase("legacy/" + name, request(dir.resolve(name + ".req")), false, credentials,
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
}
