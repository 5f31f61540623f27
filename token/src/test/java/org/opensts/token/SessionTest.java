package org.opensts.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SessionTest {
    private static final String ACCOUNT = TestSessions.ACCOUNT;
    private static final String ACCESS_KEY_ID = AccessKeyIds.newTemporary(ACCOUNT, new SeededRandom(1));
    private static final Instant ISSUED_AT = TestSessions.ISSUED_AT;

    private static Session.Builder roleSession() {
        return TestSessions.typicalRoleSessionDraft().accessKeyId(ACCESS_KEY_ID);
    }

    private static Session.Builder federatedUser() {
        return Session.builder()
                .accessKeyId(ACCESS_KEY_ID)
                .accountId(ACCOUNT)
                .type(SessionType.FEDERATED_USER)
                .principalArn("arn:aws:sts::" + ACCOUNT + ":federated-user/Bob")
                .principalId(ACCOUNT + ":Bob")
                .sourceArn("arn:aws:iam::" + ACCOUNT + ":user/ops/alice")
                .sourceUniqueId("AIDACKCEVSQ6C2EXAMPLE")
                .sessionName("Bob")
                .issuedAt(ISSUED_AT)
                .expiration(ISSUED_AT.plus(Duration.ofHours(12)))
                .sessionPolicies(List.of(TestSessions.POLICY))
                .tags(TestSessions.TAGS);
    }

    private static Session.Builder rootSessionUser() {
        String root = "arn:aws:iam::" + ACCOUNT + ":root";
        return Session.builder()
                .accessKeyId(ACCESS_KEY_ID)
                .accountId(ACCOUNT)
                .type(SessionType.SESSION_USER)
                .principalArn(root)
                .principalId(ACCOUNT)
                .sourceArn(root)
                .issuedAt(ISSUED_AT)
                .expiration(ISSUED_AT.plus(Duration.ofHours(1)))
                .mfaAuthenticatedAt(ISSUED_AT);
    }

    private static Session.Builder iamSessionUser() {
        String user = "arn:aws:iam::" + ACCOUNT + ":user/alice";
        return rootSessionUser().principalArn(user).sourceArn(user).principalId("AIDACKCEVSQ6C2EXAMPLE");
    }

    // Tables

    record Case(String name, Session.Builder builder) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> validSessions() {
        return Stream.of(
                new Case("a role session with a policy and tags", roleSession()),
                new Case("a role session behind a role with a path", roleSession()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/teams/platform/deploy-role")),
                new Case("a chained role session with transitive tags and a source identity", roleSession()
                        .transitiveTagKeys(List.of("project")).roleChainDepth(2).sourceIdentity("alice@example.com")),
                new Case("a web-identity role session with its claims", roleSession()
                        .federatedProvider("token.actions.githubusercontent.com")
                        .federationClaims(Map.of("token.actions.githubusercontent.com:sub",
                                List.of("repo:org/repo:ref:refs/heads/main")))),
                new Case("a role session in another partition", roleSession()
                        .principalArn("arn:aws-cn:sts::" + ACCOUNT + ":assumed-role/deploy-role/ci-build-4711")
                        .sourceArn("arn:aws-cn:iam::" + ACCOUNT + ":role/deploy-role")),
                new Case("a federated user of an IAM user", federatedUser()),
                new Case("a federated user of the root user", federatedUser()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":root").sourceUniqueId(ACCOUNT)),
                new Case("a federated user sealed before tokens carried its issuer's id", federatedUser()
                        .sourceUniqueId(null)),
                new Case("a role session that names its role's id", roleSession()
                        .sourceUniqueId("AROAY34FZKBOKMUTVV7AB")),
                new Case("a root GetSessionToken session with MFA", rootSessionUser()),
                new Case("an IAM user GetSessionToken session", iamSessionUser()));
    }

    @ParameterizedTest(name = "{0} is valid")
    @MethodSource("validSessions")
    void build_validSession_isAccepted(Case c) {
        var session = c.builder().build();

        assertThat(session.toBuilder().build()).isEqualTo(session);
    }

    static Stream<Case> invalidSessions() {
        return Stream.of(
                rejected("an account id of 11 digits", roleSession().accountId("12345678901")),
                rejected("a long-term access key id", roleSession()
                        .accessKeyId(AccessKeyIds.newLongTerm(ACCOUNT, new SeededRandom(1)))),
                rejected("an access key id of another account", roleSession()
                        .accessKeyId(AccessKeyIds.newTemporary("210987654321", new SeededRandom(1)))),
                rejected("the documentation's example id, which embeds no account", roleSession()
                        .accessKeyId("ASIAIOSFODNN7EXAMPLE")),
                rejected("a role session without a session name", roleSession().sessionName(null)),
                rejected("a role session name of one character", roleSession().sessionName("a")
                        .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy-role/a")
                        .principalId("AROAY34FZKBOKMUTVV7AB:a")),
                rejected("a role session name with a space", roleSession().sessionName("ci build")),
                rejected("a principal ARN naming another session", roleSession()
                        .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/deploy-role/other")),
                rejected("a principal ARN without a role name", roleSession()
                        .principalArn("arn:aws:sts::" + ACCOUNT + ":assumed-role/ci-build-4711")),
                rejected("a principal ARN in another account", roleSession()
                        .principalArn("arn:aws:sts::210987654321:assumed-role/deploy-role/ci-build-4711")),
                rejected("an IAM principal ARN for a role session", roleSession()
                        .principalArn("arn:aws:iam::" + ACCOUNT + ":assumed-role/deploy-role/ci-build-4711")),
                rejected("a source ARN naming another role", roleSession()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/other-role")),
                rejected("a source ARN in another partition", roleSession()
                        .sourceArn("arn:aws-cn:iam::" + ACCOUNT + ":role/deploy-role")),
                rejected("a source ARN that is not an ARN", roleSession().sourceArn("deploy-role")),
                rejected("a principal id without the session name", roleSession().principalId("AROAY34FZKBOKMUTVV7AB")),
                rejected("a principal id that is only the session name", roleSession().principalId(":ci-build-4711")),
                rejected("a source identity starting with aws:", roleSession().sourceIdentity("aws:admin")),
                rejected("a source identity of 65 characters", roleSession().sourceIdentity("a".repeat(65))),
                rejected("an expiration equal to the issue time", roleSession().expiration(ISSUED_AT)),
                rejected("an expiration before the issue time", roleSession().expiration(ISSUED_AT.minusSeconds(1))),
                rejected("an issue time before 1970", roleSession().issuedAt(Instant.parse("1969-12-31T23:59:59Z"))),
                rejected("an expiration after 9999", roleSession().expiration(Instant.parse("+10000-01-01T00:00:00Z"))),
                rejected("MFA after the issue time", roleSession().mfaAuthenticatedAt(ISSUED_AT.plusSeconds(1))),
                rejected("two tag keys differing only in case", roleSession()
                        .tags(List.of(new SessionTag("Dept", "a"), new SessionTag("dept", "b")))),
                rejected("a transitive key naming no tag", roleSession().transitiveTagKeys(List.of("Owner"))),
                rejected("transitive keys differing only in case", roleSession()
                        .transitiveTagKeys(List.of("Project", "PROJECT"))),
                rejected("an empty session policy", roleSession().sessionPolicies(List.of(""))),
                rejected("a policy with an unpaired surrogate", roleSession()
                        .sessionPolicies(List.of("{\"a\":\"\uD800\"}"))),
                rejected("a negative chain depth", roleSession().roleChainDepth(-1)),
                rejected("an empty federated provider", roleSession().federatedProvider("")),
                rejected("a federated user named differently from its ARN", federatedUser().sessionName("Carol")),
                rejected("a federated user name of 33 characters", federatedUser().sessionName("b".repeat(33))),
                rejected("a federated user behind a role", federatedUser()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")),
                rejected("a federated user with transitive tags", federatedUser()
                        .transitiveTagKeys(List.of("Project"))),
                rejected("a federated user with a chain depth", federatedUser().roleChainDepth(1)),
                rejected("a federated user whose issuer's id is no unique id", federatedUser()
                        .sourceUniqueId("alice")),
                rejected("a federated user of the root user whose issuer's id is not the account", federatedUser()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":root")),
                rejected("a role session naming another role's id", roleSession()
                        .sourceUniqueId("AROAOTHERROLEEXAMPLE1")),
                rejected("a GetSessionToken session naming another user's id", iamSessionUser()
                        .sourceUniqueId("AIDAOTHERUSEREXAMPLE1")),
                rejected("a federated user with federation claims", federatedUser()
                        .federationClaims(Map.of("saml:sub", List.of("x")))),
                rejected("a GetSessionToken session with a session name", iamSessionUser().sessionName("abc")),
                rejected("a GetSessionToken session with tags", iamSessionUser().tags(TestSessions.TAGS)),
                rejected("a GetSessionToken session with a session policy", iamSessionUser()
                        .sessionPolicies(List.of(TestSessions.POLICY))),
                rejected("a GetSessionToken session with a federated provider", iamSessionUser()
                        .federatedProvider("accounts.google.com")),
                rejected("a GetSessionToken session whose source is another user", iamSessionUser()
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":user/bob")),
                rejected("a root session whose id is not the account id", rootSessionUser()
                        .principalId("AIDACKCEVSQ6C2EXAMPLE")),
                rejected("a GetSessionToken session of a role", iamSessionUser()
                        .principalArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")
                        .sourceArn("arn:aws:iam::" + ACCOUNT + ":role/deploy-role")));
    }

    private static Case rejected(String name, Session.Builder builder) {
        return new Case(name, builder);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("invalidSessions")
    void build_invalidSession_isRejected(Case c) {
        assertThatThrownBy(() -> c.builder().build()).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Case> incompleteSessions() {
        return Stream.<UnaryOperator<Session.Builder>>of(
                b -> b.accessKeyId(null), b -> b.accountId(null), b -> b.type(null), b -> b.principalArn(null),
                b -> b.principalId(null), b -> b.sourceArn(null), b -> b.issuedAt(null), b -> b.expiration(null))
                .map(change -> new Case("a missing required component", change.apply(roleSession())));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @MethodSource("incompleteSessions")
    void build_missingRequiredComponent_isRejected(Case c) {
        assertThatThrownBy(() -> c.builder().build())
                .isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class);
    }

    // Expiry

    @Test
    void isExpiredAt_justBeforeExpiration_isFalse() {
        var session = roleSession().build();

        assertThat(session.isExpiredAt(session.expiration().minusMillis(1))).isFalse();
        assertThat(session.isExpiredAt(session.issuedAt())).isFalse();
    }

    @Test
    void isExpiredAt_theExpirationInstant_isTrue() {
        var session = roleSession().build();

        assertThat(session.isExpiredAt(session.expiration())).isTrue();
    }

    @Test
    void isExpiredAt_afterExpiration_isTrue() {
        var session = roleSession().build();

        assertThat(session.isExpiredAt(session.expiration().plusNanos(1))).isTrue();
        assertThat(session.isExpiredAt(session.expiration().plus(Duration.ofDays(365)))).isTrue();
    }

    // Values

    @Test
    void build_instantsFinerThanMilliseconds_areTruncatedToTheTokenPrecision() {
        var session = roleSession()
                .issuedAt(ISSUED_AT.plusNanos(999_999))
                .expiration(ISSUED_AT.plusSeconds(900).plusNanos(1))
                .mfaAuthenticatedAt(ISSUED_AT.plusNanos(5))
                .build();

        assertThat(session.issuedAt()).isEqualTo(ISSUED_AT);
        assertThat(session.expiration()).isEqualTo(ISSUED_AT.plusSeconds(900));
        assertThat(session.mfaAuthenticatedAt()).contains(ISSUED_AT);
    }

    @Test
    void build_collections_keepTheCallersOrderAndCannotBeChanged() {
        var tags = new ArrayList<>(List.of(new SessionTag("Zeta", "1"), new SessionTag("Alpha", "2"),
                new SessionTag("Mid", "3")));
        var claims = new LinkedHashMap<String, List<String>>();
        claims.put("saml:sub_type", List.of("persistent"));
        claims.put("saml:namequalifier", List.of("1uAJanUnBc2XeUkHURMht+xam2c="));
        claims.put("saml:sub", List.of("alice"));
        var session = roleSession().tags(tags).transitiveTagKeys(List.of("Mid", "Zeta")).federationClaims(claims)
                .build();
        tags.clear();

        assertThat(session.tags()).extracting(SessionTag::key).containsExactly("Zeta", "Alpha", "Mid");
        assertThat(session.transitiveTagKeys()).containsExactly("Mid", "Zeta");
        assertThat(session.federationClaims().keySet())
                .containsExactly("saml:sub_type", "saml:namequalifier", "saml:sub");
        assertThatThrownBy(() -> session.tags().add(new SessionTag("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> session.transitiveTagKeys().add("Alpha"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> session.federationClaims().put("x", List.of()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Property
    void aSessionRebuiltFromItsBuilderIsEqual(@ForAll("sessions") Session session) {
        assertThat(session.toBuilder().build()).isEqualTo(session).hasSameHashCodeAs(session);
    }

    @Provide
    Arbitrary<Session> sessions() {
        return TestSessions.sessions();
    }
}
