package org.opensts.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.federation.testing.TestOidcIssuer;
import org.opensts.protocol.testing.MutableClock;
import org.opensts.sigv4.SigningCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The wire client against a real node on loopback: every operation, AWS errors, and transport failures. */
class StsWireClientTest {
    private static TestOidcIssuer issuer;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private LoopbackNode node;

    @BeforeAll
    static void startIssuer() {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/ci").start();
    }

    @AfterAll
    static void stopIssuer() {
        issuer.close();
    }

    @BeforeEach
    void start() throws Exception {
        node = LoopbackNode.start(dir, clock, Optional.of(issuer.caPemFile()));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private StsWireClient admin() {
        return StsWireClient.builder(node.endpoint()).credentials(node.adminSigning()).clock(clock).build();
    }

    private StsWireClient as(StsCredentials credentials) {
        return StsWireClient.builder(node.endpoint())
                .credentials(SigningCredentials.of(credentials.accessKeyId(),
                        credentials.secretAccessKey().getBytes(UTF_8), credentials.sessionToken()))
                .clock(clock)
                .build();
    }

    @Test
    void assumeRole_roleTrustingTheCaller_returnsCredentialsThatSignAsTheSession() {
        AssumeRoleResult result = admin().assumeRole(AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "wire").build());

        assertThat(result.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/app/wire");
        assertThat(result.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(result.credentials().expiration()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(result.requestId()).isNotEmpty();
        GetCallerIdentityResult identity = as(result.credentials()).getCallerIdentity();
        assertThat(identity.arn()).isEqualTo(result.assumedRoleUser().arn());
        assertThat(identity.userId()).isEqualTo(result.assumedRoleUser().assumedRoleId());
        assertThat(identity.account()).isEqualTo(LoopbackNode.ACCOUNT);
    }

    @Test
    void assumeRole_everyOptionalParameter_isSentAndHonoured() {
        AssumeRoleResult result = admin().assumeRole(AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "full")
                .durationSeconds(900)
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}")
                .tags(List.of(new Tag("team", "blue sky"), new Tag("env", "ci/cd")))
                .transitiveTagKeys(List.of("team"))
                .policyArns(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"))
                .externalId("ext-123")
                .sourceIdentity("alice@example.com")
                .build());

        assertThat(result.credentials().expiration()).isEqualTo(clock.instant().plus(Duration.ofSeconds(900)));
        assertThat(result.packedPolicySize()).isPresent();
        assertThat(result.sourceIdentity()).contains("alice@example.com");
        assertThat(as(result.credentials()).getCallerIdentity().arn()).endsWith(":assumed-role/app/full");
    }

    @Test
    void assumeRole_policyArnThatIsNotAnArn_isAnAwsErrorAboutIt() {
        StsException e = catchThrowableOfType(StsException.class, () -> admin().assumeRole(
                AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "arns")
                        .policyArns(List.of("arn:aws:iam::123456789012:policy/Ok", "not-an-arn")).build()));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorMessage()).contains("not-an-arn");
    }

    @Test
    void assumeRole_roleThatDoesNotExist_isAccessDeniedWithStatusAndRequestId() {
        StsException e = catchThrowableOfType(StsException.class, () -> admin().assumeRole(
                AssumeRoleRequest.builder("arn:aws:iam::123456789012:role/nope", "session").build()));

        assertThat(e.errorCode()).isEqualTo("AccessDenied");
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.requestId()).hasValueSatisfying(id -> assertThat(id).isNotBlank());
        assertThat(e.errorMessage()).contains("sts:AssumeRole");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void assumeRole_durationBelowMinimum_isValidationError() {
        StsException e = catchThrowableOfType(StsException.class, () -> admin().assumeRole(
                AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "short").durationSeconds(899).build()));

        assertThat(e.errorCode()).isEqualTo("ValidationError");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorMessage()).contains("durationSeconds");
    }

    @Test
    void assumeRole_mfaCodeWithoutADevice_isRefused() {
        StsException e = catchThrowableOfType(StsException.class, () -> admin().assumeRole(
                AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "mfa")
                        .mfa("arn:aws:iam::123456789012:mfa/none", "123456").build()));

        assertThat(e.statusCode()).isEqualTo(403);
    }

    @Test
    void assumeRole_signedWithAWrongSecret_isSignatureDoesNotMatch() {
        StsWireClient wrong = StsWireClient.builder(node.endpoint())
                .credentials(SigningCredentials.of(node.admin().accessKey().accessKeyId(), "wrong".getBytes(UTF_8)))
                .clock(clock)
                .build();

        StsException e = catchThrowableOfType(StsException.class,
                () -> wrong.assumeRole(AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "s").build()));

        assertThat(e.errorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.statusCode()).isEqualTo(403);
    }

    @Test
    void endpointThatRefusesConnections_isATransportErrorThatSaysSo() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StsWireClient nowhere = StsWireClient.builder(URI.create("http://127.0.0.1:" + closedPort))
                .credentials(node.adminSigning()).clock(clock).build();

        StsTransportException e = catchThrowableOfType(StsTransportException.class, nowhere::getCallerIdentity);

        assertThat(e.getMessage()).startsWith("GetCallerIdentity to http://127.0.0.1:" + closedPort
                + " failed: could not connect to the endpoint URL").doesNotContain("null").doesNotContain("channel");
    }

    @Test
    void getSessionToken_longTermKey_returnsCredentialsOfTheSameUser() {
        GetSessionTokenResult result = admin().getSessionToken(GetSessionTokenRequest.builder()
                .durationSeconds(1800).build());

        assertThat(result.credentials().expiration()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
        assertThat(as(result.credentials()).getCallerIdentity().arn())
                .isEqualTo("arn:aws:iam::123456789012:user/admin");
    }

    @Test
    void getFederationToken_name_returnsTheFederatedUser() {
        GetFederationTokenResult result = admin().getFederationToken(GetFederationTokenRequest.builder("bob")
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}")
                .tags(List.of(new Tag("dept", "eng")))
                .durationSeconds(900)
                .build());

        assertThat(result.federatedUser().arn()).isEqualTo("arn:aws:sts::123456789012:federated-user/bob");
        assertThat(result.federatedUser().federatedUserId()).isEqualTo("123456789012:bob");
        assertThat(result.packedPolicySize()).isPresent();
        assertThat(result.credentials().expiration()).isEqualTo(clock.instant().plus(Duration.ofSeconds(900)));
    }

    @Test
    void assumeRoleWithWebIdentity_unsigned_returnsTheSubjectProviderAndAudience() {
        String providerArn;
        try (IamClient iam = IamClient.builder().endpointOverride(node.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(node.adminSdk()))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            providerArn = iam.createOpenIDConnectProvider(r -> r.url(issuer.url())
                    .clientIDList(TestOidcIssuer.DEFAULT_AUDIENCE).thumbprintList(issuer.caThumbprint()))
                    .openIDConnectProviderArn();
            iam.createRole(r -> r.roleName("ci").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\""
                            + providerArn + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\"}]}"));
        }
        String token = issuer.mint(issuer.claims(clock.instant()).build());
        StsWireClient anonymous = StsWireClient.builder(node.endpoint()).clock(clock).build();

        AssumeRoleWithWebIdentityResult result = anonymous.assumeRoleWithWebIdentity(
                AssumeRoleWithWebIdentityRequest.builder("arn:aws:iam::123456789012:role/ci", "ci-run", token)
                        .durationSeconds(900).build());

        assertThat(result.assumedRoleUser().arn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/ci/ci-run");
        assertThat(result.subjectFromWebIdentityToken()).isEqualTo(TestOidcIssuer.DEFAULT_SUBJECT);
        assertThat(result.provider()).contains(providerArn);
        assertThat(result.audience()).contains(TestOidcIssuer.DEFAULT_AUDIENCE);
        assertThat(result.toString()).doesNotContain(result.credentials().secretAccessKey())
                .doesNotContain(result.credentials().sessionToken());
    }

    @Test
    void assumeRoleWithWebIdentity_garbageToken_isAnAwsError() {
        StsWireClient anonymous = StsWireClient.builder(node.endpoint()).clock(clock).build();

        StsException e = catchThrowableOfType(StsException.class, () -> anonymous.assumeRoleWithWebIdentity(
                AssumeRoleWithWebIdentityRequest.builder(LoopbackNode.ROLE_ARN, "s", "not-a-jwt").build()));

        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.errorCode()).isNotBlank();
    }

    @Test
    void signedCall_withoutCredentials_isRefusedBeforeSending() {
        StsWireClient anonymous = StsWireClient.builder(node.endpoint()).clock(clock).build();

        assertThatThrownBy(anonymous::getCallerIdentity).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void call_toAClosedPort_isATransportFailure() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        StsWireClient client = StsWireClient.builder(URI.create("http://127.0.0.1:" + port))
                .credentials(node.adminSigning()).build();

        assertThatThrownBy(client::getCallerIdentity).isInstanceOf(StsTransportException.class)
                .hasMessageContaining("GetCallerIdentity");
    }

    @Test
    void call_responseLargerThanTheLimit_isATransportFailure() {
        StsWireClient client = StsWireClient.builder(node.endpoint()).credentials(node.adminSigning()).clock(clock)
                .maxResponseBytes(64).build();

        assertThatThrownBy(client::getCallerIdentity).isInstanceOf(StsTransportException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void call_responseWithADtd_isRefusedUnparsed() throws IOException {
        String body = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>&x;</UserId><Account>1</Account>"
                + "<Arn>a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>";
        HttpServer server = serving(200, body);
        try {
            StsWireClient client = StsWireClient.builder(URI.create("http://127.0.0.1:" + server.getAddress()
                    .getPort())).credentials(node.adminSigning()).build();

            assertThatThrownBy(client::getCallerIdentity).isInstanceOf(StsTransportException.class)
                    .hasMessageContaining("DTD");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void call_nonXmlErrorFromAProxy_isATransportFailureNotAnAwsError() throws IOException {
        HttpServer server = serving(502, "<html>bad gateway</html");
        try {
            StsWireClient client = StsWireClient.builder(URI.create("http://127.0.0.1:" + server.getAddress()
                    .getPort())).credentials(node.adminSigning()).build();

            assertThatThrownBy(client::getCallerIdentity).isInstanceOf(StsTransportException.class)
                    .hasMessageContaining("HTTP 502");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void credentials_toString_showsNeitherSecretNorToken() {
        StsCredentials credentials = StsCredentials.of("ASIAEXAMPLE", "secret-value", "token-value",
                clock.instant());

        assertThat(credentials.toString()).contains("ASIAEXAMPLE").doesNotContain("secret-value")
                .doesNotContain("token-value");
    }

    @Test
    void request_toString_omitsTheMfaCodeAndWebIdentityToken() {
        assertThat(AssumeRoleRequest.builder(LoopbackNode.ROLE_ARN, "s").mfa("arn:mfa", "987654").build().toString())
                .doesNotContain("987654");
        assertThat(GetSessionTokenRequest.builder().mfa("arn:mfa", "987654").build().toString())
                .doesNotContain("987654");
        assertThat(AssumeRoleWithWebIdentityRequest.builder(LoopbackNode.ROLE_ARN, "s", "jwt-secret").build()
                .toString()).doesNotContain("jwt-secret");
    }

    @Test
    void form_encodesLikeTheSdks() {
        assertThat(QueryForm.encode("a b*~/:=&é")).isEqualTo("a%20b%2A~%2F%3A%3D%26%C3%A9");
    }

    private static HttpServer serving(int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
