package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.OTHER_ACCOUNT;
import static org.opensts.sts.StsFixture.roleArn;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.iam.Tag;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;

/**
 * AssumeRoleWithWebIdentity against a real OIDC issuer on loopback HTTPS (port and path in its URL, so in the provider
 * ARN and the condition keys), its CA trusted as {@code --trusted-ca-file} would.
 */
class AssumeRoleWithWebIdentityOperationTest {
    private static final String TAGS_CLAIM = "https://aws.amazon.com/tags";
    private static final String SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity";
    private static TestOidcIssuer issuer;

    private final StsFixture fixture = new StsFixture(Optional.of(issuer.caPemFile()));

    @BeforeAll
    static void startIssuer() {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/ci").start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private static String providerArn(String account) {
        return "arn:aws:iam::" + account + ":oidc-provider/" + issuer.hostPortPath();
    }

    private void registerProvider(String account) {
        fixture.iam.providers().createOpenIdConnectProvider(account, issuer.url(),
                List.of(TestOidcIssuer.DEFAULT_AUDIENCE), List.of(), List.of());
    }

    /** A trust policy that lets the provider of {@code account} perform {@code actions} under {@code condition}. */
    private static String trustingProvider(String account, String condition, String... actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + providerArn(account) + "\"},\"Action\":" + StsFixture.jsonArray(actions.length == 0
                        ? new String[] {AssumeRoleWithWebIdentityOperation.ACTION} : actions)
                + (condition.isEmpty() ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    private String token(UnaryOperator<JWTClaimsSet.Builder> claims) {
        return issuer.mint(claims.apply(issuer.claims(fixture.clock.instant())).build());
    }

    private AssumeRoleWithWebIdentityResponse assume(String role, String token) {
        return fixture.sts.assumeRoleWithWebIdentity(fixture.metadata(),
                AssumeRoleWithWebIdentityRequest.of(roleArn(role), "ci-run", token));
    }

    private AssumeRoleWithWebIdentityResponse assume(AssumeRoleWithWebIdentityRequest request) {
        return fixture.sts.assumeRoleWithWebIdentity(fixture.metadata(), request);
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("AssumeRoleWithWebIdentity succeeded");
    }

    private Session sessionOf(AssumeRoleWithWebIdentityResponse response) {
        return fixture.callerOf(response.credentials()).session().orElseThrow();
    }

    @Test
    void assumeRoleWithWebIdentity_trustedProvider_issuesARoleSessionAndAnswersAsAws() {
        registerProvider(ACCOUNT);
        var role = fixture.role("ci", trustingProvider(ACCOUNT, ""));

        AssumeRoleWithWebIdentityResponse response = assume("ci", token(claims -> claims));

        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/ci/ci-run");
        assertThat(response.assumedRoleUser().assumedRoleId()).isEqualTo(role.roleId() + ":ci-run");
        assertThat(response.subjectFromWebIdentityToken()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        assertThat(response.provider()).isEqualTo(providerArn(ACCOUNT));
        assertThat(response.audience()).isEqualTo(TestOidcIssuer.DEFAULT_AUDIENCE);
        assertThat(response.packedPolicySize()).isEmpty();
        assertThat(response.sourceIdentity()).isEmpty();
        assertThat(response.credentials().expiration()).isEqualTo(fixture.clock.instant().plusSeconds(3600));
        CallerIdentity caller = fixture.callerOf(response.credentials());
        assertThat(fixture.sts.getCallerIdentity(caller).arn()).isEqualTo(response.assumedRoleUser().arn());
    }

    @Test
    void assumeRoleWithWebIdentity_session_carriesTheProviderAndItsAudSubAmrForLaterRequests() {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, ""));

        Session session = sessionOf(assume("ci", token(claims -> claims.claim("amr", List.of("pwd", "mfa"))
                .claim("azp", "some-client"))));

        String host = issuer.hostPortPath();
        assertThat(session.federatedProvider()).contains(providerArn(ACCOUNT));
        assertThat(session.federationClaims()).containsExactly(
                Map.entry(host + ":aud", List.of(TestOidcIssuer.DEFAULT_AUDIENCE)),
                Map.entry(host + ":sub", List.of(TestOidcIssuer.DEFAULT_SUBJECT)),
                Map.entry(host + ":amr", List.of("pwd", "mfa")));
    }

    @Test
    void assumeRole_fromAWebIdentitySession_seesTheProviderSubInTheNextTrustPolicy() {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, ""), StsFixture.ALLOW_ALL);
        String next = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                + roleArn("ci") + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\""
                + issuer.hostPortPath() + ":sub\":\"repo:org/app\",\"aws:FederatedProvider\":\""
                + providerArn(ACCOUNT) + "\"}}}]}";
        fixture.role("deploy", next);
        var app = assume("ci", token(claims -> claims.subject("repo:org/app"))).credentials();
        var other = assume("ci", token(claims -> claims.subject("repo:org/other"))).credentials();

        var allowed = fixture.assumeRole(fixture.callerOf(app), AssumeRoleRequest.of(roleArn("deploy"), "next"));
        ApiException refused = rejection(() -> fixture.assumeRole(fixture.callerOf(other),
                AssumeRoleRequest.of(roleArn("deploy"), "next")));

        assertThat(allowed.assumedRoleUser().arn()).endsWith(":assumed-role/deploy/next");
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    record ConditionCase(String name, String condition, boolean allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ConditionCase> trustConditions() {
        String host = "HOST";
        return Stream.of(
                new ConditionCase("sub equals the token's sub", "{\"StringEquals\":{\"" + host + ":sub\":\""
                        + TestOidcIssuer.DEFAULT_SUBJECT + "\"}}", true),
                new ConditionCase("sub names another subject", "{\"StringEquals\":{\"" + host
                        + ":sub\":\"system:serviceaccount:other:app\"}}", false),
                new ConditionCase("aud equals the client id", "{\"StringEquals\":{\"" + host + ":aud\":\""
                        + TestOidcIssuer.DEFAULT_AUDIENCE + "\"}}", true),
                new ConditionCase("oaud holds the aud", "{\"ForAnyValue:StringEquals\":{\"" + host + ":oaud\":\""
                        + TestOidcIssuer.DEFAULT_AUDIENCE + "\"}}", true),
                new ConditionCase("amr holds mfa", "{\"ForAnyValue:StringEquals\":{\"" + host
                        + ":amr\":\"mfa\"}}", true),
                new ConditionCase("azp is the party", "{\"StringEquals\":{\"" + host + ":azp\":\"web-app\"}}", true),
                new ConditionCase("session name is ci-run", "{\"StringEquals\":{\"sts:RoleSessionName\":\"ci-run\"}}",
                        true),
                new ConditionCase("FederatedProvider is the provider ARN", "{\"StringEquals\":{"
                        + "\"aws:FederatedProvider\":\"PROVIDER\"}}", true),
                new ConditionCase("the role's tag team is ci", "{\"StringEquals\":{\"aws:ResourceTag/team\":\"ci\","
                        + "\"iam:ResourceTag/team\":\"ci\"}}", true),
                new ConditionCase("the role's tag team is ops", "{\"StringEquals\":{\"aws:ResourceTag/team\":\"ops\"}}",
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trustConditions")
    void assumeRoleWithWebIdentity_trustCondition_seesTheTokensKeys(ConditionCase testCase) {
        registerProvider(ACCOUNT);
        String condition = testCase.condition().replace("HOST", issuer.hostPortPath())
                .replace("PROVIDER", providerArn(ACCOUNT));
        fixture.role(ACCOUNT, "ci", trustingProvider(ACCOUNT, condition), 3600, List.of(new Tag("team", "ci")));
        String token = token(claims -> claims.claim("amr", List.of("pwd", "mfa")).claim("azp", "web-app"));

        if (testCase.allowed()) {
            assertThat(assume("ci", token).assumedRoleUser().arn()).endsWith("/ci/ci-run");
        } else {
            ApiException e = rejection(() -> assume("ci", token));
            assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).isEqualTo("Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
    }

    /** One way to get AssumeRoleWithWebIdentity wrong, and AWS's answer. */
    record ErrorCase(String name, Scenario scenario, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Scenario {
        void run(AssumeRoleWithWebIdentityOperationTest test);
    }

    static Stream<ErrorCase> errors() {
        return Stream.of(
                new ErrorCase("a RoleArn that is not an ARN is a validation error before the token is read",
                        test -> test.assume(new AssumeRoleWithWebIdentityRequest("not-an-arn-at-all-x", "ci-run",
                                "not a token", Optional.empty(), List.of(), Optional.empty(), Optional.empty())),
                        ErrorCode.VALIDATION_ERROR, "not-an-arn-at-all-x is invalid"),
                new ErrorCase("a malformed session policy is refused before the token is read",
                        test -> test.assume(new AssumeRoleWithWebIdentityRequest(roleArn("ci"), "ci-run",
                                "not a token", Optional.empty(), List.of(), Optional.of("{\"Version\":"),
                                Optional.empty())),
                        ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("a token that is not a JWT is an invalid identity token",
                        test -> test.assume("ci", "definitely.not.ajwt"), ErrorCode.INVALID_IDENTITY_TOKEN, null),
                new ErrorCase("an issuer with no provider in the role's account has none",
                        test -> {
                            test.fixture.iam.providers().deleteOpenIdConnectProvider(ACCOUNT, providerArn(ACCOUNT));
                            test.assume("ci", test.token(claims -> claims));
                        },
                        ErrorCode.INVALID_IDENTITY_TOKEN, "No OpenIDConnect provider found in your account for ISSUER"),
                new ErrorCase("a role in another account looks in that account for the provider",
                        test -> {
                            test.fixture.role(OTHER_ACCOUNT, "ci", trustingProvider(ACCOUNT, ""), 3600, List.of());
                            test.fixture.sts.assumeRoleWithWebIdentity(test.fixture.metadata(),
                                    AssumeRoleWithWebIdentityRequest.of("arn:aws:iam::" + OTHER_ACCOUNT + ":role/ci",
                                            "ci-run", test.token(claims -> claims)));
                        },
                        ErrorCode.INVALID_IDENTITY_TOKEN, "No OpenIDConnect provider found in your account for ISSUER"),
                new ErrorCase("an unknown role is refused as a forbidden one is",
                        test -> test.assume("nobody", test.token(claims -> claims)),
                        ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
                new ErrorCase("a trust policy for another provider refuses",
                        test -> {
                            test.fixture.role("other", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                    + "\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::" + ACCOUNT
                                    + ":oidc-provider/token.example.com\"},\"Action\":"
                                    + "\"sts:AssumeRoleWithWebIdentity\"}]}");
                            test.assume("other", test.token(claims -> claims));
                        },
                        ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
                new ErrorCase("a trust policy for sts:AssumeRole only refuses",
                        test -> {
                            test.fixture.role("assume-only", trustingProvider(ACCOUNT, "", "sts:AssumeRole"));
                            test.assume("assume-only", test.token(claims -> claims));
                        },
                        ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
                new ErrorCase("session tags need sts:TagSession in the trust policy",
                        test -> test.assume("ci", test.token(claims -> claims.claim(TAGS_CLAIM,
                                Map.of("principal_tags", Map.of("team", List.of("ci")))))),
                        ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
                new ErrorCase("a source identity needs sts:SetSourceIdentity in the trust policy",
                        test -> test.assume("ci", test.token(claims -> claims.claim(SOURCE_IDENTITY_CLAIM, "alice"))),
                        ErrorCode.ACCESS_DENIED, "Not authorized to perform sts:AssumeRoleWithWebIdentity"),
                new ErrorCase("a session tag key in the aws: namespace is refused",
                        test -> test.assume("ci", test.token(claims -> claims.claim(TAGS_CLAIM,
                                Map.of("principal_tags", Map.of("aws:team", List.of("ci")))))),
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "Tag keys can't start with 'aws:'. This prefix is reserved for system tags."),
                new ErrorCase("a transitive tag key must name a session tag",
                        test -> test.assume("ci", test.token(claims -> claims.claim(TAGS_CLAIM, Map.of(
                                "principal_tags", Map.of("team", List.of("ci")),
                                "transitive_tag_keys", List.of("project"))))),
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "The specified transitive tag key must be included in the requested tags."),
                new ErrorCase("a source identity in the aws: namespace is refused",
                        test -> test.assume("ci", test.token(claims -> claims.claim(SOURCE_IDENTITY_CLAIM,
                                "aws:alice"))),
                        ErrorCode.INVALID_IDENTITY_TOKEN,
                        "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\""),
                new ErrorCase("a duration above the role's maximum is a validation error",
                        test -> test.assume(new AssumeRoleWithWebIdentityRequest(roleArn("ci"), "ci-run",
                                test.token(claims -> claims), Optional.empty(), List.of(), Optional.empty(),
                                Optional.of(7200))),
                        ErrorCode.VALIDATION_ERROR,
                        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
                new ErrorCase("an expired token is refused as expired",
                        test -> {
                            String token = test.token(claims -> claims);
                            test.fixture.clock.advance(Duration.ofHours(2));
                            test.assume("ci", token);
                        },
                        ErrorCode.IDP_TOKEN_EXPIRED, null),
                new ErrorCase("a token for another audience is refused",
                        test -> test.assume("ci", test.token(claims -> claims.audience("someone-else"))),
                        ErrorCode.INVALID_IDENTITY_TOKEN, null));
    }

    /** What the audit log records of a call the role's trust policy refuses: the provider vouched for the token. */
    @Test
    void assumeRoleWithWebIdentity_refusedByTheTrustPolicy_toldWhoTheVerifiedTokenNamesFirst() {
        registerProvider(ACCOUNT);
        fixture.role("assume-only", trustingProvider(ACCOUNT, "", "sts:AssumeRole"));
        var told = new ArrayList<VerifiedFederatedCaller>();

        ApiException e = rejection(() -> fixture.sts.assumeRoleWithWebIdentity(fixture.metadata(),
                AssumeRoleWithWebIdentityRequest.of(roleArn("assume-only"), "ci-run",
                        token(claims -> claims.subject("someone-else"))), told::add));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(told).containsExactly(new VerifiedFederatedCaller.WebIdentity(providerArn(ACCOUNT),
                TestOidcIssuer.DEFAULT_AUDIENCE, "someone-else"));
    }

    /** A token that does not check out is the caller's word: no one is named from it, whatever it claims. */
    @Test
    void assumeRoleWithWebIdentity_tokenThatDoesNotCheckOut_namesNoOne() {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, ""));
        String expired = token(claims -> claims.subject("claimed"));
        fixture.clock.advance(Duration.ofHours(2));
        List<String> tokens = List.of(expired, token(claims -> claims.subject("claimed").audience("someone-else")),
                token(claims -> claims.subject("claimed").issuer(issuer.url() + "/elsewhere")), "definitely.not.ajwt");
        var told = new ArrayList<VerifiedFederatedCaller>();

        for (String token : tokens) {
            rejection(() -> fixture.sts.assumeRoleWithWebIdentity(fixture.metadata(),
                    AssumeRoleWithWebIdentityRequest.of(roleArn("ci"), "ci-run", token), told::add));
        }

        assertThat(told).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void assumeRoleWithWebIdentity_error_isAwsCodeAndMessage(ErrorCase testCase) {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, ""));

        ApiException e = rejection(() -> testCase.scenario().run(this));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message().replace("ISSUER", issuer.url()));
        }
    }

    @Test
    void assumeRoleWithWebIdentity_tagsTransitiveKeysAndSourceIdentityFromTheToken_goIntoTheSession() {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, "{\"StringEquals\":{\"aws:RequestTag/team\":\"ci\","
                + "\"sts:SourceIdentity\":\"alice\"},\"ForAllValues:StringEquals\":{\"sts:TransitiveTagKeys\":"
                + "[\"team\"],\"aws:TagKeys\":[\"team\",\"cost\"]}}", AssumeRoleWithWebIdentityOperation.ACTION,
                "sts:TagSession", "sts:SetSourceIdentity"));

        var response = assume("ci", token(claims -> claims
                .claim(TAGS_CLAIM, Map.of("principal_tags", Map.of("team", List.of("ci"), "cost", List.of("42")),
                        "transitive_tag_keys", List.of("team")))
                .claim(SOURCE_IDENTITY_CLAIM, "alice")));

        Session session = sessionOf(response);
        assertThat(session.tags())
                .containsExactlyInAnyOrder(new SessionTag("team", "ci"), new SessionTag("cost", "42"));
        assertThat(session.transitiveTagKeys()).containsExactly("team");
        assertThat(session.sourceIdentity()).contains("alice");
        assertThat(response.sourceIdentity()).contains("alice");
        assertThat(response.packedPolicySize()).isPresent();
    }

    @Test
    void assumeRoleWithWebIdentity_sessionLength_isTheRequestedDurationNotTheTokensExpiry() {
        registerProvider(ACCOUNT);
        fixture.role(ACCOUNT, "ci", trustingProvider(ACCOUNT, ""), 43200, List.of());
        Instant now = fixture.clock.instant();
        String shortLived = token(claims -> claims.expirationTime(java.util.Date.from(now.plusSeconds(300))));

        var response = assume(new AssumeRoleWithWebIdentityRequest(roleArn("ci"), "ci-run", shortLived,
                Optional.empty(), List.of(), Optional.empty(), Optional.of(43200)));

        assertThat(response.credentials().expiration()).isEqualTo(now.plusSeconds(43200));
    }

    @Test
    void assumeRoleWithWebIdentity_sessionPolicy_isReportedAsPackedSizeAndNarrowsTheSession() {
        registerProvider(ACCOUNT);
        fixture.role("ci", trustingProvider(ACCOUNT, ""));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\","
                + "\"Resource\":\"*\"}]}";

        var response = assume(new AssumeRoleWithWebIdentityRequest(roleArn("ci"), "ci-run", token(claims -> claims),
                Optional.empty(), List.of(), Optional.of(policy), Optional.empty()));

        assertThat(response.packedPolicySize()).isPresent();
        assertThat(sessionOf(response).sessionPolicies()).containsExactly(policy);
    }

    @Test
    void request_toString_leavesOutTheToken() {
        String token = token(claims -> claims);

        assertThat(AssumeRoleWithWebIdentityRequest.of(roleArn("ci"), "ci-run", token).toString())
                .doesNotContain(token).doesNotContain(token.substring(0, 20)).contains("[redacted]");
    }
}
