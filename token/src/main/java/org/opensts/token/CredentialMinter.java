package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;

/**
 * Turns a described session into working temporary credentials: a new {@code ASIA…} access key id embedding the
 * session's account, a new 40-character secret access key, and the session token that carries both. Thread-safe: the
 * codec is immutable and {@link SecureRandom} may be shared.
 */
public final class CredentialMinter {
    private final SessionTokenCodec codec;
    private final SecureRandom random;

    public CredentialMinter(SessionTokenCodec codec, SecureRandom random) {
        this.codec = requireNonNull(codec, "codec");
        this.random = requireNonNull(random, "random");
    }

    /**
     * Mints credentials for the session that {@code sessionWithoutAccessKeyId} describes. The builder is left as it
     * was; the access key id is the minter's to choose.
     *
     * @throws IllegalArgumentException if the builder already has an access key id, its account id is not 12 digits,
     *     the session is invalid (see {@link Session}) or too large for a token
     */
    public TemporaryCredentials mint(Session.Builder sessionWithoutAccessKeyId) {
        requireNonNull(sessionWithoutAccessKeyId, "sessionWithoutAccessKeyId");
        if (sessionWithoutAccessKeyId.hasAccessKeyId()) {
            throw new IllegalArgumentException("the minter chooses the access key id; leave it unset");
        }
        var builder = sessionWithoutAccessKeyId.copy();
        var session = builder.accessKeyId(AccessKeyIds.newTemporary(builder.accountId(), random)).build();
        var secretAccessKey = SecretAccessKeys.generate(random);
        var sessionToken = Secret.ofUtf8(codec.seal(session, secretAccessKey));
        return new TemporaryCredentials(session, secretAccessKey, sessionToken);
    }
}
