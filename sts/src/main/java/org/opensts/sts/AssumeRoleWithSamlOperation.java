package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.opensts.federation.saml.AssertionReplayGuard;
import org.opensts.federation.saml.AwsSamlAttributes;
import org.opensts.federation.saml.SamlMetadata;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.federation.saml.VerifiedSamlAssertion;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Role;
import org.opensts.iam.RoleLastUsed;
import org.opensts.iam.SamlProvider;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.TemporaryCredentials;

/**
 * AssumeRoleWithSAML (STS API Reference): an unsigned caller trades a SAML response signed by its identity provider
 * for a session of a role the assertion names and whose trust policy trusts the IAM SAML provider.
 *
 * <p>In order: the ARNs' syntax — RoleArn as AssumeRole checks it, then a role ARN ("Request ARN is invalid"),
 * PrincipalArn a SAML provider ARN ("Principal ARN is invalid") — and the session policies (validation errors); the
 * SAML provider, which must exist in the role's account ("Specified provider doesn't exist"); the response verified
 * against the provider's metadata (signature, issuer, audience, recipient, time window) and AWS's attributes read from
 * it; the (RoleArn, PrincipalArn) pair among the assertion's Role values; the session tags and source identity; the
 * role (an unknown role is refused exactly like a forbidden one, "Not authorized to perform sts:AssumeRoleWithSAML");
 * the trust policy for the provider as federated principal ({@code sts:AssumeRoleWithSAML}, plus
 * {@code sts:TagSession} and {@code sts:SetSourceIdentity} when the assertion carries tags or a source identity); the
 * duration against the role's maximum; the packed size; then the replay record — written only once everything else
 * passed, so a refused request leaves the assertion usable — and minting.
 *
 * <p>The credentials last {@code DurationSeconds} (one hour by default), but never past the assertion's
 * {@code SessionNotOnOrAfter} (STS API Reference, AssumeRoleWithSAML). The {@code SessionDuration} attribute sets the
 * length of console sessions and does not change the API's (IAM User Guide, "Configure SAML assertions for the
 * authentication response").
 */
final class AssumeRoleWithSamlOperation {
    static final String ACTION = "sts:AssumeRoleWithSAML";

    private final IdentityReader identities;
    private final SamlResponseVerifier verifier;
    private final AssertionReplayGuard replayGuard;
    private final Authorizer authorizer;
    private final PolicyCache policies;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final SecureRandom random;
    private final SamlMetadataCache metadataCache = new SamlMetadataCache(1_000);
    private volatile BiConsumer<String, RoleLastUsed> roleUses = (roleId, use) -> { };

    AssumeRoleWithSamlOperation(IdentityReader identities, SamlResponseVerifier verifier,
            AssertionReplayGuard replayGuard, Authorizer authorizer, PolicyCache policies, SharedKeyRing keyRing,
            Clock clock, SecureRandom random) {
        this.identities = identities;
        this.verifier = verifier;
        this.replayGuard = replayGuard;
        this.authorizer = authorizer;
        this.policies = policies;
        this.keyRing = keyRing;
        this.clock = clock;
        this.random = random;
    }

    AssumeRoleWithSamlResponse assumeRoleWithSaml(RequestMetadata metadata, AssumeRoleWithSamlRequest request) {
        return assumeRoleWithSaml(metadata, request, verified -> { });
    }

    /** @param onVerified told who the assertion names once the response has checked out, and never before */
    AssumeRoleWithSamlResponse assumeRoleWithSaml(RequestMetadata metadata, AssumeRoleWithSamlRequest request,
            Consumer<? super VerifiedFederatedCaller> onVerified) {
        Arn roleArn = Arn.tryParse(request.roleArn())
                .orElseThrow(() -> ApiException.validationError(request.roleArn() + " is invalid"));
        if (!roleArn.service().equals("iam") || !roleArn.resourceType().equals("role")) {
            throw ApiException.validationError("Request ARN is invalid");
        }
        Arn principalArn = Arn.tryParse(request.principalArn())
                .filter(arn -> arn.service().equals("iam") && arn.resourceType().equals("saml-provider")
                        && !arn.resourceName().isEmpty())
                .orElseThrow(() -> ApiException.validationError("Principal ARN is invalid"));
        if (!principalArn.accountId().equals(roleArn.accountId())) {
            // AWS's real answer when an assertion's role is paired with another account's provider.
            throw ApiException.validationError("Principal exists outside the account of the Role being assumed.");
        }
        request.policy().ifPresent(document -> SessionGrants.checkSessionPolicy(document, policies));
        SessionGrants.checkPolicyArns(request.policyArns());

        SamlProvider provider = identities.findSamlProvider(request.principalArn())
                .filter(found -> found.accountId().equals(roleArn.accountId()))
                .orElseThrow(() -> new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN,
                        "Specified provider doesn't exist"));
        SamlMetadata samlMetadata = metadataCache.metadata(provider.arn(), provider.metadataDocument());
        VerifiedSamlAssertion assertion = verifier.verify(request.samlAssertion(), samlMetadata);
        String nameQualifier = AwsSamlAttributes.nameQualifier(assertion.issuer(), provider.accountId(),
                provider.name());
        onVerified.accept(new VerifiedFederatedCaller.Saml(nameQualifier, assertion.nameId()));
        AwsSamlAttributes attributes = AwsSamlAttributes.of(assertion);
        if (!attributes.roles().contains(new AwsSamlAttributes.RolePair(request.roleArn(), request.principalArn()))) {
            throw FederatedSessions.notAuthorized(ACTION);
        }
        String sessionName = attributes.roleSessionName();
        if (!FederatedSessions.isNameText(sessionName, 2, 64)) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN,
                    "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}");
        }
        List<SessionTag> tags = FederatedSessions.sessionTags(attributes.tags());
        Map<String, List<String>> samlKeys = AwsSamlAttributes.conditionKeys(assertion, provider.accountId(),
                provider.name());
        var federated = new FederatedSessions.FederatedIdentity(provider.arn(), sessionName, samlKeys,
                sessionClaims(samlKeys), tags, FederatedSessions.transitiveTagKeys(attributes.transitiveTagKeys(), tags),
                FederatedSessions.sourceIdentity(attributes.sourceIdentity()));

        Role assumed = FederatedSessions.requireTrust(authorizer, metadata, ACTION, federated,
                SessionGrants.findRole(identities, request.roleArn()));
        int durationSeconds = request.durationSeconds().orElse(SessionGrants.DEFAULT_DURATION_SECONDS);
        SessionGrants.checkDuration(durationSeconds, assumed);
        List<String> sessionPolicies = request.policy().map(List::of).orElse(List.of());
        int packedPolicySize = SessionGrants.checkSessionGrants(authorizer.identityPolicies(), assumed.accountId(),
                sessionPolicies, request.policyArns(), tags);
        Instant now = clock.instant();
        Instant expiration = SessionGrants.expiration(now, durationSeconds);
        if (assertion.sessionNotOnOrAfter().isPresent() && assertion.sessionNotOnOrAfter().get().isBefore(expiration)) {
            expiration = assertion.sessionNotOnOrAfter().get();
        }
        if (!expiration.isAfter(now)) {
            throw new ApiException(ErrorCode.IDP_TOKEN_EXPIRED, "Session expired: the assertion's "
                    + "SessionNotOnOrAfter (" + expiration + ") has passed.");
        }

        if (!replayGuard.firstUse(assertion.assertionId(), request.roleArn(), assertion.notOnOrAfter())) {
            throw new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN,
                    "This SAML assertion has already been used to assume this role; get a new one from your "
                            + "identity provider.");
        }
        Session.Builder session = FederatedSessions.session(assumed, federated, now, expiration, sessionPolicies,
                request.policyArns());
        TemporaryCredentials credentials = new CredentialMinter(keyRing.codec(), random).mint(session);
        roleUses.accept(assumed.roleId(), new RoleLastUsed(now, metadata.region()));

        boolean reportsPackedSize = request.policy().isPresent() || !request.policyArns().isEmpty()
                || !tags.isEmpty();
        return new AssumeRoleWithSamlResponse(credentials, SessionGrants.assumedRoleUser(assumed, sessionName),
                reportsPackedSize ? OptionalInt.of(packedPolicySize) : OptionalInt.empty(), assertion.nameId(),
                assertion.nameIdFormat().map(AwsSamlAttributes::subjectType), assertion.issuer(),
                assertion.recipient(), nameQualifier, federated.sourceIdentity());
    }

    void onRoleUse(BiConsumer<String, RoleLastUsed> listener) {
        roleUses = requireNonNull(listener, "listener");
    }

    /**
     * After the federation only {@code saml:namequalifier}, {@code saml:sub} and {@code saml:sub_type} remain
     * available (IAM User Guide, "Available keys for SAML-based AWS STS federation").
     */
    private static Map<String, List<String>> sessionClaims(Map<String, List<String>> samlKeys) {
        var claims = new LinkedHashMap<String, List<String>>();
        for (String key : List.of(GlobalConditionKeys.SAML_NAME_QUALIFIER, GlobalConditionKeys.SAML_SUB,
                GlobalConditionKeys.SAML_SUB_TYPE)) {
            List<String> values = samlKeys.get(key);
            if (values != null) {
                claims.put(key, values);
            }
        }
        return claims;
    }
}
