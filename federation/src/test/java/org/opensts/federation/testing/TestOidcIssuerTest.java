package org.opensts.federation.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture itself: what it serves, over a TLS connection that trusts its CA file and nothing else. */
class TestOidcIssuerTest {
    private static TestOidcIssuer issuer;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        issuer = TestOidcIssuer.builder().pathPrefix("/realms/x").start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(issuer.caPemFile())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        client = HttpClient.newBuilder().sslContext(context).build();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void discovery_namesTheIssuerUrlWithItsPathAndTheJwksUri() throws Exception {
        String body = get(issuer.discoveryPath()).body();
        Map<String, Object> discovery = JSONObjectUtils.parse(body);
        assertThat(issuer.url()).matches("https://127\\.0\\.0\\.1:\\d+/realms/x");
        assertThat(discovery).containsEntry("issuer", issuer.url())
                .containsEntry("jwks_uri", issuer.url() + "/jwks");
        assertThat(issuer.discoveryRequests()).isEqualTo(1);
    }

    @Test
    void mintedToken_verifiesWithTheServedKey_andTheJwksHoldsNoPrivatePart() throws Exception {
        String token = issuer.mint(issuer.claims(Instant.parse("2026-01-01T00:00:00Z")).build());
        JWKSet jwks = JWKSet.parse(get(issuer.jwksPath()).body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(TestOidcIssuer.DEFAULT_KID);
        assertThat(key.isPrivate()).isFalse();
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(issuer.url());
    }

    @Test
    void retiredKey_leavesTheJwks() throws Exception {
        issuer.addEcKey("ec-retire", JWSAlgorithm.ES384);
        assertThat(JWKSet.parse(get(issuer.jwksPath()).body()).getKeyByKeyId("ec-retire")).isNotNull();
        issuer.retire("ec-retire");
        assertThat(JWKSet.parse(get(issuer.jwksPath()).body()).getKeyByKeyId("ec-retire")).isNull();
    }

    @Test
    void withoutTheCaFile_theServerIsNotTrusted() {
        HttpClient defaultTrust = HttpClient.newHttpClient();
        assertThatThrownBy(() -> defaultTrust.send(HttpRequest.newBuilder(issuer.uri(issuer.jwksPath())).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void thumbprints_areLowerCaseHexSha1() {
        assertThat(issuer.caThumbprint()).matches("[0-9a-f]{40}");
        assertThat(issuer.serverCertificateThumbprint()).matches("[0-9a-f]{40}").isNotEqualTo(issuer.caThumbprint());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(issuer.uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response;
    }
}
