package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.ALLOW_ALL;
import static org.opensts.sts.StsFixture.OTHER_ACCOUNT;
import static org.opensts.sts.StsFixture.roleArn;
import static org.opensts.sts.StsFixture.trusting;
import static org.opensts.sts.StsFixture.userArn;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.oidc.WebIdentityTokenVerifier;
import org.opensts.federation.saml.SamlResponseVerifier;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.OutboundFederation;
import org.opensts.iam.Tag;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sigv4.SigV4Verifier;
import org.opensts.token.SessionTag;
import org.opensts.token.TemporaryCredentials;

class WebIdentityTokensTest {
    private static final String PUBLIC_URL = "https://sts.example.test";
    private static final String AUDIENCE = "https://api.example.com";

    private final StsFixture fixture = new StsFixture();
    private final WebIdentitySigningKeys keys = WebIdentitySigningKeys.open(fixture.store, fixture.masterKey,
            fixture.clock, fixture.random);
    private final WebIdentityTokens tokens = new WebIdentityTokens(fixture.store, fixture.sts.authorizer(), keys,
            () -> PUBLIC_URL, fixture.clock, fixture.random);

    @AfterEach
    void close() {
        fixture.close();
    }

    private static GetWebIdentityTokenRequest request(String algorithm) {
        return new GetWebIdentityTokenRequest(List.of(AUDIENCE), Optional.empty(), algorithm, List.of());
    }

    private GetWebIdentityTokenResponse token(CallerIdentity caller, GetWebIdentityTokenRequest request) {
        return tokens.getWebIdentityToken(caller, fixture.metadata(), request);
    }

    private OutboundFederation enable(String account) {
        return fixture.iam.outboundFederation().enable(account);
    }

    /** Verifies a token as an external service would: signature against the issuer's published JWKS, then claims. */
    private JWTClaimsSet verify(String token, OutboundFederation federation) throws Exception {
        JWKSet published = JWKSet.parse(tokens.jwks(federation.issuerId()).orElseThrow());
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES384), new ImmutableJWKSet<>(published)));
        // Nimbus checks exp against the wall clock; the fixture's clock is in the future, so claims are checked here.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        return processor.process(token, null);
    }

    private static ApiException rejection(Runnable call) {
        return catchThrowableOfType(ApiException.class, call::run);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("algorithms")
    void getWebIdentityToken_user_isSignedWithTheAlgorithmAndVerifiesAgainstThePublishedKeys(String algorithm)
            throws Exception {
        OutboundFederation federation = enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));

        GetWebIdentityTokenResponse response = token(caller, request(algorithm));

        String token = response.webIdentityToken().revealUtf8();
        assertThat(JWSObject.parse(token).getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
        JWTClaimsSet claims = verify(token, federation);
        assertThat(claims.getIssuer()).isEqualTo(PUBLIC_URL + "/outbound-federation/" + federation.issuerId());
        assertThat(claims.getSubject()).isEqualTo(userArn("alice"));
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(fixture.clock.instant());
        assertThat(claims.getExpirationTime().toInstant())
                .isEqualTo(fixture.clock.instant().plusSeconds(300))
                .isEqualTo(response.expiration());
        assertThat(claims.getJSONObjectClaim("https://sts.amazonaws.com/")).containsEntry("aws_account", ACCOUNT)
                .containsEntry("source_region", "us-east-1")
                .containsEntry("principal_id", userArn("alice"));
    }

    static List<String> algorithms() {
        return List.of("RS256", "ES384");
    }

    @Test
    void getWebIdentityToken_oneAudience_isAStringClaim_severalAreAnArray() throws Exception {
        enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));

        String one = token(caller, request("RS256")).webIdentityToken().revealUtf8();
        String two = token(caller, new GetWebIdentityTokenRequest(List.of("a", "b"), Optional.empty(), "RS256",
                List.of())).webIdentityToken().revealUtf8();

        assertThat(JWSObject.parse(one).getPayload().toJSONObject().get("aud")).isEqualTo(AUDIENCE);
        assertThat(JWSObject.parse(two).getPayload().toJSONObject().get("aud")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void getWebIdentityToken_roleSession_namesTheRoleAndCarriesPrincipalAndRequestTagsAndTheSessionsEnd()
            throws Exception {
        OutboundFederation federation = enable(ACCOUNT);
        CallerIdentity alice = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        fixture.role(ACCOUNT, "worker", trusting(userArn("alice")), 3600, List.of(new Tag("team", "data")),
                ALLOW_ALL);
        TemporaryCredentials session = fixture.assumeRole(alice, AssumeRoleRequest.of(roleArn("worker"), "job"))
                .credentials();

        String token = token(fixture.callerOf(session), new GetWebIdentityTokenRequest(List.of(AUDIENCE),
                Optional.of(600), "ES384", List.of(new SessionTag("job-id", "42")))).webIdentityToken().revealUtf8();

        JWTClaimsSet claims = verify(token, federation);
        assertThat(claims.getSubject()).isEqualTo(roleArn("worker"));
        Map<String, Object> aws = claims.getJSONObjectClaim("https://sts.amazonaws.com/");
        assertThat(aws).containsEntry("principal_id", roleArn("worker"))
                .containsEntry("principal_tags", Map.of("team", "data"))
                .containsEntry("request_tags", Map.of("job-id", "42"))
                .containsEntry("original_session_exp", session.expiration().toString());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(fixture.clock.instant().plusSeconds(600));
    }

    @Test
    void getWebIdentityToken_getSessionTokenAndFederatedSessions_areRefusedWhateverTheirPolicies() {
        enable(ACCOUNT);
        AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL);
        TemporaryCredentials sessionUser = fixture.sts.getSessionToken(fixture.callerOf(alice),
                new GetSessionTokenRequest(Optional.empty(), Optional.empty(), Optional.empty()));
        TemporaryCredentials federatedUser = fixture.sts.getFederationToken(fixture.callerOf(alice),
                fixture.metadata(), new GetFederationTokenRequest("fed", Optional.of(ALLOW_ALL), List.of(),
                        Optional.empty(), List.of())).credentials();

        ApiException fromSessionToken = rejection(() -> token(fixture.callerOf(sessionUser), request("RS256")));
        ApiException fromFederationToken = rejection(() -> token(fixture.callerOf(federatedUser), request("RS256")));

        assertThat(fromSessionToken.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(fromSessionToken.getMessage())
                .isEqualTo("Cannot call GetWebIdentityToken with session credentials from GetSessionToken");
        assertThat(fromFederationToken.getMessage())
                .isEqualTo("Cannot call GetWebIdentityToken with session credentials from GetFederationToken");
    }

    @Test
    void getWebIdentityToken_accountNeverEnabled_isOutboundFederationDisabled() {
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));

        ApiException e = rejection(() -> token(caller, request("RS256")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.OUTBOUND_WEB_IDENTITY_FEDERATION_DISABLED);
    }

    @Test
    void getWebIdentityToken_afterDisable_isRefused_butEarlierTokensStillVerify() throws Exception {
        OutboundFederation federation = enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        String earlier = token(caller, request("RS256")).webIdentityToken().revealUtf8();

        fixture.iam.outboundFederation().disable(ACCOUNT);

        assertThat(rejection(() -> token(caller, request("RS256"))).errorCode())
                .isEqualTo(ErrorCode.OUTBOUND_WEB_IDENTITY_FEDERATION_DISABLED);
        assertThat(verify(earlier, federation).getSubject()).isEqualTo(userArn("alice"));
        assertThat(tokens.openIdConfiguration(federation.issuerId())).isPresent();
    }

    @Test
    void getWebIdentityToken_notAllowed_isAccessDenied() {
        enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"""));

        ApiException e = rejection(() -> token(caller, request("RS256")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: " + userArn("alice")
                + " is not authorized to perform: sts:GetWebIdentityToken because no identity-based policy allows "
                + "the sts:GetWebIdentityToken action. Encoded authorization failure message: ");
    }

    record ConditionCase(String name, String condition, GetWebIdentityTokenRequest request, boolean allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<ConditionCase> conditions() {
        var rs256 = new GetWebIdentityTokenRequest(List.of(AUDIENCE), Optional.empty(), "RS256", List.of());
        return List.of(
                new ConditionCase("audience condition met", "{\"StringEquals\":{\"sts:IdentityTokenAudience\":\""
                        + AUDIENCE + "\"}}", rs256, true),
                new ConditionCase("audience condition not met",
                        "{\"StringEquals\":{\"sts:IdentityTokenAudience\":\"other\"}}", rs256, false),
                new ConditionCase("duration at most 300 with the default",
                        "{\"NumericLessThanEquals\":{\"sts:DurationSeconds\":\"300\"}}", rs256, true),
                new ConditionCase("duration at most 300 with 900 asked",
                        "{\"NumericLessThanEquals\":{\"sts:DurationSeconds\":\"300\"}}",
                        new GetWebIdentityTokenRequest(List.of(AUDIENCE), Optional.of(900), "RS256", List.of()),
                        false),
                new ConditionCase("only ES384 with RS256 asked",
                        "{\"StringEquals\":{\"sts:SigningAlgorithm\":\"ES384\"}}", rs256, false),
                new ConditionCase("request tag required and given",
                        "{\"StringEquals\":{\"aws:RequestTag/env\":\"prod\"}}",
                        new GetWebIdentityTokenRequest(List.of(AUDIENCE), Optional.empty(), "RS256",
                                List.of(new SessionTag("env", "prod"))), true),
                new ConditionCase("request tag required and missing",
                        "{\"StringEquals\":{\"aws:RequestTag/env\":\"prod\"}}", rs256, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void getWebIdentityToken_conditionKeys_areInTheRequestContext(ConditionCase testCase) {
        enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", "{\"Version\":\"2012-10-17\",\"Statement\":"
                + "[{\"Effect\":\"Allow\",\"Action\":\"sts:GetWebIdentityToken\",\"Resource\":\"*\",\"Condition\":"
                + testCase.condition() + "}]}"));

        ApiException e = rejection(() -> token(caller, testCase.request()));

        if (testCase.allowed()) {
            assertThat(e).isNull();
        } else {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        }
    }

    @Test
    void getWebIdentityToken_unknownAlgorithm_isValidationError() {
        enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));

        ApiException e = rejection(() -> token(caller, request("HS256")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).contains("'HS256' at 'signingAlgorithm'");
    }

    @Test
    void getWebIdentityToken_outlivingTheCallingSession_isSessionDurationEscalation() {
        enable(ACCOUNT);
        CallerIdentity alice = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        fixture.role("worker", trusting(userArn("alice")), ALLOW_ALL);
        CallerIdentity session = fixture.callerOf(fixture.assumeRole(alice,
                AssumeRoleRequest.of(roleArn("worker"), "job")).credentials());
        fixture.clock.advance(Duration.ofMinutes(55));

        ApiException tooLong = rejection(() -> token(session, new GetWebIdentityTokenRequest(List.of(AUDIENCE),
                Optional.of(600), "RS256", List.of())));
        ApiException fits = rejection(() -> token(session, request("RS256")));

        assertThat(tooLong.errorCode()).isEqualTo(ErrorCode.SESSION_DURATION_ESCALATION);
        assertThat(fits).isNull();
    }

    @Test
    void getWebIdentityToken_claimsAboveTheSizeLimit_isJwtPayloadSizeExceeded() {
        enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        var tags = new java.util.ArrayList<SessionTag>();
        for (int i = 0; i < 50; i++) {
            tags.add(new SessionTag("key-" + i + "-" + "k".repeat(100), "v".repeat(256)));
        }

        ApiException e = rejection(() -> token(caller, new GetWebIdentityTokenRequest(List.of(AUDIENCE),
                Optional.empty(), "RS256", tags)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.JWT_PAYLOAD_SIZE_EXCEEDED);
    }

    @Test
    void rotation_keepsRetiredPublicKeysUntilTheirLastTokenHasExpired() throws Exception {
        OutboundFederation federation = enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        String before = token(caller, new GetWebIdentityTokenRequest(List.of(AUDIENCE), Optional.of(3600), "RS256",
                List.of())).webIdentityToken().revealUtf8();
        Set<String> oldKids = kids(federation);

        fixture.clock.advance(WebIdentitySigningKeys.ROTATION_PERIOD);
        keys.rotateIfDue();
        // The successors are published first; the old keys sign until verifiers have had time to fetch them.
        assertThat(kids(federation)).containsAll(oldKids).hasSize(4);
        String meanwhile = token(caller, request("RS256")).webIdentityToken().revealUtf8();
        assertThat(JWSObject.parse(meanwhile).getHeader().getKeyID()).isIn(oldKids);

        fixture.clock.advance(WebIdentitySigningKeys.PUBLICATION_LEAD);
        String after = token(caller, request("RS256")).webIdentityToken().revealUtf8();
        assertThat(JWSObject.parse(after).getHeader().getKeyID()).isNotIn(oldKids);
        keys.rotateIfDue();

        assertThat(kids(federation)).containsAll(oldKids).hasSize(4);
        assertThat(verify(before, federation).getSubject()).isEqualTo(userArn("alice"));
        assertThat(verify(meanwhile, federation).getSubject()).isEqualTo(userArn("alice"));

        fixture.clock.advance(WebIdentitySigningKeys.RETIRED_KEY_RETENTION);
        keys.rotateIfDue();

        assertThat(kids(federation)).doesNotContainAnyElementsOf(oldKids).hasSize(2);
        assertThat(verify(after, federation).getSubject()).isEqualTo(userArn("alice"));
    }

    private Set<String> kids(OutboundFederation federation) throws ParseException {
        return JWKSet.parse(tokens.jwks(federation.issuerId()).orElseThrow()).getKeys().stream()
                .map(key -> key.getKeyID()).collect(Collectors.toSet());
    }

    @Test
    void rotationByHand_switchesAtOnce() throws Exception {
        OutboundFederation federation = enable(ACCOUNT);
        CallerIdentity caller = fixture.callerOf(fixture.user("alice", ALLOW_ALL));
        Set<String> oldKids = kids(federation);

        keys.rotate();

        String after = token(caller, request("ES384")).webIdentityToken().revealUtf8();
        assertThat(JWSObject.parse(after).getHeader().getKeyID()).isNotIn(oldKids);
        assertThat(kids(federation)).containsAll(oldKids).hasSize(4);
    }

    @Test
    void rotateIfDue_withNothingDue_changesNothing() {
        String before = keys.publicKeys().toString();

        fixture.clock.advance(WebIdentitySigningKeys.ROTATION_PERIOD.minusMinutes(1));
        keys.rotateIfDue();

        assertThat(keys.publicKeys().toString()).isEqualTo(before);
    }

    @Test
    void toString_ofTheResponseAndTheKeys_revealsNoTokenOrKey() {
        enable(ACCOUNT);
        GetWebIdentityTokenResponse response = token(fixture.callerOf(fixture.user("alice", ALLOW_ALL)),
                request("RS256"));
        String token = response.webIdentityToken().revealUtf8();
        String privateExponent = (String) keys.signingKey(JWSAlgorithm.RS256).toJSONObject().get("d");

        assertThat(response.toString()).doesNotContain(token).doesNotContain(token.substring(0, 20));
        assertThat(keys.toString()).doesNotContain(privateExponent).contains("redacted");
    }

    @Test
    void signingKeys_anotherNodeOpeningTheStore_signsWithTheSameKeys() {
        var other = WebIdentitySigningKeys.open(fixture.store, fixture.masterKey, fixture.clock, fixture.random);

        assertThat(other.publicKeys().toString()).isEqualTo(keys.publicKeys().toString());
    }

    @Test
    void jwks_publishesPublicKeysOnly() throws ParseException {
        OutboundFederation federation = enable(ACCOUNT);

        JWKSet published = JWKSet.parse(tokens.jwks(federation.issuerId()).orElseThrow());

        assertThat(published.getKeys()).hasSize(2).noneMatch(key -> key.isPrivate());
        assertThat(tokens.jwks(federation.issuerId()).orElseThrow()).doesNotContain("\"d\"");
    }

    @Test
    void openIdConfiguration_namesTheIssuerAndItsKeys_unknownIssuerHasNone() throws ParseException {
        OutboundFederation federation = enable(ACCOUNT);
        String issuer = tokens.issuerUrl(federation);

        Map<String, Object> document = com.nimbusds.jose.util.JSONObjectUtils.parse(
                tokens.openIdConfiguration(federation.issuerId()).orElseThrow());

        assertThat(document).containsEntry("issuer", issuer)
                .containsEntry("jwks_uri", issuer + "/.well-known/jwks.json")
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256", "ES384"));
        assertThat(tokens.openIdConfiguration("00000000-0000-4000-8000-000000000000")).isEmpty();
        assertThat(tokens.jwks("../etc")).isEmpty();
    }

    @Test
    void outboundFederation_enableTwice_isFeatureEnabled_disableTwice_isFeatureDisabled_issuerStays() {
        assertThat(rejection(() -> fixture.iam.outboundFederation().info(ACCOUNT)).errorCode())
                .isEqualTo(ErrorCode.FEATURE_DISABLED);
        OutboundFederation first = enable(ACCOUNT);

        assertThat(rejection(() -> enable(ACCOUNT)).errorCode()).isEqualTo(ErrorCode.FEATURE_ENABLED);
        fixture.iam.outboundFederation().disable(ACCOUNT);
        assertThat(rejection(() -> fixture.iam.outboundFederation().disable(ACCOUNT)).errorCode())
                .isEqualTo(ErrorCode.FEATURE_DISABLED);
        assertThat(fixture.iam.outboundFederation().info(ACCOUNT).enabled()).isFalse();

        assertThat(enable(ACCOUNT).issuerId()).isEqualTo(first.issuerId());
        assertThat(enable(OTHER_ACCOUNT).issuerId()).isNotEqualTo(first.issuerId());
    }

    /**
     * OpenSTS trusting itself: account B registers account A's issuer as an OpenID Connect provider, and A's token is
     * exchanged for a session of B's role through AssumeRoleWithWebIdentity. The verifier reads the keys A's issuer
     * publishes through the key-source seam rather than over HTTPS, which this module has no server for.
     */
    @Test
    void assumeRoleWithWebIdentity_withAnotherAccountsToken_federatesOpenStsWithItself() {
        OutboundFederation federation = enable(ACCOUNT);
        String issuer = tokens.issuerUrl(federation);
        String issuerHostPath = issuer.substring("https://".length());
        fixture.iam.providers().createOpenIdConnectProvider(OTHER_ACCOUNT, issuer, List.of(AUDIENCE), List.of(),
                List.of());
        fixture.role(OTHER_ACCOUNT, "from-a", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Federated\":\"arn:aws:iam::" + OTHER_ACCOUNT + ":oidc-provider/" + issuerHostPath
                + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{\"StringEquals\":{\""
                + issuerHostPath + ":sub\":\"" + userArn("alice") + "\"}}}]}", 3600, List.of(), ALLOW_ALL);
        AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL);
        String token = token(fixture.callerOf(alice), request("ES384")).webIdentityToken().revealUtf8();
        var federationOfB = new Federation(new WebIdentityTokenVerifier(
                provider -> parse(tokens.jwks(provider.url().substring(provider.url().lastIndexOf('/') + 1))
                        .orElseThrow()), fixture.clock),
                new SamlResponseVerifier(fixture.clock), fixture.replayGuard::firstUse);
        var stsOfB = new StsService(fixture.store, fixture.keyRing, SigV4Verifier.create(), new PolicyEvaluator(),
                federationOfB, fixture.clock, fixture.random);

        AssumeRoleWithWebIdentityResponse response = stsOfB.assumeRoleWithWebIdentity(fixture.metadata(),
                AssumeRoleWithWebIdentityRequest.of("arn:aws:iam::" + OTHER_ACCOUNT + ":role/from-a", "from-a",
                        token));

        assertThat(response.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/from-a/from-a");
        assertThat(response.subjectFromWebIdentityToken()).isEqualTo(userArn("alice"));
        assertThat(response.provider()).isEqualTo("arn:aws:iam::" + OTHER_ACCOUNT + ":oidc-provider/"
                + issuerHostPath);
    }

    private static JWKSet parse(String jwks) {
        try {
            return JWKSet.parse(jwks);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
