package org.opensts.server.tls;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where the listener's certificate comes from when it serves HTTPS. */
public sealed interface TlsSource {
    /** A PEM certificate chain (the server's certificate first) and its PEM private key, reloaded when they change. */
    record CertificateFiles(Path certificateChain, Path privateKey) implements TlsSource {
        public CertificateFiles {
            requireNonNull(certificateChain, "certificateChain");
            requireNonNull(privateKey, "privateKey");
        }
    }

    /** A private CA and a server certificate it issued, in {@code DATA/tls/} (see {@link SelfSignedCertificates}). */
    record SelfSigned() implements TlsSource {
    }
}
