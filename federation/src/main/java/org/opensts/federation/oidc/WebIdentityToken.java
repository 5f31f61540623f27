package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Collections;
import java.util.Map;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * A web identity token as received, parsed but not yet trusted: its issuer is read so the caller can find the
 * provider to verify it with. Never holds anything but the token text and what was decoded from it.
 *
 * <p>Its {@code toString()} names the unverified issuer only: the token is a bearer credential and never logged.
 */
public final class WebIdentityToken {
    /**
     * AWS's answer to text that is not a signed JWT, e.g. an opaque OAuth access token (seen in real STS responses:
     * {@code InvalidIdentityToken}).
     */
    static final String NOT_A_JWT =
            "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";

    private final JWSObject jws;
    private final Map<String, Object> claims;
    private final String issuer;

    private WebIdentityToken(JWSObject jws, Map<String, Object> claims, String issuer) {
        this.jws = jws;
        this.claims = claims;
        this.issuer = issuer;
    }

    /**
     * Parses a compact JWS whose payload is a JSON claim set.
     *
     * @throws org.opensts.protocol.ApiException {@code InvalidIdentityToken} when the text is not such a token or has
     *     no {@code iss}, worded as AWS words it
     */
    public static WebIdentityToken parse(String token) {
        requireNonNull(token, "token");
        JWSObject jws;
        Map<String, Object> claims;
        try {
            // Five segments (JWE), "alg": "none", a header or payload that is not a JSON object: all not a JWT.
            jws = JwsSignatures.parseCompact(token);
            claims = JSONObjectUtils.parse(jws.getPayload().toString());
        } catch (ParseException | RuntimeException e) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, NOT_A_JWT);
        }
        if (!(claims.get("iss") instanceof String issuer)) {
            throw Claims.missing("iss");
        }
        return new WebIdentityToken(jws, Collections.unmodifiableMap(claims), issuer);
    }

    /** The {@code iss} claim, unverified. */
    public String issuer() {
        return issuer;
    }

    JWSObject jws() {
        return jws;
    }

    /** The claim set as decoded, numbers as {@code Long} or {@code Double}; unverified. */
    Map<String, Object> claims() {
        return claims;
    }

    @Override
    public String toString() {
        return "WebIdentityToken[iss=" + issuer + ", unverified]";
    }
}
