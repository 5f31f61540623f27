package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * Verifies a web identity token against its provider: keys from the provider's JWKS (discovered through
 * {@code ISSUER/.well-known/openid-configuration}, cached by {@code kid}, refetched on an unknown {@code kid} at a
 * bounded rate), RS256/384/512 or ES256/384/512 only, never a key carried by the token itself; then {@code exp} and
 * {@code nbf} with AWS's clock tolerance, {@code iat}, {@code sub}, and the audience among the provider's client ids.
 * One instance per node, shared by every request; thread-safe.
 *
 * <p>Order of checks: issuer (no request is made for a token of another provider), algorithm and header, keys,
 * signature, then claims. A token whose signature does not verify is never read further, so its claims cannot steer
 * the answer.
 */
public final class WebIdentityTokenVerifier {
    /** Keys are refetched after this long even when every {@code kid} is known, so retired keys stop verifying. */
    static final Duration KEYS_MAX_AGE = Duration.ofMinutes(15);
    /** At most one fetch per provider per this interval, however many unknown key ids arrive. */
    static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(30);
    /**
     * AWS's answer when no published key fits the token (real STS responses; the two spaces are AWS's). AWS also
     * sends it when the IdP cannot be reached; we send {@code IDPCommunicationError} then, as the API model describes.
     */
    static final String NO_VERIFICATION_KEY = "Couldn't retrieve verification key from your identity provider, "
            + " please reference AssumeRoleWithWebIdentity documentation for requirements";

    private final ProviderKeyCache keys;
    private final Clock clock;

    public WebIdentityTokenVerifier(IdpHttpsClient https, Clock clock) {
        this((JwksSource) requireNonNull(https, "https"), clock);
    }

    /** A verifier whose keys come from any source, e.g. a fixed set for a benchmark; cached as fetched keys are. */
    public WebIdentityTokenVerifier(JwksSource keySource, Clock clock) {
        this(keySource, clock, KEYS_MAX_AGE, MIN_REFETCH_INTERVAL);
    }

    WebIdentityTokenVerifier(JwksSource keySource, Clock clock, Duration keysMaxAge, Duration minRefetchInterval) {
        this.clock = requireNonNull(clock, "clock");
        this.keys = new ProviderKeyCache(keySource, clock, keysMaxAge, minRefetchInterval);
    }

    /**
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken}, {@code ExpiredTokenException},
     *     {@code IDPRejectedClaim} or {@code IDPCommunicationError}, with AWS's messages
     */
    public VerifiedWebIdentity verify(WebIdentityToken token, OidcProvider provider) {
        requireNonNull(token, "token");
        requireNonNull(provider, "provider");
        if (!token.issuer().equals(provider.url())) {
            // AWS's text when no provider of the account has the token's issuer (real STS responses).
            throw Claims.invalid("No OpenIDConnect provider found in your account for " + token.issuer());
        }
        JWSObject jws = token.jws();
        JWSHeader header = jws.getHeader();
        if (!JwsSignatures.headerAllowed(header)) {
            throw Claims.invalid(Claims.NOT_VALIDATED);
        }
        List<JwsSignatures.VerificationKey> candidates = JwsSignatures.candidates(header,
                keys.keys(provider, Optional.ofNullable(header.getKeyID())));
        if (candidates.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, NO_VERIFICATION_KEY);
        }
        if (!JwsSignatures.verify(jws, candidates)) {
            throw Claims.invalid(Claims.NOT_VALIDATED);
        }
        return Claims.check(token.claims(), provider, clock.instant());
    }
}
