package org.opensts.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.federation.testing.TestSamlIdp;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithSamlResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Federation driven by the AWS SDK for Java v2 on loopback: a node started with the test OIDC issuer's CA as its
 * trusted CA file, an OIDC provider and a SAML provider registered through the IAM API, and the two unsigned calls made
 * by an {@link StsClient} with anonymous credentials and by the SDK's web identity credentials provider.
 */
class FederationEndToEndTest {
    private static final String ACCOUNT = TestNodes.ACCOUNT;
    private static final TestSamlIdp IDP = TestSamlIdp.create("https://idp.example.com/saml");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestOidcIssuer issuer;

    @TempDir
    Path dir;

    private OpenStsNode node;
    private IamClient iam;
    private String oidcProviderArn;
    private String samlProviderArn;

    @BeforeAll
    static void startIssuer() {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/ci").start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void startNode() throws IOException, InterruptedException {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dir.resolve("node"), new InetSocketAddress("127.0.0.1", 0),
                ACCOUNT).withTrustedCaFile(issuer.caPemFile()));
        iam = SdkClients.iam(node, SdkClients.credentials(node.initialAdmin().orElseThrow()));
        oidcProviderArn = iam.createOpenIDConnectProvider(r -> r.url(issuer.url())
                .clientIDList(TestOidcIssuer.DEFAULT_AUDIENCE).thumbprintList(issuer.caThumbprint()))
                .openIDConnectProviderArn();
        samlProviderArn = iam.createSAMLProvider(r -> r.name("corp").samlMetadataDocument(IDP.metadataXml()))
                .samlProviderArn();
        iam.createRole(r -> r.roleName("ci").assumeRolePolicyDocument(trusting(oidcProviderArn,
                "sts:AssumeRoleWithWebIdentity", "\"StringEquals\":{\"" + issuer.hostPortPath() + ":sub\":\""
                        + TestOidcIssuer.DEFAULT_SUBJECT + "\"}")));
        iam.createRole(r -> r.roleName("dev").assumeRolePolicyDocument(trusting(samlProviderArn,
                "sts:AssumeRoleWithSAML", "\"StringEquals\":{\"saml:aud\":\"" + TestSamlIdp.AWS_RECIPIENT + "\"}")));
    }

    @AfterEach
    void stopNode() {
        iam.close();
        node.close();
    }

    private static String trusting(String providerArn, String action, String condition) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                + providerArn + "\"},\"Action\":\"" + action + "\",\"Condition\":{" + condition + "}}]}";
    }

    private static String roleArn(String name) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + name;
    }

    /** The SDK's STS client with no credentials: it sends the two federation calls unsigned. */
    private StsClient anonymousSts() {
        return StsClient.builder()
                .endpointOverride(SdkClients.endpoint(node))
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static AwsCredentials session(Credentials credentials) {
        return AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                credentials.sessionToken());
    }

    private static String callerArn(OpenStsNode node, AwsCredentials credentials) {
        try (StsClient sts = SdkClients.sts(node, credentials)) {
            return sts.getCallerIdentity().arn();
        }
    }

    private String samlAssertion() {
        return IDP.response(Instant.now()).role(roleArn("dev"), samlProviderArn).roleSessionName("ross")
                .nameId("ross@example.com").nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT).base64();
    }

    @Test
    void assumeRoleWithWebIdentity_unsignedSdkCall_returnsAwsFieldsAndCredentialsThatSign() {
        String token = issuer.mint(issuer.claims(Instant.now()).build());

        AssumeRoleWithWebIdentityResponse response;
        try (StsClient sts = anonymousSts()) {
            response = sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run")
                    .webIdentityToken(token).durationSeconds(900));
        }

        assertThat(response.subjectFromWebIdentityToken()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        assertThat(response.provider()).isEqualTo(oidcProviderArn)
                .isEqualTo("arn:aws:iam::" + ACCOUNT + ":oidc-provider/" + issuer.hostPortPath());
        assertThat(response.audience()).isEqualTo(TestOidcIssuer.DEFAULT_AUDIENCE);
        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/ci/ci-run");
        assertThat(response.packedPolicySize()).isNull();
        assertThat(response.credentials().expiration()).isAfter(Instant.now().plusSeconds(800))
                .isBefore(Instant.now().plusSeconds(901));
        assertThat(callerArn(node, session(response.credentials()))).isEqualTo(response.assumedRoleUser().arn());
    }

    @Test
    void sdkWebIdentityTokenFileProvider_readsTheTokenFile_andItsCredentialsSign() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), issuer.mint(issuer.claims(Instant.now()).build()),
                UTF_8);

        try (StsClient sts = anonymousSts();
                var provider = StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts)
                        .roleArn(roleArn("ci")).roleSessionName("from-file").webIdentityTokenFile(tokenFile)
                        .build()) {
            AwsCredentials credentials = provider.resolveCredentials();

            assertThat(credentials).isInstanceOf(AwsSessionCredentials.class);
            assertThat(callerArn(node, credentials))
                    .isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/ci/from-file");
        }
    }

    @Test
    void assumeRoleWithWebIdentity_tokenOfAnUnregisteredIssuer_isInvalidIdentityTokenOnTheWire() {
        try (TestOidcIssuer stranger = TestOidcIssuer.builder().pathPrefix("/other").start();
                StsClient sts = anonymousSts()) {
            String token = stranger.mint(stranger.claims(Instant.now()).build());

            var e = catchThrowableOfType(InvalidIdentityTokenException.class, () -> sts.assumeRoleWithWebIdentity(
                    r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run").webIdentityToken(token)));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidIdentityToken");
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("No OpenIDConnect provider found in your account for " + stranger.url());
        }
    }

    @Test
    void assumeRoleWithWebIdentity_trustConditionOnSubNotMet_isAccessDeniedOnTheWire() {
        String token = issuer.mint(issuer.claims(Instant.now()).subject("someone-else").build());
        try (StsClient sts = anonymousSts()) {
            var e = catchThrowableOfType(StsException.class, () -> sts.assumeRoleWithWebIdentity(
                    r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run").webIdentityToken(token)));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            assertThat(e.awsErrorDetails().errorMessage())
                    .isEqualTo("Not authorized to perform sts:AssumeRoleWithWebIdentity");
        }
    }

    @Test
    void assumeRoleWithSaml_unsignedSdkCall_returnsAwsFieldsAndCredentialsThatSign() {
        AssumeRoleWithSamlResponse response;
        try (StsClient sts = anonymousSts()) {
            response = sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev")).principalArn(samlProviderArn)
                    .samlAssertion(samlAssertion()));
        }

        assertThat(response.subject()).isEqualTo("ross@example.com");
        assertThat(response.subjectType()).isEqualTo("persistent");
        assertThat(response.issuer()).isEqualTo(IDP.entityId());
        assertThat(response.audience()).isEqualTo(TestSamlIdp.AWS_RECIPIENT);
        assertThat(response.nameQualifier()).isNotBlank();
        assertThat(response.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::" + ACCOUNT + ":assumed-role/dev/ross");
        assertThat(callerArn(node, session(response.credentials()))).isEqualTo(response.assumedRoleUser().arn());
    }

    @Test
    void assumeRoleWithSaml_assertionRedeemedTwice_isRefusedTheSecondTime() {
        String assertion = samlAssertion();
        try (StsClient sts = anonymousSts()) {
            sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev")).principalArn(samlProviderArn)
                    .samlAssertion(assertion));

            var e = catchThrowableOfType(InvalidIdentityTokenException.class, () -> sts.assumeRoleWithSAML(
                    r -> r.roleArn(roleArn("dev")).principalArn(samlProviderArn).samlAssertion(assertion)));

            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorMessage()).contains("already been used");
        }
    }

    @Test
    void auditEvents_ofBothCalls_holdNoTokenAssertionSecretOrSessionToken() {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        String token = issuer.mint(issuer.claims(Instant.now()).build());
        String assertion = samlAssertion();
        Credentials web;
        Credentials saml;
        try (StsClient sts = anonymousSts()) {
            web = sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run")
                    .webIdentityToken(token)).credentials();
            saml = sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev")).principalArn(samlProviderArn)
                    .samlAssertion(assertion)).credentials();
            catchThrowableOfType(StsException.class, () -> sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev"))
                    .principalArn(samlProviderArn).samlAssertion(assertion)));
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }

        List<String> lines = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        String log = String.join("\n", lines);
        assertThat(lines).hasSize(3);
        assertThat(log).contains("\"eventName\":\"AssumeRoleWithWebIdentity\"", "\"eventName\":\"AssumeRoleWithSAML\"",
                "\"roleSessionName\":\"ci-run\"", "\"principalArn\":\"" + samlProviderArn + "\"",
                web.accessKeyId(), saml.accessKeyId(), "\"subjectFromWebIdentityToken\"", "\"nameQualifier\"",
                "\"errorCode\":\"InvalidIdentityToken\"")
                .doesNotContain(token).doesNotContain(token.substring(0, token.indexOf('.')))
                .doesNotContain(assertion.substring(0, 64))
                .doesNotContain(web.secretAccessKey()).doesNotContain(web.sessionToken())
                .doesNotContain(saml.secretAccessKey()).doesNotContain(saml.sessionToken())
                .doesNotContainIgnoringCase("\"webIdentityToken\"").doesNotContainIgnoringCase("\"samlAssertion\"");
        // As CloudTrail records the two calls: by the federated user the token or assertion named; the refused
        // replay too, as its assertion's signature, issuer, audience and time window checked out before the replay
        // was found.
        assertThat(lines.get(0)).contains("\"userIdentity\":{\"type\":\"WebIdentityUser\"");
        assertThat(lines.get(1)).contains("\"userIdentity\":{\"type\":\"SAMLUser\"");
        assertThat(lines.get(2)).contains("\"userIdentity\":{\"type\":\"SAMLUser\"",
                "\"errorCode\":\"InvalidIdentityToken\"");
    }

    @Test
    void assumeRoleWithWebIdentity_refusedByTheTrustPolicyAfterTheTokenCheckedOut_isAuditedAsItsWebIdentityUser() {
        String token = issuer.mint(issuer.claims(Instant.now()).subject("someone-else").build());

        List<JsonNode> events = audited(sts -> sts.assumeRoleWithWebIdentity(
                r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run").webIdentityToken(token)));

        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(events.get(0).get("userIdentity")).isEqualTo(webIdentityUser("someone-else"));
    }

    /** A check after the token's (here the role's maximum session duration) refuses the call as the same user. */
    @Test
    void assumeRoleWithWebIdentity_durationAboveTheRolesMaximum_isAuditedAsItsWebIdentityUser() {
        String token = issuer.mint(issuer.claims(Instant.now()).build());

        List<JsonNode> events = audited(sts -> sts.assumeRoleWithWebIdentity(r -> r.roleArn(roleArn("ci"))
                .roleSessionName("ci-run").webIdentityToken(token).durationSeconds(7_200)));

        assertThat(events.get(0).get("errorCode").asText()).isEqualTo("ValidationError");
        assertThat(events.get(0).get("userIdentity")).isEqualTo(webIdentityUser(TestOidcIssuer.DEFAULT_SUBJECT));
    }

    /** The answered call's userIdentity, which a refused call's must equal. */
    @Test
    void assumeRoleWithWebIdentity_answered_isAuditedAsItsWebIdentityUser() {
        String token = issuer.mint(issuer.claims(Instant.now()).build());

        List<JsonNode> events = audited(sts -> sts.assumeRoleWithWebIdentity(
                r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run").webIdentityToken(token)));

        assertThat(events.get(0).has("errorCode")).isFalse();
        assertThat(events.get(0).get("userIdentity")).isEqualTo(webIdentityUser(TestOidcIssuer.DEFAULT_SUBJECT));
    }

    /**
     * Tokens that do not check out — signed by a key the issuer never published, expired, of an issuer the account
     * has no provider for — are the caller's words: whatever subject they claim is never written to the event.
     */
    @Test
    void assumeRoleWithWebIdentity_unverifiedTokens_neverPutTheirClaimsInTheEvent() throws Exception {
        String claimed = "mallory-claims-to-be-the-deployer";
        JWK rogue = issuer.generateRsaKey("rogue", JWSAlgorithm.RS256, 2048);
        // Under the kid of the issuer's published key, so that only the signature gives it away.
        String forged = TestOidcIssuer.mint(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(TestOidcIssuer.DEFAULT_KID).build(), issuer.claims(Instant.now()).subject(claimed).build(),
                rogue);
        String expired = issuer.mint(issuer.claims(Instant.now().minusSeconds(7_200)).subject(claimed).build());
        List<JsonNode> events;
        try (TestOidcIssuer stranger = TestOidcIssuer.builder().pathPrefix("/other").start()) {
            String unknownIssuer = stranger.mint(stranger.claims(Instant.now()).subject(claimed).build());
            events = audited(sts -> {
                for (String token : List.of(forged, expired, unknownIssuer)) {
                    catchThrowableOfType(StsException.class, () -> sts.assumeRoleWithWebIdentity(
                            r -> r.roleArn(roleArn("ci")).roleSessionName("ci-run").webIdentityToken(token)));
                }
            });
        }

        assertThat(events).hasSize(3);
        for (JsonNode event : events) {
            assertThat(event.get("errorCode").asText()).isIn("InvalidIdentityToken", "ExpiredTokenException");
            assertThat(event.has("userIdentity")).as(event.toString()).isFalse();
            assertThat(event.toString()).doesNotContain(claimed);
        }
    }

    @Test
    void assumeRoleWithSaml_refusedByTheTrustPolicyAfterTheAssertionCheckedOut_isAuditedAsItsSamlUser() {
        String answeredQualifier;
        try (StsClient sts = anonymousSts()) {
            answeredQualifier = sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev")).principalArn(samlProviderArn)
                    .samlAssertion(samlAssertion())).nameQualifier();
        }
        // Role "ci" trusts the OIDC provider only: the assertion names it, and checks out, but the role refuses it.
        String assertion = IDP.response(Instant.now()).role(roleArn("ci"), samlProviderArn).roleSessionName("ross")
                .nameId("ross@example.com").nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT).base64();

        List<JsonNode> events = audited(sts -> sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("ci"))
                .principalArn(samlProviderArn).samlAssertion(assertion)));

        assertThat(events.get(0).get("errorCode").asText()).isEqualTo("AccessDenied");
        assertThat(events.get(0).get("userIdentity")).isEqualTo(JSON.createObjectNode()
                .put("type", "SAMLUser")
                .put("principalId", answeredQualifier + ":ross@example.com")
                .put("userName", "ross@example.com")
                .put("identityProvider", answeredQualifier));
    }

    /** An assertion signed by a key the provider's metadata does not hold names no one, whatever it claims. */
    @Test
    void assumeRoleWithSaml_assertionOfAnImpostorIdp_neverPutsItsClaimsInTheEvent() {
        TestSamlIdp impostor = TestSamlIdp.create(IDP.entityId());
        String assertion = impostor.response(Instant.now()).role(roleArn("dev"), samlProviderArn)
                .roleSessionName("mallory").nameId("mallory-claims-to-be-ross@example.com")
                .nameIdFormat(TestSamlIdp.PERSISTENT_FORMAT).base64();

        List<JsonNode> events = audited(sts -> sts.assumeRoleWithSAML(r -> r.roleArn(roleArn("dev"))
                .principalArn(samlProviderArn).samlAssertion(assertion)));

        assertThat(events).hasSize(1);
        assertThat(events.get(0).has("errorCode")).isTrue();
        assertThat(events.get(0).has("userIdentity")).isFalse();
        assertThat(events.get(0).toString()).doesNotContain("mallory-claims-to-be-ross");
    }

    private JsonNode webIdentityUser(String subject) {
        return JSON.createObjectNode()
                .put("type", "WebIdentityUser")
                .put("principalId", oidcProviderArn + ":" + TestOidcIssuer.DEFAULT_AUDIENCE + ":" + subject)
                .put("userName", subject)
                .put("identityProvider", oidcProviderArn);
    }

    /** The audit events of the calls {@code calls} makes with the anonymous client; a refusal it throws is kept. */
    private List<JsonNode> audited(Consumer<StsClient> calls) {
        Logger audit = (Logger) LoggerFactory.getLogger("opensts.audit");
        Level level = audit.getLevel();
        var events = new ListAppender<ILoggingEvent>();
        events.start();
        audit.addAppender(events);
        audit.setLevel(Level.INFO);
        try (StsClient sts = anonymousSts()) {
            catchThrowableOfType(StsException.class, () -> calls.accept(sts));
        } finally {
            audit.setLevel(level);
            audit.detachAppender(events);
        }
        var parsed = new ArrayList<JsonNode>();
        for (ILoggingEvent event : events.list) {
            try {
                parsed.add(JSON.readTree(event.getFormattedMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return parsed;
    }
}
