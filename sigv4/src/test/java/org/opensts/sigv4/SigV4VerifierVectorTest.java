package org.opensts.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.opensts.sigv4.SigningTestVectors.LEGACY_STS_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.LEGACY_VANILLA_TOKEN;
import static org.opensts.sigv4.SigningTestVectors.request;
import static org.opensts.sigv4.SigningTestVectors.signatureOf;
import static org.opensts.sigv4.SigningTestVectors.text;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.sigv4.SigningTestVectors.Context;

/**
 * The verifier against the external vectors (testdata/README.md, "sigv4"): the main v4 suite in header and presigned
 * form, the history {@code post-unsigned-payload} case, the legacy suite and the double-encoding extras.
 * Each step is asserted on its own, so a failure names it: the canonical request, the string to sign (from our
 * canonical request), the signature (from the vector's string to sign), and the verdict at {@code context.timestamp}.
 *
 * <p>Two upstream faults are expected to be <em>rejected</em>, as the README explains; see {@link #cases()}.
 */
class SigV4VerifierVectorTest {

    /**
     * One signed request of a vector set.
     *
     * @param stepsRequest the request whose steps the expected files describe
     * @param wireRequest  the request as the vector sends it, which the verifier judges; differs from
     *                     {@code stepsRequest} only where an upstream fault is explained in {@code upstreamFault}
     * @param stringToSign the expected string to sign, or {@code null} when only the canonical request is meaningful
     * @param accepted     whether the verifier must accept {@code wireRequest}
     */
    record VectorCase(String name, SignableRequest stepsRequest, SignableRequest wireRequest, String canonicalRequest,
            String stringToSign, String signature, Context context, boolean accepted, String upstreamFault) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<VectorCase> cases() {
        List<VectorCase> cases = new ArrayList<>();
        for (Path dir : SigningTestVectors.mainSuiteCases()) {
            addMainSuiteCases(cases, "suite/", dir);
        }
        addMainSuiteCases(cases, "history/", SigningTestVectors.historyCase());
        for (Path dir : SigningTestVectors.legacySuiteCases()) {
            addLegacySuiteCase(cases, dir);
        }
        addExtraCases(cases);
        return cases.stream();
    }

    static Stream<VectorCase> signedCases() {
        return cases().filter(c -> c.stringToSign() != null);
    }

    static Stream<VectorCase> acceptedCases() {
        return signedCases().filter(VectorCase::accepted);
    }

    private static void addMainSuiteCases(List<VectorCase> cases, String prefix, Path dir) {
        Context context = SigningTestVectors.context(dir);
        for (String form : List.of("header", "query")) {
            SignableRequest wire = request(dir.resolve(form + "-signed-request.txt"));
            SignableRequest steps = wire;
            boolean accepted = true;
            String fault = null;
            if (form.equals("query") && context.omitSessionToken()) {
                // Upstream fault (post-sts-header-after, presigned): the token was appended to the URL after
                // presigning, so the vector's canonical request leaves it out. A verifier signs every query
                // parameter but X-Amz-Signature, so it must reject the URL as sent; the steps are checked on the
                // URL without the token, which is what was signed.
                steps = SigningTestVectors.withoutQueryParameter(wire, "X-Amz-Security-Token");
                accepted = false;
                fault = "token added to the presigned URL after signing";
            }
            cases.add(new VectorCase(prefix + dir.getFileName() + " (" + form + ")", steps, wire,
                    text(dir.resolve(form + "-canonical-request.txt")),
                    text(dir.resolve(form + "-string-to-sign.txt")),
                    text(dir.resolve(form + "-signature.txt")),
                    context, accepted, fault));
        }
    }

    private static void addLegacySuiteCase(List<VectorCase> cases, Path dir) {
        String name = dir.getFileName().toString();
        String token = switch (name) {
            case "post-sts-header-before" -> LEGACY_STS_TOKEN;
            case "get-vanilla-with-session-token" -> LEGACY_VANILLA_TOKEN;
            default -> null;
        };
        SignableRequest wire = request(dir.resolve(name + ".sreq"));
        // Upstream fault: get-vanilla-with-session-token.sreq carries get-vanilla's signature (5fa00fa3...), not the
        // one its .authz and .sts describe (07ec1639...). The steps must reproduce .authz; the .sreq must fail.
        boolean faulty = name.equals("get-vanilla-with-session-token");
        cases.add(new VectorCase("legacy/" + name, wire, wire,
                text(dir.resolve(name + ".creq")),
                text(dir.resolve(name + ".sts")),
                signatureOf(text(dir.resolve(name + ".authz"))),
                Context.common(token), !faulty, faulty ? "wrong signature in .sreq" : null));
    }

    private static void addExtraCases(List<VectorCase> cases) {
        // double-url-encode: complete. Its string-to-sign file ends with a newline that is not part of it.
        Path dir = SigningTestVectors.path("smithy-rs-extra", "v4", "double-url-encode");
        SignableRequest wire = request(dir.resolve("header-signed-request.txt"));
        Context lambda = new Context(SigningTestVectors.ACCESS_KEY_ID, SigningTestVectors.SECRET_ACCESS_KEY, null,
                "us-east-2", "lambda", Instant.parse("2021-05-11T15:40:45Z"), 0, true, false, false, null);
        cases.add(new VectorCase("extra/double-url-encode", wire, wire,
                text(dir.resolve("header-canonical-request.txt")),
                text(dir.resolve("header-string-to-sign.txt")).stripTrailing(),
                signatureOf(wire.firstHeader("Authorization").orElseThrow()),
                lambda, true, null));

        // double-encode-path: only the canonical request is meaningful; its signed request was made with other
        // credentials and at another time, so the canonical request is rebuilt with the X-Amz-Date it shows.
        dir = SigningTestVectors.path("smithy-rs-extra", "v4", "double-encode-path");
        wire = request(dir.resolve("header-signed-request.txt"));
        SignableRequest steps = SigningTestVectors.withHeader(wire, "X-amz-date", "20210511T154045Z");
        cases.add(new VectorCase("extra/double-encode-path (canonical request only)", steps, wire,
                text(dir.resolve("header-canonical-request.txt")), null, null,
                Context.common(null), false, "signed with unknown credentials"));
    }

    @Test
    void vectorSets_haveTheDocumentedNumberOfCases() {
        List<VectorCase> all = cases().toList();
        assertThat(all).filteredOn(c -> c.name().startsWith("suite/")).hasSize(76);
        assertThat(all).filteredOn(c -> c.name().startsWith("history/")).hasSize(2);
        assertThat(all).filteredOn(c -> c.name().startsWith("legacy/")).hasSize(34);
        assertThat(all).filteredOn(c -> c.name().startsWith("extra/")).hasSize(2);
        assertThat(all).filteredOn(c -> c.upstreamFault() != null && c.stringToSign() != null).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void canonicalRequest_equalsVector(VectorCase c) throws SigV4Exception {
        SigV4Verifier verifier = c.context().verifier();
        SignedRequest signed = verifier.parse(c.stepsRequest());

        assertThat(verifier.canonicalRequest(signed, c.stepsRequest()).text()).isEqualTo(c.canonicalRequest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedCases")
    void stringToSign_equalsVector(VectorCase c) throws SigV4Exception {
        SigV4Verifier verifier = c.context().verifier();
        SignedRequest signed = verifier.parse(c.stepsRequest());
        CanonicalRequest canonicalRequest = verifier.canonicalRequest(signed, c.stepsRequest());

        assertThat(verifier.stringToSign(signed, canonicalRequest)).isEqualTo(c.stringToSign());
        assertThat(SigV4.stringToSign(signed.requestTime(), signed.credentialScope(), canonicalRequest))
                .isEqualTo(c.stringToSign());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedCases")
    void signature_ofVectorStringToSign_equalsVector(VectorCase c) throws SigV4Exception {
        SignedRequest signed = c.context().verifier().parse(c.stepsRequest());
        byte[] signingKey = SigV4.deriveSigningKey(c.context().secret(), signed.credentialScope());

        assertThat(SigV4.signature(signingKey, c.stringToSign())).isEqualTo(c.signature());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedCases")
    void verify_atContextTimestamp_givesTheVectorsVerdict(VectorCase c) throws SigV4Exception {
        SigV4Verifier verifier = c.context().verifier();
        SignedRequest signed = verifier.parse(c.wireRequest());
        byte[] secret = c.context().secret();
        Instant now = c.context().timestamp();

        if (c.accepted()) {
            assertThatCode(() -> verifier.verify(signed, c.wireRequest(), secret, now)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> verifier.verify(signed, c.wireRequest(), secret, now))
                    .as(c.upstreamFault())
                    .isInstanceOfSatisfying(SigV4Exception.class,
                            e -> assertThat(e.failure()).isEqualTo(SigV4Failure.SIGNATURE_DOES_NOT_MATCH));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedCases")
    void verify_vectorWithAnySignedValueChanged_isRejected(VectorCase c) throws SigV4Exception {
        SigV4Verifier verifier = c.context().verifier();
        SignableRequest wire = c.wireRequest();
        SignedRequest signed = verifier.parse(wire);
        List<SignableRequest> tampered = new ArrayList<>();
        for (String name : signed.signedHeaders()) {
            String value = wire.firstHeader(name).orElseThrow();
            tampered.add(SigningTestVectors.withHeader(wire, name, value + "x"));
        }
        tampered.add(wire.toBuilder().path(wire.path() + "x").build());
        if (!wire.query().isEmpty()) {
            tampered.add(wire.toBuilder().query(wire.query() + "x").build());
        }
        if (wire.bodyLength() > 0 && !c.context().unsignedPayload()) { // an UNSIGNED-PAYLOAD body is not signed
            byte[] body = new byte[wire.bodyLength()];
            wire.body().get(body);
            body[0] ^= 1;
            tampered.add(wire.toBuilder().body(body).build());
        }

        for (SignableRequest request : tampered) {
            assertThatThrownBy(() -> verifier.verify(verifier.parse(request), request, c.context().secret(),
                    c.context().timestamp()))
                    .as(request.toString())
                    .isInstanceOf(SigV4Exception.class);
        }
    }
}
