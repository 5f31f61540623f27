package org.opensts.sts;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.opensts.federation.oidc.OidcProvider;
import org.opensts.federation.oidc.VerifiedWebIdentity;
import org.opensts.federation.oidc.WebIdentityToken;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.iam.IdentityReader;
import org.opensts.iam.OpenIdConnectProvider;
import org.opensts.iam.PolicyCache;
import org.opensts.iam.Role;
import org.opensts.iam.RoleLastUsed;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.Arn;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.CredentialMinter;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.TemporaryCredentials;

/**
 * AssumeRoleWithWebIdentity (STS API Reference): an unsigned caller trades an OIDC ID token for a session of a role
 * whose trust policy trusts the token's issuer, registered as an IAM OIDC provider in the role's account.
 *
 * <p>In order: the role ARN's syntax and the session policies (validation errors); the token, parsed; the provider —
 * the role account's IAM OIDC provider whose URL is the token's {@code iss}; the token verified against it (signature,
 * time window, audience), then the session tags and source identity it carries; the role (an unknown role is refused
 * exactly like a forbidden one, "Not authorized to perform sts:AssumeRoleWithWebIdentity"); the trust policy for the
 * provider as federated principal ({@code sts:AssumeRoleWithWebIdentity}, plus {@code sts:TagSession} and
 * {@code sts:SetSourceIdentity} when the token carries tags or a source identity); the duration against the role's
 * maximum; the packed size; and minting. The session lasts the requested duration whatever the token's {@code exp}.
 *
 * <p>The provider's keys (its URL without {@code https://}, e.g. {@code token.example.com/realms/a:aud}) are the
 * token's {@code aud} (the client id it was accepted for), {@code sub}, {@code amr}, {@code azp} and {@code oaud}
 * (every {@code aud}) — for a well-known issuer such as {@code accounts.google.com} these are AWS's documented keys of
 * that provider. The session keeps {@code aud}, {@code sub} and {@code amr} for later requests (IAM User Guide,
 * "Available keys for AWS web identity federation").
 */
final class AssumeRoleWithWebIdentityOperation {
    static final String ACTION = "sts:AssumeRoleWithWebIdentity";
    private static final String HTTPS = "https://";

    private final IdentityReader identities;
    private final WebIdentityTokenVerifier verifier;
    private final Authorizer authorizer;
    private final PolicyCache policies;
    private final SharedKeyRing keyRing;
    private final Clock clock;
    private final SecureRandom random;
    private volatile BiConsumer<String, RoleLastUsed> roleUses = (roleId, use) -> { };

    AssumeRoleWithWebIdentityOperation(IdentityReader identities, WebIdentityTokenVerifier verifier,
            Authorizer authorizer, PolicyCache policies, SharedKeyRing keyRing, Clock clock, SecureRandom random) {
        this.identities = identities;
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.policies = policies;
        this.keyRing = keyRing;
        this.clock = clock;
        this.random = random;
    }

    AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(RequestMetadata metadata,
            AssumeRoleWithWebIdentityRequest request) {
        return assumeRoleWithWebIdentity(metadata, request, verified -> { });
    }

    /** @param onVerified told who the token names once it has checked out, and never before */
    AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(RequestMetadata metadata,
            AssumeRoleWithWebIdentityRequest request, Consumer<? super VerifiedFederatedCaller> onVerified) {
        Arn roleArn = Arn.tryParse(request.roleArn())
                .orElseThrow(() -> ApiException.validationError(request.roleArn() + " is invalid"));
        request.policy().ifPresent(document -> SessionGrants.checkSessionPolicy(document, policies));
        SessionGrants.checkPolicyArns(request.policyArns());

        WebIdentityToken token = WebIdentityToken.parse(request.webIdentityToken());
        OpenIdConnectProvider provider = findProvider(roleArn, token.issuer());
        VerifiedWebIdentity identity = verifier.verify(token, new OidcProvider(provider.arn(), provider.url(),
                provider.clientIds(), provider.thumbprints()));
        onVerified.accept(new VerifiedFederatedCaller.WebIdentity(provider.arn(), identity.audience(),
                identity.subject()));
        List<SessionTag> tags = FederatedSessions.sessionTags(identity.tags());
        Map<String, List<String>> providerKeys = providerKeys(provider, identity);
        var federated = new FederatedSessions.FederatedIdentity(provider.arn(), request.roleSessionName(),
                providerKeys, sessionClaims(provider, providerKeys), tags,
                FederatedSessions.transitiveTagKeys(identity.transitiveTagKeys(), tags),
                FederatedSessions.sourceIdentity(identity.sourceIdentity()));

        Role assumed = FederatedSessions.requireTrust(authorizer, metadata, ACTION, federated,
                SessionGrants.findRole(identities, request.roleArn()));
        int durationSeconds = request.durationSeconds().orElse(SessionGrants.DEFAULT_DURATION_SECONDS);
        SessionGrants.checkDuration(durationSeconds, assumed);
        List<String> sessionPolicies = request.policy().map(List::of).orElse(List.of());
        int packedPolicySize = SessionGrants.checkSessionGrants(authorizer.identityPolicies(), assumed.accountId(),
                sessionPolicies, request.policyArns(), tags);

        Instant now = clock.instant();
        Session.Builder session = FederatedSessions.session(assumed, federated, now,
                SessionGrants.expiration(now, durationSeconds), sessionPolicies, request.policyArns());
        TemporaryCredentials credentials = new CredentialMinter(keyRing.codec(), random).mint(session);
        roleUses.accept(assumed.roleId(), new RoleLastUsed(now, metadata.region()));

        boolean reportsPackedSize = request.policy().isPresent() || !request.policyArns().isEmpty()
                || !tags.isEmpty();
        return new AssumeRoleWithWebIdentityResponse(credentials, identity.subject(),
                SessionGrants.assumedRoleUser(assumed, request.roleSessionName()),
                reportsPackedSize ? OptionalInt.of(packedPolicySize) : OptionalInt.empty(), provider.arn(),
                identity.audience(), federated.sourceIdentity());
    }

    void onRoleUse(BiConsumer<String, RoleLastUsed> listener) {
        roleUses = requireNonNull(listener, "listener");
    }

    /**
     * The role account's IAM OIDC provider for {@code issuer}: its ARN is the issuer without {@code https://}, port and
     * path included, and its URL must be the issuer exactly.
     *
     * @throws ApiException {@code InvalidIdentityToken} in AWS's words when there is none
     */
    private OpenIdConnectProvider findProvider(Arn roleArn, String issuer) {
        Optional<OpenIdConnectProvider> provider = Optional.empty();
        if (issuer.startsWith(HTTPS) && issuer.length() > HTTPS.length()) {
            String arn = "arn:" + roleArn.partition() + ":iam::" + roleArn.accountId() + ":oidc-provider/"
                    + issuer.substring(HTTPS.length());
            provider = identities.findOpenIdConnectProvider(arn).filter(found -> found.url().equals(issuer));
        }
        return provider.orElseThrow(() -> new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN,
                "No OpenIDConnect provider found in your account for " + issuer));
    }

    /**
     * The provider's keys of this token, named by the provider's URL without {@code https://}: {@code :aud},
     * {@code :sub}, {@code :amr}, {@code :azp}, {@code :oaud}.
     */
    private static Map<String, List<String>> providerKeys(OpenIdConnectProvider provider,
            VerifiedWebIdentity identity) {
        String prefix = provider.url().substring(HTTPS.length());
        var keys = new LinkedHashMap<String, List<String>>();
        keys.put(prefix + ":aud", List.of(identity.audience()));
        keys.put(prefix + ":sub", List.of(identity.subject()));
        if (!identity.authenticationMethods().isEmpty()) {
            keys.put(prefix + ":amr", identity.authenticationMethods());
        }
        identity.authorizedParty().ifPresent(azp -> keys.put(prefix + ":azp", List.of(azp)));
        if (!identity.audiences().isEmpty()) {
            keys.put(prefix + ":oaud", identity.audiences());
        }
        return keys;
    }

    /** The keys that remain available in the session's later requests: the provider's aud, sub and amr. */
    private static Map<String, List<String>> sessionClaims(OpenIdConnectProvider provider,
            Map<String, List<String>> keys) {
        String prefix = provider.url().substring(HTTPS.length());
        var claims = new LinkedHashMap<String, List<String>>();
        for (String name : List.of(":aud", ":sub", ":amr")) {
            List<String> values = keys.get(prefix + name);
            if (values != null) {
                claims.put(prefix + name, values);
            }
        }
        return claims;
    }
}
