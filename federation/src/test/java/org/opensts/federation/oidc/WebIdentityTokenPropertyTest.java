package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JWSAlgorithm;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.testing.MutableClock;

/**
 * Open-ended input: whatever text arrives, and however a valid token is altered, parsing and verifying either
 * refuses with an {@link ApiException} or (only for the token as minted) accepts. Keys come from a fixed source filled
 * from a real issuer's key set, so no property run touches the network.
 */
class WebIdentityTokenPropertyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\":,";

    private static TestOidcIssuer issuer;
    private static OidcProvider provider;
    private static WebIdentityTokenVerifier verifier;
    private static List<String> validTokens;

    @BeforeContainer
    static void start() {
        issuer = TestOidcIssuer.start();
        issuer.addEcKey("ec-256", JWSAlgorithm.ES256);
        provider = new OidcProvider("arn:aws:iam::123456789012:oidc-provider/" + issuer.hostPortPath(), issuer.url(),
                List.of(TestOidcIssuer.DEFAULT_AUDIENCE), List.of());
        var keys = issuer.jwks();
        verifier = new WebIdentityTokenVerifier(p -> keys, new MutableClock(NOW));
        validTokens = List.of(issuer.mint(issuer.claims(NOW).build()),
                issuer.mint("ec-256", issuer.claims(NOW).build()));
    }

    @AfterContainer
    static void stop() {
        issuer.close();
    }

    @Property(tries = 500)
    void arbitraryText_isRefusedWithAnApiException(@ForAll("text") String text) {
        Throwable thrown = catchThrowable(() -> verifier.verify(WebIdentityToken.parse(text), provider));

        assertThat(thrown).isInstanceOf(ApiException.class);
    }

    @Property(tries = 1000)
    void anyAlterationOfAValidToken_isRefusedWithAnApiException(@ForAll("alterations") Alteration alteration) {
        String token = alteration.apply(validTokens.get(alteration.tokenIndex()));
        Throwable thrown = catchThrowable(() -> verifier.verify(WebIdentityToken.parse(token), provider));

        assertThat(thrown).isInstanceOf(ApiException.class);
    }

    @Property(tries = 10)
    void unalteredTokens_verify(@ForAll("tokenIndex") int index) {
        assertThat(verifier.verify(WebIdentityToken.parse(validTokens.get(index)), provider).subject())
                .isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
    }

    /** Replace the character at {@code position} (modulo the length) with another, or insert or delete one. */
    record Alteration(int tokenIndex, int position, char replacement, int kind) {
        String apply(String token) {
            int at = Math.floorMod(position, token.length());
            char original = token.charAt(at);
            return switch (kind) {
                case 0 -> token.substring(0, at) + (replacement == original ? (char) (original ^ 1) : replacement)
                        + token.substring(at + 1);
                case 1 -> token.substring(0, at) + replacement + token.substring(at);
                default -> token.substring(0, at) + token.substring(at + 1);
            };
        }
    }

    @Provide
    Arbitrary<Alteration> alterations() {
        return Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.integers(),
                Arbitraries.chars().with(ALPHABET.toCharArray()), Arbitraries.integers().between(0, 2))
                .as(Alteration::new);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMinLength(4).ofMaxLength(400),
                Arbitraries.strings().withChars(ALPHABET.toCharArray()).ofMinLength(4).ofMaxLength(400),
                Arbitraries.strings().withChars("eyJhbGciOi.").ofMinLength(4).ofMaxLength(200));
    }

    @Provide
    Arbitrary<Integer> tokenIndex() {
        return Arbitraries.integers().between(0, 1);
    }
}
