package org.opensts.sts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.opensts.iam.PolicyCache;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.opensts.token.TemporaryCredentials;

/**
 * GetFederationToken (STS API Reference): an IAM user with long-term keys hands out a federated user session whose
 * permissions are what both the user's policies and the session policy allow — nothing at all without a session
 * policy, except what resource policies grant the federated user by name.
 */
final class GetFederationTokenOperation {
    static final String ACTION = "sts:GetFederationToken";
    static final int DEFAULT_DURATION_SECONDS = 43200;

    private final Authorizer authorizer;
    private final PolicyCache policies;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final SecureRandom random;

    GetFederationTokenOperation(Authorizer authorizer, PolicyCache policies, SharedKeyRing keyRing, Clock clock,
            SecureRandom random) {
        this.authorizer = authorizer;
        this.policies = policies;
        this.keyRing = keyRing;
        this.clock = clock;
        this.random = random;
    }

    GetFederationTokenResponse getFederationToken(CallerIdentity caller, RequestMetadata metadata,
            GetFederationTokenRequest request) {
        if (caller.isTemporary()) {
            throw new ApiException(ErrorCode.ACCESS_DENIED,
                    "Cannot call GetFederationToken with session credentials");
        }
        request.policy().ifPresent(document -> SessionGrants.checkSessionPolicy(document, policies));
        SessionGrants.checkPolicyArns(request.policyArns());
        SessionGrants.checkTagKeys(request.tags());

        String arn = "arn:aws:sts::" + caller.accountId() + ":federated-user/" + request.name();
        authorizer.authorize(caller, metadata, ACTION, arn);
        if (!request.tags().isEmpty()) {
            authorizer.authorize(caller, metadata, AssumeRoleOperation.TAG_SESSION, arn);
        }

        List<String> sessionPolicies = request.policy().map(List::of).orElse(List.of());
        int packedPolicySize = SessionGrants.checkSessionGrants(authorizer.identityPolicies(), caller.accountId(),
                sessionPolicies, request.policyArns(), request.tags());
        Instant now = clock.instant();
        String federatedUserId = caller.accountId() + ":" + request.name();
        TemporaryCredentials credentials = new CredentialMinter(keyRing.codec(), random).mint(Session.builder()
                .accountId(caller.accountId())
                .type(SessionType.FEDERATED_USER)
                .principalArn(arn)
                .principalId(federatedUserId)
                .sourceArn(caller.arn())
                // The issuer by id: its permissions go with it, not with whoever bears its name later.
                .sourceUniqueId(caller.userId())
                .sessionName(request.name())
                .issuedAt(now)
                .expiration(now.plus(Duration.ofSeconds(request.durationSeconds().orElse(DEFAULT_DURATION_SECONDS))))
                .sessionPolicies(sessionPolicies)
                .policyArns(request.policyArns())
                .tags(request.tags()));
        return new GetFederationTokenResponse(credentials, federatedUserId, arn, packedPolicySize);
    }
}
