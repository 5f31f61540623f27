package org.opensts.cli.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.opensts.sigv4.SigningCredentials;
import org.opensts.token.Secret;

/**
 * Credentials found by {@link CredentialChain}: an access key id, its secret, and for temporary credentials a session
 * token and an expiration. {@link #toString()} shows the access key id and where the credentials came from only.
 */
public final class ClientCredentials {
    private final String accessKeyId;
    private final Secret secretAccessKey;
    private final Optional<Secret> sessionToken;
    private final Optional<Instant> expiration;
    private final String source;

    private ClientCredentials(String accessKeyId, Secret secretAccessKey, Optional<Secret> sessionToken,
            Optional<Instant> expiration, String source) {
        this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = requireNonNull(sessionToken, "sessionToken");
        this.expiration = requireNonNull(expiration, "expiration");
        this.source = requireNonNull(source, "source");
    }

    /** Credentials whose session token (if any) and expiration (if any) may be absent. */
    public static ClientCredentials of(String accessKeyId, String secretAccessKey, Optional<String> sessionToken,
            Optional<Instant> expiration, String source) {
        return new ClientCredentials(accessKeyId, Secret.ofUtf8(secretAccessKey), sessionToken.map(Secret::ofUtf8),
                expiration, source);
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    /** The secret access key. A secret: never log it. */
    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    /** The session token of temporary credentials. A secret: never log it. */
    public Optional<Secret> sessionToken() {
        return sessionToken;
    }

    public Optional<Instant> expiration() {
        return expiration;
    }

    /** Where they came from, in the AWS CLI's words: {@code env}, {@code shared-credentials-file}, and so on. */
    public String source() {
        return source;
    }

    /** The form the project's SigV4 signer signs with. */
    public SigningCredentials signingCredentials() {
        byte[] secret = secretAccessKey.revealUtf8().getBytes(UTF_8);
        return sessionToken.map(token -> SigningCredentials.of(accessKeyId, secret, token.revealUtf8()))
                .orElseGet(() -> SigningCredentials.of(accessKeyId, secret));
    }

    @Override
    public String toString() {
        return "ClientCredentials[accessKeyId=" + accessKeyId + ", source=" + source
                + expiration.map(at -> ", expiration=" + at).orElse("") + ']';
    }
}
