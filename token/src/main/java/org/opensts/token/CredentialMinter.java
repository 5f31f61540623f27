package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.Arrays;

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
        // One draw for the id and the secret: each call of the platform's SecureRandom takes a lock shared by the whole
        // process and mixes its output through SHA-1, so that is the cost of one of them.
        var randomBytes = new byte[AccessKeyIds.RANDOM_BYTES + SecretAccessKeys.RANDOM_BYTES_PER_KEY];
        random.nextBytes(randomBytes);
        Session session;
        Secret secretAccessKey;
        try {
            session = builder.accessKeyId(AccessKeyIds.newTemporary(builder.accountId(), randomBytes, 0)).build();
            secretAccessKey = SecretAccessKeys.fromRandomBytes(randomBytes, AccessKeyIds.RANDOM_BYTES);
        } finally {
            Arrays.fill(randomBytes, (byte) 0);
        }
        var sessionToken = Secret.ofUtf8(codec.seal(session, secretAccessKey));
        return new TemporaryCredentials(session, secretAccessKey, sessionToken);
    }
}
