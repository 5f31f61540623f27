package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.AssertionReplayGuard;
import org.opensts.federation.saml.SamlResponseVerifier;

/**
 * What AssumeRoleWithWebIdentity and AssumeRoleWithSAML trust beside the store: the verifier of web identity tokens
 * (it fetches the providers' keys), the verifier of SAML responses, and the record of redeemed assertions that every
 * node of a store shares. One per node.
 */
public record Federation(WebIdentityTokenVerifier webIdentityVerifier, SamlResponseVerifier samlVerifier,
        AssertionReplayGuard replayGuard) {
    public Federation {
        requireNonNull(webIdentityVerifier, "webIdentityVerifier");
        requireNonNull(samlVerifier, "samlVerifier");
        requireNonNull(replayGuard, "replayGuard");
    }
}
