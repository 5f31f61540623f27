package org.opensts.federation.oidc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensts.federation.testing.CertificateTexts;
import org.opensts.protocol.ApiException;
import org.opensts.protocol.ErrorCode;

/**
 * TLS trust in identity providers as AWS documents it, against real servers on loopback: a server a trusted CA vouches
 * for is used whatever the provider's thumbprints say; only otherwise must a presented certificate have a registered
 * thumbprint, and then the chain must lead to it and name this host, within its dates.
 */
class IdpHttpsClientTest {
    private static final IdpHttpsClient.Limits FAST =
            new IdpHttpsClient.Limits(Duration.ofSeconds(2), Duration.ofSeconds(3), 1 << 20);
    private static final String STALE = "0123456789abcdef0123456789abcdef01234567";

    private static KeyPair caKeys;
    private static X509Certificate ca;
    private static KeyPair serverKeys;
    private static X509Certificate caSignedLeaf;
    private static Path caBundle;
    private static IdpHttpsClient caTrusting;
    private static IdpHttpsClient jdkTrustOnly;

    private LoopbackIdp idp;

    @BeforeAll
    static void makeCertificates(@TempDir Path directory) throws IOException {
        caKeys = TlsCertificates.newKeyPair();
        ca = TlsCertificates.Spec.of("IdpHttpsClientTest CA", caKeys.getPublic()).authority()
                .sign(caKeys.getPrivate());
        serverKeys = TlsCertificates.newKeyPair();
        caSignedLeaf = TlsCertificates.Spec.of("127.0.0.1", serverKeys.getPublic()).issuedBy("IdpHttpsClientTest CA")
                .loopback().sign(caKeys.getPrivate());
        caBundle = directory.resolve("ca.pem");
        Files.writeString(caBundle, CertificateTexts.pem(ca));
        caTrusting = IdpHttpsClient.create(Optional.of(caBundle), FAST);
        jdkTrustOnly = IdpHttpsClient.create(Optional.empty(), FAST);
    }

    @AfterAll
    static void forgetClients() {
        caTrusting = null;
        jdkTrustOnly = null;
    }

    @AfterEach
    void stopIdp() {
        if (idp != null) {
            idp.close();
        }
    }

    // ---- a trusted CA vouches for the server: thumbprints are not consulted

    @Test
    void fetch_caTrustedServerWithStaleThumbprint_succeeds() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        assertThat(caTrusting.fetchJwks(idp.provider(STALE)).getKeys()).hasSize(1);
    }

    @Test
    void fetch_caTrustedServerWithoutThumbprints_succeeds() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        assertThat(caTrusting.fetchJwks(idp.provider()).getKeys()).hasSize(1);
    }

    @Test
    void fetch_caTrustedServerForAnotherHost_isRefusedEvenWithItsThumbprint() {
        KeyPair keys = TlsCertificates.newKeyPair();
        X509Certificate elsewhere = TlsCertificates.Spec.of("elsewhere.example", keys.getPublic())
                .issuedBy("IdpHttpsClientTest CA").names(List.of("elsewhere.example"), List.of())
                .sign(caKeys.getPrivate());
        idp = LoopbackIdp.start(keys.getPrivate(), elsewhere, ca);

        assertCommunicationError(() -> caTrusting.fetchJwks(idp.provider(CertificateTexts.thumbprint(elsewhere),
                CertificateTexts.thumbprint(ca))));
        assertThat(idp.requests()).isZero();
    }

    // ---- no trusted CA: the thumbprints decide which certificate is the anchor

    @Test
    void fetch_selfSignedServerWithItsThumbprintInEitherCase_succeeds() {
        KeyPair keys = TlsCertificates.newKeyPair();
        X509Certificate selfSigned = TlsCertificates.Spec.of("127.0.0.1", keys.getPublic()).loopback()
                .sign(keys.getPrivate());
        idp = LoopbackIdp.start(keys.getPrivate(), selfSigned);
        String thumbprint = CertificateTexts.thumbprint(selfSigned);

        assertThat(jdkTrustOnly.fetchJwks(idp.provider(STALE, thumbprint)).getKeys()).hasSize(1);
        assertThat(jdkTrustOnly.fetchJwks(idp.provider(thumbprint.toUpperCase(Locale.ROOT))).getKeys()).hasSize(1);
    }

    @Test
    void fetch_privateCaServerWithTheCaThumbprint_succeeds() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        assertThat(jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(ca))).getKeys()).hasSize(1);
    }

    @Test
    void fetch_privateCaServerWithTheLeafThumbprint_succeeds() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        assertThat(jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(caSignedLeaf))).getKeys())
                .hasSize(1);
    }

    @Test
    void fetch_attackerLeafPresentedWithTheRegisteredCaCertificate_isRefused() {
        // The attacker names the registered CA as issuer and appends its public certificate, but signs with its key.
        KeyPair attacker = TlsCertificates.newKeyPair();
        X509Certificate forged = TlsCertificates.Spec.of("127.0.0.1", attacker.getPublic())
                .issuedBy("IdpHttpsClientTest CA").loopback().sign(attacker.getPrivate());
        idp = LoopbackIdp.start(attacker.getPrivate(), forged, ca);

        assertCommunicationError(() -> jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(ca))));
        assertThat(idp.requests()).isZero();
    }

    @Test
    void fetch_registeredSelfSignedCertificateNotNamingThisHost_isCommunicationError() {
        KeyPair keys = TlsCertificates.newKeyPair();
        X509Certificate elsewhere = TlsCertificates.Spec.of("elsewhere.example", keys.getPublic())
                .names(List.of("elsewhere.example"), List.of()).sign(keys.getPrivate());
        idp = LoopbackIdp.start(keys.getPrivate(), elsewhere);

        assertCommunicationError(() -> jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(elsewhere))));
        assertThat(idp.requests()).isZero();
    }

    @Test
    void fetch_untrustedServerWithNoRegisteredThumbprint_isAwsThumbprintMismatch() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        ApiException error = catchThrowableOfType(ApiException.class,
                () -> jdkTrustOnly.fetchJwks(idp.provider(STALE)));

        assertThat(error).as("refused").isNotNull();
        assertThat(error.errorCode()).isEqualTo(ErrorCode.INVALID_IDENTITY_TOKEN);
        assertThat(error.getMessage())
                .isEqualTo("OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint");
        assertThat(idp.requests()).isZero();
    }

    @Test
    void fetch_untrustedServerAndNoThumbprints_isCommunicationError() {
        idp = LoopbackIdp.start(serverKeys.getPrivate(), caSignedLeaf, ca);

        assertCommunicationError(() -> jdkTrustOnly.fetchJwks(idp.provider()));
        assertThat(idp.requests()).isZero();
    }

    @Test
    void fetch_registeredSelfSignedCertificateExpiredOrNotYetValid_isCommunicationError() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        for (var dates : List.of(List.of(now.minusYears(2), now.minusYears(1)), List.of(now.plusDays(1),
                now.plusYears(1)))) {
            KeyPair keys = TlsCertificates.newKeyPair();
            X509Certificate outOfDate = TlsCertificates.Spec.of("127.0.0.1", keys.getPublic())
                    .valid(dates.get(0), dates.get(1)).loopback().sign(keys.getPrivate());
            try (LoopbackIdp server = LoopbackIdp.start(keys.getPrivate(), outOfDate)) {
                assertCommunicationError(() -> jdkTrustOnly.fetchJwks(
                        server.provider(CertificateTexts.thumbprint(outOfDate))));
                assertThat(server.requests()).isZero();
            }
        }
    }

    @Test
    void fetch_expiredLeafBelowTheRegisteredCa_isCommunicationError() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        X509Certificate expired = TlsCertificates.Spec.of("127.0.0.1", serverKeys.getPublic())
                .issuedBy("IdpHttpsClientTest CA").valid(now.minusYears(2), now.minusYears(1)).loopback()
                .sign(caKeys.getPrivate());
        idp = LoopbackIdp.start(serverKeys.getPrivate(), expired, ca);

        assertCommunicationError(() -> jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(ca))));
    }

    @Test
    void fetch_registeredExpiredCaAboveAValidLeaf_isCommunicationError() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        KeyPair oldCaKeys = TlsCertificates.newKeyPair();
        X509Certificate oldCa = TlsCertificates.Spec.of("Expired CA", oldCaKeys.getPublic()).authority()
                .valid(now.minusYears(3), now.minusDays(1)).sign(oldCaKeys.getPrivate());
        X509Certificate leaf = TlsCertificates.Spec.of("127.0.0.1", serverKeys.getPublic()).issuedBy("Expired CA")
                .loopback().sign(oldCaKeys.getPrivate());
        idp = LoopbackIdp.start(serverKeys.getPrivate(), leaf, oldCa);

        assertCommunicationError(() -> jdkTrustOnly.fetchJwks(idp.provider(CertificateTexts.thumbprint(oldCa))));
    }

    // ---- helpers

    private static void assertCommunicationError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        ApiException error = catchThrowableOfType(ApiException.class, call);
        assertThat(error).as("refused").isNotNull();
        assertThat(error.errorCode()).isEqualTo(ErrorCode.IDP_COMMUNICATION_ERROR);
        assertThat(error.getMessage()).contains("TLS failed");
    }

    /** An OIDC issuer at {@code https://127.0.0.1:PORT} presenting exactly the given chain; it counts requests. */
    private static final class LoopbackIdp implements AutoCloseable {
        private final HttpsServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private final String url;
        private final byte[] jwks;

        private LoopbackIdp(PrivateKey key, X509Certificate... chain) throws IOException, GeneralSecurityException,
                JOSEException {
            var loopback = new InetSocketAddress(InetAddress.getByAddress(TlsCertificates.LOOPBACK), 0);
            server = HttpsServer.create(loopback, 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverContext(key, chain)));
            url = "https://127.0.0.1:" + server.getAddress().getPort();
            jwks = new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate().toPublicJWK()).toString()
                    .getBytes(UTF_8);
            server.createContext("/", this::handle);
            server.start();
        }

        static LoopbackIdp start(PrivateKey key, X509Certificate... chain) {
            try {
                return new LoopbackIdp(key, chain);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        OidcProvider provider(String... thumbprints) {
            return new OidcProvider("arn:aws:iam::123456789012:oidc-provider/" + url.substring("https://".length()),
                    url, List.of("sts.amazonaws.com"), List.of(thumbprints));
        }

        int requests() {
            return requests.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            byte[] body = switch (exchange.getRequestURI().getPath()) {
                case "/.well-known/openid-configuration" ->
                        ("{\"issuer\":\"" + url + "\",\"jwks_uri\":\"" + url + "/jwks\"}").getBytes(UTF_8);
                case "/jwks" -> jwks;
                default -> null;
            };
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        }

        private static SSLContext serverContext(PrivateKey key, X509Certificate[] chain)
                throws IOException, GeneralSecurityException {
            char[] password = "test-only".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", key, password, chain);
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
