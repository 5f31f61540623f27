package org.opensts.federation.oidc;

/**
 * A web identity token as received, parsed but not yet trusted: its issuer is read so the caller can find the
 * provider to verify it with. Never holds anything but the token text and what was decoded from it.
 */
public final class WebIdentityToken {
    private WebIdentityToken() {
    }

    /**
     * Parses a compact JWS whose payload is a JSON claim set.
     *
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the text is not such a token or has
     *     no {@code iss}, worded as AWS words it
     */
    public static WebIdentityToken parse(String token) {
        throw new UnsupportedOperationException("issue 8: oidc helper");
    }

    /** The {@code iss} claim, unverified. */
    public String issuer() {
        throw new UnsupportedOperationException("issue 8: oidc helper");
    }
}
