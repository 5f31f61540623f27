package org.opensts.verifier;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opensts.policy.RequestPrincipal;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;

/**
 * Who signed a request, once its signature has checked out: an IAM user with a long-term ({@code AKIA…}) key, or the
 * holder of a session — a role session, a federated user, or a GetSessionToken session of a user — with a temporary
 * ({@code ASIA…}) key and its session token.
 *
 * @param accountId the account the caller belongs to (for a role session, the role's account)
 * @param arn the caller as GetCallerIdentity names it ({@code arn:aws:iam::A:user/u},
 *     {@code arn:aws:sts::A:assumed-role/R/S}, {@code arn:aws:sts::A:federated-user/N})
 * @param userId GetCallerIdentity's {@code UserId} and {@code aws:userid} ({@code AIDA…}, {@code AROA…:S},
 *     {@code A:N})
 * @param accessKeyId the key that signed the request
 * @param iamUserId the unique id of the IAM user behind a long-term key or a GetSessionToken session
 * @param session the opened session token behind a temporary key: everything the session carries (its policies,
 *     tags, source identity, MFA state, issue time, expiration)
 */
public record VerifiedCaller(String accountId, String arn, String userId, String accessKeyId,
        Optional<String> iamUserId, Optional<Session> session) {
    public VerifiedCaller {
        requireNonNull(accountId, "accountId");
        requireNonNull(arn, "arn");
        requireNonNull(userId, "userId");
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(iamUserId, "iamUserId");
        requireNonNull(session, "session");
        if (iamUserId.isEmpty() && session.isEmpty()) {
            throw new IllegalArgumentException("A caller is an IAM user, a session, or both");
        }
    }

    /** An IAM user signing with a long-term key. */
    public static VerifiedCaller ofUser(String accountId, String userArn, String userId, String accessKeyId) {
        return new VerifiedCaller(accountId, userArn, userId, accessKeyId, Optional.of(userId), Optional.empty());
    }

    /** The holder of a session, opened from its token. */
    public static VerifiedCaller ofSession(Session session) {
        Optional<String> iamUser = switch (session.type()) {
            case SESSION_USER -> session.sourceUniqueId();
            case ASSUMED_ROLE, FEDERATED_USER -> Optional.empty();
        };
        return new VerifiedCaller(session.accountId(), session.principalArn(), session.principalId(),
                session.accessKeyId(), iamUser, Optional.of(session));
    }

    /** Whether the caller signed with temporary credentials. */
    public boolean isTemporary() {
        return session.isPresent();
    }

    /** The role session name or federated user name, for a session that has one. */
    public Optional<String> sessionName() {
        return session.flatMap(Session::sessionName);
    }

    /** The source identity a role session carries ({@code aws:SourceIdentity}). */
    public Optional<String> sourceIdentity() {
        return session.flatMap(Session::sourceIdentity);
    }

    /** The session's own tags, in the order they were passed; an IAM user's tags are not here. */
    public Map<String, String> sessionTags() {
        var tags = new LinkedHashMap<String, String>();
        session.ifPresent(s -> s.tags().forEach((SessionTag tag) -> tags.put(tag.key(), tag.value())));
        return tags;
    }

    /** Whether the session was issued after an MFA check ({@code aws:MultiFactorAuthPresent}). */
    public boolean mfaAuthenticated() {
        return session.flatMap(Session::mfaAuthenticatedAt).isPresent();
    }

    /** When the session was issued ({@code aws:TokenIssueTime}); empty for a long-term key. */
    public Optional<Instant> issuedAt() {
        return session.map(Session::issuedAt);
    }

    /** When the session's credentials stop working; empty for a long-term key. */
    public Optional<Instant> expiration() {
        return session.map(Session::expiration);
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
