package org.opensts.token;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What an STS operation hands back: an access key id, a secret access key, a session token and an expiration (the
 * {@code Credentials} data type of the STS API Reference), with the session they stand for. The secret and the token
 * are both {@link Secret}s; {@link #toString()} shows only the access key id and expiration.
 */
public final class TemporaryCredentials {
    private final Session session;
    private final Secret secretAccessKey;
    private final Secret sessionToken;

    TemporaryCredentials(Session session, Secret secretAccessKey, Secret sessionToken) {
        this.session = requireNonNull(session, "session");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = requireNonNull(sessionToken, "sessionToken");
    }

    public String accessKeyId() {
        return session.accessKeyId();
    }

    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    public Secret sessionToken() {
        return sessionToken;
    }

    public Instant expiration() {
        return session.expiration();
    }

    public Session session() {
        return session;
    }

    @Override
    public String toString() {
        return "TemporaryCredentials[accessKeyId=" + accessKeyId() + ", expiration=" + expiration() + "]";
    }
}
