package org.opensts.federation.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.opensts.federation.testing.CertificateTexts;

/** The pinned trust manager's refusals that need no server; {@link IdpHttpsClientTest} shows it over real TLS. */
class ThumbprintTrustManagerTest {
    private final KeyPair keys = TlsCertificates.newKeyPair();
    private final X509Certificate selfSigned = TlsCertificates.Spec.of("127.0.0.1", keys.getPublic()).loopback()
            .sign(keys.getPrivate());
    private final ThumbprintTrustManager manager =
            new ThumbprintTrustManager(List.of(CertificateTexts.thumbprint(selfSigned)));

    @Test
    void checkServerTrusted_withoutTheConnection_isRefusedEvenForARegisteredCertificate() {
        assertThatThrownBy(() -> manager.checkServerTrusted(new X509Certificate[] {selfSigned}, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .isNotInstanceOf(ThumbprintTrustManager.ThumbprintMismatchException.class);
    }

    @Test
    void checkServerTrusted_noRegisteredCertificate_isThumbprintMismatch() throws Exception {
        KeyPair other = TlsCertificates.newKeyPair();
        X509Certificate unregistered = TlsCertificates.Spec.of("127.0.0.1", other.getPublic()).loopback()
                .sign(other.getPrivate());
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 443);
        engine.setUseClientMode(true);

        assertThatThrownBy(() -> manager.checkServerTrusted(new X509Certificate[] {unregistered}, "ECDHE_ECDSA",
                engine)).isInstanceOf(ThumbprintTrustManager.ThumbprintMismatchException.class);
        assertThatThrownBy(() -> manager.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA", engine))
                .isInstanceOf(ThumbprintTrustManager.ThumbprintMismatchException.class);
    }

    @Test
    void checkClientTrusted_anyOverload_isRefused() throws Exception {
        X509Certificate[] chain = {selfSigned};
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();

        assertThatThrownBy(() -> manager.checkClientTrusted(chain, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> manager.checkClientTrusted(chain, "ECDHE_ECDSA", engine))
                .isInstanceOf(CertificateException.class);
        assertThatThrownBy(() -> manager.checkClientTrusted(chain, "ECDHE_ECDSA", (java.net.Socket) null))
                .isInstanceOf(CertificateException.class);
        assertThat(manager.getAcceptedIssuers()).isEmpty();
    }

    @Test
    void new_noThumbprints_isIllegalArgument() {
        assertThatThrownBy(() -> new ThumbprintTrustManager(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
