package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the verifier needs to know of an IAM OIDC identity provider.
 *
 * @param arn {@code arn:aws:iam::ACCOUNT:oidc-provider/HOST[:PORT][/PATH]}
 * @param url the issuer as registered, {@code https://HOST[:PORT][/PATH]}; a token's {@code iss} must equal it
 * @param clientIds the audiences a token may be issued for (IAM's {@code ClientIDList})
 * @param thumbprints lower-case hex SHA-1 thumbprints of certificates, one of which must be in the chain the IdP's
 *     HTTPS server presents; empty when the provider has none (the server certificate is then trusted by its CA alone)
 */
public record OidcProvider(String arn, String url, List<String> clientIds, List<String> thumbprints) {
    public OidcProvider {
        requireNonNull(arn, "arn");
        requireNonNull(url, "url");
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
    }
}
