package org.opensts.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PEM bundle of CA certificates to trust instead of the JDK's, as {@code AWS_CA_BUNDLE} is for the AWS CLI and SDKs:
 * how a client reaches a node that serves HTTPS with a private CA.
 */
public final class CaBundle {
    private CaBundle() {
    }

    /**
     * Returns a TLS context that trusts the certificates in {@code pemFile} and nothing else.
     *
     * @throws IOException if the file cannot be read or holds no certificate
     */
    public static SSLContext sslContext(Path pemFile) throws IOException {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("no certificate in the CA bundle " + pemFile);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the CA bundle " + pemFile + ": " + e.getMessage(), e);
        }
    }

    /** Returns the wire client's usual transport (HTTP/1.1, 5 s to connect, 1 MiB bodies) trusting {@code pemFile}. */
    public static StsWireClient.Transport transport(Path pemFile) throws IOException {
        return StsWireClient.Transport.http(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(sslContext(pemFile))
                .build(), 1 << 20);
    }
}
