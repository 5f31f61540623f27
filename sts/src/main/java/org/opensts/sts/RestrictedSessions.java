package org.opensts.sts;

import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.SessionType;

/**
 * The STS operations the sessions of GetFederationToken and GetSessionToken may not call, whatever their policies
 * allow: a federated user may call only GetCallerIdentity, a GetSessionToken session only AssumeRole and
 * GetCallerIdentity (STS API Reference, GetFederationToken and GetSessionToken; IAM User Guide, "Compare AWS STS
 * credentials").
 */
final class RestrictedSessions {
    private RestrictedSessions() {
    }

    /**
     * Refuses a federated user.
     *
     * @throws ApiException {@code AccessDenied} naming the operation and where the credentials came from
     */
    static void requireNotFederatedUser(CallerIdentity caller, String operation) {
        if (sessionType(caller) == SessionType.FEDERATED_USER) {
            throw refused(operation, "GetFederationToken");
        }
    }

    /**
     * Refuses a federated user and a GetSessionToken session: for every STS operation but AssumeRole and
     * GetCallerIdentity.
     *
     * @throws ApiException {@code AccessDenied} naming the operation and where the credentials came from
     */
    static void requireNeitherFederatedUserNorSessionUser(CallerIdentity caller, String operation) {
        requireNotFederatedUser(caller, operation);
        if (sessionType(caller) == SessionType.SESSION_USER) {
            throw refused(operation, "GetSessionToken");
        }
    }

    private static SessionType sessionType(CallerIdentity caller) {
        return caller.session().map(session -> session.type()).orElse(null);
    }

    private static ApiException refused(String operation, String issuedBy) {
        return new ApiException(ErrorCode.ACCESS_DENIED,
                "Cannot call " + operation + " with session credentials from " + issuedBy);
    }
}
