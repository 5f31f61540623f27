package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.protocol.testing.TestData;

/**
 * The JWS and JWK vectors of {@code testdata/jose/wycheproof} (see {@code testdata/README.md}) through the verifier's
 * signature, algorithm and key policy ({@link JwsSignatures#verifyCompact}): a vector verifies exactly when upstream
 * calls it valid and its algorithm is one we accept (RS256/384/512, ES256/384/512), save the corrections and policy
 * choices listed in {@link #OVERRIDES}, each with its reason. Every HS, PS and {@code none} vector is refused.
 */
class JoseWycheproofTest {
    private static final String SIGNATURES = "json_web_signature_test.json";
    private static final String KEYS = "json_web_key_test.json";

    /** Where our verdict differs from upstream's {@code result}, by file and tcId. */
    private static final Map<String, Map<Integer, Verdict>> OVERRIDES = Map.of(
            SIGNATURES, Map.of(
                    367, new Verdict(true, "byte-identical to tcId 357 (valid); the intended padding was lost"
                            + " upstream. HS256, so we refuse it anyway"),
                    370, new Verdict(true, "byte-identical to tcId 357 (valid), as 367. HS256: refused anyway"),
                    372, new Verdict(false, "a '?' inside a base64url segment; the MAC is over the text without it"),
                    373, new Verdict(false, "as 372, in the payload"),
                    346, new Verdict(false, "header PS384 but the key's alg is PS256: we bind the key's alg"),
                    350, new Verdict(false, "as 346, with key_ops"),
                    347, new Verdict(false, "the key's alg is ES521, not a registered name, so not ES512"),
                    351, new Verdict(false, "as 347, with key_ops")),
            KEYS, Map.of(
                    7, new Verdict(true, "a ROCA-weak RSA key: refused only with a ROCA fingerprint check, which we"
                            + " do not make; the key is one the operator's registered provider publishes")));

    /** A corrected or deliberately different verdict: upstream's valid/invalid as it should read for us. */
    record Verdict(boolean valid, String reason) {
    }

    record Vector(String file, int tcId, String comment, String jws, Map<String, Object> jwks, boolean valid) {
        @Override
        public String toString() {
            return file.replace("_test.json", "") + " tcId " + tcId + " " + comment;
        }

        boolean expectedVerdict() {
            Verdict override = OVERRIDES.getOrDefault(file, Map.of()).get(tcId);
            boolean upstreamOrCorrected = override != null ? override.valid() : valid;
            return upstreamOrCorrected && JwsSignatures.ALLOWED.contains(headerAlgorithm());
        }

        private JWSAlgorithm headerAlgorithm() {
            try {
                String header = new Base64URL(jws.substring(0, jws.indexOf('.'))).decodeToString();
                return JWSAlgorithm.parse(JSONObjectUtils.getString(JSONObjectUtils.parse(header), "alg"));
            } catch (ParseException | RuntimeException e) {
                return null;
            }
        }
    }

    static Stream<Vector> vectors() {
        return Stream.concat(read(SIGNATURES).stream(), read(KEYS).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector_verdictMatchesUpstreamWithinOurAlgorithmPolicy(Vector vector) {
        assertThat(JwsSignatures.verifyCompact(vector.jws(), vector.jwks())).isEqualTo(vector.expectedVerdict());
    }

    @Test
    void vectorSet_hasNotShrunk_andWhatWeAcceptIsPinned() {
        List<Vector> signatures = read(SIGNATURES);
        List<Vector> keys = read(KEYS);

        assertThat(signatures).hasSize(401);
        assertThat(keys).hasSize(26);
        assertThat(signatures.stream().filter(Vector::expectedVerdict).map(Vector::tcId))
                .containsExactlyInAnyOrder(18, 33, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271,
                        345, 349, 378);
        assertThat(keys.stream().filter(Vector::expectedVerdict).map(Vector::tcId)).containsExactlyInAnyOrder(5, 7);
    }

    @Test
    void everyOverride_namesAVectorOfItsFile() {
        OVERRIDES.forEach((file, overrides) -> {
            Set<Integer> ids = Set.copyOf(read(file).stream().map(Vector::tcId).toList());
            assertThat(ids).as(file).containsAll(overrides.keySet());
        });
    }

    @Test
    void nonCanonicalBase64_tcId375_isRefusedByOurOwnCheck() {
        Vector vector = read(SIGNATURES).stream().filter(v -> v.tcId() == 375).findFirst().orElseThrow();
        String[] parts = vector.jws().split("\\.");
        assertThat(Stream.of(parts).allMatch(JwsSignatures::isCanonicalBase64Url)).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static List<Vector> read(String file) {
        Path path = TestData.file("jose", "wycheproof", "testvectors_v1", file);
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(Files.readString(path, StandardCharsets.UTF_8), Integer.MAX_VALUE);
        } catch (IOException | ParseException e) {
            throw new AssertionError("cannot read " + path, e);
        }
        List<Vector> vectors = new ArrayList<>();
        for (Object groupObject : (List<Object>) json.get("testGroups")) {
            Map<String, Object> group = (Map<String, Object>) groupObject;
            // The verifier only ever sees published keys: the public part where upstream gives one, else (HMAC
            // groups) the private key, which our policy refuses to use.
            Map<String, Object> key = (Map<String, Object>) group.getOrDefault("public", group.get("private"));
            Map<String, Object> jwks = key.containsKey("keys") ? key : Map.of("keys", List.of(key));
            for (Object testObject : (List<Object>) group.get("tests")) {
                Map<String, Object> test = (Map<String, Object>) testObject;
                vectors.add(new Vector(file, ((Number) test.get("tcId")).intValue(), (String) test.get("comment"),
                        (String) test.get("jws"), jwks, "valid".equals(test.get("result"))));
            }
        }
        return vectors;
    }
}
