package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import java.time.Instant;
import java.util.List;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.testing.MutableClock;

/**
 * The web identity token path of AssumeRoleWithWebIdentity ({@link WebIdentityToken#parse}, then
 * {@link WebIdentityTokenVerifier#verify}) against any text, and against tokens a real issuer minted (RS256 and
 * ES256) that the fuzzer changes: one or several characters, a cut, an extension, an insertion, a deletion, or a
 * part (header, claims, signature) replaced by text of its own.
 *
 * <p>Invariants: nothing but {@link ApiException} with a 4xx code ({@code InvalidIdentityToken},
 * {@code ExpiredTokenException}, {@code IDPRejectedClaim}, {@code IDPCommunicationError}); no message holds the token
 * or its signature; and only a token as minted verifies. Keys come from a fixed source filled from the issuer's key
 * set, so no input touches the network. Seeds in
 * {@code WebIdentityTokenFuzzTestInputs/verify_anyTokenText_isRefusedUnlessMinted}.
 */
class WebIdentityTokenFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\":,";

    private static final TestOidcIssuer ISSUER = startIssuer();
    private static final OidcProvider PROVIDER = new OidcProvider(
            "arn:aws:iam::123456789012:oidc-provider/" + ISSUER.hostPortPath(), ISSUER.url(),
            List.of(TestOidcIssuer.DEFAULT_AUDIENCE), List.of());
    private static final WebIdentityTokenVerifier VERIFIER = verifier();
    private static final List<String> MINTED = List.of(ISSUER.mint(ISSUER.claims(NOW).build()),
            ISSUER.mint("ec-256", ISSUER.claims(NOW).build()));

    @FuzzTest(maxDuration = "10s")
    void verify_anyTokenText_isRefusedUnlessMinted(FuzzedDataProvider data) {
        String minted = data.pickValue(MINTED);
        String token = switch (data.consumeInt(0, 2)) {
            case 0 -> data.consumeRemainingAsString();
            case 1 -> mutated(minted, data);
            default -> {
                String[] parts = minted.split("\\.", -1);
                parts[data.consumeInt(0, 2)] = data.consumeRemainingAsString();
                yield String.join(".", parts);
            }
        };
        VerifiedWebIdentity verified;
        try {
            verified = VERIFIER.verify(WebIdentityToken.parse(token), PROVIDER);
        } catch (ApiException e) {
            assertThat(e.errorCode().httpStatus()).as(e.toString()).isLessThan(500);
            String signature = minted.substring(minted.lastIndexOf('.') + 1);
            assertThat(e.getMessage()).doesNotContain(minted).doesNotContain(signature);
            if (token.length() > 40) {
                assertThat(e.getMessage()).doesNotContain(token);
            }
            return;
        }
        assertThat(token).as("a token other than the one minted verified").isIn(MINTED);
        assertThat(verified.subject()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
    }

    /** The token with one change of a kind the fuzzer picks, at places it picks. */
    private static String mutated(String token, FuzzedDataProvider data) {
        var out = new StringBuilder(token);
        int at = data.consumeInt(0, token.length() - 1);
        switch (data.consumeInt(0, 5)) {
            case 0 -> out.setCharAt(at, data.pickValue(CHARACTERS.toCharArray()));
            case 1 -> {
                for (int n = data.consumeInt(2, 16); n > 0; n--) {
                    out.setCharAt(data.consumeInt(0, token.length() - 1), data.pickValue(CHARACTERS.toCharArray()));
                }
            }
            case 2 -> out.setLength(at);
            case 3 -> out.append(data.consumeRemainingAsString());
            case 4 -> out.insert(at, data.pickValue(CHARACTERS.toCharArray()));
            default -> out.delete(at, Math.min(token.length(), at + data.consumeInt(1, 16)));
        }
        return out.toString();
    }

    private static TestOidcIssuer startIssuer() {
        var issuer = TestOidcIssuer.start();
        issuer.addEcKey("ec-256", JWSAlgorithm.ES256);
        return issuer;
    }

    private static WebIdentityTokenVerifier verifier() {
        var keys = ISSUER.jwks();
        return new WebIdentityTokenVerifier(provider -> keys, new MutableClock(NOW));
    }
}
