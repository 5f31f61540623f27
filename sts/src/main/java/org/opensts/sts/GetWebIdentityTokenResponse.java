package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.opensts.token.Secret;

/**
 * The result of GetWebIdentityToken: the signed token, a bearer credential for whoever trusts the issuer, so it is held
 * as a {@link Secret}, and when it expires.
 */
public record GetWebIdentityTokenResponse(Secret webIdentityToken, Instant expiration) {
    public GetWebIdentityTokenResponse {
        requireNonNull(webIdentityToken, "webIdentityToken");
        requireNonNull(expiration, "expiration");
    }
}
