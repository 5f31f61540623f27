package org.opensts.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SignatureException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Certificates made by {@link CertificateTemplate}, read back by the JDK's X.509 parser, validated as a chain by its
 * PKIX validator, and by {@code openssl x509} and {@code openssl verify}, an implementation that shares no code with
 * ours or the JDK's.
 */
class CertificateTemplateTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    Path dir;

    record KeyCase(String name, String algorithm) {
        @Override
        public String toString() {
            return name;
        }

        KeyPair newKeyPair() throws GeneralSecurityException {
            var generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        }
    }

    static Stream<KeyCase> keys() {
        return Stream.of(new KeyCase("ECDSA P-256 with SHA-256", "EC"), new KeyCase("RSA 2048 with SHA-256", "RSA"));
    }

    private static CertificateTemplate caTemplate(KeyPair ca) {
        return new CertificateTemplate(BigInteger.valueOf(1001), "Test CA", "Test CA", NOW.minus(Duration.ofDays(1)),
                NOW.plus(Duration.ofDays(3650)), ca.getPublic(), ca.getPublic(), true, List.of(), List.of());
    }

    private static CertificateTemplate serverTemplate(KeyPair server, KeyPair ca) throws Exception {
        return new CertificateTemplate(new BigInteger("00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee", 16), "localhost",
                "Test CA", NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(397)), server.getPublic(),
                ca.getPublic(), false, List.of("localhost", "sts.example.internal"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void ca_isSelfSignedWithTheFieldsOfItsTemplate(KeyCase keys) throws Exception {
        KeyPair pair = keys.newKeyPair();

        X509Certificate ca = caTemplate(pair).sign(pair.getPrivate());

        ca.verify(pair.getPublic());
        assertThat(ca.getVersion()).isEqualTo(3);
        assertThat(ca.getSerialNumber()).isEqualTo(BigInteger.valueOf(1001));
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Test CA");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
        assertThat(ca.getPublicKey()).isEqualTo(pair.getPublic());
        assertThat(ca.getBasicConstraints()).isZero();
        // digitalSignature, keyCertSign, cRLSign
        assertThat(ca.getKeyUsage()).startsWith(true, false, false, false, false, true, true);
        assertThat(ca.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.19", "2.5.29.15");
        assertThat(ca.getSigAlgName()).isEqualTo(keys.algorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void server_chainsToItsCaUnderPkixValidation(KeyCase keys) throws Exception {
        KeyPair caPair = keys.newKeyPair();
        KeyPair serverPair = keys.newKeyPair();
        X509Certificate ca = caTemplate(caPair).sign(caPair.getPrivate());

        X509Certificate server = serverTemplate(serverPair, caPair).sign(caPair.getPrivate());

        validate(server, ca);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(server.getKeyUsage()[0]).isTrue();
        assertThat(server.getKeyUsage()[2]).isEqualTo(keys.algorithm().equals("RSA"));
        assertThat(server.getKeyUsage()[5]).isFalse();
        assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(2, "sts.example.internal"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1"));
        assertThat(server.getExtensionValue("2.5.29.35")).as("authority key identifier")
                .endsWith(CertificateTemplate.keyIdentifier(caPair.getPublic()));
        assertThat(ca.getExtensionValue("2.5.29.14")).as("the CA's subject key identifier")
                .endsWith(CertificateTemplate.keyIdentifier(caPair.getPublic()));
    }

    @Test
    void server_signedByAnotherKey_failsValidation() throws Exception {
        KeyCase ec = keys().findFirst().orElseThrow();
        KeyPair caPair = ec.newKeyPair();
        KeyPair impostor = ec.newKeyPair();
        X509Certificate ca = caTemplate(caPair).sign(caPair.getPrivate());

        X509Certificate forged = serverTemplate(ec.newKeyPair(), caPair).sign(impostor.getPrivate());

        assertThatThrownBy(() -> forged.verify(ca.getPublicKey())).isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> validate(forged, ca)).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void server_usedOutsideItsValidity_failsValidation() throws Exception {
        KeyCase ec = keys().findFirst().orElseThrow();
        KeyPair caPair = ec.newKeyPair();
        X509Certificate ca = caTemplate(caPair).sign(caPair.getPrivate());
        X509Certificate server = serverTemplate(ec.newKeyPair(), caPair).sign(caPair.getPrivate());

        assertThatThrownBy(() -> validate(server, ca, NOW.plus(Duration.ofDays(398))))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void notAfterFrom2050_isEncodedAsGeneralizedTimeAndReadBack() throws Exception {
        KeyPair pair = keys().findFirst().orElseThrow().newKeyPair();
        Instant notAfter = Instant.parse("2061-07-04T10:20:30Z");

        X509Certificate ca = new CertificateTemplate(BigInteger.TEN, "Long CA", "Long CA", NOW, notAfter,
                pair.getPublic(), pair.getPublic(), true, List.of(), List.of()).sign(pair.getPrivate());

        assertThat(ca.getNotAfter().toInstant()).isEqualTo(notAfter);
    }

    record InvalidCase(String name, BigInteger serial, Instant notAfter, boolean ca, List<String> dnsNames) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<InvalidCase> invalidTemplates() {
        Instant later = NOW.plus(Duration.ofDays(1));
        return Stream.of(
                new InvalidCase("a zero serial number", BigInteger.ZERO, later, true, List.of()),
                new InvalidCase("a negative serial number", BigInteger.valueOf(-5), later, true, List.of()),
                new InvalidCase("a serial number of 21 octets", BigInteger.ONE.shiftLeft(160), later, true,
                        List.of()),
                new InvalidCase("notAfter equal to notBefore", BigInteger.ONE, NOW, true, List.of()),
                new InvalidCase("a server certificate without names", BigInteger.ONE, later, false, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTemplates")
    void template_isRejected(InvalidCase invalid) throws Exception {
        KeyPair pair = keys().findFirst().orElseThrow().newKeyPair();

        assertThatThrownBy(() -> new CertificateTemplate(invalid.serial(), "x", "x", NOW, invalid.notAfter(),
                pair.getPublic(), pair.getPublic(), invalid.ca(), invalid.dnsNames(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void opensslReadsTheCertificatesAndVerifiesTheChain(KeyCase keys) throws Exception {
        KeyPair caPair = keys.newKeyPair();
        X509Certificate ca = new CertificateTemplate(BigInteger.valueOf(7), "Test CA", "Test CA",
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), caPair.getPublic(),
                caPair.getPublic(), true, List.of(), List.of()).sign(caPair.getPrivate());
        X509Certificate server = new CertificateTemplate(BigInteger.valueOf(8), "localhost", "Test CA",
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
                keys.newKeyPair().getPublic(), caPair.getPublic(), false, List.of("localhost"),
                List.of(InetAddress.getByName("127.0.0.1"))).sign(caPair.getPrivate());
        Path caFile = Files.writeString(dir.resolve("ca.pem"), Pem.encode("CERTIFICATE", ca.getEncoded()), US_ASCII);
        Path serverFile = Files.writeString(dir.resolve("server.pem"), Pem.encode("CERTIFICATE", server.getEncoded()),
                US_ASCII);

        String text = openssl("x509", "-in", serverFile.toString(), "-noout", "-text");
        String verified = openssl("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", caFile.toString(),
                serverFile.toString());

        assertThat(text).contains("Version: 3 (0x2)", "Issuer: CN = Test CA", "Subject: CN = localhost",
                "DNS:localhost", "IP Address:127.0.0.1", "TLS Web Server Authentication", "CA:FALSE",
                "X509v3 Authority Key Identifier", "X509v3 Subject Key Identifier");
        assertThat(verified.strip()).isEqualTo(serverFile + ": OK");
    }

    private static void validate(X509Certificate server, X509Certificate ca) throws Exception {
        validate(server, ca, NOW);
    }

    private static void validate(X509Certificate server, X509Certificate ca, Instant at) throws Exception {
        var parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(server)), parameters);
    }

    /** Runs openssl (a test-only check: production code never runs it) and returns its output; fails on failure. */
    static String openssl(String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), US_ASCII);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", args[0], output).isZero();
        return output;
    }
}
