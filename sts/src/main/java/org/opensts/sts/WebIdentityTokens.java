package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opensts.iam.IdentityStore;
import org.opensts.iam.OutboundFederation;
import org.opensts.iam.OutboundFederationOperations;
import org.opensts.policy.ContextKeyType;
import org.opensts.policy.Decision;
import org.opensts.policy.GlobalConditionKeys;
import org.opensts.policy.RequestContext;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.protocol.shape.ViolationWording;
import org.opensts.token.Secret;
import org.opensts.token.SessionTag;

/**
 * Outbound identity federation: GetWebIdentityToken (STS API Reference) signs a short-lived JWT that asserts the
 * caller's identity to an external service, and each account's issuer publishes the OpenID Connect discovery document
 * and the JWKS that verify it (IAM User Guide, "Federate AWS identities to external services").
 *
 * <p>An account's issuer is {@code PUBLIC_URL/outbound-federation/ISSUER_ID} ({@link OutboundFederation#issuerUrl}),
 * where the public URL is the deployment's externally visible base and the issuer id a random UUID given to the
 * account when it first enables the feature. The token's claims follow the IAM User Guide's "Understanding token
 * claims": {@code iss}, {@code sub} (the principal's ARN, the role's for a role session), {@code aud} (a string for one
 * audience, an array for several), {@code iat}, {@code exp}, {@code jti}, and under the {@code https://sts.amazonaws.com/}
 * namespace {@code aws_account}, {@code request_tags}, {@code original_session_exp} (when the
 * calling session expires, as AWS's real tokens of role sessions have it), {@code source_region},
 * {@code principal_id} and {@code principal_tags}.
 */
public final class WebIdentityTokens {
    public static final String ACTION = "sts:GetWebIdentityToken";
    static final String IDENTITY_TOKEN_AUDIENCE = "sts:IdentityTokenAudience";
    static final String SIGNING_ALGORITHM = "sts:SigningAlgorithm";
    static final String CLAIMS_NAMESPACE = "https://sts.amazonaws.com/";
    static final int DEFAULT_DURATION_SECONDS = 300;
    /** The largest claims set we sign, in bytes of JSON: request and principal tags are what can make it large. */
    static final int MAX_PAYLOAD_BYTES = 8192;
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
    public static final String JWKS_PATH = "/.well-known/jwks.json";

    private final IdentityStore store;
    private final Authorizer authorizer;
    private final WebIdentitySigningKeys keys;
    private final Supplier<String> publicUrl;
    private final Clock clock;
    private final SecureRandom random;

    /**
     * @param publicUrl the deployment's externally visible base URL, such as {@code https://sts.example.com}; asked
     *     for on every use, so it may be known only once the server listens
     */
    public WebIdentityTokens(IdentityStore store, Authorizer authorizer, WebIdentitySigningKeys keys,
            Supplier<String> publicUrl, Clock clock, SecureRandom random) {
        this.store = store;
        this.authorizer = authorizer;
        this.keys = keys;
        this.publicUrl = publicUrl;
        this.clock = clock;
        this.random = random;
    }

    /** The account's issuer URL, the {@code iss} of its tokens. */
    public String issuerUrl(OutboundFederation federation) {
        return federation.issuerUrl(publicUrl.get());
    }

    /**
     * GetWebIdentityToken.
     *
     * @throws ApiException {@code AccessDenied} for a GetFederationToken or GetSessionToken session (before anything
     *     else), {@code ValidationError} for a signing algorithm other than RS256 or ES384,
     *     {@code InvalidParameterValue} for duplicate or reserved tag keys, {@code AccessDenied} unless the caller's
     *     policies allow {@code sts:GetWebIdentityToken}, {@code OutboundWebIdentityFederationDisabledException} if
     *     the account has not enabled the feature, {@code SessionDurationEscalationException} if the token would
     *     outlive the calling session, {@code JWTPayloadSizeExceededException} if the claims are too large
     */
    public GetWebIdentityTokenResponse getWebIdentityToken(CallerIdentity caller, RequestMetadata metadata,
            GetWebIdentityTokenRequest request) {
        RestrictedSessions.requireNeitherFederatedUserNorSessionUser(caller, "GetWebIdentityToken");
        JWSAlgorithm algorithm = WebIdentitySigningKeys.ALGORITHMS.stream()
                .filter(candidate -> candidate.getName().equals(request.signingAlgorithm()))
                .findFirst()
                .orElseThrow(() -> ApiException.validationError("1 validation error detected: Value '"
                        + ViolationWording.quoted(request.signingAlgorithm()) + "' at 'signingAlgorithm' failed to satisfy constraint: Member "
                        + "must satisfy enum value set: [ES384, RS256]"));
        SessionGrants.checkTagKeys(request.tags());
        int durationSeconds = request.durationSeconds().orElse(DEFAULT_DURATION_SECONDS);

        RequestContext.Builder context = authorizer.baseContext(caller, metadata)
                .put(IDENTITY_TOKEN_AUDIENCE, request.audience())
                .put(GlobalConditionKeys.STS_DURATION_SECONDS, ContextKeyType.NUMERIC,
                        List.of(Integer.toString(durationSeconds)))
                .put(SIGNING_ALGORITHM, algorithm.getName());
        SessionGrants.putRequestedSessionKeys(context, request.tags(), List.of(), Optional.empty());
        RequestContext requestContext = context.build();
        Decision decision = authorizer.evaluate(caller, ACTION, "*", Optional.empty(), requestContext,
                Optional.empty());
        if (!decision.isAllowed()) {
            throw authorizer.denied(caller, ACTION, "*", Optional.of(decision), requestContext,
                    /* resourceInCallersAccount= */ true);
        }

        OutboundFederation federation = store.findOutboundFederation(caller.accountId())
                .filter(OutboundFederation::enabled)
                .orElseThrow(() -> new ApiException(ErrorCode.OUTBOUND_WEB_IDENTITY_FEDERATION_DISABLED,
                        "Outbound web identity federation is disabled for your account. Enable it with "
                                + "EnableOutboundWebIdentityFederation before calling GetWebIdentityToken."));
        Instant now = clock.instant();
        Instant expiration = now.plus(Duration.ofSeconds(durationSeconds));
        // A session's token must not outlive the session: it would be a way to extend it.
        if (caller.session().map(session -> expiration.isAfter(session.expiration())).orElse(false)) {
            throw new ApiException(ErrorCode.SESSION_DURATION_ESCALATION, "The requested token duration would "
                    + "extend the session beyond its original expiration time.");
        }

        String payload = JSONObjectUtils.toJSONString(claims(caller, metadata, request, federation, now, expiration));
        if (payload.getBytes(UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw new ApiException(ErrorCode.JWT_PAYLOAD_SIZE_EXCEEDED, "The token payload exceeds the maximum "
                    + "allowed size. Reduce the number of request tags.");
        }
        return new GetWebIdentityTokenResponse(Secret.ofUtf8(sign(algorithm, payload)), expiration);
    }

    private Map<String, Object> claims(CallerIdentity caller, RequestMetadata metadata,
            GetWebIdentityTokenRequest request, OutboundFederation federation, Instant now, Instant expiration) {
        String principal = principalArn(caller);
        // In the order of AWS's real tokens: aud, sub, the AWS claims, iss, exp, iat, jti.
        var claims = new LinkedHashMap<String, Object>();
        claims.put("aud", request.audience().size() == 1 ? request.audience().get(0) : request.audience());
        claims.put("sub", principal);
        var aws = new LinkedHashMap<String, Object>();
        aws.put("aws_account", caller.accountId());
        if (!request.tags().isEmpty()) {
            var requestTags = new LinkedHashMap<String, Object>();
            for (SessionTag tag : request.tags()) {
                requestTags.put(tag.key(), tag.value());
            }
            aws.put("request_tags", requestTags);
        }
        // When the calling session ends, so that a relying party can end its own session no later (real tokens of
        // role sessions carry it; the User Guide's claim list does not name it).
        caller.session().ifPresent(session -> aws.put("original_session_exp",
                DateTimeFormatter.ISO_INSTANT.format(session.expiration().truncatedTo(ChronoUnit.SECONDS))));
        aws.put("source_region", metadata.region());
        aws.put("principal_id", principal);
        Map<String, String> principalTags = authorizer.principalTags(caller);
        if (!principalTags.isEmpty()) {
            aws.put("principal_tags", new LinkedHashMap<>(principalTags));
        }
        claims.put(CLAIMS_NAMESPACE, aws);
        claims.put("iss", issuerUrl(federation));
        claims.put("exp", expiration.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", OutboundFederationOperations.randomUuid(random));
        return claims;
    }

    /** The caller's ARN as the token names it: a role session by its role (STS API Reference, GetWebIdentityToken). */
    static String principalArn(CallerIdentity caller) {
        return caller.isRoleSession() ? caller.session().orElseThrow().sourceArn() : caller.arn();
    }

    private String sign(JWSAlgorithm algorithm, String payload) {
        JWK key = keys.signingKey(algorithm);
        var header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build();
        var jws = new JWSObject(header, new Payload(payload));
        try {
            JWSSigner signer = new DefaultJWSSignerFactory().createJWSSigner(key, algorithm);
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a web identity token with " + algorithm, e);
        }
        return jws.serialize();
    }

    /**
     * The OpenID Connect discovery document of the issuer whose id is {@code issuerId}, or empty if there is no such
     * issuer. It is served while the account's setting exists, enabled or not: disabling stops new tokens, and those
     * issued before must still verify (IAM API Reference, DisableOutboundWebIdentityFederation).
     */
    public Optional<String> openIdConfiguration(String issuerId) {
        return issuer(issuerId).map(federation -> {
            String issuer = issuerUrl(federation);
            var document = new LinkedHashMap<String, Object>();
            document.put("issuer", issuer);
            document.put("jwks_uri", issuer + JWKS_PATH);
            document.put("response_types_supported", List.of("id_token"));
            document.put("subject_types_supported", List.of("public"));
            var algorithms = new ArrayList<String>();
            WebIdentitySigningKeys.ALGORITHMS.forEach(algorithm -> algorithms.add(algorithm.getName()));
            document.put("id_token_signing_alg_values_supported", algorithms);
            document.put("scopes_supported", List.of("openid"));
            document.put("claims_supported", List.of("iss", "sub", "aud", "iat", "exp", "jti", CLAIMS_NAMESPACE));
            return JSONObjectUtils.toJSONString(document);
        });
    }

    /** The public keys that verify the issuer's tokens, as a JWK set, or empty if there is no such issuer. */
    public Optional<String> jwks(String issuerId) {
        return issuer(issuerId).map(federation -> keys.publicKeys().toString(/* publicKeysOnly= */ true));
    }

    private Optional<OutboundFederation> issuer(String issuerId) {
        if (!OutboundFederation.isValidIssuerId(issuerId)) {
            return Optional.empty();
        }
        return store.findOutboundFederationByIssuerId(issuerId);
    }
}
