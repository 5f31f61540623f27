package org.opensts.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a certificate and key pair, and picking up a new pair, or not, when the files change. */
class ServerTlsContextTest {
    @TempDir
    Path dir;

    /** A CA and a server certificate of its own in {@code dir/name/}. */
    private SelfSignedCertificates.Issued issue(String name) throws Exception {
        return SelfSignedCertificates.ensure(dir.resolve(name),
                SelfSignedCertificates.SubjectAlternativeNames.forListenHost("127.0.0.1"), Clock.systemUTC());
    }

    private Path served(String file) {
        return dir.resolve(file);
    }

    private void serve(Path certificateChain, Path privateKey) throws IOException {
        Files.copy(certificateChain, served("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(privateKey, served("key.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void newEngines_offerTls12And13Only() throws Exception {
        SelfSignedCertificates.Issued issued = issue("a");
        SslContext context = ServerTlsContext.load(issued.serverCertificateChain(), issued.serverPrivateKey())
                .current();

        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);

        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getUseClientMode()).isFalse();
    }

    @Test
    void load_keyOfAnotherCertificate_isRejected() throws Exception {
        SelfSignedCertificates.Issued a = issue("a");
        SelfSignedCertificates.Issued b = issue("b");

        assertThatThrownBy(() -> ServerTlsContext.load(a.serverCertificateChain(), b.serverPrivateKey()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong to the first certificate");
    }

    @Test
    void reloadIfChanged_unchangedFiles_keepsTheContext() throws Exception {
        SelfSignedCertificates.Issued a = issue("a");
        serve(a.serverCertificateChain(), a.serverPrivateKey());
        ServerTlsContext tls = ServerTlsContext.load(served("cert.pem"), served("key.pem"));
        SslContext before = tls.current();
        // Rewritten with the same bytes: not a change.
        serve(a.serverCertificateChain(), a.serverPrivateKey());

        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.current()).isSameAs(before);
    }

    @Test
    void reloadIfChanged_newPair_isUsedFromThenOn() throws Exception {
        SelfSignedCertificates.Issued a = issue("a");
        SelfSignedCertificates.Issued b = issue("b");
        serve(a.serverCertificateChain(), a.serverPrivateKey());
        ServerTlsContext tls = ServerTlsContext.load(served("cert.pem"), served("key.pem"));
        SslContext before = tls.current();

        serve(b.serverCertificateChain(), b.serverPrivateKey());

        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.current()).isNotSameAs(before);
        assertThat(tls.reloadIfChanged()).isFalse();
    }

    @Test
    void reloadIfChanged_brokenPair_keepsTheContextInUse() throws Exception {
        SelfSignedCertificates.Issued a = issue("a");
        SelfSignedCertificates.Issued b = issue("b");
        serve(a.serverCertificateChain(), a.serverPrivateKey());
        ServerTlsContext tls = ServerTlsContext.load(served("cert.pem"), served("key.pem"));
        SslContext before = tls.current();

        // The new certificate is in place, its key not yet: half of a rotation.
        Files.copy(b.serverCertificateChain(), served("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.current()).isSameAs(before);

        // A key file being written; then the files go missing.
        Files.writeString(served("key.pem"), "-----BEGIN PRIVATE KEY-----\nMII");
        assertThat(tls.reloadIfChanged()).isFalse();
        Files.delete(served("key.pem"));
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.current()).isSameAs(before);

        // The rotation completes.
        Files.copy(b.serverPrivateKey(), served("key.pem"));
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.current()).isNotSameAs(before);
    }
}
