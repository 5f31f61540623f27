package org.opensts.federation.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throw-away certificate authority and the loopback server certificate it signed (SAN {@code DNS:localhost},
 * {@code IP:127.0.0.1}), made once per test JVM with the JDK's own {@code keytool} so no key material is committed.
 * The server presents its certificate and the CA's, so the CA's thumbprint is in the presented chain.
 *
 * <p>The CA is trusted by nobody by default: a client trusts it only when given {@link #caPemFile()}.
 */
final class TestCertificateAuthority {
    private static final char[] PASSWORD = "test-only".toCharArray();
    private static TestCertificateAuthority shared;

    private final Path directory;
    private final Path caPemFile;
    private final X509Certificate caCertificate;
    private final X509Certificate serverCertificate;
    private final PrivateKey serverKey;

    private TestCertificateAuthority(Path directory) throws IOException, GeneralSecurityException {
        this.directory = directory;
        String pass = new String(PASSWORD);
        Path caStore = directory.resolve("ca.p12");
        Path serverStore = directory.resolve("server.p12");
        Path csr = directory.resolve("server.csr");
        Path serverCrt = directory.resolve("server.crt");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=OpenSTS Test CA " + ProcessHandle.current().pid(), "-ext", "bc:c", "-validity", "3650",
                "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "3650",
                "-keystore", serverStore.toString(), "-storetype", "PKCS12", "-storepass", pass, "-keypass", pass);
        keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", pass,
                "-file", csr.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", pass,
                "-infile", csr.toString(), "-outfile", serverCrt.toString(), "-rfc", "-validity", "3650",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-ext", "eku=serverAuth");

        KeyStore ca = load(caStore);
        caCertificate = (X509Certificate) ca.getCertificate("ca");
        KeyStore server = load(serverStore);
        serverKey = (PrivateKey) server.getKey("server", PASSWORD);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        try (InputStream in = Files.newInputStream(serverCrt)) {
            serverCertificate = (X509Certificate) factory.generateCertificate(in);
        }
        caPemFile = directory.resolve("test-ca.pem");
        Files.writeString(caPemFile, CertificateTexts.pem(caCertificate), US_ASCII);
    }

    /** The CA of this JVM, made on first use. */
    static synchronized TestCertificateAuthority shared() {
        if (shared == null) {
            try {
                Path directory = Files.createTempDirectory("opensts-test-ca");
                directory.toFile().deleteOnExit();
                shared = new TestCertificateAuthority(directory);
                for (String name : List.of("ca.p12", "server.p12", "server.csr", "server.crt", "test-ca.pem")) {
                    directory.resolve(name).toFile().deleteOnExit();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    Path caPemFile() {
        return caPemFile;
    }

    X509Certificate caCertificate() {
        return caCertificate;
    }

    X509Certificate serverCertificate() {
        return serverCertificate;
    }

    Path directory() {
        return directory;
    }

    /** A server context presenting the server certificate followed by the CA's. */
    SSLContext serverContext() {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", serverKey, PASSWORD, new Certificate[] {serverCertificate, caCertificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }



    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-Xshare:auto");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + new String(output, US_ASCII));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }
}
