package org.opensts.client;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Credentials STS returned: access key id, secret access key, session token and expiration. The secret and the token
 * are secrets: {@link #toString()} shows the access key id and expiration only, and there is no {@code equals}.
 */
public final class StsCredentials {

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final Instant expiration;

    private StsCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
        this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
        this.sessionToken = requireNonNull(sessionToken, "sessionToken");
        this.expiration = requireNonNull(expiration, "expiration");
        if (accessKeyId.isEmpty() || secretAccessKey.isEmpty() || sessionToken.isEmpty()) {
            throw new IllegalArgumentException("access key id, secret access key and session token must be non-empty");
        }
    }

    /** Temporary credentials as STS returns them. */
    public static StsCredentials of(String accessKeyId, String secretAccessKey, String sessionToken,
            Instant expiration) {
        return new StsCredentials(accessKeyId, secretAccessKey, sessionToken, expiration);
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    /** Returns the secret access key. It is a secret: do not log it. */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** Returns the session token. It is a secret: do not log it. */
    public String sessionToken() {
        return sessionToken;
    }

    public Instant expiration() {
        return expiration;
    }

    /** Returns whether these credentials are expired at {@code now} (the expiration instant itself is expired). */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiration);
    }

    @Override
    public String toString() {
        return "StsCredentials[accessKeyId=" + accessKeyId + ", expiration=" + expiration + ']';
    }
}
