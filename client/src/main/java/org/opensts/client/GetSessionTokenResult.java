package org.opensts.client;

import static java.util.Objects.requireNonNull;

/** What GetSessionToken returned. {@link #toString()} hides the secrets (see {@link StsCredentials}). */
public record GetSessionTokenResult(StsCredentials credentials, String requestId) {
    public GetSessionTokenResult {
        requireNonNull(credentials, "credentials");
        requireNonNull(requestId, "requestId");
    }
}
