package org.opensts.federation.saml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.opensts.protocol.ApiException;

/**
 * Random changes to a genuine signed response (characters replaced, inserted or deleted, in the XML or in its
 * base64) never make it verify as anyone else, and never fail with anything but an {@link ApiException}.
 */
class SamlResponseVerifierPropertyTest {
    private static final SamlResponseVerifier VERIFIER = SamlResponseVerifierTest.verifierAt(
            SamlResponseVerifierTest.NOW);
    private static final String XML = SamlResponseVerifierTest.response().signResponse(true).assertionId("_genuine")
            .xml();
    private static final VerifiedSamlAssertion GENUINE =
            VERIFIER.verify(base64(XML), SamlResponseVerifierTest.METADATA);

    /** A change: at {@code position} (scaled to the text), delete {@code delete} characters and insert {@code text}. */
    record Mutation(double position, int delete, String text) {
        String applyTo(String original) {
            int at = (int) (position * original.length());
            int end = Math.min(original.length(), at + delete);
            return original.substring(0, at) + text + original.substring(end);
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<String> inserted = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(3),
                Arbitraries.of("<", ">", "\"", "&", "<!--", "-->", "<!DOCTYPE x>", "ID=\"_genuine\" ",
                        "<saml:Assertion>", "</saml:Assertion>", "admin", " ", "\n", "="));
        return Combinators.combine(Arbitraries.doubles().between(0, 0.9999).ofScale(4), Arbitraries.integers().between(0, 8),
                inserted).as(Mutation::new).filter(m -> m.delete() > 0 || !m.text().isEmpty());
    }

    @Property(tries = 300)
    void mutatedXml_neverVerifiesAsAnotherSubject(@ForAll("mutations") Mutation mutation) {
        checkOutcome(base64(mutation.applyTo(XML)));
    }

    @Property(tries = 200)
    void mutatedBase64_neverVerifiesAsAnotherSubject(@ForAll("mutations") Mutation mutation) {
        checkOutcome(mutation.applyTo(base64(XML)));
    }

    private static void checkOutcome(String samlAssertion) {
        VerifiedSamlAssertion verified;
        try {
            verified = VERIFIER.verify(samlAssertion, SamlResponseVerifierTest.METADATA);
        } catch (ApiException refused) {
            return;
        }
        // Some changes are invisible to the signature (whitespace between attributes, the XML declaration) and
        // verify: then nothing that identifies the subject may differ.
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
