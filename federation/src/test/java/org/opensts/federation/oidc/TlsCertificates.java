package org.opensts.federation.oidc;

import static org.opensts.federation.testing.Der.oid;
import static org.opensts.federation.testing.Der.sequence;
import static org.opensts.federation.testing.Der.tlv;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * X.509 v3 certificates for loopback TLS tests, written in DER by hand (the JDK parses certificates but has no public
 * API to make one): any subject and issuer name, any signing key, any validity, a CA flag and subject alternative
 * names. That freedom is the point: a test can make a chain whose leaf names a CA as its issuer but was signed by
 * another key. Keys are EC P-256, signatures ECDSA with SHA-256.
 */
final class TlsCertificates {
    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final byte[] BASIC_CONSTRAINTS = oid(2, 5, 29, 19);
    private static final byte[] SUBJECT_ALT_NAME = oid(2, 5, 29, 17);
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final AtomicLong SERIALS = new AtomicLong(1000);

    /** 127.0.0.1, the address the loopback servers listen on. */
    static final byte[] LOOPBACK = {127, 0, 0, 1};

    private TlsCertificates() {
    }

    /** What a certificate says; build one with {@link #sign(PrivateKey)}. */
    record Spec(String subject, String issuer, PublicKey publicKey, ZonedDateTime notBefore, ZonedDateTime notAfter,
            boolean ca, List<String> dnsNames, List<byte[]> ipAddresses) {

        /** Valid from a day ago for a year, no CA, no names. */
        static Spec of(String subject, PublicKey publicKey) {
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            return new Spec(subject, subject, publicKey, now.minusDays(1), now.plusYears(1), false, List.of(),
                    List.of());
        }

        Spec issuedBy(String issuerName) {
            return new Spec(subject, issuerName, publicKey, notBefore, notAfter, ca, dnsNames, ipAddresses);
        }

        Spec valid(ZonedDateTime from, ZonedDateTime until) {
            return new Spec(subject, issuer, publicKey, from, until, ca, dnsNames, ipAddresses);
        }

        Spec authority() {
            return new Spec(subject, issuer, publicKey, notBefore, notAfter, true, dnsNames, ipAddresses);
        }

        Spec names(List<String> dns, List<byte[]> ips) {
            return new Spec(subject, issuer, publicKey, notBefore, notAfter, ca, dns, ips);
        }

        /** For the loopback server: SAN {@code IP:127.0.0.1} and {@code DNS:localhost}. */
        Spec loopback() {
            return names(List.of("localhost"), List.of(LOOPBACK));
        }

        X509Certificate sign(PrivateKey signer) {
            return TlsCertificates.sign(this, signer);
        }
    }

    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }



    private static X509Certificate sign(Spec spec, PrivateKey signer) {
        try {
            byte[] algorithm = sequence(ECDSA_WITH_SHA256);
            byte[] tbs = sequence(
                    tlv(0xa0, tlv(0x02, new byte[] {2})),
                    tlv(0x02, BigInteger.valueOf(SERIALS.incrementAndGet()).toByteArray()),
                    algorithm,
                    name(spec.issuer()),
                    sequence(utcTime(spec.notBefore()), utcTime(spec.notAfter())),
                    name(spec.subject()),
                    spec.publicKey().getEncoded(),
                    tlv(0xa3, sequence(extensions(spec))));
            var signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(signer);
            signature.update(tbs);
            byte[] value = signature.sign();
            byte[] bitString = new byte[value.length + 1];
            System.arraycopy(value, 0, bitString, 1, value.length);
            byte[] der = sequence(tbs, algorithm, tlv(0x03, bitString));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static byte[] extensions(Spec spec) {
        var out = new ByteArrayOutputStream();
        byte[] critical = tlv(0x01, new byte[] {(byte) 0xff});
        byte[] constraints = spec.ca() ? sequence(tlv(0x01, new byte[] {(byte) 0xff})) : sequence();
        out.writeBytes(sequence(BASIC_CONSTRAINTS, critical, tlv(0x04, constraints)));
        if (!spec.dnsNames().isEmpty() || !spec.ipAddresses().isEmpty()) {
            var names = new ByteArrayOutputStream();
            for (String dns : spec.dnsNames()) {
                names.writeBytes(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
            }
            for (byte[] ip : spec.ipAddresses()) {
                names.writeBytes(tlv(0x87, ip));
            }
            out.writeBytes(sequence(SUBJECT_ALT_NAME, tlv(0x04, tlv(0x30, names.toByteArray()))));
        }
        return out.toByteArray();
    }

    private static byte[] name(String commonName) {
        byte[] cn = tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8));
        return sequence(tlv(0x31, sequence(COMMON_NAME, cn)));
    }

    private static byte[] utcTime(ZonedDateTime time) {
        return tlv(0x17, UTC_TIME.format(time.withZoneSameInstant(ZoneOffset.UTC)).getBytes(StandardCharsets.US_ASCII));
    }



}
