package org.opensts.federation.oidc;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.opensts.protocol.Arn;

/**
 * What the verifier needs to know of an IAM OIDC identity provider.
 *
 * @param arn {@code arn:aws:iam::ACCOUNT:oidc-provider/HOST[:PORT][/PATH]}
 * @param url the issuer as registered, {@code https://HOST[:PORT][/PATH]}; a token's {@code iss} must equal it
 * @param clientIds the audiences a token may be issued for (IAM's {@code ClientIDList})
 * @param thumbprints lower-case hex SHA-1 thumbprints of certificates, consulted only when no trusted CA vouches for
 *     the IdP's HTTPS server: then one of them must name a certificate of the chain it presents, and the chain must
 *     lead to that certificate; empty when the provider has none (the server is then trusted by a CA or not at all)
 */
public record OidcProvider(String arn, String url, List<String> clientIds, List<String> thumbprints) {
    public OidcProvider {
        requireNonNull(arn, "arn");
        requireNonNull(url, "url");
        clientIds = List.copyOf(clientIds);
        thumbprints = List.copyOf(thumbprints);
    }

    /** The account that registered the provider, from its ARN; the whole ARN if it is not one. */
    public String accountId() {
        return Arn.tryParse(arn).map(Arn::accountId).orElse(arn);
    }
}
