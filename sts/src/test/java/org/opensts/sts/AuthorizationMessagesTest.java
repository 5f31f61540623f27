package org.opensts.sts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opensts.sts.StsFixture.ACCOUNT;
import static org.opensts.sts.StsFixture.ALLOW_ALL;
import static org.opensts.sts.StsFixture.OTHER_ACCOUNT;
import static org.opensts.sts.StsFixture.roleArn;
import static org.opensts.sts.StsFixture.trusting;
import static org.opensts.sts.StsFixture.userArn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.iam.Tag;
import org.opensts.policy.Decision;
import org.opensts.policy.EvalDecision;
import org.opensts.policy.MatchedStatement;
import org.opensts.policy.Policy;
import org.opensts.policy.PolicySource;
import org.opensts.policy.PolicyStatement;
import org.opensts.policy.PolicyType;
import org.opensts.policy.RequestContext;
import org.opensts.policy.SourcePolicyType;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.token.TemporaryCredentials;
import org.opensts.verifier.AuthorizationMessageEncoder;

class AuthorizationMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DECODER = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:DecodeAuthorizationMessage",\
            "Resource":"*"}]}""";
    private static final String ALLOW_ALL_BUT_LOCKED = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},\
            {"Sid":"NoLockedRoles","Effect":"Deny","Action":"sts:AssumeRole","Resource":"%s",\
            "Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}""".formatted(roleArn("locked"));

    private final StsFixture fixture = new StsFixture();
    private final AccessKeyCredentials alice = fixture.user("alice", ALLOW_ALL_BUT_LOCKED);
    private final AccessKeyCredentials auditor = fixture.user("auditor", DECODER);
    private final AccessKeyCredentials bob = fixture.user("bob");

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void assumeRole_explicitDeny_endsInAnEncodedMessageAfterAwsSentence() {
        fixture.role("locked", trusting(userArn("alice")));

        ApiException e = denial(alice, "locked");

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).matches("User: " + userArn("alice").replace("/", "\\/")
                + " is not authorized to perform: sts:AssumeRole on resource: "
                + roleArn("locked").replace("/", "\\/") + "\\. Encoded authorization failure message: [A-Za-z0-9_-]+");
    }

    @Test
    void iamRefusal_explicitDeny_namesTheResourceAndReasonAsIamDoes_andItsMessageStillDecodes() throws Exception {
        AccessKeyCredentials carol = fixture.user("carol", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},\
                {"Effect":"Deny","Action":"iam:GetRole","Resource":"*"}]}""");

        ApiException e = catchApi(() -> fixture.sts.authorizer().authorize(fixture.callerOf(carol),
                fixture.metadata(), "iam:GetRole", roleArn("demo")));

        assertThat(e.getMessage()).startsWith("User: " + userArn("carol") + " is not authorized to perform: "
                + "iam:GetRole on resource: role demo with an explicit deny in an identity-based policy. "
                + "Encoded authorization failure message: ");
        JsonNode decoded = JSON.readTree(decode(auditor, encodedMessage(e)));
        assertThat(decoded.get("explicitDeny").asBoolean()).isTrue();
        assertThat(decoded.get("context").get("resource").asText()).isEqualTo(roleArn("demo"));
    }

    @Test
    void decode_explicitDeny_givesAwsJsonWithCallerActionResourceKeysAndTheDenyingStatement() throws Exception {
        fixture.role("locked", trusting(userArn("alice")));
        String message = encodedMessage(denial(alice, "locked"));

        JsonNode decoded = JSON.readTree(decode(auditor, message));

        assertThat(decoded.get("allowed").asBoolean(true)).isFalse();
        assertThat(decoded.get("explicitDeny").asBoolean()).isTrue();
        assertThat(decoded.at("/failures/items").isArray()).isTrue();
        JsonNode statement = decoded.at("/matchedStatements/items/0");
        assertThat(decoded.at("/matchedStatements/items").size()).isEqualTo(1);
        assertThat(statement.get("statementId").asText()).isEqualTo("NoLockedRoles");
        assertThat(statement.get("effect").asText()).isEqualTo("DENY");
        assertThat(values(statement.get("principals"))).containsExactly(fixture.iam.users().getUser(ACCOUNT, "alice")
                .userId());
        assertThat(values(statement.get("principalGroups"))).isEmpty();
        assertThat(values(statement.get("actions"))).containsExactly("sts:AssumeRole");
        assertThat(values(statement.get("resources"))).containsExactly(roleArn("locked"));
        assertThat(statement.at("/conditions/items/0/key").asText()).isEqualTo("aws:RequestedRegion");
        assertThat(statement.at("/conditions/items/0/operator").asText()).isEqualTo("StringEquals");
        assertThat(values(statement.at("/conditions/items/0/values"))).containsExactly("us-east-1");
        assertThat(statement.get("sourcePolicyType").asText()).isEqualTo("IAM Policy");

        JsonNode context = decoded.get("context");
        assertThat(context.at("/principal/id").asText()).isEqualTo(fixture.iam.users().getUser(ACCOUNT, "alice")
                .userId());
        assertThat(context.at("/principal/arn").asText()).isEqualTo(userArn("alice"));
        assertThat(context.at("/principal/name").asText()).as("an IAM user is named, as in AWS's messages")
                .isEqualTo("alice");
        assertThat(context.get("action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(context.get("resource").asText()).isEqualTo(roleArn("locked"));
        assertThat(contextKeys(context)).contains("aws:SourceIp", "aws:RequestedRegion", "aws:PrincipalArn",
                "sts:RoleSessionName");
        assertThat(contextValue(context, "sts:RoleSessionName")).containsExactly("session");
        assertThat(contextValue(context, "aws:SourceIp")).containsExactly("192.0.2.10");
    }

    @Test
    void decode_implicitDeny_reportsNoStatements() throws Exception {
        fixture.role("bobs", trusting(userArn("bob")));

        JsonNode decoded = JSON.readTree(decode(auditor, encodedMessage(denial(alice, "bobs"))));

        assertThat(decoded.get("explicitDeny").asBoolean(true)).isFalse();
        assertThat(decoded.at("/matchedStatements/items").size()).isZero();
        assertThat(decoded.at("/context/resource").asText()).isEqualTo(roleArn("bobs"));
    }

    @Test
    void decode_unknownRole_explainsAsAnImplicitDeny() throws Exception {
        JsonNode decoded = JSON.readTree(decode(auditor, encodedMessage(denial(alice, "nosuchrole"))));

        assertThat(decoded.get("explicitDeny").asBoolean(true)).isFalse();
        assertThat(decoded.at("/context/resource").asText()).isEqualTo(roleArn("nosuchrole"));
    }

    @Test
    void decode_roleSessionCaller_namesTheSessionAndHoldsNoSecret() throws Exception {
        fixture.role("worker", trusting(userArn("alice")), ALLOW_ALL_BUT_LOCKED);
        fixture.role("locked", trusting("arn:aws:iam::" + ACCOUNT + ":root"));
        TemporaryCredentials session = fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(roleArn("worker"), "night-shift")).credentials();
        CallerIdentity caller = fixture.callerOf(session);

        ApiException e = catchApi(() -> fixture.assumeRole(caller, AssumeRoleRequest.of(roleArn("locked"), "s")));
        String document = decode(auditor, encodedMessage(e));

        JsonNode decoded = JSON.readTree(document);
        assertThat(decoded.at("/context/principal/arn").asText())
                .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/worker/night-shift");
        assertThat(decoded.at("/context/principal/id").asText()).endsWith(":night-shift");
        assertThat(decoded.at("/context/principal").has("name")).as("a role session has no name").isFalse();
        assertThat(document).doesNotContain(session.sessionToken().revealUtf8(),
                session.secretAccessKey().revealUtf8(), alice.secretAccessKey().revealUtf8());
    }

    @Test
    void decode_denyInAnotherAccountsTrustPolicy_keepsThatAccountsStatementsOut() throws Exception {
        String trust = """
                {"Version":"2012-10-17","Statement":[\
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"},\
                {"Sid":"SecretDeny","Effect":"Deny","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}"""
                .formatted(ACCOUNT, userArn("alice"));
        fixture.role(OTHER_ACCOUNT, "partner", trust, 3600, List.of());
        String partnerRole = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner";

        ApiException e = catchApi(() -> fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(partnerRole, "session")));
        String document = decode(auditor, encodedMessage(e));

        JsonNode decoded = JSON.readTree(document);
        assertThat(decoded.at("/context/resource").asText()).isEqualTo(partnerRole);
        assertThat(decoded.at("/matchedStatements/items").size()).isZero();
        assertThat(document).doesNotContain("SecretDeny");
    }

    @Test
    void decode_refusalByAnotherAccountsRole_keepsThatRolesTagsOut() throws Exception {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},\
                "Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/team":"partner"}}}]}"""
                .formatted(ACCOUNT);
        fixture.role(OTHER_ACCOUNT, "partner", trust, 3600, List.of(new Tag("cost-center", "secret-project-x")));
        String partnerRole = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/partner";

        ApiException e = catchApi(() -> fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(partnerRole, "session")));
        String document = decode(auditor, encodedMessage(e));

        JsonNode decoded = JSON.readTree(document);
        assertThat(contextKeys(decoded.get("context"))).contains("sts:RoleSessionName")
                .noneMatch(key -> key.toLowerCase(Locale.ROOT).contains("resourcetag"));
        assertThat(document).doesNotContain("cost-center", "secret-project-x");
    }

    @Test
    void decode_refusalByOwnAccountsRole_reportsThatRolesTags() throws Exception {
        fixture.role(ACCOUNT, "tagged", trusting(userArn("bob")), 3600, List.of(new Tag("cost-center", "ours")));

        ApiException e = catchApi(() -> fixture.assumeRole(fixture.callerOf(alice),
                AssumeRoleRequest.of(roleArn("tagged"), "session")));
        JsonNode decoded = JSON.readTree(decode(auditor, encodedMessage(e)));

        assertThat(contextValue(decoded.get("context"), "aws:ResourceTag/cost-center")).containsExactly("ours");
    }

    @Test
    void decode_callerWithoutPermission_isAccessDeniedWithItsOwnMessage() {
        fixture.role("locked", trusting(userArn("alice")));
        String message = encodedMessage(denial(alice, "locked"));

        ApiException e = catchApi(() -> decode(bob, message));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(e.getMessage()).startsWith("User: " + userArn("bob") + " is not authorized to perform: "
                + "sts:DecodeAuthorizationMessage because no identity-based policy allows the "
                + "sts:DecodeAuthorizationMessage action. Encoded authorization failure message: ");
    }

    @Test
    void decode_afterKeyRotation_stillDecodes() throws Exception {
        fixture.role("locked", trusting(userArn("alice")));
        String message = encodedMessage(denial(alice, "locked"));
        fixture.clock.advance(Duration.ofHours(2));
        fixture.keyRing.rotate();

        assertThat(JSON.readTree(decode(auditor, message)).get("explicitDeny").asBoolean()).isTrue();
    }

    /** Anything this deployment did not issue to the decoder's account, or issued too long ago. */
    record Invalid(String name, Function<AuthorizationMessagesTest, String> message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Invalid> invalidMessages() {
        return Stream.of(
                new Invalid("garbage", test -> "this-is-not-a-message"),
                new Invalid("one character changed", test -> {
                    String message = test.lockedMessage();
                    char last = message.charAt(message.length() / 2);
                    return message.substring(0, message.length() / 2) + (last == 'A' ? 'B' : 'A')
                            + message.substring(message.length() / 2 + 1);
                }),
                new Invalid("expired", test -> {
                    String message = test.lockedMessage();
                    test.fixture.clock.advance(Duration.ofHours(24).plusSeconds(1));
                    return message;
                }),
                new Invalid("issued by another deployment", test -> {
                    try (var other = new StsFixture()) {
                        AccessKeyCredentials otherAlice = other.user("alice", ALLOW_ALL_BUT_LOCKED);
                        other.role("locked", trusting(userArn("alice")));
                        return encodedMessage(catchApi(() -> other.assumeRole(other.callerOf(otherAlice),
                                AssumeRoleRequest.of(roleArn("locked"), "session"))));
                    }
                }),
                new Invalid("issued to a caller of another account", test -> {
                    AccessKeyCredentials stranger = test.fixture.user(OTHER_ACCOUNT, "stranger", List.of());
                    return encodedMessage(catchApi(() -> test.fixture.assumeRole(test.fixture.callerOf(stranger),
                            AssumeRoleRequest.of(roleArn("locked"), "session"))));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMessages")
    void decode_messageNotIssuedHereForThisAccount_isInvalidAuthorizationMessage(Invalid invalid) {
        fixture.role("locked", trusting(userArn("alice")));
        String message = invalid.message().apply(this);

        ApiException e = catchApi(() -> decode(auditor, message));

        assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_AUTHORIZATION_MESSAGE);
        assertThat(e.errorCode().code()).isEqualTo("InvalidAuthorizationMessageException");
        assertThat(e.errorCode().httpStatus()).isEqualTo(400);
        assertThat(e.getMessage()).isEqualTo(AuthorizationMessages.INVALID_MESSAGE);
    }

    @Test
    void encode_manyDenyingStatements_leavesSomeOutToFitTheLongestMessage() throws Exception {
        var statements = new StringBuilder();
        var random = new java.util.Random(5);
        for (int i = 0; i < 1000; i++) {
            statements.append(i == 0 ? "" : ",").append("{\"Sid\":\"Deny").append(i)
                    .append("\",\"Effect\":\"Deny\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\",")
                    .append("\"Condition\":{\"StringNotEquals\":{\"aws:userid\":\"")
                    .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong()))
                    .append("\"}}}");
        }
        Policy policy = Policy.parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}",
                PolicyType.IDENTITY);
        var matched = new ArrayList<MatchedStatement>();
        for (PolicyStatement statement : policy.statements()) {
            matched.add(new MatchedStatement(new PolicySource("policy0", SourcePolicyType.USER), statement.sid(),
                    statement.effect(), statement.startPosition(), statement.endPosition(), statement));
        }
        var decision = new Decision(EvalDecision.EXPLICIT_DENY, matched, Set.of(), Optional.empty(), false,
                EvalDecision.EXPLICIT_DENY, Optional.empty(), true, false);
        CallerIdentity caller = fixture.callerOf(alice);
        var messages = new AuthorizationMessages(fixture.keyRing, fixture.clock);

        String message = messages.encoder().encode(new AuthorizationMessageEncoder.Refusal(caller.accountId(),
                caller.arn(), caller.userId(), "sts:AssumeRole", roleArn("locked"), Optional.of(decision),
                RequestContext.empty(), Optional.empty(), true));
        JsonNode decoded = JSON.readTree(decode(auditor, message));

        assertThat(message.length()).isLessThanOrEqualTo(10_240);
        assertThat(decoded.get("explicitDeny").asBoolean()).isTrue();
        assertThat(decoded.at("/matchedStatements/items").size()).isBetween(1, 999);
        assertThat(decoded.at("/matchedStatements/items/0/statementId").asText()).isEqualTo("Deny0");
    }

    private String lockedMessage() {
        return encodedMessage(denial(alice, "locked"));
    }

    private ApiException denial(AccessKeyCredentials caller, String role) {
        return catchApi(() -> fixture.assumeRole(fixture.callerOf(caller), AssumeRoleRequest.of(roleArn(role),
                "session")));
    }

    private String decode(AccessKeyCredentials caller, String message) {
        return fixture.sts.decodeAuthorizationMessage(fixture.callerOf(caller), fixture.metadata(), message);
    }

    static String encodedMessage(ApiException e) {
        String text = e.getMessage();
        int at = text.indexOf(ApiException.ENCODED_MESSAGE_LABEL);
        assertThat(at).as("an encoded message in: %s", text).isPositive();
        return text.substring(at + ApiException.ENCODED_MESSAGE_LABEL.length());
    }

    static ApiException catchApi(Runnable call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    private static List<String> values(JsonNode list) {
        var values = new ArrayList<String>();
        list.get("items").forEach(item -> values.add(item.get("value").asText()));
        return values;
    }

    private static List<String> contextKeys(JsonNode context) {
        var keys = new ArrayList<String>();
        context.at("/conditions/items").forEach(item -> keys.add(item.get("key").asText()));
        return keys;
    }

    private static List<String> contextValue(JsonNode context, String key) {
        for (JsonNode item : context.at("/conditions/items")) {
            if (item.get("key").asText().equalsIgnoreCase(key)) {
                return values(item.get("values"));
            }
        }
        return List.of();
    }
}
