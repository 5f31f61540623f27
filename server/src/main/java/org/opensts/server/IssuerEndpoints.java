package org.opensts.server;

import java.util.Optional;
import org.opensts.iam.OutboundFederation;
import org.opensts.sts.WebIdentityTokens;

/**
 * The unauthenticated documents of each account's web identity token issuer:
 * {@code /outbound-federation/ISSUER_ID/.well-known/openid-configuration} and
 * {@code /outbound-federation/ISSUER_ID/.well-known/jwks.json}. Anything else under the prefix, and any issuer id no
 * account has, is not found.
 */
final class IssuerEndpoints {
    private final WebIdentityTokens tokens;

    IssuerEndpoints(WebIdentityTokens tokens) {
        this.tokens = tokens;
    }

    /** Whether {@code path} is one this class answers (found or not), so the Query API need not look at it. */
    static boolean handles(String path) {
        return path.startsWith(OutboundFederation.ISSUER_PATH_PREFIX);
    }

    /** The JSON document at {@code path}, or empty if there is none. */
    Optional<String> document(String path) {
        String rest = path.substring(OutboundFederation.ISSUER_PATH_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String issuerId = rest.substring(0, slash);
        String document = rest.substring(slash);
        if (document.equals(WebIdentityTokens.DISCOVERY_PATH)) {
            return tokens.openIdConfiguration(issuerId);
        }
        if (document.equals(WebIdentityTokens.JWKS_PATH)) {
            return tokens.jwks(issuerId);
        }
        return Optional.empty();
    }
}
