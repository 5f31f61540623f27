package org.opensts.sts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.opensts.iam.TotpVerifier;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;

/**
 * GetSessionToken (STS API Reference): an IAM user with long-term keys gets temporary credentials with its own
 * permissions, optionally proven with an MFA code, which the session then carries ({@code aws:MultiFactorAuthPresent}).
 * No permission is needed to call it.
 */
final class GetSessionTokenOperation {
    static final int DEFAULT_DURATION_SECONDS = 43200;

    private final TotpVerifier mfa;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final SecureRandom random;

    GetSessionTokenOperation(TotpVerifier mfa, SharedKeyRing keyRing, Clock clock, SecureRandom random) {
        this.mfa = mfa;
        this.keyRing = keyRing;
        this.clock = clock;
        this.random = random;
    }

    TemporaryCredentials getSessionToken(CallerIdentity caller, GetSessionTokenRequest request) {
        if (caller.isTemporary()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED, "Cannot call GetSessionToken with session credentials");
        }
        if (request.serialNumber().isPresent() != request.tokenCode().isPresent()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED,
                    "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
        }
        User user = caller.user().orElseThrow();
        Instant now = clock.instant();
        Optional<TotpVerifier.VerifiedCode> code = request.serialNumber().map(serialNumber ->
                mfa.check(Optional.of(user.userId()), serialNumber, request.tokenCode().orElseThrow(), now));
        code.ifPresent(mfa::spend);
        Session.Builder session = Session.builder()
                .accountId(user.accountId())
                .type(SessionType.SESSION_USER)
                .principalArn(user.arn())
                .principalId(user.userId())
                .sourceArn(user.arn())
                .issuedAt(now)
                .expiration(now.plus(Duration.ofSeconds(request.durationSeconds().orElse(DEFAULT_DURATION_SECONDS))));
        code.ifPresent(verified -> session.mfaAuthenticatedAt(verified.authenticatedAt()));
        return new CredentialMinter(keyRing.codec(), random).mint(session);
    }
}
