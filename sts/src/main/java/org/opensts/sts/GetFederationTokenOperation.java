package org.opensts.sts;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opensts.iam.PolicyCache;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.RequestContext;
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
        // The tags are the request's, as an AssumeRole's are: sts:TagSession is decided with aws:RequestTag/… and
        // aws:TagKeys, which is how a policy limits the tags a caller may pass (IAM User Guide, "Passing session tags
        // in AWS STS").
        RequestContext.Builder context = authorizer.baseContext(caller, metadata);
        SessionGrants.putRequestedSessionKeys(context, request.tags(), List.of(), Optional.empty());
        RequestContext requestContext = context.build();
        List<String> actions = request.tags().isEmpty() ? List.of(ACTION)
                : List.of(ACTION, AssumeRoleOperation.TAG_SESSION);
        List<Decision> decisions = authorizer.evaluate(caller, actions, arn, Optional.empty(), requestContext,
                Optional.empty());
        for (int i = 0; i < actions.size(); i++) {
            if (decisions.get(i).decision() != EvalDecision.ALLOWED) {
                throw authorizer.denied(caller, actions.get(i), arn, Optional.of(decisions.get(i)), requestContext,
                        /* resourceInCallersAccount= */ true);
            }
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
