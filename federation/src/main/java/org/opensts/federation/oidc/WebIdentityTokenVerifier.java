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
 * bounded rate, by a bounded number of threads at once for each account and for the node), RS256/384/512 or
 * ES256/384/512 only, never a key carried by the token itself; then {@code exp} and {@code nbf} with AWS's clock
 * tolerance, {@code iat}, {@code sub}, and the audience among the provider's client ids. One instance per node, shared
 * by every request; thread-safe.
 *
 * <p>Order of checks: issuer (no request is made for a token of another provider), algorithm and header, keys,
 * signature, then claims. A token whose signature does not verify is never read further, so its claims cannot steer
 * the answer.
 */
public final class WebIdentityTokenVerifier {
    /** Keys are refetched after this long even when every {@code kid} is known, so retired keys stop verifying. */
    static final Duration KEYS_MAX_AGE = Duration.ofMinutes(15);
    /**
     * Past {@link #KEYS_MAX_AGE}, keys still verify a {@code kid} they hold for this long while a refresh is under way,
     * cannot start (every permit held) or has failed, so that no request waits for the refresh but the one making it.
     * A retired key thus verifies at most 30 minutes after the provider last published it, twice the usual; the grace
     * spans some thirty refresh attempts (one per {@link #MIN_REFETCH_INTERVAL}), enough to ride out a provider's
     * brief outage or a flood of requests holding the permits, and short enough that a key the provider withdrew
     * stops verifying within the half hour even when the provider cannot be reached.
     */
    static final Duration STALE_KEYS_GRACE = Duration.ofMinutes(15);
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
        this(keySource, clock, ThreadsOnIdp.DEFAULTS);
    }

    /** @param threadsOnIdp how many request threads may fetch keys, or wait for a fetch, at once */
    WebIdentityTokenVerifier(JwksSource keySource, Clock clock, ThreadsOnIdp threadsOnIdp) {
        this.clock = requireNonNull(clock, "clock");
        this.keys = new ProviderKeyCache(keySource, clock, KEYS_MAX_AGE, STALE_KEYS_GRACE, MIN_REFETCH_INTERVAL,
                threadsOnIdp);
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
