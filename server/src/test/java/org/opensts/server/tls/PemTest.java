package org.opensts.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Private keys and certificate chains in the PEM forms that openssl writes (openssl runs here as a test fixture only).
 */
class PemTest {
    @TempDir
    Path dir;

    record KeyCase(String name, String label, List<String> opensslArgs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KeyCase> keyForms() {
        return Stream.of(
                new KeyCase("an RSA key in PKCS #8", "BEGIN PRIVATE KEY",
                        List.of("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048")),
                new KeyCase("an RSA key in PKCS #1", "BEGIN RSA PRIVATE KEY",
                        List.of("genrsa", "-traditional", "2048")),
                new KeyCase("an EC P-256 key in PKCS #8", "BEGIN PRIVATE KEY",
                        List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256")),
                new KeyCase("an EC P-384 key in SEC 1, after its EC PARAMETERS block", "BEGIN EC PRIVATE KEY",
                        List.of("ecparam", "-genkey", "-name", "secp384r1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void readPrivateKey_readsWhatOpensslWrites(KeyCase form) throws Exception {
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, CertificateTemplateTest.openssl(form.opensslArgs().toArray(String[]::new)),
                US_ASCII);
        Path certificateFile = dir.resolve("cert.pem");
        CertificateTemplateTest.openssl("req", "-new", "-x509", "-key", keyFile.toString(), "-subj", "/CN=localhost",
                "-days", "1", "-out", certificateFile.toString());
        assertThat(Files.readString(keyFile)).contains(form.label());

        PrivateKey key = Pem.readPrivateKey(keyFile);
        X509Certificate certificate = Pem.readCertificates(certificateFile).get(0);

        assertThat(signsFor(key, certificate.getPublicKey())).isTrue();
    }

    @Test
    void readCertificates_keepsTheChainInOrder() throws Exception {
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(keyFile, CertificateTemplateTest.openssl("genpkey", "-algorithm", "EC", "-pkeyopt",
                "ec_paramgen_curve:P-256"), US_ASCII);
        for (String name : List.of("first", "second")) {
            CertificateTemplateTest.openssl("req", "-new", "-x509", "-key", keyFile.toString(), "-subj", "/CN=" + name,
                    "-days", "1", "-out", dir.resolve(name + ".pem").toString());
        }
        Path chain = Files.writeString(dir.resolve("chain.pem"), "leading text is ignored\n"
                + Files.readString(dir.resolve("first.pem")) + Files.readString(dir.resolve("second.pem")));

        List<X509Certificate> certificates = Pem.readCertificates(chain);

        assertThat(certificates).extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=first", "CN=second");
    }

    record BadFile(String name, String content, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadFile> badKeyFiles() {
        String block = "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n";
        return Stream.of(
                new BadFile("an empty file", "", "exactly one PEM private key, not 0"),
                new BadFile("a certificate only", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
                        "exactly one PEM private key, not 0"),
                new BadFile("an encrypted key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n"
                        + "-----END ENCRYPTED PRIVATE KEY-----\n", "must be unencrypted"),
                new BadFile("a key that is not DER", block, "cannot be parsed"),
                new BadFile("an SEC 1 key that names no curve", "-----BEGIN EC PRIVATE KEY-----\nMAYCAQEEAQE=\n"
                        + "-----END EC PRIVATE KEY-----\n", "cannot be parsed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badKeyFiles")
    void readPrivateKey_rejects(BadFile bad) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.pem"), bad.content(), US_ASCII);

        assertThatThrownBy(() -> Pem.readPrivateKey(file)).hasMessageContaining(bad.message());
    }

    @Test
    void readCertificates_fileWithoutCertificate_isRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("empty.pem"), "nothing here\n", US_ASCII);

        assertThatThrownBy(() -> Pem.readCertificates(file)).hasMessageContaining("holds no PEM certificate");
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        var signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        var verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }
}
