package org.opensts.sigv4;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What {@link SigV4Signer} signs with: an access key id, a secret access key and, for temporary credentials, a
 * session token. Holds a private copy of the secret; {@link #toString()} shows the access key id only.
 */
public final class SigningCredentials {

    private final String accessKeyId;
    private final byte[] secretAccessKey;
    private final String sessionToken;

    private SigningCredentials(String accessKeyId, byte[] secretAccessKey, String sessionToken) {
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isEmpty() || accessKeyId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("access key id must be non-empty and contain no '/'");
        }
        if (secretAccessKey.length == 0) {
            throw new IllegalArgumentException("secret access key must not be empty");
        }
        if (sessionToken != null && sessionToken.isEmpty()) {
            throw new IllegalArgumentException("session token must not be empty; pass none instead");
        }
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey.clone();
        this.sessionToken = sessionToken;
    }

    /** Long-term credentials: no session token. */
    public static SigningCredentials of(String accessKeyId, byte[] secretAccessKey) {
        return new SigningCredentials(accessKeyId, secretAccessKey, null);
    }

    /** Temporary credentials: the session token is sent as {@code X-Amz-Security-Token} and signed. */
    public static SigningCredentials of(String accessKeyId, byte[] secretAccessKey, String sessionToken) {
        return new SigningCredentials(accessKeyId, secretAccessKey, requireNonNull(sessionToken, "sessionToken"));
    }

    /** Returns the access key id, e.g. {@code AKIDEXAMPLE}. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** Returns whether there is a session token (temporary credentials). */
    public boolean hasSessionToken() {
        return sessionToken != null;
    }

    /** Returns the secret itself, not a copy: package code only, and it must not modify it. */
    byte[] secretAccessKey() {
        return secretAccessKey;
    }

    Optional<String> sessionToken() {
        return Optional.ofNullable(sessionToken);
    }

    @Override
    public String toString() {
        return "SigningCredentials[accessKeyId=" + accessKeyId + (sessionToken == null ? "" : ", temporary") + ']';
    }
}
