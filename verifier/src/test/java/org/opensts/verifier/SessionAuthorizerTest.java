package org.opensts.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.EvaluationCost;
import org.opensts.policy.LabeledPolicy;
import org.opensts.policy.MalformedPolicyException;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicyEvaluator;
import org.opensts.policy.PolicyType;
import org.opensts.policy.SourcePolicyType;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.AuthorizationMessageCodec;
import org.opensts.token.KeyRing;
import org.opensts.token.Session;
import org.opensts.token.SessionTag;
import org.opensts.token.SessionType;
import org.opensts.verifier.AccessRequest.RequestFacts;
import org.opensts.verifier.PrincipalDirectory.Kind;
import org.opensts.verifier.PrincipalDirectory.ManagedPolicy;
import org.opensts.verifier.PrincipalDirectory.Principal;

/** The effective permissions of each kind of caller, combined with resource policies, and the explanations. */
class SessionAuthorizerTest {
    private static final String ACCOUNT = "111122223333";
    private static final String OTHER = "444455556666";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ROLE_ID = "AROAEXAMPLEROLE00001";
    private static final String ROLE_ARN = "arn:aws:iam::" + ACCOUNT + ":role/reader";
    private static final String USER_ID = "AIDAEXAMPLEUSER00001";
    private static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/alice";
    private static final String BUCKET = "arn:aws:s3:::bucket/key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPORARY_KEY = AccessKeyIds.newTemporary(ACCOUNT, new SecureRandom());

    private final Directory directory = new Directory();
    private final AuthorizationMessageCodec codec = new AuthorizationMessageCodec(
            KeyRing.generate(NOW, new SecureRandom()), "test");
    private final SessionAuthorizer authorizer = new SessionAuthorizer(directory, new PolicyEvaluator(),
            new AuthorizationMessageEncoder(() -> codec, Clock.fixed(NOW, ZoneOffset.UTC)), 100);

    SessionAuthorizerTest() {
        directory.roles.put(ROLE_ID, new Principal(Kind.ROLE, ACCOUNT, ROLE_ARN, ROLE_ID, Optional.empty(),
                Map.of("team", "blue")));
        directory.policies.put(ROLE_ID, List.of(policy("role_reader_read", SourcePolicyType.ROLE,
                allow("ReadObjects", "s3:GetObject", "arn:aws:s3:::bucket/*"))));
        directory.users.put(USER_ID, new Principal(Kind.USER, ACCOUNT, USER_ARN, USER_ID, Optional.empty(),
                Map.of("team", "red")));
        directory.policies.put(USER_ID, List.of(policy("user_alice_all", SourcePolicyType.USER,
                allow("AllS3", "s3:*", "*"))));
    }

    record Case(String name, VerifiedCaller caller, String action, String resource, Optional<String> resourcePolicy,
            Optional<String> resourceAccount, EvalDecision expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String federatedArn = "arn:aws:sts::" + ACCOUNT + ":federated-user/bob";
        String grantFederated = resourcePolicy("{\"AWS\":\"" + federatedArn + "\"}", "s3:GetObject", BUCKET);
        String grantRole = resourcePolicy("{\"AWS\":\"" + ROLE_ARN + "\"}", "s3:PutObject", BUCKET);
        return Stream.of(
                new Case("role session allowed by the role's policy", roleSession(List.of(), List.of()),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.ALLOWED),
                new Case("role session, action no statement allows", roleSession(List.of(), List.of()),
                        "s3:PutObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.IMPLICIT_DENY),
                new Case("session policy narrows the role", roleSession(List.of(policyDocument(
                        allow("Other", "s3:GetObject", "arn:aws:s3:::other/*"))), List.of()),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.IMPLICIT_DENY),
                new Case("session policy within the role allows", roleSession(List.of(policyDocument(
                        allow("Same", "s3:GetObject", "*"))), List.of()),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.ALLOWED),
                new Case("managed session policy that does not resolve grants nothing",
                        roleSession(List.of(), List.of("arn:aws:iam::" + ACCOUNT + ":policy/gone")),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.IMPLICIT_DENY),
                new Case("federated user without a session policy gets nothing", federatedUser(List.of()),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.IMPLICIT_DENY),
                new Case("federated user: issuing user's policies within the session policy",
                        federatedUser(List.of(policyDocument(allow("Get", "s3:GetObject", "*")))),
                        "s3:GetObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.ALLOWED),
                new Case("federated user: the session policy limits the issuing user",
                        federatedUser(List.of(policyDocument(allow("Get", "s3:GetObject", "*")))),
                        "s3:PutObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.IMPLICIT_DENY),
                new Case("federated user without a session policy, named by the resource policy",
                        federatedUser(List.of()), "s3:GetObject", BUCKET, Optional.of(grantFederated),
                        Optional.empty(), EvalDecision.ALLOWED),
                new Case("GetSessionToken session has the user's policies", sessionUser(),
                        "s3:PutObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.ALLOWED),
                new Case("long-term key has the user's policies", longTermUser(),
                        "s3:DeleteObject", BUCKET, Optional.empty(), Optional.empty(), EvalDecision.ALLOWED),
                new Case("same account: a resource policy naming the role grants beyond its policies",
                        roleSession(List.of(), List.of()), "s3:PutObject", BUCKET, Optional.of(grantRole),
                        Optional.of(ACCOUNT), EvalDecision.ALLOWED),
                new Case("cross account without a resource policy is refused",
                        roleSession(List.of(), List.of()), "s3:GetObject", BUCKET, Optional.empty(),
                        Optional.of(OTHER), EvalDecision.IMPLICIT_DENY),
                new Case("cross account: the resource policy alone is not enough",
                        roleSession(List.of(), List.of()), "s3:PutObject", BUCKET, Optional.of(grantRole),
                        Optional.of(OTHER), EvalDecision.IMPLICIT_DENY),
                new Case("cross account: both sides allow",
                        roleSession(List.of(), List.of()), "s3:GetObject", BUCKET,
                        Optional.of(resourcePolicy("{\"AWS\":\"" + ROLE_ARN + "\"}", "s3:GetObject", BUCKET)),
                        Optional.of(OTHER), EvalDecision.ALLOWED),
                new Case("a resource policy's deny wins", longTermUser(), "s3:GetObject", BUCKET,
                        Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoOne\",\"Effect\":"
                                + "\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"),
                        Optional.empty(), EvalDecision.EXPLICIT_DENY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void authorize_decidesAsAws(Case c) {
        AccessDecision decision = authorizer.authorize(new AccessRequest(c.caller(), c.action(), c.resource(),
                c.resourceAccount(), Map.of(), c.resourcePolicy(), facts()));

        assertThat(decision.decision().decision()).isEqualTo(c.expected());
        assertThat(decision.allowed()).isEqualTo(c.expected() == EvalDecision.ALLOWED);
        assertThat(decision.encodedMessage().isPresent()).isEqualTo(!decision.allowed());
        assertThat(decision.reasons()).isNotEmpty();
    }

    @Test
    void authorize_roleDeletedSinceTheSession_isRefused() {
        VerifiedCaller caller = roleSession(List.of(), List.of());
        directory.roles.remove(ROLE_ID);
        directory.roles.put("AROAEXAMPLEROLE00002", new Principal(Kind.ROLE, ACCOUNT, ROLE_ARN,
                "AROAEXAMPLEROLE00002", Optional.empty(), Map.of()));
        directory.policies.put("AROAEXAMPLEROLE00002", directory.policies.get(ROLE_ID));

        assertThat(authorize(caller, "s3:GetObject", Map.of()).allowed()).isFalse();
    }

    record GoneCase(String name, VerifiedCaller caller, String principal,
            Consumer<Directory> deletion) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<GoneCase> principalsOfDeletedEntities() {
        String sessionArn = "\"arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s1\"";
        String federatedArn = "\"arn:aws:sts::" + ACCOUNT + ":federated-user/bob\"";
        Consumer<Directory> deleteRole = directory -> directory.roles.remove(ROLE_ID);
        Consumer<Directory> deleteUser = directory -> directory.users.remove(USER_ID);
        return Stream.of(
                new GoneCase("role session named by its session ARN, role deleted", roleSession(List.of(),
                        List.of()), "{\"AWS\":" + sessionArn + "}", deleteRole),
                new GoneCase("role session under a grant to everyone, role deleted", roleSession(List.of(),
                        List.of()), "\"*\"", deleteRole),
                new GoneCase("federated user named by its ARN, issuing user deleted", federatedUser(List.of()),
                        "{\"AWS\":" + federatedArn + "}", deleteUser),
                new GoneCase("GetSessionToken session named by its user's ARN, user deleted", sessionUser(),
                        "{\"AWS\":\"" + USER_ARN + "\"}", deleteUser));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("principalsOfDeletedEntities")
    void authorize_resourcePolicyNamingCallerWhoseEntityIsDeleted_grantsNothing(GoneCase c) {
        String grant = resourcePolicy(c.principal(), "s3:PutObject", BUCKET);
        var request = new AccessRequest(c.caller(), "s3:PutObject", BUCKET, Optional.of(ACCOUNT), Map.of(),
                Optional.of(grant), facts());
        assertThat(authorizer.authorize(request).allowed()).isTrue();

        c.deletion().accept(directory);
        AccessDecision refused = authorizer.authorize(request);

        assertThat(refused.decision().decision()).isEqualTo(EvalDecision.IMPLICIT_DENY);
        assertThat(refused.reasons()).containsExactly(SessionAuthorizer.IDENTITY_GONE);
    }

    @Test
    void authorize_roleDeleted_resourcePolicysDenyStillExplicit() {
        VerifiedCaller caller = roleSession(List.of(), List.of());
        directory.roles.remove(ROLE_ID);
        String denyAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoOne\",\"Effect\":\"Deny\","
                + "\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";

        AccessDecision refused = authorizer.authorize(new AccessRequest(caller, "s3:GetObject", BUCKET,
                Optional.empty(), Map.of(), Optional.of(denyAll), facts()));

        assertThat(refused.decision().decision()).isEqualTo(EvalDecision.EXPLICIT_DENY);
    }

    @Test
    void authorize_federatedUserOfTheRootUser_isStillNamedByItsArn() {
        VerifiedCaller caller = VerifiedCaller.ofSession(Session.builder().accessKeyId(TEMPORARY_KEY)
                .accountId(ACCOUNT).type(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":federated-user/bob").principalId(ACCOUNT + ":bob")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":root").sourceUniqueId(ACCOUNT).sessionName("bob")
                .issuedAt(NOW.minusSeconds(5)).expiration(NOW.plusSeconds(3600)).build());
        String grant = resourcePolicy("{\"AWS\":\"arn:aws:sts::" + ACCOUNT + ":federated-user/bob\"}",
                "s3:GetObject", BUCKET);

        assertThat(authorizer.authorize(new AccessRequest(caller, "s3:GetObject", BUCKET, Optional.of(ACCOUNT),
                Map.of(), Optional.of(grant), facts())).allowed()).isTrue();
    }

    @Test
    void authorize_revokedOlderSessions_refusesSessionsIssuedBefore_allowsThoseAfter() {
        VerifiedCaller before = roleSession(List.of(), List.of(), NOW.minusSeconds(60));
        VerifiedCaller after = roleSession(List.of(), List.of(), NOW.minusSeconds(1));
        var policies = new ArrayList<>(directory.policies.get(ROLE_ID));
        policies.add(policy("role_reader_AWSRevokeOlderSessions", SourcePolicyType.ROLE,
                "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                        + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\""
                        + NOW.minusSeconds(30) + "\"}}}}"));
        directory.policies.put(ROLE_ID, policies);

        AccessDecision refused = authorize(before, "s3:GetObject", Map.of());
        AccessDecision allowed = authorize(after, "s3:GetObject", Map.of());

        assertThat(refused.decision().decision()).isEqualTo(EvalDecision.EXPLICIT_DENY);
        assertThat(refused.reasons()).containsExactly(
                "Explicitly denied by the statement at line 1 of iam policy role_reader_AWSRevokeOlderSessions.");
        assertThat(allowed.allowed()).isTrue();
    }

    @Test
    void authorize_sessionTagOverridesRoleTagRegardlessOfCase() {
        directory.policies.put(ROLE_ID, List.of(policy("role_reader_tagged", SourcePolicyType.ROLE,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                        + "{\"aws:PrincipalTag/team\":\"green\"}}}]}")));
        VerifiedCaller untagged = roleSession(List.of(), List.of());
        VerifiedCaller tagged = VerifiedCaller.ofSession(roleSessionBuilder(NOW.minusSeconds(5))
                .tags(List.of(new SessionTag("TEAM", "green"))).build());

        assertThat(authorize(untagged, "s3:GetObject", Map.of()).allowed()).isFalse();
        assertThat(authorize(tagged, "s3:GetObject", Map.of()).allowed()).isTrue();
        assertThat(authorizer.principalTags(tagged)).containsExactly(Map.entry("TEAM", "green"));
    }

    @Test
    void authorize_addsTheRequestsOwnKeysToTheGlobalOnes() {
        directory.policies.put(ROLE_ID, List.of(policy("role_reader_prefix", SourcePolicyType.ROLE,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"s3:prefix\":\"home/*\"},"
                        + "\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}}]}")));
        VerifiedCaller caller = roleSession(List.of(), List.of());

        assertThat(authorize(caller, "s3:ListBucket", Map.of("s3:prefix", List.of("home/alice/"))).allowed())
                .isTrue();
        assertThat(authorize(caller, "s3:ListBucket", Map.of("s3:prefix", List.of("etc/"))).allowed()).isFalse();
    }

    @Test
    void authorize_contextNamingAKeyTheAuthorizerSets_isRejected() {
        VerifiedCaller caller = roleSession(List.of(), List.of());

        assertThatThrownBy(() -> authorize(caller, "s3:GetObject",
                Map.of("AWS:PrincipalArn", List.of("arn:aws:iam::" + ACCOUNT + ":role/admin"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AWS:PrincipalArn");
        assertThatThrownBy(() -> authorize(caller, "s3:GetObject",
                Map.of("aws:TokenIssueTime", List.of(NOW.toString()))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    record OwnedKeyCase(String name, boolean session, String key, String value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<OwnedKeyCase> ownedKeysTheCallerLacks() {
        return List.of(
                new OwnedKeyCase("session without MFA: aws:MultiFactorAuthAge", true, "aws:MultiFactorAuthAge", "1"),
                new OwnedKeyCase("untagged session: aws:PrincipalTag/team", true, "aws:PrincipalTag/team", "green"),
                new OwnedKeyCase("session without one: aws:SourceIdentity", true, "AWS:SourceIdentity", "alice"),
                new OwnedKeyCase("no user agent: aws:UserAgent", true, "aws:UserAgent", "console"),
                new OwnedKeyCase("no provider: aws:FederatedProvider", true, "aws:FederatedProvider", "idp"),
                new OwnedKeyCase("long-term key: aws:MultiFactorAuthPresent", false, "aws:MultiFactorAuthPresent",
                        "true"),
                new OwnedKeyCase("long-term key: aws:TokenIssueTime", false, "aws:TokenIssueTime",
                        NOW.toString()),
                new OwnedKeyCase("a web identity claim", true, "issuer.example.com:sub", "admin"),
                new OwnedKeyCase("a SAML claim", true, "saml:sub", "admin"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownedKeysTheCallerLacks")
    void authorize_contextNamingAnAuthorizerKeyTheCallerLacks_isRejected(OwnedKeyCase c) {
        directory.policies.put(ROLE_ID, List.of(policy("role_reader_conditional", SourcePolicyType.ROLE,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"" + c.key() + "\":\""
                        + c.value() + "\"}}}]}")));
        VerifiedCaller caller = c.session() ? roleSession(List.of(), List.of()) : longTermUser();

        assertThatThrownBy(() -> authorize(caller, "s3:GetObject", Map.of(c.key(), List.of(c.value()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(c.key());
    }

    @Test
    void authorize_malformedResourcePolicy_isAnErrorNotADeny() {
        assertThatThrownBy(() -> authorizer.authorize(new AccessRequest(longTermUser(), "s3:GetObject", BUCKET,
                Optional.empty(), Map.of(), Optional.of("{\"Version\":\"2012-10-17\",\"Statement\":["), facts())))
                .isInstanceOf(InvalidResourcePolicyException.class)
                .hasMessageContaining(BUCKET);
    }

    @Test
    void authorize_refusal_carriesAMessageThatDecodesToTheDecision() throws Exception {
        var policies = new ArrayList<>(directory.policies.get(ROLE_ID));
        policies.add(policy("role_reader_noput", SourcePolicyType.ROLE,
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"NoPut\",\"Effect\":\"Deny\","
                        + "\"Action\":\"s3:PutObject\",\"Resource\":\"*\"}]}"));
        directory.policies.put(ROLE_ID, policies);
        VerifiedCaller caller = roleSession(List.of(), List.of());

        AccessDecision decision = authorize(caller, "s3:PutObject", Map.of("s3:x-amz-acl", List.of("private")));
        JsonNode decoded = JSON.readTree(codec.open(decision.encodedMessage().orElseThrow(), NOW).document());

        assertThat(decision.reasons()).containsExactly(
                "Explicitly denied by statement \"NoPut\" of iam policy role_reader_noput.");
        assertThat(decoded.get("allowed").asBoolean()).isFalse();
        assertThat(decoded.get("explicitDeny").asBoolean()).isTrue();
        assertThat(decoded.at("/matchedStatements/items/0/statementId").asText()).isEqualTo("NoPut");
        assertThat(decoded.at("/matchedStatements/items/0/principals/items/0/value").asText()).isEqualTo(ROLE_ID);
        assertThat(decoded.at("/context/principal/arn").asText()).isEqualTo(caller.arn());
        assertThat(decoded.at("/context/action").asText()).isEqualTo("s3:PutObject");
        assertThat(decoded.at("/context/resource").asText()).isEqualTo(BUCKET);
        assertThat(decoded.at("/context/conditions/items").findValuesAsText("key"))
                .contains("s3:x-amz-acl", "aws:TokenIssueTime", "aws:PrincipalTag/team");
        assertThat(decoded.toString()).doesNotContain(caller.accessKeyId());
    }

    @Test
    void authorize_implicitDeny_saysNoStatementAllows() {
        AccessDecision decision = authorize(roleSession(List.of(), List.of()), "s3:PutObject", Map.of());

        assertThat(decision.reasons()).containsExactly("No statement allows s3:PutObject on " + BUCKET + ".");
    }

    @Test
    void authorize_allowed_namesTheGrantingStatement() {
        AccessDecision decision = authorize(roleSession(List.of(), List.of()), "s3:GetObject", Map.of());

        assertThat(decision.reasons()).containsExactly(
                "Allowed by statement \"ReadObjects\" of iam policy role_reader_read.");
        assertThat(decision.encodedMessage()).isEmpty();
    }

    @Test
    void authorize_boundaryThatDoesNotAllow_saysSo() {
        String boundaryArn = "arn:aws:iam::" + ACCOUNT + ":policy/only-list";
        directory.roles.put(ROLE_ID, new Principal(Kind.ROLE, ACCOUNT, ROLE_ARN, ROLE_ID, Optional.of(boundaryArn),
                Map.of()));
        directory.managed.put(boundaryArn, new ManagedPolicy(boundaryArn, "only-list",
                policyDocument(allow("List", "s3:ListBucket", "*"))));

        AccessDecision decision = authorize(roleSession(List.of(), List.of()), "s3:GetObject", Map.of());

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasons()).containsExactly(
                "The permissions boundary does not allow s3:GetObject on " + BUCKET + ".");
    }

    /** A resource policy whose one condition tests {@code s3:prefix} against {@code patterns} wildcard patterns. */
    private static String prefixPolicy(int patterns) {
        var values = new StringBuilder();
        for (int i = 0; i < patterns; i++) {
            values.append(i == 0 ? "" : ",").append("\"*a?z").append(i).append("*\"");
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:ListBucket\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"s3:prefix\":["
                + values + "]}}}]}";
    }

    private AccessDecision authorizeListing(SessionAuthorizer authorizer, String resourcePolicy, int prefixLength) {
        return authorizer.authorize(new AccessRequest(longTermUser(), "s3:ListBucket", "arn:aws:s3:::bucket",
                Optional.empty(), Map.of("s3:prefix", List.of("a".repeat(prefixLength))), Optional.of(resourcePolicy),
                facts()));
    }

    @Test
    void authorize_requestTooCostlyToEvaluate_isRefusedBeforeEvaluating() {
        // 4,000 patterns against a 60,000-character value: about a second of a core, asked for in one request.
        assertThatThrownBy(() -> authorizeListing(authorizer, prefixPolicy(4_000), 60_000))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.TOO_COSTLY))
                .hasMessageStartingWith("The request is too costly to evaluate: its ");
    }

    @Test
    void authorize_longResourceAgainstManyResourcePatterns_isTooCostly() {
        var patterns = new StringBuilder();
        for (int i = 0; i < 1_031; i++) {
            patterns.append(i == 0 ? "" : ",").append("\"arn:aws:s3:::").append("b?".repeat(23)).append(i)
                    .append('"');
        }
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":[" + patterns + "]}]}";

        assertThatThrownBy(() -> authorizer.authorize(new AccessRequest(longTermUser(), "s3:GetObject",
                "arn:aws:s3:::" + "b".repeat(60_000), Optional.empty(), Map.of(), Optional.of(policy), facts())))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.TOO_COSTLY));
    }

    private SessionAuthorizer withCostlyTurns(java.util.concurrent.Semaphore turns, long waitMillis) {
        return new SessionAuthorizer(directory, new PolicyEvaluator(),
                new AuthorizationMessageEncoder(() -> codec, Clock.fixed(NOW, ZoneOffset.UTC)), 100, turns,
                waitMillis);
    }

    @Test
    void authorize_costlyRequests_runAFewAtOnce_andCheapOnesAreNeverHeldBack() {
        var turns = new java.util.concurrent.Semaphore(1, true);
        SessionAuthorizer limited = withCostlyTurns(turns, 50);
        // 200 patterns against 10,000 characters: over the costly threshold, under the most one request may cost.
        String policy = prefixPolicy(200);
        turns.acquireUninterruptibly();

        assertThatThrownBy(() -> authorizeListing(limited, policy, 10_000))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.BUSY));
        assertThat(authorizeListing(limited, policy, 10).allowed()).isTrue();

        turns.release();
        assertThat(authorizeListing(limited, policy, 10_000).allowed()).isTrue();
        assertThat(turns.availablePermits()).isEqualTo(1);
    }

    @Test
    void authorize_costlyRequests_waitForTheirTurn_butACallerHasOneInTurnAtATime() throws Exception {
        var turns = new java.util.concurrent.Semaphore(1, true);
        SessionAuthorizer limited = withCostlyTurns(turns, 60_000);
        String policy = prefixPolicy(200);
        turns.acquireUninterruptibly();
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> authorizeListing(limited, policy,
                10_000));
        while (!turns.hasQueuedThreads()) {
            Thread.onSpinWait();
        }

        // The same user (another of its requests) is refused at once; the first one still waits for its turn.
        assertThatThrownBy(() -> authorizeListing(limited, policy, 10_000))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.BUSY));
        assertThat(waiting).isNotDone();

        turns.release();
        assertThat(waiting.get(30, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
        assertThat(authorizeListing(limited, policy, 10_000).allowed()).isTrue();
    }

    /** A DeleteObjects of many keys is priced as a whole: cheap decisions add up to the request's limit. */
    @Test
    void authorize_decisionsOfOneRequestCostingTooMuchTogether_areTooCostly() {
        var request = new AccessRequest(longTermUser(), "s3:ListBucket", "arn:aws:s3:::bucket", Optional.empty(),
                Map.of("s3:prefix", List.of("a".repeat(10))), Optional.of(prefixPolicy(2)), facts());
        var nearlySpent = new DecisionBudget(SessionAuthorizer.MAX_UNITS_PER_REQUEST - 10);

        assertThatThrownBy(() -> authorizer.authorize(request, nearlySpent))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.TOO_COSTLY));
        assertThat(authorizer.authorize(request, new DecisionBudget()).allowed()).isTrue();
    }

    /** Once a request's decisions have cost more than a costly one, each further one takes its turn. */
    @Test
    void authorize_cheapDecisionOfARequestPastTheCostlyThreshold_takesItsTurn() {
        var turns = new java.util.concurrent.Semaphore(1, true);
        SessionAuthorizer limited = withCostlyTurns(turns, 50);
        var request = new AccessRequest(longTermUser(), "s3:ListBucket", "arn:aws:s3:::bucket", Optional.empty(),
                Map.of("s3:prefix", List.of("a".repeat(10))), Optional.of(prefixPolicy(2)), facts());
        turns.acquireUninterruptibly();

        assertThatThrownBy(() -> limited.authorize(request, new DecisionBudget(EvaluationCost.COSTLY_UNITS)))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.BUSY));
        assertThat(limited.authorize(request, new DecisionBudget()).allowed()).isTrue();

        turns.release();
        assertThat(limited.authorize(request, new DecisionBudget(EvaluationCost.COSTLY_UNITS)).allowed()).isTrue();
    }

    /**
     * A service asking for others' decisions takes the turns, not the signers: its requests for one signer wait for
     * their turn rather than counting as that signer's, and another service's request for the same signer is not
     * held back by them.
     */
    @Test
    void authorize_forAService_takesTurnsAsTheService_notAsTheRequestsSigner() throws Exception {
        var turns = new java.util.concurrent.Semaphore(1, true);
        SessionAuthorizer limited = withCostlyTurns(turns, 60_000);
        String policy = prefixPolicy(200);
        var request = new AccessRequest(longTermUser(), "s3:ListBucket", "arn:aws:s3:::bucket", Optional.empty(),
                Map.of("s3:prefix", List.of("a".repeat(10_000))), Optional.of(policy), facts());
        turns.acquireUninterruptibly();
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> limited.authorize(request, "service-a"));
        while (!turns.hasQueuedThreads()) {
            Thread.onSpinWait();
        }
        var other = java.util.concurrent.CompletableFuture.supplyAsync(() -> limited.authorize(request, "service-b"));
        while (turns.getQueueLength() < 2) {
            Thread.onSpinWait();
        }

        assertThatThrownBy(() -> limited.authorize(request, "service-a"))
                .isInstanceOfSatisfying(EvaluationRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(EvaluationRefusedException.Reason.BUSY));
        turns.release();
        assertThat(first.get(30, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
        assertThat(other.get(30, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();
    }

    private AccessDecision authorize(VerifiedCaller caller, String action, Map<String, List<String>> context) {
        return authorizer.authorize(new AccessRequest(caller, action, BUCKET, Optional.empty(), context,
                Optional.empty(), facts()));
    }

    private static RequestFacts facts() {
        return new RequestFacts(NOW, "192.0.2.10", true, Optional.of("us-east-1"), Optional.empty());
    }

    private static VerifiedCaller roleSession(List<String> sessionPolicies, List<String> policyArns) {
        return roleSession(sessionPolicies, policyArns, NOW.minusSeconds(5));
    }

    private static VerifiedCaller roleSession(List<String> sessionPolicies, List<String> policyArns,
            Instant issuedAt) {
        return VerifiedCaller.ofSession(roleSessionBuilder(issuedAt).sessionPolicies(sessionPolicies)
                .policyArns(policyArns).build());
    }

    private static Session.Builder roleSessionBuilder(Instant issuedAt) {
        return Session.builder().accessKeyId(TEMPORARY_KEY).accountId(ACCOUNT)
                .type(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s1")
                .principalId(ROLE_ID + ":s1").sourceArn(ROLE_ARN).sourceUniqueId(ROLE_ID).sessionName("s1")
                .issuedAt(issuedAt).expiration(issuedAt.plusSeconds(3600));
    }

    private static VerifiedCaller federatedUser(List<String> sessionPolicies) {
        return VerifiedCaller.ofSession(Session.builder().accessKeyId(TEMPORARY_KEY).accountId(ACCOUNT)
                .type(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":federated-user/bob")
                .principalId(ACCOUNT + ":bob").sourceArn(USER_ARN).sourceUniqueId(USER_ID).sessionName("bob")
                .issuedAt(NOW.minusSeconds(5)).expiration(NOW.plusSeconds(3600))
                .sessionPolicies(sessionPolicies).build());
    }

    private static VerifiedCaller sessionUser() {
        return VerifiedCaller.ofSession(Session.builder().accessKeyId(TEMPORARY_KEY).accountId(ACCOUNT)
                .type(SessionType.SESSION_USER).principalArn(USER_ARN).principalId(USER_ID).sourceArn(USER_ARN)
                .sourceUniqueId(USER_ID).issuedAt(NOW.minusSeconds(5)).expiration(NOW.plusSeconds(3600)).build());
    }

    private static VerifiedCaller longTermUser() {
        return VerifiedCaller.ofUser(ACCOUNT, USER_ARN, USER_ID, AccessKeyIds.newLongTerm(ACCOUNT, new SecureRandom()));
    }

    private static String allow(String sid, String action, String resource) {
        return "{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Action\":\"" + action + "\",\"Resource\":\""
                + resource + "\"}";
    }

    private static String policyDocument(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
    }

    private static String resourcePolicy(String principal, String action, String resource) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Grant\",\"Effect\":\"Allow\",\"Principal\":"
                + principal + ",\"Action\":\"" + action + "\",\"Resource\":\"" + resource + "\"}]}";
    }

    private static LabeledPolicy policy(String name, SourcePolicyType type, String statementOrDocument) {
        String document = statementOrDocument.contains("\"Version\"") ? statementOrDocument
                : policyDocument(statementOrDocument);
        return LabeledPolicy.of(name, type, compile(document, PolicyType.IDENTITY));
    }

    private static Policy compile(String document, PolicyType type) {
        try {
            return Policy.parse(document, type);
        } catch (MalformedPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An identity store in memory, as a service embedding the verifier might keep one. */
    private static final class Directory implements PrincipalDirectory {
        final Map<String, Principal> roles = new HashMap<>();
        final Map<String, Principal> users = new HashMap<>();
        final Map<String, List<LabeledPolicy>> policies = new HashMap<>();
        final Map<String, ManagedPolicy> managed = new LinkedHashMap<>();

        @Override
        public Optional<Principal> role(String roleId) {
            return Optional.ofNullable(roles.get(roleId));
        }

        @Override
        public Optional<Principal> user(String userId) {
            return Optional.ofNullable(users.get(userId));
        }

        @Override
        public List<LabeledPolicy> identityPolicies(Principal principal) {
            return policies.getOrDefault(principal.uniqueId(), List.of());
        }

        @Override
        public Optional<ManagedPolicy> managedPolicy(String policyArn) {
            return Optional.ofNullable(managed.get(policyArn));
        }

        @Override
        public Policy compile(String document, PolicyType type) {
            return SessionAuthorizerTest.compile(document, type);
        }
    }
}
