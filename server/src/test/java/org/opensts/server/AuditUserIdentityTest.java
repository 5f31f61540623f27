package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opensts.iam.User;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;
import org.opensts.sts.CallerIdentity;
import org.opensts.sts.RequestMetadata;
import org.opensts.sts.VerifiedFederatedCaller;
import org.opensts.token.AccessKeyIds;
import org.opensts.token.Session;
import org.opensts.token.SessionType;
import org.slf4j.LoggerFactory;

/**
 * An event's {@code userIdentity} is CloudTrail's (CloudTrail User Guide, "CloudTrail userIdentity element"): detection
 * rules key on {@code sessionContext.sessionIssuer.arn} and {@code sessionContext.attributes.mfaAuthenticated}, so
 * each kind of caller is checked member by member, and an IAM call is logged in {@code us-east-1} whatever region
 * the client signed for.
 */
class AuditUserIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "123456789012";
    /** Issued at a time with milliseconds, which CloudTrail's creationDate leaves out. */
    private static final Instant ISSUED = Instant.parse("2026-12-06T15:24:56.789Z");
    private static final String SESSION_KEY = AccessKeyIds.newTemporary(ACCOUNT, new SecureRandom());
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
    private static final User ALICE = new User(ACCOUNT, "AIDAJQABLZS4A3QDU576Q", "alice", "/team/", Instant.EPOCH,
            Optional.empty(), List.of());

    @Test
    void iamUser_hasItsUserNameAndNoSessionContext() throws Exception {
        JsonNode identity = identityOf(CallerIdentity.ofUser(ALICE, "AKIAIOSFODNN7EXAMPLE"));

        assertThat(identity).isEqualTo(JSON.readTree("""
                {"type":"IAMUser","principalId":"AIDAJQABLZS4A3QDU576Q",
                 "arn":"arn:aws:iam::123456789012:user/team/alice","accountId":"123456789012",
                 "accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"}"""));
    }

    @Test
    void roleSession_namesTheRoleAsSessionIssuer_withCreationDateToTheSecond() throws Exception {
        Session session = roleSession().sourceIdentity("alice@example.com").build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity).isEqualTo(JSON.readTree("""
                {"type":"AssumedRole","principalId":"AROAY34FZKBOKMUTVV7AB:build-4711",
                 "arn":"arn:aws:sts::123456789012:assumed-role/deploy/build-4711","accountId":"123456789012",
                 "accessKeyId":"%s",
                 "sessionContext":{
                   "sessionIssuer":{"type":"Role","principalId":"AROAY34FZKBOKMUTVV7AB",
                     "arn":"arn:aws:iam::123456789012:role/ci/deploy","accountId":"123456789012","userName":"deploy"},
                   "attributes":{"creationDate":"2026-12-06T15:24:56Z","mfaAuthenticated":"false"},
                   "sourceIdentity":"alice@example.com"}}""".formatted(SESSION_KEY)));
    }

    /** The date is written digit by digit: the first and last second a session may be issued in, each padded. */
    @Test
    void creationDate_isPaddedToTwentyCharacters_atBothEndsOfTheSessionsRange() throws Exception {
        for (var issued : Map.of("1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z",
                "2026-02-03T04:05:06.999Z", "2026-02-03T04:05:06Z",
                "9999-12-31T22:59:58.999Z", "9999-12-31T22:59:58Z").entrySet()) {
            Instant at = Instant.parse(issued.getKey());
            Session session = roleSession().issuedAt(at).expiration(at.plus(Duration.ofHours(1))).build();

            JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

            assertThat(identity.at("/sessionContext/attributes/creationDate").asText()).isEqualTo(issued.getValue());
        }
    }

    @Test
    void roleSessionIssuedAfterMfa_isMfaAuthenticated() throws Exception {
        Session session = roleSession().mfaAuthenticatedAt(ISSUED.minusSeconds(30)).build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity.at("/sessionContext/attributes/mfaAuthenticated").asText()).isEqualTo("true");
    }

    @Test
    void webIdentityRoleSession_hasWebIdFederationData() throws Exception {
        String provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.example.com";
        Session session = roleSession().federatedProvider(provider)
                .federationClaims(Map.of("token.actions.example.com:sub", List.of("repo:org/app"))).build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity.at("/sessionContext/webIdFederationData")).isEqualTo(JSON.readTree(
                "{\"federatedProvider\":\"" + provider + "\",\"attributes\":{}}"));
        assertThat(identity.toString()).doesNotContain("repo:org/app");
    }

    /** CloudTrail documents federation data for web identity sessions only. */
    @Test
    void samlRoleSession_hasNoWebIdFederationData() throws Exception {
        Session session = roleSession().federatedProvider("arn:aws:iam::123456789012:saml-provider/corp").build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity.path("sessionContext").has("webIdFederationData")).isFalse();
        assertThat(identity.at("/sessionContext/sessionIssuer/type").asText()).isEqualTo("Role");
    }

    @Test
    void federatedUser_namesTheIssuingUserAsSessionIssuer() throws Exception {
        Session session = session(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::123456789012:federated-user/bob")
                .principalId("123456789012:bob")
                .sourceArn("arn:aws:iam::123456789012:user/team/alice")
                .sourceUniqueId("AIDAJQABLZS4A3QDU576Q")
                .sessionName("bob")
                .build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity.get("type").asText()).isEqualTo("FederatedUser");
        assertThat(identity.has("userName")).isFalse();
        assertThat(identity.at("/sessionContext/sessionIssuer")).isEqualTo(JSON.readTree("""
                {"type":"IAMUser","principalId":"AIDAJQABLZS4A3QDU576Q",
                 "arn":"arn:aws:iam::123456789012:user/team/alice","accountId":"123456789012",
                 "userName":"alice"}"""));
    }

    @Test
    void federatedUserOfTheRootUser_hasRootAsSessionIssuer_withoutUserName() throws Exception {
        Session session = session(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::123456789012:federated-user/bob")
                .principalId("123456789012:bob")
                .sourceArn("arn:aws:iam::123456789012:root")
                .sourceUniqueId(ACCOUNT)
                .sessionName("bob")
                .build();

        JsonNode issuer = identityOf(CallerIdentity.ofSession(session, Optional.empty()))
                .at("/sessionContext/sessionIssuer");

        assertThat(issuer.get("type").asText()).isEqualTo("Root");
        assertThat(issuer.get("principalId").asText()).isEqualTo(ACCOUNT);
        assertThat(issuer.has("userName")).isFalse();
    }

    /** CloudTrail shows a GetSessionToken session as its user, with the session's attributes and no issuer. */
    @Test
    void getSessionTokenSessionWithMfa_isTheIamUser_mfaAuthenticated() throws Exception {
        Session session = sessionUser().mfaAuthenticatedAt(ISSUED).build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.of(ALICE)));

        assertThat(identity).isEqualTo(JSON.readTree("""
                {"type":"IAMUser","principalId":"AIDAJQABLZS4A3QDU576Q",
                 "arn":"arn:aws:iam::123456789012:user/team/alice","accountId":"123456789012",
                 "accessKeyId":"%s","userName":"alice",
                 "sessionContext":{
                   "attributes":{"creationDate":"2026-12-06T15:24:56Z","mfaAuthenticated":"true"}}}"""
                .formatted(SESSION_KEY)));
    }

    @Test
    void getSessionTokenSessionWithoutMfa_isNotMfaAuthenticated() throws Exception {
        JsonNode identity = identityOf(CallerIdentity.ofSession(sessionUser().build(), Optional.of(ALICE)));

        assertThat(identity.at("/sessionContext/attributes/mfaAuthenticated").asText()).isEqualTo("false");
    }

    @Test
    void rootUsersSession_isRoot_withoutUserName() throws Exception {
        Session session = session(SessionType.SESSION_USER)
                .principalArn("arn:aws:iam::123456789012:root")
                .principalId(ACCOUNT)
                .sourceArn("arn:aws:iam::123456789012:root")
                .build();

        JsonNode identity = identityOf(CallerIdentity.ofSession(session, Optional.empty()));

        assertThat(identity.get("type").asText()).isEqualTo("Root");
        assertThat(identity.has("userName")).isFalse();
    }

    @Test
    void gatewayEvent_hasTheSameUserIdentityAsAQueryCall() throws Exception {
        Session session = roleSession().mfaAuthenticatedAt(ISSUED).build();
        var gatewayCaller = org.opensts.verifier.VerifiedCaller.ofSession(session);
        var event = new org.opensts.gateway.S3AuditEvent("GetObject", ISSUED, "req-9", "192.0.2.1",
                Optional.empty(), "eu-west-1", gatewayCaller, Map.of("bucketName", "b"), Optional.empty(),
                Optional.empty());

        JsonNode written = recorded(() -> AuditLog.writeGatewayEvent(event, failure -> { }));

        assertThat(written.get("userIdentity"))
                .isEqualTo(identityOf(CallerIdentity.ofSession(session, Optional.empty())));
        assertThat(written.get("eventTime").asText()).isEqualTo("2026-12-06T15:24:56Z");
    }

    @Test
    void iamCall_isLoggedInUsEast1_whateverRegionTheClientSignedFor() throws Exception {
        for (String signed : List.of("eu-west-1", "mars-1")) {
            JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.IAM, "GetUser", metadata(signed),
                    Optional.of(CallerIdentity.ofUser(ALICE, "AKIAIOSFODNN7EXAMPLE")), Map.of(), Optional.empty())));

            assertThat(event.get("awsRegion").asText()).as(signed).isEqualTo("us-east-1");
        }
    }

    @Test
    void stsCall_isLoggedInTheRegionSignedFor() throws Exception {
        JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.STS, "GetCallerIdentity",
                metadata("eu-west-1"), Optional.of(CallerIdentity.ofUser(ALICE, "AKIAIOSFODNN7EXAMPLE")), Map.of(),
                Optional.empty())));

        assertThat(event.get("awsRegion").asText()).isEqualTo("eu-west-1");
    }

    @Test
    void answeredAssumeRoleWithWebIdentity_isByAWebIdentityUser() throws Exception {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("credentials", Map.of("accessKeyId", SESSION_KEY, "expiration", "2026-12-06T16:24:56Z"));
        elements.put("subjectFromWebIdentityToken", "repo:org/app:ref:refs/heads/main");
        elements.put("provider", "token.actions.example.com");
        elements.put("audience", "sts.amazonaws.com");

        JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.STS, "AssumeRoleWithWebIdentity",
                metadata("us-east-1"), Optional.empty(), elements, Optional.empty())));

        assertThat(event.get("userIdentity")).isEqualTo(JSON.readTree("""
                {"type":"WebIdentityUser",
                 "principalId":"token.actions.example.com:sts.amazonaws.com:repo:org/app:ref:refs/heads/main",
                 "userName":"repo:org/app:ref:refs/heads/main","identityProvider":"token.actions.example.com"}"""));
    }

    @Test
    void answeredAssumeRoleWithSaml_isByASamlUser() throws Exception {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("subject", "alice@example.com");
        elements.put("issuer", "https://idp.example.com/saml");
        elements.put("nameQualifier", "hS6Wb8VwCkUEXAMPLEqNBlS8nQA=");

        JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.STS, "AssumeRoleWithSAML",
                metadata("us-east-1"), Optional.empty(), elements, Optional.empty())));

        assertThat(event.get("userIdentity")).isEqualTo(JSON.readTree("""
                {"type":"SAMLUser","principalId":"hS6Wb8VwCkUEXAMPLEqNBlS8nQA=:alice@example.com",
                 "userName":"alice@example.com","identityProvider":"hS6Wb8VwCkUEXAMPLEqNBlS8nQA="}"""));
    }

    /**
     * Refused after its token checked out (here by the role's trust policy): the same federated user as the answered
     * call's, as CloudTrail logs what the identity provider gave.
     */
    @Test
    void assumeRoleWithWebIdentityRefusedAfterTheTokenCheckedOut_isByTheSameWebIdentityUser() throws Exception {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("subjectFromWebIdentityToken", "repo:org/app:ref:refs/heads/main");
        elements.put("provider", "token.actions.example.com");
        elements.put("audience", "sts.amazonaws.com");
        JsonNode answered = recorded(() -> AuditLog.write(call(ApiVersion.STS, "AssumeRoleWithWebIdentity",
                metadata("us-east-1"), Optional.empty(), elements, Optional.empty())));

        JsonNode refused = recorded(() -> AuditLog.write(new AuditLog.Call(ApiVersion.STS,
                "AssumeRoleWithWebIdentity", metadata("us-east-1"), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), Optional.of(new ApiException(ErrorCode.ACCESS_DENIED,
                        "Not authorized to perform sts:AssumeRoleWithWebIdentity")),
                Optional.of(new VerifiedFederatedCaller.WebIdentity("token.actions.example.com", "sts.amazonaws.com",
                        "repo:org/app:ref:refs/heads/main")))));

        assertThat(refused.get("userIdentity")).isEqualTo(answered.get("userIdentity"));
        assertThat(refused.get("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(refused.has("responseElements")).isFalse();
    }

    @Test
    void assumeRoleWithSamlRefusedAfterTheAssertionCheckedOut_isByTheSameSamlUser() throws Exception {
        var elements = new LinkedHashMap<String, Object>();
        elements.put("subject", "alice@example.com");
        elements.put("nameQualifier", "hS6Wb8VwCkUEXAMPLEqNBlS8nQA=");
        JsonNode answered = recorded(() -> AuditLog.write(call(ApiVersion.STS, "AssumeRoleWithSAML",
                metadata("us-east-1"), Optional.empty(), elements, Optional.empty())));

        JsonNode refused = recorded(() -> AuditLog.write(new AuditLog.Call(ApiVersion.STS, "AssumeRoleWithSAML",
                metadata("us-east-1"), Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                Optional.of(new ApiException(ErrorCode.PACKED_POLICY_TOO_LARGE, "Packed policy too large")),
                Optional.of(new VerifiedFederatedCaller.Saml("hS6Wb8VwCkUEXAMPLEqNBlS8nQA=", "alice@example.com")))));

        assertThat(refused.get("userIdentity")).isEqualTo(answered.get("userIdentity"));
    }

    /**
     * Refused before its token checked out: no one is named. The dispatcher passes no verified caller then, and the
     * error alone makes no identity.
     */
    @Test
    void refusedAssumeRoleWithWebIdentity_hasNoUserIdentity() throws Exception {
        JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.STS, "AssumeRoleWithWebIdentity",
                metadata("us-east-1"), Optional.empty(), Map.of(),
                Optional.of(new ApiException(ErrorCode.INVALID_IDENTITY_TOKEN, "Token is expired")))));

        assertThat(event.has("userIdentity")).isFalse();
    }

    /** The session token and secret are never an event's: only the key id the caller signed with. */
    @Test
    void sessionCallersEvent_holdsNoSessionToken() throws Exception {
        Session session = roleSession().build();

        JsonNode event = recorded(() -> AuditLog.write(call(ApiVersion.STS, "GetCallerIdentity",
                metadata("us-east-1"), Optional.of(CallerIdentity.ofSession(session, Optional.empty())), Map.of(),
                Optional.empty())));

        assertThat(event.toString()).doesNotContain(SESSION_TOKEN).contains(SESSION_KEY);
    }

    private static Session.Builder roleSession() {
        return session(SessionType.ASSUMED_ROLE)
                .principalArn("arn:aws:sts::123456789012:assumed-role/deploy/build-4711")
                .principalId("AROAY34FZKBOKMUTVV7AB:build-4711")
                .sourceArn("arn:aws:iam::123456789012:role/ci/deploy")
                .sessionName("build-4711");
    }

    private static Session.Builder sessionUser() {
        return session(SessionType.SESSION_USER)
                .principalArn("arn:aws:iam::123456789012:user/team/alice")
                .principalId("AIDAJQABLZS4A3QDU576Q")
                .sourceArn("arn:aws:iam::123456789012:user/team/alice");
    }

    private static Session.Builder session(SessionType type) {
        return Session.builder()
                .accessKeyId(SESSION_KEY)
                .accountId(ACCOUNT)
                .type(type)
                .issuedAt(ISSUED)
                .expiration(ISSUED.plus(Duration.ofHours(1)));
    }

    private static RequestMetadata metadata(String region) {
        return new RequestMetadata("req-1", ISSUED, "192.0.2.1", false, Optional.empty(), region);
    }

    private static AuditLog.Call call(ApiVersion api, String action, RequestMetadata metadata,
            Optional<CallerIdentity> caller, Map<String, Object> elements, Optional<ApiException> error) {
        return new AuditLog.Call(api, action, metadata, caller, Optional.empty(), Optional.empty(), elements, error);
    }

    private static JsonNode identityOf(CallerIdentity caller) throws Exception {
        return recorded(() -> AuditLog.write(call(ApiVersion.STS, "GetCallerIdentity", metadata("us-east-1"),
                Optional.of(caller), Map.of(), Optional.empty()))).get("userIdentity");
    }

    /** The one event {@code writes} records. */
    private static JsonNode recorded(Runnable writes) throws Exception {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        try {
            writes.run();
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }
        assertThat(events.list).hasSize(1);
        return JSON.readTree(events.list.get(0).getFormattedMessage());
    }
}
