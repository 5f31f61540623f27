package org.opensts.verifier;

import org.opensts.token.SessionTokenCodec;

/**
 * The session-token keys, as the embedding service holds them: what opens the session token of a temporary key. A
 * node of a deployment shares its key ring through its store and rotates it; the service implements this over its
 * copy of that ring.
 */
public interface SessionKeys {

    /** The codec of the ring held now; it opens tokens sealed with any key of the ring. */
    SessionTokenCodec codec();

    /**
     * Called when a token names a key the ring does not hold: another node may have rotated a moment ago. The
     * implementation reloads its ring if it may (it should limit how often, so forged key ids cannot flood its store)
     * and says whether the ring now holds the key; the token is then opened once more.
     */
    boolean reloadFor(int keyId);
}
