package org.opensts.federation.oidc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Fetches identity-provider documents (OIDC discovery, JWKS) over HTTPS only. A server certificate must chain to the
 * JDK's trusted CAs or to one in the operator's PEM bundle ({@code opensts serve --trusted-ca-file}); when the
 * provider registered thumbprints, the presented chain must also contain a certificate with one of those SHA-1
 * thumbprints. Responses are capped in size and fetches in time; every failure is {@code IDPCommunicationError}
 * (or {@code InvalidIdentityToken} for a thumbprint mismatch, as AWS answers).
 */
public final class IdpHttpsClient {
    private IdpHttpsClient() {
    }

    /** A client that trusts the JDK's CAs plus, when given, every certificate of a PEM bundle. */
    public static IdpHttpsClient create(Optional<Path> trustedCaFile) {
        throw new UnsupportedOperationException("issue 8: oidc helper");
    }
}
