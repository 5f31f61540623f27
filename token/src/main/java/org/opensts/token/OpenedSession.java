package org.opensts.token;

import static java.util.Objects.requireNonNull;

/**
 * What an authentic session token holds: the session and its secret access key. Only
 * {@link SessionTokenCodec#open} makes one, and only after the token's AEAD tag has checked out.
 */
public final class OpenedSession {
    private final Session session;
    private final Secret secretAccessKey;

    OpenedSession(Session session, Secret secretAccessKey) {
        this.session = requireNonNull(session, "session");
        this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
    }

    public Session session() {
        return session;
    }

    /** The key the session's requests are signed with (SigV4). */
    public Secret secretAccessKey() {
        return secretAccessKey;
    }

    /** Shows the access key id and expiration only. */
    @Override
    public String toString() {
        return "OpenedSession[accessKeyId=" + session.accessKeyId() + ", expiration=" + session.expiration() + "]";
    }
}
