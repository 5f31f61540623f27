package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.ALLOW_ALL;
import static org.opensts.sts.StsFixture.roleArn;
import static org.opensts.sts.StsFixture.trusting;
import static org.opensts.sts.StsFixture.userArn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Tag;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.TemporaryCredentials;

class AssumeRoleOperationTest {
    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL);
    private final AccessKeyCredentials bob = fixture.user("bob");

    @AfterEach
    void close() {
        fixture.close();
    }

    /** An AssumeRole request built member by member, as the binder would. */
    private record Request(String role, String sessionName, Optional<String> policy, Optional<Integer> duration,
            List<SessionTag> tags, List<String> transitiveTagKeys, Optional<String> externalId,
            Optional<String> serialNumber, Optional<String> tokenCode, Optional<String> sourceIdentity,
            boolean providedContexts) {
        static Request of(String role) {
            return new Request(StsFixture.roleArn(role), "session", Optional.empty(), Optional.empty(), List.of(), List.of(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
        }

        /** The same request for a RoleArn given verbatim, not built from a role name. */
        Request roleArn(String arn) {
            return new Request(arn, sessionName, policy, duration, tags, transitiveTagKeys, externalId, serialNumber,
                    tokenCode, sourceIdentity, providedContexts);
        }

        Request policy(String document) {
            return new Request(role, sessionName, Optional.of(document), duration, tags, transitiveTagKeys,
                    externalId, serialNumber, tokenCode, sourceIdentity, providedContexts);
        }

        Request duration(int seconds) {
            return new Request(role, sessionName, policy, Optional.of(seconds), tags, transitiveTagKeys,
                    externalId, serialNumber, tokenCode, sourceIdentity, providedContexts);
        }

        Request tags(List<SessionTag> newTags, String... transitive) {
            return new Request(role, sessionName, policy, duration, newTags, List.of(transitive), externalId,
                    serialNumber, tokenCode, sourceIdentity, providedContexts);
        }

        Request externalId(String id) {
            return new Request(role, sessionName, policy, duration, tags, transitiveTagKeys, Optional.of(id),
                    serialNumber, tokenCode, sourceIdentity, providedContexts);
        }

        Request mfa(Optional<String> serial, Optional<String> code) {
            return new Request(role, sessionName, policy, duration, tags, transitiveTagKeys, externalId, serial,
                    code, sourceIdentity, providedContexts);
        }

        Request sourceIdentity(String id) {
            return new Request(role, sessionName, policy, duration, tags, transitiveTagKeys, externalId,
                    serialNumber, tokenCode, Optional.of(id), providedContexts);
        }

        Request withProvidedContexts() {
            return new Request(role, sessionName, policy, duration, tags, transitiveTagKeys, externalId,
                    serialNumber, tokenCode, sourceIdentity, true);
        }

        AssumeRoleRequest build() {
            return new AssumeRoleRequest(role, sessionName, List.of(), policy, duration, tags, transitiveTagKeys,
                    externalId, serialNumber, tokenCode, sourceIdentity, providedContexts);
        }
    }

    private AssumeRoleResponse assume(AccessKeyCredentials key, Request request) {
        return fixture.assumeRole(fixture.callerOf(key), request.build());
    }

    private AssumeRoleResponse assume(TemporaryCredentials credentials, Request request) {
        return fixture.assumeRole(fixture.callerOf(credentials), request.build());
    }

    private static ApiException rejection(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("AssumeRole succeeded");
    }

    private Session sessionOf(AssumeRoleResponse response) {
        return fixture.callerOf(response.credentials()).session().orElseThrow();
    }

    @Test
    void assumeRole_trustPolicyNamesTheCaller_issuesARoleSession() {
        var role = fixture.role("demo", trusting(userArn("alice")));

        AssumeRoleResponse response = assume(alice, Request.of("demo"));

        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/demo/session");
        assertThat(response.assumedRoleUser().assumedRoleId()).isEqualTo(role.roleId() + ":session");
        assertThat(response.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(response.credentials().secretAccessKey().revealUtf8()).hasSize(40);
        assertThat(response.credentials().expiration()).isEqualTo(fixture.clock.instant().plusSeconds(3600));
        assertThat(response.packedPolicySize()).isEmpty();
        Session session = sessionOf(response);
        assertThat(session.sourceArn()).isEqualTo(roleArn("demo"));
        assertThat(session.roleChainDepth()).isZero();
    }

    @Test
    void assumeRole_trustPolicyNamesAnotherUser_isAccessDeniedInAwsWords() {
        fixture.role("demo", trusting(userArn("bob")));

        ApiException e = rejection(() -> assume(alice, Request.of("demo")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.errorCode().httpStatus()).isEqualTo(403);
        assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                + " sts:AssumeRole on resource: arn:aws:iam::123456789012:role/demo"
                + ". Encoded authorization failure message: ");
    }

    @Test
    void assumeRole_unknownRole_isRefusedLikeAForbiddenOne() {
        ApiException e = rejection(() -> assume(alice, Request.of("nosuchrole")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                + " sts:AssumeRole on resource: arn:aws:iam::123456789012:role/nosuchrole"
                + ". Encoded authorization failure message: ");
    }

    /** RoleArns that are not ARNs: AWS's real responses answer each with ValidationError "<arn> is invalid". */
    static Stream<String> roleArnsThatAreNotArns() {
        return Stream.of("nothing-valid-in-here", "arn::b:::something/test-role", "arn:a::::something/test-role",
                "arn:a:::something/test-role", "arn:a:a::aaaaaaaaaa:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roleArnsThatAreNotArns")
    void assumeRole_roleArnNotAnArn_isValidationErrorBeforeAuthorization(String roleArn) {
        // bob has no policy at all: an AccessDenied would come first if authorization ran before validation.
        ApiException e = rejection(() -> assume(bob, Request.of("demo").roleArn(roleArn)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(roleArn + " is invalid");
    }

    @Test
    void assumeRole_roleArnThatIsAnArnButNoRole_isAccessDenied() {
        ApiException e = rejection(() -> assume(alice, Request.of("demo").roleArn("arn:a:b:::something/test-role")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                + " sts:AssumeRole on resource: arn:a:b:::something/test-role"
                + ". Encoded authorization failure message: ");
    }

    @Test
    void assumeRole_trustNamesTheAccount_needsTheCallersIdentityPolicy() {
        fixture.role("delegated", trusting("arn:aws:iam::" + ACCOUNT + ":root"));

        assertThat(assume(alice, Request.of("delegated")).assumedRoleUser().arn()).endsWith("/delegated/session");
        assertThat(rejection(() -> assume(bob, Request.of("delegated"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_trustNamesTheAccountById_needsTheCallersIdentityPolicy() {
        fixture.role("delegated", trusting(ACCOUNT));

        assertThat(assume(alice, Request.of("delegated")).assumedRoleUser().arn()).endsWith("/delegated/session");
        assertThat(rejection(() -> assume(bob, Request.of("delegated"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_trustNamesTheUserDirectly_needsNoIdentityPolicy() {
        fixture.role("direct", trusting(userArn("bob")));

        assertThat(assume(bob, Request.of("direct")).assumedRoleUser().arn()).endsWith("/direct/session");
    }

    @Test
    void assumeRole_identityPolicyDeniesAssumeRole_winsOverTheTrustPolicy() {
        AccessKeyCredentials carol = fixture.user("carol", ALLOW_ALL, """
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}""");
        fixture.role("demo", trusting(userArn("carol")));

        assertThat(rejection(() -> assume(carol, Request.of("demo"))).errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_crossAccountRole_needsBothTrustAndIdentityPolicy() {
        fixture.role(StsFixture.OTHER_ACCOUNT, "shared", trusting("arn:aws:iam::" + ACCOUNT + ":root"), 3600,
                List.of());
        AccessKeyCredentials dave = fixture.user("dave");
        Request request = new Request("arn:aws:iam::" + StsFixture.OTHER_ACCOUNT + ":role/shared", "xa",
                Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), false);

        assertThat(assume(alice, request).assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + StsFixture.OTHER_ACCOUNT + ":assumed-role/shared/xa");
        assertThat(rejection(() -> assume(dave, request)).errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    record ExternalIdCase(String name, String condition, Optional<String> externalId, boolean allowed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ExternalIdCase> externalIdCases() {
        String equals = "{\"StringEquals\":{\"sts:ExternalId\":\"Unicorn-42\"}}";
        String like = "{\"StringLike\":{\"sts:ExternalId\":\"Unicorn-*\"}}";
        return Stream.of(
                new ExternalIdCase("StringEquals with the right ExternalId is allowed", equals,
                        Optional.of("Unicorn-42"), true),
                new ExternalIdCase("StringEquals with another ExternalId is denied", equals,
                        Optional.of("Unicorn-43"), false),
                new ExternalIdCase("StringEquals without an ExternalId is denied", equals, Optional.empty(), false),
                new ExternalIdCase("StringEquals compares case-sensitively", equals, Optional.of("unicorn-42"),
                        false),
                new ExternalIdCase("StringLike with a matching ExternalId is allowed", like,
                        Optional.of("Unicorn-anything"), true),
                new ExternalIdCase("StringLike with a non-matching ExternalId is denied", like,
                        Optional.of("Pegasus-1"), false),
                new ExternalIdCase("StringLike without an ExternalId is denied", like, Optional.empty(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("externalIdCases")
    void assumeRole_externalIdCondition(ExternalIdCase testCase) {
        fixture.role("vendor", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"" + userArn("bob") + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":"
                + testCase.condition() + "}]}");
        Request request = testCase.externalId().map(Request.of("vendor")::externalId).orElse(Request.of("vendor"));

        if (testCase.allowed()) {
            assertThat(assume(bob, request).assumedRoleUser().arn()).endsWith("/vendor/session");
        } else {
            assertThat(rejection(() -> assume(bob, request)).errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        }
    }

    @Test
    void assumeRole_durationAboveRoleMaximum_isValidationError() {
        fixture.role(ACCOUNT, "long", trusting(userArn("alice")), 7200, List.of());

        ApiException e = rejection(() -> assume(alice, Request.of("long").duration(7201)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        assertThat(assume(alice, Request.of("long").duration(7200)).credentials().expiration())
                .isEqualTo(fixture.clock.instant().plusSeconds(7200));
    }

    @Test
    void assumeRole_fromARoleSessionForMoreThanAnHour_isRoleChainingValidationError() {
        fixture.role(ACCOUNT, "first", trusting(userArn("alice")), 43200, List.of(), ALLOW_ALL);
        fixture.role(ACCOUNT, "second", trusting(roleArn("first")), 43200, List.of());
        TemporaryCredentials first = assume(alice, Request.of("first")).credentials();

        ApiException e = rejection(() -> assume(first, Request.of("second").duration(3601)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("The requested DurationSeconds exceeds the 1 hour session limit for roles "
                + "assumed by role chaining.");
        AssumeRoleResponse chained = assume(first, Request.of("second").duration(3600));
        assertThat(sessionOf(chained).roleChainDepth()).isEqualTo(1);
        assertThat(chained.assumedRoleUser().arn()).endsWith(":assumed-role/second/session");
    }

    @Test
    void assumeRole_roleSessionOfATrustedRole_isAllowedByTheRoleArnInTheTrustPolicy() {
        fixture.role("first", trusting(userArn("alice")));
        fixture.role("second", trusting(roleArn("first")));
        TemporaryCredentials first = assume(alice, Request.of("first")).credentials();

        assertThat(assume(first, Request.of("second")).assumedRoleUser().arn()).endsWith("/second/session");
    }

    @Test
    void assumeRole_withSessionPolicy_reportsPackedSizeAndCarriesThePolicy() {
        fixture.role("demo", trusting(userArn("alice")));
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Stmt1\",\"Effect\":\"Allow\","
                + "\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}";

        AssumeRoleResponse response = assume(alice, Request.of("demo").policy(policy));

        assertThat(response.packedPolicySize()).isPresent();
        assertThat(response.packedPolicySize().getAsInt()).isBetween(1, 100);
        assertThat(sessionOf(response).sessionPolicies()).containsExactly(policy);
    }

    @Test
    void assumeRole_malformedSessionPolicy_isMalformedPolicyDocument() {
        fixture.role("demo", trusting(userArn("alice")));

        ApiException e = rejection(() -> assume(alice, Request.of("demo").policy("{\"Version\":")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo("Syntax errors in policy.");
    }

    /**
     * STS's words for a session policy that is not even begun as a JSON object, as answers recorded from it show
     * ({@code Policy=invalid policy}, and {@code }}); one that starts as an object gets IAM's syntax error.
     */
    @Test
    void assumeRole_sessionPolicyThatIsNoJsonObject_isNotInTheValidJsonFormat() {
        fixture.role("demo", trusting(userArn("alice")));

        for (String policy : List.of("invalid policy", "}", "[]", " \"text\"")) {
            ApiException e = rejection(() -> assume(alice, Request.of("demo").policy(policy)));

            assertThat(e.errorCode()).as(policy).isEqualTo(ErrorCode.MALFORMED_POLICY_DOCUMENT);
            assertThat(e.getMessage()).as(policy).isEqualTo("The policy is not in the valid JSON format.");
        }
    }

    @Test
    void assumeRole_sessionPolicyLongerThan2048Characters_isValidationError() {
        fixture.role("demo", trusting(userArn("alice")));
        String padding = " ".repeat(2048);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                + "\"Resource\":\"*\"}]}" + padding;

        ApiException e = rejection(() -> assume(alice, Request.of("demo").policy(policy)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(e.getMessage()).endsWith("Member must have length less than or equal to 2048");
    }

    @Test
    void assumeRole_tagsWithoutTagSessionInTheTrustPolicy_isAccessDeniedOnTagSession() {
        fixture.role("demo", trusting(userArn("alice")));

        ApiException e = rejection(() -> assume(alice, Request.of("demo")
                .tags(List.of(new SessionTag("Project", "Unicorn")))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("sts:TagSession on resource: " + roleArn("demo"));
    }

    @Test
    void assumeRole_tagsAllowedByTheTrustPolicy_becomeSessionTagsWithTheirTransitiveKeys() {
        fixture.role("demo", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"));
        List<SessionTag> tags = List.of(new SessionTag("Project", "Unicorn"), new SessionTag("Team", "Automation"),
                new SessionTag("Cost-Center", "12345"));

        AssumeRoleResponse response = assume(alice, Request.of("demo").tags(tags, "Project", "Cost-Center"));

        Session session = sessionOf(response);
        assertThat(session.tags()).containsExactlyElementsOf(tags);
        assertThat(session.transitiveTagKeys()).containsExactly("Project", "Cost-Center");
        assertThat(response.packedPolicySize()).isPresent();
    }

    @Test
    void assumeRole_duplicateTagKeysInAnyCase_isRejected() {
        fixture.role("demo", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"));

        ApiException e = rejection(() -> assume(alice, Request.of("demo").tags(
                List.of(new SessionTag("Dept", "a"), new SessionTag("dept", "b")))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).isEqualTo("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }

    @Test
    void assumeRole_transitiveKeyThatIsNotATagKey_isRejected() {
        fixture.role("demo", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"));

        ApiException e = rejection(() -> assume(alice, Request.of("demo")
                .tags(List.of(new SessionTag("Project", "Unicorn")), "Team")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).isEqualTo("The specified transitive tag key must be included in the requested tags.");
    }

    @Test
    void assumeRole_transitiveKeyInAnotherCaseThanItsTag_isAccepted() {
        fixture.role("demo", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"));

        Session session = sessionOf(assume(alice, Request.of("demo")
                .tags(List.of(new SessionTag("SessionTag1", "SessionValue1")), "sessiontag1")));

        assertThat(session.transitiveTagKeys()).containsExactly("sessiontag1");
    }

    @Test
    void assumeRole_chainedSession_inheritsTransitiveTagsAndMayNotOverrideThem() {
        fixture.role("first", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"), ALLOW_ALL);
        fixture.role("second", trusting(roleArn("first"), "sts:AssumeRole", "sts:TagSession"));
        TemporaryCredentials first = assume(alice, Request.of("first").tags(
                List.of(new SessionTag("Project", "Unicorn"), new SessionTag("Team", "Automation")),
                "Project")).credentials();

        Session chained = sessionOf(assume(first, Request.of("second")));
        assertThat(chained.tags()).containsExactly(new SessionTag("Project", "Unicorn"));
        assertThat(chained.transitiveTagKeys()).containsExactly("Project");

        for (String key : List.of("Project", "project")) {
            ApiException e = rejection(() -> assume(first, Request.of("second")
                    .tags(List.of(new SessionTag(key, "Pegasus")))));
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
            assertThat(e.getMessage()).isEqualTo("One of the specified transitive tag keys can't be set because it "
                    + "conflicts with a transitive tag key from the calling session.");
        }
    }

    /**
     * The calling session's transitive tags are set on the new session, so the chained call needs sts:TagSession
     * for them as AWS refuses it without, and they are among the request's aws:TagKeys: a role's owner who would
     * refuse a tag passed in Tags does not get it carried in instead.
     */
    @Test
    void assumeRole_chainedSessionCarryingTransitiveTags_needsTagSessionForThem() {
        fixture.role("first", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"), ALLOW_ALL);
        fixture.role("untagged", trusting(roleArn("first"), "sts:AssumeRole"));
        fixture.role("deptOnly", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"" + roleArn("first") + "\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\"],"
                + "\"Condition\":{\"ForAllValues:StringEquals\":{\"aws:TagKeys\":[\"dept\"]}}}]}");
        TemporaryCredentials carrying = assume(alice, Request.of("first").tags(
                List.of(new SessionTag("clearance", "admin")), "clearance")).credentials();
        TemporaryCredentials plain = assume(alice, Request.of("first")).credentials();

        ApiException withoutTagSession = rejection(() -> assume(carrying, Request.of("untagged")));
        ApiException keyNotAllowed = rejection(() -> assume(carrying, Request.of("deptOnly")
                .tags(List.of(new SessionTag("dept", "x")))));

        assertThat(withoutTagSession.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(withoutTagSession.getMessage()).contains("sts:TagSession on resource: " + roleArn("untagged"));
        assertThat(keyNotAllowed.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(sessionOf(assume(plain, Request.of("untagged"))).tags()).isEmpty();
        assertThat(sessionOf(assume(plain, Request.of("deptOnly").tags(List.of(new SessionTag("dept", "x")))))
                .tags()).containsExactly(new SessionTag("dept", "x"));
    }

    @Test
    void assumeRole_trustPolicyConditionOnPrincipalTag_seesTheUsersTags() {
        AccessKeyCredentials erin = fixture.user(ACCOUNT, "erin", List.of(new Tag("Team", "Platform")));
        fixture.role("platform", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                + "{\"AWS\":\"" + ACCOUNT + "\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":"
                + "{\"aws:PrincipalTag/Team\":\"Platform\"}}}]}");
        fixture.iam.users().putUserPolicy(ACCOUNT, "erin", "assume", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");
        fixture.iam.users().putUserPolicy(ACCOUNT, "bob", "assume", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                + "\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}");

        assertThat(assume(erin, Request.of("platform")).assumedRoleUser().arn()).endsWith("/platform/session");
        assertThat(rejection(() -> assume(bob, Request.of("platform"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_sourceIdentity_needsSetSourceIdentityAndIsKeptByChainedSessions() {
        fixture.role("first", trusting(userArn("alice"), "sts:AssumeRole", "sts:SetSourceIdentity"), ALLOW_ALL);
        fixture.role("second", trusting(roleArn("first"), "sts:AssumeRole", "sts:SetSourceIdentity"));
        fixture.role("plain", trusting(userArn("alice")));

        assertThat(rejection(() -> assume(alice, Request.of("plain").sourceIdentity("alice@example.com")))
                .getMessage()).contains("sts:SetSourceIdentity");
        AssumeRoleResponse first = assume(alice, Request.of("first").sourceIdentity("alice@example.com"));
        assertThat(first.sourceIdentity()).contains("alice@example.com");

        AssumeRoleResponse chained = assume(first.credentials(), Request.of("second"));
        assertThat(chained.sourceIdentity()).contains("alice@example.com");
        assertThat(rejection(() -> assume(first.credentials(), Request.of("second").sourceIdentity("mallory")))
                .errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    /** Letters and digits that do not compress: a fixed seed, so every run packs the same bytes. */
    private static String incompressible(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @Test
    void assumeRole_tagsOverflowingThePackedSpace_isPackedPolicyTooLarge_inAwsWordsForTags() {
        fixture.role("tagged", trusting(userArn("alice"), "sts:AssumeRole", "sts:TagSession"));
        var random = new Random(7);
        var tags = new ArrayList<SessionTag>();
        for (int i = 0; i < 20; i++) {
            tags.add(new SessionTag(incompressible(random, 128), incompressible(random, 256)));
        }

        ApiException e = rejection(() -> assume(alice, Request.of("tagged").tags(tags)));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.PACKED_POLICY_TOO_LARGE);
        assertThat(e.getMessage()).matches("Packed size of session tags consumes \\d{3}% of allotted space\\.");
    }

    @Test
    void assumeRole_policyArnsNamingNoPolicyOfTheRolesAccount_isInvalidParameterValue() {
        fixture.role("scoped", trusting(userArn("alice")), ALLOW_ALL);
        var missing = new AssumeRoleRequest(roleArn("scoped"), "session", List.of("arn:aws:iam::" + ACCOUNT
                + ":policy/NoSuchPolicy"), Optional.empty(), Optional.empty(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), false);
        var awsManaged = new AssumeRoleRequest(roleArn("scoped"), "session",
                List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), Optional.empty(), Optional.empty(), List.of(),
                List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);

        ApiException e = rejection(() -> fixture.assumeRole(fixture.callerOf(alice), missing));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
        assertThat(e.getMessage()).isEqualTo("At least one Policy ARN in the PolicyArns parameter does not match an "
                + "existing IAM Managed Policy ARN.");
        assertThat(fixture.assumeRole(fixture.callerOf(alice), awsManaged).credentials()).isNotNull();
    }

    @Test
    void packedPolicySize_policiesOverflowingThePackedSpace_isPackedPolicyTooLarge_inAwsWordsForPolicies() {
        var random = new Random(11);
        var arns = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            arns.add("arn:aws:iam::123456789012:policy/" + incompressible(random, 400));
        }

        ApiException e = rejection(() -> SessionGrants.packedPolicySize(List.of(), arns,
                List.of(new SessionTag("team", "blue"))));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.PACKED_POLICY_TOO_LARGE);
        assertThat(e.getMessage())
                .matches("Packed policy consumes \\d{3}% of allotted space, please use smaller policy\\.");
    }

    @Test
    void assumeRole_chainedSessionWithASourceIdentity_needsSetSourceIdentityInTheTargetsTrust() {
        fixture.role("first", trusting(userArn("alice"), "sts:AssumeRole", "sts:SetSourceIdentity"), ALLOW_ALL);
        fixture.role("no-source-identity", trusting(roleArn("first")));
        fixture.role("only-alice", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},
                  "Action":["sts:AssumeRole","sts:SetSourceIdentity"],
                  "Condition":{"StringEquals":{"sts:SourceIdentity":"alice@example.com"}}}]}"""
                .formatted(roleArn("first")));
        AssumeRoleResponse first = assume(alice, Request.of("first").sourceIdentity("alice@example.com"));

        ApiException refused = rejection(() -> assume(first.credentials(), Request.of("no-source-identity")));
        AssumeRoleResponse chained = assume(first.credentials(), Request.of("only-alice"));

        assertThat(refused.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(refused.getMessage()).contains("sts:SetSourceIdentity");
        assertThat(chained.sourceIdentity()).contains("alice@example.com");
    }

    @Test
    void assumeRole_chainedSessionWithASourceIdentity_needsSetSourceIdentityInTheCallersPolicies() {
        fixture.role("narrow", trusting(userArn("alice"), "sts:AssumeRole", "sts:SetSourceIdentity"), """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}""");
        // Trusting the account, not the role: the caller's own policies must then allow each action.
        fixture.role("target", trusting("arn:aws:iam::" + ACCOUNT + ":root", "sts:AssumeRole",
                "sts:SetSourceIdentity"));
        AssumeRoleResponse narrow = assume(alice, Request.of("narrow").sourceIdentity("alice@example.com"));

        assertThat(rejection(() -> assume(narrow.credentials(), Request.of("target"))).getMessage())
                .contains("sts:SetSourceIdentity");
        fixture.iam.roles().putRolePolicy(ACCOUNT, "narrow", "set-source-identity", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:SetSourceIdentity",
                  "Resource":"*"}]}""");
        assertThat(assume(narrow.credentials(), Request.of("target")).sourceIdentity()).contains("alice@example.com");
    }

    @Test
    void assumeRole_sourceIdentityStartingWithAws_isValidationError() {
        fixture.role("first", trusting(userArn("alice"), "sts:AssumeRole", "sts:SetSourceIdentity"));

        ApiException e = rejection(() -> assume(alice, Request.of("first").sourceIdentity("aws:admin")));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
    }

    @Test
    void assumeRole_serialNumberWithoutTokenCode_isAccessDenied() {
        fixture.role("demo", trusting(userArn("alice")));

        ApiException e = rejection(() -> assume(alice, Request.of("demo").mfa(
                Optional.of("arn:aws:iam::123456789012:mfa/alice"), Optional.empty())));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).isEqualTo(
                "MultiFactorAuthentication failed, must provide both MFA serial number and one time pass code.");
    }

    @Test
    void assumeRole_providedContexts_isRefusedAsUnsupported() {
        fixture.role("demo", trusting(userArn("alice")));

        assertThat(rejection(() -> assume(alice, Request.of("demo").withProvidedContexts())).errorCode())
                .isEqualTo(ErrorCode.INVALID_PARAMETER_VALUE);
    }

    @Test
    void assumeRole_sessionExpiresAfterItsDuration_andTheCallerIsTheRoleUntilThen() {
        fixture.role("demo", trusting(userArn("alice")));
        TemporaryCredentials credentials = assume(alice, Request.of("demo").duration(900)).credentials();
        fixture.clock.advance(Duration.ofSeconds(899));

        assertThat(fixture.callerOf(credentials).arn()).endsWith("/demo/session");
        fixture.clock.advance(Duration.ofSeconds(2));
        assertThat(rejection(() -> fixture.callerOf(credentials)).errorCode()).isEqualTo(ErrorCode.EXPIRED_TOKEN);
    }

    @Test
    void assumeRoleRequest_toString_leavesOutTheMfaCode() {
        AssumeRoleRequest request = Request.of("demo")
                .mfa(Optional.of("arn:aws:iam::123456789012:mfa/alice"), Optional.of("987654")).build();

        assertThat(request.toString()).doesNotContain("987654").contains("[redacted]");
    }

    // ---- trust policies bind the users and roles they name to unique ids

    private TemporaryCredentials sessionTokenOf(AccessKeyCredentials key) {
        return fixture.sts.getSessionToken(fixture.callerOf(key),
                new GetSessionTokenRequest(Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void assumeRole_trustNamingADeletedUser_refusesItsOldSessionAndANamesake() {
        AccessKeyCredentials u5 = fixture.user("u5");
        fixture.role("trusts-u5", trusting(userArn("u5")));
        TemporaryCredentials oldSession = sessionTokenOf(u5);
        assume(oldSession, Request.of("trusts-u5"));

        fixture.deleteUser("u5");

        assertThat(rejection(() -> assume(oldSession, Request.of("trusts-u5"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);

        AccessKeyCredentials namesake = fixture.user("u5", ALLOW_ALL);

        assertThat(rejection(() -> assume(oldSession, Request.of("trusts-u5"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
        ApiException refused = rejection(() -> assume(namesake, Request.of("trusts-u5")));
        assertThat(refused.getMessage()).startsWith("User: arn:aws:iam::123456789012:user/u5 is not authorized to "
                + "perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/trusts-u5"
                + ". Encoded authorization failure message: ");
    }

    @Test
    void assumeRole_trustSavedAgainAfterTheUserWasCreatedAnew_trustsTheNewUserOnly() {
        AccessKeyCredentials u5 = fixture.user("u5");
        fixture.role("trusts-u5", trusting(userArn("u5")));
        TemporaryCredentials oldSession = sessionTokenOf(u5);
        fixture.deleteUser("u5");
        AccessKeyCredentials namesake = fixture.user("u5");

        fixture.iam.roles().updateAssumeRolePolicy(ACCOUNT, "trusts-u5", trusting(userArn("u5")));

        assertThat(assume(namesake, Request.of("trusts-u5")).assumedRoleUser().arn()).endsWith("/trusts-u5/session");
        assertThat(rejection(() -> assume(oldSession, Request.of("trusts-u5"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_trustNamingADeletedRole_refusesItsOldSessionsAndTheNamesakesSessions() {
        fixture.role("r5", trusting(userArn("alice")));
        fixture.role("trusts-r5", trusting(roleArn("r5")));
        TemporaryCredentials oldSession = assume(alice, Request.of("r5")).credentials();
        assume(oldSession, Request.of("trusts-r5"));

        fixture.deleteRole("r5");
        fixture.role("r5", trusting(userArn("alice")), ALLOW_ALL);
        TemporaryCredentials namesakeSession = assume(alice, Request.of("r5")).credentials();

        assertThat(rejection(() -> assume(oldSession, Request.of("trusts-r5"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(rejection(() -> assume(namesakeSession, Request.of("trusts-r5"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }

    @Test
    void assumeRole_trustNamingARenamedUser_stillTrustsItAndItsSessions() {
        AccessKeyCredentials u6 = fixture.user("u6");
        fixture.role("trusts-u6", trusting(userArn("u6")));
        TemporaryCredentials session = sessionTokenOf(u6);

        fixture.iam.users().updateUser(ACCOUNT, "u6", Optional.of("u6-renamed"), Optional.empty());

        assertThat(assume(u6, Request.of("trusts-u6")).assumedRoleUser().arn()).endsWith("/trusts-u6/session");
        assertThat(assume(session, Request.of("trusts-u6")).assumedRoleUser().arn()).endsWith("/trusts-u6/session");
    }

    @Test
    void assumeRole_crossAccountTrustNamingADeletedUser_refusesItsNamesake() {
        AccessKeyCredentials carol = fixture.user(StsFixture.OTHER_ACCOUNT, "carol", List.of(), ALLOW_ALL);
        String carolArn = "arn:aws:iam::" + StsFixture.OTHER_ACCOUNT + ":user/carol";
        fixture.role("trusts-carol", trusting(carolArn));
        assume(carol, Request.of("trusts-carol"));

        fixture.iam.users().deleteAccessKey(StsFixture.OTHER_ACCOUNT, "carol", carol.accessKey().accessKeyId());
        fixture.iam.users().deleteUserPolicy(StsFixture.OTHER_ACCOUNT, "carol", "policy0");
        fixture.iam.users().deleteUser(StsFixture.OTHER_ACCOUNT, "carol");
        AccessKeyCredentials namesake = fixture.user(StsFixture.OTHER_ACCOUNT, "carol", List.of(), ALLOW_ALL);

        assertThat(rejection(() -> assume(namesake, Request.of("trusts-carol"))).errorCode())
                .isEqualTo(ErrorCode.ACCESS_DENIED);
    }
}
