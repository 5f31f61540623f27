package org.opensts.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.iam.AccessKeyCredentials;
import org.opensts.protocol.testing.BotocoreData;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.OutboundWebIdentityFederationDisabledException;

/**
 * Outbound identity federation end to end with the AWS SDK for Java v2: IAM switches it on, STS signs a token, and
 * Nimbus verifies the token against the JWKS it discovers and fetches over HTTP from the node, as an external service
 * would.
 */
class OutboundFederationEndToEndTest {
    private static final String ACCOUNT = "123456789012";
    private static final String AUDIENCE = "https://api.example.com";

    @TempDir
    static Path dataDir;

    private static OpenStsNode node;
    private static IamClient iam;
    private static StsClient sts;
    private static String issuer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        node = OpenStsNode.start(OpenStsNode.Config.embedded(dataDir, new InetSocketAddress("127.0.0.1", 0),
                ACCOUNT));
        AccessKeyCredentials admin = node.initialAdmin().orElseThrow();
        var credentials = AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                admin.secretAccessKey().revealUtf8());
        iam = SdkClients.iam(node, credentials);
        sts = SdkClients.sts(node, credentials);
        issuer = iam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier();
    }

    @AfterAll
    static void stop() {
        iam.close();
        sts.close();
        node.close();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Verifies as an external service: discovery, then the JWKS at its jwks_uri, then signature and claims. */
    private static JWTClaimsSet verify(String token) throws Exception {
        Map<String, Object> discovery = JSONObjectUtils.parse(
                get(issuer + "/.well-known/openid-configuration").body());
        assertThat(discovery).containsEntry("issuer", issuer);
        var processor = new DefaultJWTProcessor<SecurityContext>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES384),
                // A new source per verification: the keys are fetched from the node each time.
                JWKSourceBuilder.create(URI.create((String) discovery.get("jwks_uri")).toURL())
                        .retrying(false).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "exp", "jti")));
        return processor.process(token, null);
    }

    private static String token(String algorithm) {
        return sts.getWebIdentityToken(r -> r.audience(AUDIENCE).signingAlgorithm(algorithm)).webIdentityToken();
    }

    @Test
    void inputShapes_areEmpty_asTheModelDeclaresNoInput() {
        var operations = BotocoreData.iamModel().operations();

        assertThat(operations.get("EnableOutboundWebIdentityFederation").inputShape()).isEmpty();
        assertThat(operations.get("DisableOutboundWebIdentityFederation").inputShape()).isEmpty();
        assertThat(operations.get("GetOutboundWebIdentityFederationInfo").inputShape()).isEmpty();
        assertThat(IamOutboundFederationActions.ENABLE_REQUEST.members()).isEmpty();
        assertThat(IamOutboundFederationActions.DISABLE_REQUEST.members()).isEmpty();
        assertThat(IamOutboundFederationActions.INFO_REQUEST.members()).isEmpty();
    }

    @Test
    void enable_answersTheIssuerBelowTheListenAddress_andInfoSaysEnabled() {
        assertThat(issuer).matches("http://127\\.0\\.0\\.1:" + node.address().getPort()
                + "/outbound-federation/[0-9a-f-]{36}");

        var info = iam.getOutboundWebIdentityFederationInfo(r -> { });

        assertThat(info.issuerIdentifier()).isEqualTo(issuer);
        assertThat(info.jwtVendingEnabled()).isTrue();
    }

    @Test
    void publicUrl_isTheIssuersBase_inTheAnswerAndTheToken(@TempDir Path otherDir) throws Exception {
        try (OpenStsNode behindProxy = OpenStsNode.start(OpenStsNode.Config.embedded(otherDir,
                new InetSocketAddress("127.0.0.1", 0), ACCOUNT).withPublicUrl(URI.create("https://sts.example.test")))) {
            AccessKeyCredentials admin = behindProxy.initialAdmin().orElseThrow();
            var credentials = AwsBasicCredentials.create(admin.accessKey().accessKeyId(),
                    admin.secretAccessKey().revealUtf8());
            try (IamClient otherIam = SdkClients.iam(behindProxy, credentials);
                    StsClient otherSts = SdkClients.sts(behindProxy, credentials)) {
                String otherIssuer = otherIam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier();
                String token = otherSts.getWebIdentityToken(r -> r.audience(AUDIENCE).signingAlgorithm("RS256"))
                        .webIdentityToken();

                assertThat(otherIssuer).startsWith("https://sts.example.test/outbound-federation/");
                assertThat(JWSObject.parse(token).getPayload().toJSONObject()).containsEntry("iss", otherIssuer);
                String local = "http://127.0.0.1:" + behindProxy.address().getPort()
                        + URI.create(otherIssuer).getPath() + "/.well-known/openid-configuration";
                assertThat(JSONObjectUtils.parse(get(local).body())).containsEntry("issuer", otherIssuer)
                        .containsEntry("jwks_uri", otherIssuer + "/.well-known/jwks.json");
            }
        }
    }

    @Test
    void enableAgain_isFeatureEnabled409() {
        IamException e = catchThrowableOfType(IamException.class,
                () -> iam.enableOutboundWebIdentityFederation(r -> { }));

        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("FeatureEnabled");
    }

    @Test
    void getWebIdentityToken_bothAlgorithms_verifyAgainstTheJwksServedOverHttp() throws Exception {
        for (String algorithm : List.of("RS256", "ES384")) {
            GetWebIdentityTokenResponse response = sts.getWebIdentityToken(r -> r.audience(AUDIENCE)
                    .signingAlgorithm(algorithm).durationSeconds(900));

            JWTClaimsSet claims = verify(response.webIdentityToken());

            assertThat(claims.getSubject()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/admin");
            assertThat(claims.getExpirationTime().toInstant()).isEqualTo(response.expiration());
            assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(900_000);
        }
    }

    @Test
    void rotation_newTokensUseANewKey_andTokensSignedBeforeStillVerify() throws Exception {
        String before = token("RS256");

        node.rotateSigningKeys();
        String after = token("RS256");

        assertThat(JWSObject.parse(after).getHeader().getKeyID())
                .isNotEqualTo(JWSObject.parse(before).getHeader().getKeyID());
        assertThat(verify(before).getSubject()).isEqualTo(verify(after).getSubject());
    }

    @Test
    void jwks_isPublicKeysOnly_asJson() throws Exception {
        HttpResponse<String> response = get(issuer + "/.well-known/jwks.json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(JWKSet.parse(response.body()).getKeys()).isNotEmpty().noneMatch(key -> key.isPrivate());
    }

    @Test
    void unknownIssuerOrDocument_isNotFound() throws Exception {
        String base = "http://127.0.0.1:" + node.address().getPort() + "/outbound-federation/";

        assertThat(get(base + "00000000-0000-4000-8000-000000000000/.well-known/jwks.json").statusCode())
                .isEqualTo(404);
        assertThat(get(issuer + "/.well-known/other").statusCode()).isEqualTo(404);
        assertThat(get(base).statusCode()).isEqualTo(404);
    }

    @Test
    void disable_refusesNewTokens_untilEnabledAgainWithTheSameIssuer() {
        iam.disableOutboundWebIdentityFederation(r -> { });
        try {
            var e = catchThrowableOfType(OutboundWebIdentityFederationDisabledException.class,
                    () -> token("RS256"));
            IamException twice = catchThrowableOfType(IamException.class,
                    () -> iam.disableOutboundWebIdentityFederation(r -> { }));

            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(twice.statusCode()).isEqualTo(404);
            assertThat(twice.awsErrorDetails().errorCode()).isEqualTo("FeatureDisabled");
            assertThat(iam.getOutboundWebIdentityFederationInfo(r -> { }).jwtVendingEnabled()).isFalse();
        } finally {
            assertThat(iam.enableOutboundWebIdentityFederation(r -> { }).issuerIdentifier()).isEqualTo(issuer);
        }
    }
}
