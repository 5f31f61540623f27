package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.opensts.iam.User;
import org.opensts.policy.RequestPrincipal;
import org.opensts.token.Session;
import org.opensts.token.SessionType;

/**
 * Who signed a request, once the signature has checked out: an IAM user with a long-term key, or the holder of
 * a session (role session, federated user, or a GetSessionToken session of an IAM user).
 *
 * @param accountId the account the caller belongs to
 * @param arn the caller as GetCallerIdentity names it ({@code arn:aws:iam::A:user/u},
 *     {@code arn:aws:sts::A:assumed-role/R/S}, {@code arn:aws:sts::A:federated-user/N})
 * @param userId GetCallerIdentity's {@code UserId} ({@code AIDA…}, {@code AROA…:S}, {@code A:N})
 * @param accessKeyId the key that signed the request
 * @param user the IAM user behind a long-term key or a GetSessionToken session; for a session, found by the user's
 *     unique id and empty once that user has been deleted
 * @param session the session behind a temporary ({@code ASIA…}) key
 */
public record CallerIdentity(String accountId, String arn, String userId, String accessKeyId, Optional<User> user,
        Optional<Session> session) {
    public CallerIdentity {
        requireNonNull(accountId, "accountId");
        requireNonNull(arn, "arn");
        requireNonNull(userId, "userId");
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(user, "user");
        requireNonNull(session, "session");
        if (user.isEmpty() && session.isEmpty()) {
            throw new IllegalArgumentException("A caller is a user, a session, or both");
        }
    }

    /** An IAM user signing with a long-term ({@code AKIA…}) key. */
    public static CallerIdentity ofUser(User user, String accessKeyId) {
        return new CallerIdentity(user.accountId(), user.arn(), user.userId(), accessKeyId, Optional.of(user),
                Optional.empty());
    }

    /** The holder of a session; {@code user} is the IAM user behind a GetSessionToken session, if any. */
    public static CallerIdentity ofSession(Session session, Optional<User> user) {
        return new CallerIdentity(session.accountId(), session.principalArn(), session.principalId(),
                session.accessKeyId(), user, Optional.of(session));
    }

    /** Whether the caller signed with temporary credentials. */
    public boolean isTemporary() {
        return session.isPresent();
    }

    /** Whether the caller is a role session: a new AssumeRole from it is role chaining. */
    public boolean isRoleSession() {
        return session.map(s -> s.type() == SessionType.ASSUMED_ROLE).orElse(false);
    }

    /** The caller as the policy engine sees it. */
    public RequestPrincipal principal() {
        if (session.isEmpty()) {
            return RequestPrincipal.user(arn).withUserId(userId);
        }
        Session s = session.get();
        return switch (s.type()) {
            case ASSUMED_ROLE -> RequestPrincipal.assumedRole(s.principalArn(), s.sourceArn()).withUserId(userId);
            case FEDERATED_USER -> RequestPrincipal.federatedUser(s.principalArn(), s.sourceArn());
            case SESSION_USER -> RequestPrincipal.user(s.principalArn()).withUserId(userId);
        };
    }
}
