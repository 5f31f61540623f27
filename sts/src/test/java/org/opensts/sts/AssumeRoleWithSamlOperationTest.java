package org.opensts.sts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.OTHER_ACCOUNT;
import static org.opensts.sts.StsFixture.roleArn;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.federation.testing.TestSamlIdp;
import org.opensts.iam.Tag;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;

/** AssumeRoleWithSAML with responses signed by a test IdP whose metadata is registered as an IAM SAML provider. */
class AssumeRoleWithSamlOperationTest {
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");
    private static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":saml-provider/corp";

    private final StsFixture fixture = new StsFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private void registerProvider(String account) {
        fixture.iam.providers().createSamlProvider(account, "corp", IDP.metadataXml(), Optional.empty(), List.of());
    }

    private static String trustingProvider(String providerArn, String condition, String... actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + providerArn + "\"},\"Action\":" + StsFixture.jsonArray(actions.length == 0
                        ? new String[] {AssumeRoleWithSamlOperation.ACTION} : actions)
                + (condition.isEmpty() ? "" : ",\"Condition\":" + condition) + "}]}";
    }

    /** A response for role {@code role} through {@link #PROVIDER}, session name ross, changed by {@code change}. */
    private String assertion(String role, UnaryOperator<TestSamlIdp.Response> change) {
        return change.apply(IDP.response(fixture.clock.instant()).role(roleArn(role), PROVIDER)
                .roleSessionName("ross")).base64();
    }

    private AssumeRoleWithSamlResponse assume(String role, String assertion) {
        return assume(AssumeRoleWithSamlRequest.of(roleArn(role), PROVIDER, assertion));
    }

    private AssumeRoleWithSamlResponse assume(AssumeRoleWithSamlRequest request) {
        return fixture.sts.assumeRoleWithSaml(fixture.metadata(), request);
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("AssumeRoleWithSAML succeeded");
    }

    private Session sessionOf(AssumeRoleWithSamlResponse response) {
        return fixture.callerOf(response.credentials()).session().orElseThrow();
    }

    /** STS API Reference, AssumeRoleWithSAML: NameQualifier is BASE64(SHA1(Issuer + AccountId + "/" + name)). */
    private static String expectedNameQualifier() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest((IDP.entityId() + ACCOUNT + "/corp").getBytes(UTF_8));
        return Base64.getEncoder().encodeToString(digest);
    }

    @Test
    void assumeRoleWithSaml_trustedProvider_issuesARoleSessionAndAnswersAsAws() throws Exception {
        registerProvider(ACCOUNT);
        var role = fixture.role("dev", trustingProvider(PROVIDER, ""));

        var response = assume("dev", assertion("dev", r -> r.nameId("ross@example.com")));

        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/dev/ross");
        assertThat(response.assumedRoleUser().assumedRoleId()).isEqualTo(role.roleId() + ":ross");
        assertThat(response.subject()).isEqualTo("ross@example.com");
        assertThat(response.subjectType()).contains(TestSamlIdp.EMAIL_FORMAT);
        assertThat(response.issuer()).isEqualTo(IDP.entityId());
        assertThat(response.audience()).isEqualTo(TestSamlIdp.AWS_RECIPIENT);
        assertThat(response.nameQualifier()).isEqualTo(expectedNameQualifier());
        assertThat(response.packedPolicySize()).isEmpty();
        assertThat(response.credentials().expiration()).isEqualTo(fixture.clock.instant().plusSeconds(3600));
        assertThat(fixture.sts.getCallerIdentity(fixture.callerOf(response.credentials())).arn())
                .isEqualTo(response.assumedRoleUser().arn());
    }

    @Test
    void assumeRoleWithSaml_saml2NameIdFormat_isReportedByItsLastWord() {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, ""));

        var response = assume("dev", assertion("dev", r -> r.nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT)));

        assertThat(response.subjectType()).contains("persistent");
    }

    @Test
    void assumeRoleWithSaml_session_carriesTheProviderAndTheSubjectKeysForLaterRequests() throws Exception {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, ""));

        Session session = sessionOf(assume("dev", assertion("dev", r -> r.nameId("ross@example.com")
                .nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT))));

        assertThat(session.federatedProvider()).contains(PROVIDER);
        assertThat(session.federationClaims()).containsOnly(
                Map.entry("saml:namequalifier", List.of(expectedNameQualifier())),
                Map.entry("saml:sub", List.of("ross@example.com")),
                Map.entry("saml:sub_type", List.of("persistent")));
    }

    @Test
    void assumeRole_fromASamlSession_seesSamlSubInTheNextTrustPolicy() {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, ""), StsFixture.ALLOW_ALL);
        fixture.role("deploy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{"
                + "\"AWS\":\"" + roleArn("dev") + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{"
                + "\"saml:sub\":\"ross@example.com\"}}}]}");
        var ross = assume("dev", assertion("dev", r -> r.nameId("ross@example.com"))).credentials();
        var rachel = assume("dev", assertion("dev", r -> r.nameId("rachel@example.com"))).credentials();

        var allowed = fixture.assumeRole(fixture.callerOf(ross), AssumeRoleRequest.of(roleArn("deploy"), "next"));
        ApiException refused = rejection(() -> fixture.assumeRole(fixture.callerOf(rachel),
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
        return Stream.of(
                new ConditionCase("saml:sub is the NameID", "{\"StringEquals\":{\"saml:sub\":\"ross@example.com\"}}",
                        true),
                new ConditionCase("saml:sub names someone else",
                        "{\"StringEquals\":{\"saml:sub\":\"rachel@example.com\"}}", false),
                new ConditionCase("saml:doc is account/provider name",
                        "{\"StringEquals\":{\"saml:doc\":\"" + ACCOUNT + "/corp\"}}", true),
                new ConditionCase("saml:aud is the recipient",
                        "{\"StringEquals\":{\"saml:aud\":\"" + TestSamlIdp.AWS_RECIPIENT + "\"}}", true),
                new ConditionCase("saml:iss is the issuer",
                        "{\"StringEquals\":{\"saml:iss\":\"" + IDP.entityId() + "\"}}", true),
                new ConditionCase("aws:FederatedProvider is the provider ARN",
                        "{\"StringEquals\":{\"aws:FederatedProvider\":\"" + PROVIDER + "\"}}", true),
                new ConditionCase("sts:RoleSessionName is the RoleSessionName attribute",
                        "{\"StringEquals\":{\"sts:RoleSessionName\":\"ross\"}}", true),
                new ConditionCase("the role's tag team is dev",
                        "{\"StringEquals\":{\"aws:ResourceTag/team\":\"dev\"}}", true),
                new ConditionCase("the role's tag team is ops",
                        "{\"StringEquals\":{\"aws:ResourceTag/team\":\"ops\"}}", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trustConditions")
    void assumeRoleWithSaml_trustCondition_seesTheAssertionsKeys(ConditionCase testCase) {
        registerProvider(ACCOUNT);
        fixture.role(ACCOUNT, "dev", trustingProvider(PROVIDER, testCase.condition()), 3600,
                List.of(new Tag("team", "dev")));
        String assertion = assertion("dev", r -> r.nameId("ross@example.com"));

        if (testCase.allowed()) {
            assertThat(assume("dev", assertion).assumedRoleUser().arn()).endsWith("/dev/ross");
        } else {
            ApiException e = rejection(() -> assume("dev", assertion));
            assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).isEqualTo("Not authorized to perform sts:AssumeRoleWithSAML");
        }
    }

    /** One way to get AssumeRoleWithSAML wrong, and AWS's answer (a null message: the verifier's own words). */
    record ErrorCase(String name, Scenario scenario, ErrorCode code, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Scenario {
        void run(AssumeRoleWithSamlOperationTest test);
    }

    private static final String NOT_AUTHORIZED = "Not authorized to perform sts:AssumeRoleWithSAML";

    static Stream<ErrorCase> errors() {
        return Stream.of(
                new ErrorCase("a RoleArn that is not an ARN is a validation error",
                        test -> test.assume(AssumeRoleWithSamlRequest.of("not-an-arn-at-all-x", PROVIDER, "abcd")),
                        ErrorCode.VALIDATION_ERROR, "not-an-arn-at-all-x is invalid"),
                new ErrorCase("a RoleArn naming the provider is a validation error",
                        test -> test.assume(AssumeRoleWithSamlRequest.of(PROVIDER, roleArn("dev"), "abcd")),
                        ErrorCode.VALIDATION_ERROR, "Request ARN is invalid"),
                new ErrorCase("a PrincipalArn naming a role is a validation error",
                        test -> test.assume(AssumeRoleWithSamlRequest.of(roleArn("dev"), roleArn("dev"), "abcd")),
                        ErrorCode.VALIDATION_ERROR, "Principal ARN is invalid"),
                new ErrorCase("a malformed session policy is refused before the assertion is read",
                        test -> test.assume(new AssumeRoleWithSamlRequest(roleArn("dev"), PROVIDER, "abcd",
                                List.of(), Optional.of("{\"Version\":"), Optional.empty())),
                        ErrorCode.MALFORMED_POLICY_DOCUMENT, null),
                new ErrorCase("a provider that does not exist",
                        test -> test.assume(AssumeRoleWithSamlRequest.of(roleArn("dev"),
                                "arn:aws:iam::" + ACCOUNT + ":saml-provider/nobody", "abcd")),
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Specified provider doesn't exist"),
                new ErrorCase("a provider deleted since",
                        test -> {
                            test.fixture.iam.providers().deleteSamlProvider(ACCOUNT, PROVIDER);
                            test.assume("dev", test.assertion("dev", r -> r));
                        },
                        ErrorCode.INVALID_IDENTITY_TOKEN, "Specified provider doesn't exist"),
                // AWS's real answer, before the assertion is read, even when both exist.
                new ErrorCase("a provider of another account than the role's",
                        test -> {
                            String otherRole = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/dev";
                            test.fixture.role(OTHER_ACCOUNT, "dev", trustingProvider(PROVIDER, ""), 3600, List.of());
                            test.assume(AssumeRoleWithSamlRequest.of(otherRole, PROVIDER,
                                    IDP.response(test.fixture.clock.instant()).role(otherRole, PROVIDER)
                                            .roleSessionName("ross").base64()));
                        },
                        ErrorCode.VALIDATION_ERROR, "Principal exists outside the account of the Role being assumed."),
                new ErrorCase("a provider ARN of another account that does not exist",
                        test -> test.assume(AssumeRoleWithSamlRequest.of(roleArn("dev"),
                                "arn:aws:iam::" + OTHER_ACCOUNT + ":saml-provider/nobody", "abcd")),
                        ErrorCode.VALIDATION_ERROR, "Principal exists outside the account of the Role being assumed."),
                new ErrorCase("a response signed by another IdP",
                        test -> test.assume("dev", test.assertion("dev",
                                r -> r.signWith(TestSamlIdp.create(IDP.entityId())))),
                        ErrorCode.INVALID_IDENTITY_TOKEN, null),
                new ErrorCase("a role the assertion does not list",
                        test -> {
                            test.fixture.role("admin", trustingProvider(PROVIDER, ""));
                            test.assume(AssumeRoleWithSamlRequest.of(roleArn("admin"), PROVIDER,
                                    test.assertion("dev", r -> r)));
                        },
                        ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED),
                new ErrorCase("an unknown role the assertion lists is refused as a forbidden one is",
                        test -> test.assume("nobody", test.assertion("nobody", r -> r)),
                        ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED),
                new ErrorCase("a trust policy for another provider refuses",
                        test -> {
                            test.fixture.role("other", trustingProvider("arn:aws:iam::" + ACCOUNT
                                    + ":saml-provider/elsewhere", ""));
                            test.assume("other", test.assertion("other", r -> r));
                        },
                        ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED),
                new ErrorCase("session tags need sts:TagSession in the trust policy",
                        test -> test.assume("dev", test.assertion("dev", r -> r.principalTag("team", "dev"))),
                        ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED),
                new ErrorCase("a source identity needs sts:SetSourceIdentity in the trust policy",
                        test -> test.assume("dev", test.assertion("dev", r -> r.sourceIdentity("ross"))),
                        ErrorCode.ACCESS_DENIED, NOT_AUTHORIZED),
                new ErrorCase("a transitive tag key must name a session tag",
                        test -> test.assume("dev", test.assertion("dev", r -> r.principalTag("team", "dev")
                                .transitiveTagKeys("project"))),
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "The specified transitive tag key must be included in the requested tags."),
                new ErrorCase("a source identity in the aws: namespace",
                        test -> test.assume("dev", test.assertion("dev", r -> r.sourceIdentity("aws:ross"))),
                        ErrorCode.INVALID_IDENTITY_TOKEN, null),
                new ErrorCase("a duration above the role's maximum is a validation error",
                        test -> test.assume(new AssumeRoleWithSamlRequest(roleArn("dev"), PROVIDER,
                                test.assertion("dev", r -> r), List.of(), Optional.empty(), Optional.of(7200))),
                        ErrorCode.VALIDATION_ERROR,
                        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."),
                new ErrorCase("an expired assertion",
                        test -> {
                            String assertion = test.assertion("dev", r -> r);
                            test.fixture.clock.advance(Duration.ofHours(1));
                            test.assume("dev", assertion);
                        },
                        ErrorCode.IDP_TOKEN_EXPIRED, null),
                new ErrorCase("an assertion redeemed twice for the same role",
                        test -> {
                            String assertion = test.assertion("dev", r -> r);
                            test.assume("dev", assertion);
                            test.assume("dev", assertion);
                        },
                        ErrorCode.INVALID_IDENTITY_TOKEN, "This SAML assertion has already been used to assume this "
                                + "role; get a new one from your identity provider."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void assumeRoleWithSaml_error_isAwsCodeAndMessage(ErrorCase testCase) {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, ""));

        ApiException e = rejection(() -> testCase.scenario().run(this));

        assertThat(e.errorCode()).isEqualTo(testCase.code());
        if (testCase.message() != null) {
            assertThat(e.getMessage()).isEqualTo(testCase.message());
        }
    }

    @Test
    void assumeRoleWithSaml_oneAssertionForTwoRolesItLists_isRedeemedOncePerRole() {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, ""));
        fixture.role("ops", trustingProvider(PROVIDER, ""));
        String assertion = assertion("dev", r -> r.role(roleArn("ops"), PROVIDER));

        assertThat(assume("dev", assertion).assumedRoleUser().arn()).endsWith("/dev/ross");
        assertThat(assume("ops", assertion).assumedRoleUser().arn()).endsWith("/ops/ross");
        assertThat(rejection(() -> assume("ops", assertion)).errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
    }

    @Test
    void assumeRoleWithSaml_requestRefusedByTrust_leavesTheAssertionUnspent() {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, "{\"StringEquals\":{\"saml:sub\":\"nobody\"}}"));
        String assertion = assertion("dev", r -> r);
        assertThat(rejection(() -> assume("dev", assertion)).errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);

        fixture.iam.roles().updateAssumeRolePolicy(ACCOUNT, "dev", trustingProvider(PROVIDER, ""));

        assertThat(assume("dev", assertion).assumedRoleUser().arn()).endsWith("/dev/ross");
    }

    @Test
    void assumeRoleWithSaml_tagsTransitiveKeysAndSourceIdentity_goIntoTheSession() {
        registerProvider(ACCOUNT);
        fixture.role("dev", trustingProvider(PROVIDER, "{\"StringEquals\":{\"aws:RequestTag/team\":\"dev\","
                + "\"sts:SourceIdentity\":\"ross\"},\"ForAllValues:StringEquals\":{\"sts:TransitiveTagKeys\":"
                + "[\"team\"]}}", AssumeRoleWithSamlOperation.ACTION, "sts:TagSession", "sts:SetSourceIdentity"));

        var response = assume("dev", assertion("dev", r -> r.principalTag("team", "dev").principalTag("cost", "42")
                .transitiveTagKeys("team").sourceIdentity("ross")));

        Session session = sessionOf(response);
        assertThat(session.tags()).containsExactly(new SessionTag("team", "dev"), new SessionTag("cost", "42"));
        assertThat(session.transitiveTagKeys()).containsExactly("team");
        assertThat(session.sourceIdentity()).contains("ross");
        assertThat(response.sourceIdentity()).contains("ross");
        assertThat(response.packedPolicySize()).isPresent();
    }

    record DurationCase(String name, Optional<Integer> durationSeconds, Duration sessionNotOnOrAfter,
            Optional<String> sessionDurationAttribute, Duration expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<DurationCase> durations() {
        return Stream.of(
                new DurationCase("no DurationSeconds lasts an hour", Optional.empty(), Duration.ofHours(8),
                        Optional.empty(), Duration.ofHours(1)),
                new DurationCase("DurationSeconds up to the role's maximum", Optional.of(7200), Duration.ofHours(8),
                        Optional.empty(), Duration.ofHours(2)),
                new DurationCase("SessionNotOnOrAfter sooner cuts the session short", Optional.of(7200),
                        Duration.ofMinutes(30), Optional.empty(), Duration.ofMinutes(30)),
                new DurationCase("the SessionDuration attribute is for the console only", Optional.empty(),
                        Duration.ofHours(8), Optional.of("900"), Duration.ofHours(1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("durations")
    void assumeRoleWithSaml_duration_isDurationSecondsCappedBySessionNotOnOrAfter(DurationCase testCase) {
        registerProvider(ACCOUNT);
        fixture.role(ACCOUNT, "dev", trustingProvider(PROVIDER, ""), 7200, List.of());
        Instant now = fixture.clock.instant();
        String assertion = assertion("dev", r -> {
            r.sessionNotOnOrAfter(now.plus(testCase.sessionNotOnOrAfter()));
            testCase.sessionDurationAttribute().ifPresent(r::sessionDuration);
            return r;
        });

        var response = assume(new AssumeRoleWithSamlRequest(roleArn("dev"), PROVIDER, assertion, List.of(),
                Optional.empty(), testCase.durationSeconds()));

        assertThat(response.credentials().expiration()).isEqualTo(now.plus(testCase.expected()));
    }

    @Test
    void request_toString_leavesOutTheAssertion() {
        String assertion = assertion("dev", r -> r);

        assertThat(AssumeRoleWithSamlRequest.of(roleArn("dev"), PROVIDER, assertion).toString())
                .doesNotContain(assertion.substring(0, 40)).contains("[redacted]");
    }
}
