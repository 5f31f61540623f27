package org.opensts.sts;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.RoleLastUsed;
import org.opensts.iam.TotpVerifier;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.TemporaryCredentials;

/**
 * The STS operations, assembled: one instance per node, shared by every request. Each operation takes the
 * authenticated caller and the request's metadata, validates what the model cannot express, authorizes, and returns a
 * record for the transport to render.
 */
public final class StsService {
    static final String GET_ACCESS_KEY_INFO = "sts:GetAccessKeyInfo";
    static final String DECODE_AUTHORIZATION_MESSAGE = "sts:DecodeAuthorizationMessage";

    private final Authenticator authenticator;
    private final Authorizer authorizer;
    private final AuthorizationMessages messages;
    private final AssumeRoleOperation assumeRole;
    private final GetFederationTokenOperation getFederationToken;
    private final GetSessionTokenOperation getSessionToken;
    private final AssumeRoleWithWebIdentityOperation assumeRoleWithWebIdentity;
    private final AssumeRoleWithSamlOperation assumeRoleWithSaml;

    /**
     * @param verifier checks the SigV4 signatures of signed calls
     * @param evaluator decides with the role trust policies and the callers' policies
     * @param federation verifies the web identity tokens and SAML responses of the two unsigned calls
     */
    public StsService(IdentityStore identities, SharedKeyRing keyRing, SigV4Verifier verifier,
            PolicyEvaluator evaluator, Federation federation, Clock clock, SecureRandom random) {
        var policies = new PolicyCache(10_000);
        this.authenticator = new Authenticator(verifier, identities, keyRing, clock);
        this.messages = new AuthorizationMessages(keyRing, clock);
        this.authorizer = new Authorizer(identities, policies, evaluator, messages);
        this.assumeRole = new AssumeRoleOperation(identities, authorizer, policies, keyRing, clock, random);
        this.getFederationToken = new GetFederationTokenOperation(authorizer, policies, keyRing, clock, random);
        this.getSessionToken = new GetSessionTokenOperation(new TotpVerifier(identities), keyRing, clock, random);
        this.assumeRoleWithWebIdentity = new AssumeRoleWithWebIdentityOperation(identities,
                federation.webIdentityVerifier(), authorizer, policies, keyRing, clock, random);
        this.assumeRoleWithSaml = new AssumeRoleWithSamlOperation(identities, federation.samlVerifier(),
                federation.replayGuard(), authorizer, policies, keyRing, clock, random);
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public Authorizer authorizer() {
        return authorizer;
    }

    /** AssumeRole (STS API Reference). */
    public AssumeRoleResponse assumeRole(CallerIdentity caller, RequestMetadata metadata, AssumeRoleRequest request) {
        RestrictedSessions.requireNotFederatedUser(caller, "AssumeRole");
        return assumeRole.assumeRole(caller, metadata, request);
    }

    /**
     * AssumeRoleWithWebIdentity (STS API Reference): an unsigned call, so there is no caller; the token speaks for
     * whoever presents it.
     */
    public AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(RequestMetadata metadata,
            AssumeRoleWithWebIdentityRequest request) {
        return assumeRoleWithWebIdentity(metadata, request, verified -> { });
    }

    /**
     * AssumeRoleWithWebIdentity, telling {@code onVerified} who the token names as soon as it has checked out
     * (signature, issuer, audience, time window), before any later check may refuse the call: so that a refusal after
     * that point can still be recorded as the federated user's. It is not called for a token that does not check out.
     */
    public AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(RequestMetadata metadata,
            AssumeRoleWithWebIdentityRequest request, Consumer<? super VerifiedFederatedCaller> onVerified) {
        return assumeRoleWithWebIdentity.assumeRoleWithWebIdentity(metadata, request, onVerified);
    }

    /** AssumeRoleWithSAML (STS API Reference): an unsigned call; the signed assertion speaks for its bearer. */
    public AssumeRoleWithSamlResponse assumeRoleWithSaml(RequestMetadata metadata, AssumeRoleWithSamlRequest request) {
        return assumeRoleWithSaml(metadata, request, verified -> { });
    }

    /**
     * AssumeRoleWithSAML, telling {@code onVerified} who the assertion names as soon as the SAML response has checked
     * out against the provider's metadata (signature, issuer, audience, recipient, time window), before any later
     * check may refuse the call. It is not called for a response that does not check out.
     */
    public AssumeRoleWithSamlResponse assumeRoleWithSaml(RequestMetadata metadata, AssumeRoleWithSamlRequest request,
            Consumer<? super VerifiedFederatedCaller> onVerified) {
        return assumeRoleWithSaml.assumeRoleWithSaml(metadata, request, onVerified);
    }

    /**
     * Tells {@code listener} of each role AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML lends from now on
     * (role id, when, region); it runs on the request's path, so it must be quick and do no I/O.
     */
    public void onRoleUse(BiConsumer<String, RoleLastUsed> listener) {
        assumeRole.onRoleUse(listener);
        assumeRoleWithWebIdentity.onRoleUse(listener);
        assumeRoleWithSaml.onRoleUse(listener);
    }

    /** GetFederationToken (STS API Reference): a federated user session, for a long-term IAM user's key only. */
    public GetFederationTokenResponse getFederationToken(CallerIdentity caller, RequestMetadata metadata,
            GetFederationTokenRequest request) {
        return getFederationToken.getFederationToken(caller, metadata, request);
    }

    /** GetSessionToken (STS API Reference): a session of the calling IAM user, optionally with MFA. */
    public TemporaryCredentials getSessionToken(CallerIdentity caller, GetSessionTokenRequest request) {
        return getSessionToken.getSessionToken(caller, request);
    }

    /** GetCallerIdentity: always allowed, whatever the caller's policies say (STS API Reference, GetCallerIdentity). */
    public GetCallerIdentityResponse getCallerIdentity(CallerIdentity caller) {
        return new GetCallerIdentityResponse(caller.userId(), caller.accountId(), caller.arn());
    }

    /**
     * GetAccessKeyInfo: the account an access key belongs to, read from the key id itself — no store lookup, and
     * nothing about the key's state is revealed (STS API Reference, GetAccessKeyInfo).
     */
    public String getAccessKeyInfo(CallerIdentity caller, RequestMetadata metadata, String accessKeyId) {
        RestrictedSessions.requireNeitherFederatedUserNorSessionUser(caller, "GetAccessKeyInfo");
        authorizer.authorize(caller, metadata, GET_ACCESS_KEY_INFO, "*");
        return AccessKeyIds.accountIdOf(accessKeyId).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_PARAMETER_VALUE, "The access key ID " + accessKeyId + " is not valid."));
    }

    /**
     * DecodeAuthorizationMessage: the JSON explanation of a refusal whose encoded message this deployment issued to a
     * caller of the same account, for a caller allowed {@code sts:DecodeAuthorizationMessage} (STS API Reference,
     * DecodeAuthorizationMessage).
     *
     * @throws ApiException {@code AccessDenied} without that permission; {@code InvalidAuthorizationMessageException}
     *     for a message this deployment did not issue, one that expired, or another account's
     */
    public String decodeAuthorizationMessage(CallerIdentity caller, RequestMetadata metadata, String encodedMessage) {
        RestrictedSessions.requireNeitherFederatedUserNorSessionUser(caller, "DecodeAuthorizationMessage");
        authorizer.authorize(caller, metadata, DECODE_AUTHORIZATION_MESSAGE, "*");
        return messages.decode(caller, encodedMessage);
    }
}
