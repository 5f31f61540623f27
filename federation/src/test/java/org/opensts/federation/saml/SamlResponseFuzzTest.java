package org.opensts.federation.saml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Base64;
import org.opensts.protocol.ApiException;

/**
 * The SAML path of AssumeRoleWithSAML ({@link SamlResponseVerifier#verify}) against any text, any XML, and a genuine
 * signed response changed by the fuzzer, in its XML or in its base64: at a place it picks, characters deleted and
 * text of its own inserted (a DTD, a comment in a name, a second assertion, a wrapped signature…).
 *
 * <p>Invariants: nothing but {@link ApiException} with a 4xx code ({@code InvalidIdentityToken},
 * {@code ExpiredTokenException}, {@code IDPRejectedClaim}); no message holds the assertion or its signature value;
 * and a response that verifies says exactly what the genuine one says (assertion id, issuer, subject, attributes,
 * recipient): changes the signature does not cover (spacing between attributes, the XML declaration) may verify,
 * nothing else. Seeds in {@code SamlResponseFuzzTestInputs/verify_anyResponse_isRefusedUnlessItSaysWhatWasSigned}.
 */
class SamlResponseFuzzTest {
    private static final SamlResponseVerifier VERIFIER = SamlResponseVerifierTest.verifierAt(
            SamlResponseVerifierTest.NOW);
    private static final String XML = SamlResponseVerifierTest.response().signResponse(true).assertionId("_genuine")
            .xml();
    private static final String BASE64 = base64(XML);
    private static final String SIGNATURE_VALUE = XML.substring(XML.indexOf("SignatureValue>") + 15,
            XML.indexOf("</", XML.indexOf("SignatureValue>"))).strip();
    private static final VerifiedSamlAssertion GENUINE =
            SamlResponseVerifierTest.verifierAt(SamlResponseVerifierTest.NOW)
                    .verify(BASE64, SamlResponseVerifierTest.METADATA);

    @FuzzTest(maxDuration = "10s")
    void verify_anyResponse_isRefusedUnlessItSaysWhatWasSigned(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 3);
        String samlAssertion = switch (kind) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> base64(data.consumeRemainingAsString());
            default -> {
                String original = kind == 2 ? XML : BASE64;
                int at = data.consumeInt(0, original.length());
                int end = Math.min(original.length(), at + data.consumeInt(0, 64));
                String changed = original.substring(0, at) + data.consumeRemainingAsString()
                        + original.substring(end);
                yield kind == 2 ? base64(changed) : changed;
            }
        };
        VerifiedSamlAssertion verified;
        try {
            verified = VERIFIER.verify(samlAssertion, SamlResponseVerifierTest.METADATA);
        } catch (ApiException e) {
            assertThat(e.errorCode().httpStatus()).as(e.toString()).isLessThan(500);
            assertThat(e.getMessage()).doesNotContain(SIGNATURE_VALUE).doesNotContain(BASE64);
            if (samlAssertion.length() > 40) {
                assertThat(e.getMessage()).doesNotContain(samlAssertion);
            }
            return;
        }
        assertThat(verified.assertionId()).isEqualTo(GENUINE.assertionId());
        assertThat(verified.issuer()).isEqualTo(GENUINE.issuer());
        assertThat(verified.nameId()).isEqualTo(GENUINE.nameId());
        assertThat(verified.attributes()).isEqualTo(GENUINE.attributes());
        assertThat(verified.recipient()).isEqualTo(GENUINE.recipient());
    }

    private static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(UTF_8));
    }
}
