package org.opensts.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What goes into one X.509 v3 certificate (RFC 5280), and {@link #sign} to encode and sign it. It covers exactly what
 * a private CA and its TLS server certificates need: a CN-only subject and issuer, a validity window, the subject's
 * public key, basicConstraints, keyUsage, extendedKeyUsage serverAuth (for a server), subjectAltName with DNS names and
 * IP addresses, and subject and authority key identifiers. EC keys are signed with ECDSA over SHA-256, RSA keys with
 * PKCS #1 v1.5 over SHA-256.
 *
 * @param issuerPublicKey the key the issuer signs with, for the authority key identifier; the subject's own key for
 *     a self-signed certificate
 */
public record CertificateTemplate(BigInteger serialNumber, String subjectCommonName, String issuerCommonName,
        Instant notBefore, Instant notAfter, PublicKey subjectPublicKey, PublicKey issuerPublicKey,
        boolean certificateAuthority, List<String> dnsNames, List<InetAddress> ipAddresses) {
    // RFC 5280 4.1.1.2 and 4.2.1; RFC 5758 3.2 (ecdsa-with-SHA256, no parameters); RFC 4055 5 (sha256WithRSA, NULL).
    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    public CertificateTemplate {
        requireNonNull(serialNumber, "serialNumber");
        requireNonNull(subjectCommonName, "subjectCommonName");
        requireNonNull(issuerCommonName, "issuerCommonName");
        requireNonNull(notBefore, "notBefore");
        requireNonNull(notAfter, "notAfter");
        requireNonNull(subjectPublicKey, "subjectPublicKey");
        requireNonNull(issuerPublicKey, "issuerPublicKey");
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        // RFC 5280 4.1.2.2: a positive integer of at most 20 octets.
        if (serialNumber.signum() <= 0 || serialNumber.toByteArray().length > 20) {
            throw new IllegalArgumentException("the serial number must be positive and at most 20 octets");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        if (!certificateAuthority && dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one subject alternative name");
        }
    }

    /**
     * Encodes this certificate and signs it with the issuer's private key.
     *
     * @throws GeneralSecurityException if the key is neither RSA nor EC, or signing fails
     */
    public X509Certificate sign(PrivateKey issuerPrivateKey) throws GeneralSecurityException {
        String signatureAlgorithm;
        byte[] algorithmIdentifier;
        switch (issuerPrivateKey.getAlgorithm()) {
            case "EC" -> {
                signatureAlgorithm = "SHA256withECDSA";
                algorithmIdentifier = Der.sequence(Der.oid(ECDSA_WITH_SHA256));
            }
            case "RSA" -> {
                signatureAlgorithm = "SHA256withRSA";
                algorithmIdentifier = Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nullValue());
            }
            default -> throw new GeneralSecurityException("unsupported issuer key: " + issuerPrivateKey.getAlgorithm());
        }
        byte[] tbsCertificate = Der.sequence(
                Der.explicit(0, Der.integer(2)), // version v3
                Der.integer(serialNumber),
                algorithmIdentifier,
                name(issuerCommonName),
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name(subjectCommonName),
                subjectPublicKey.getEncoded(), // the JDK's encoding is a SubjectPublicKeyInfo
                Der.explicit(3, Der.sequence(extensions())));
        var signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(issuerPrivateKey);
        signer.update(tbsCertificate);
        byte[] certificate = Der.sequence(tbsCertificate, algorithmIdentifier, Der.bitString(signer.sign()));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
    }

    private byte[][] extensions() throws GeneralSecurityException {
        var extensions = new ArrayList<byte[]>();
        // A CA may sign end-entity certificates only (pathLenConstraint 0); cA FALSE is the default and so omitted.
        extensions.add(extension(BASIC_CONSTRAINTS, /* critical= */ true, certificateAuthority
                ? Der.sequence(Der.bool(true), Der.integer(0))
                : Der.sequence()));
        extensions.add(extension(KEY_USAGE, /* critical= */ true, certificateAuthority
                ? Der.namedBits(DIGITAL_SIGNATURE, KEY_CERT_SIGN, CRL_SIGN)
                : "RSA".equals(subjectPublicKey.getAlgorithm())
                        ? Der.namedBits(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)
                        : Der.namedBits(DIGITAL_SIGNATURE)));
        if (!certificateAuthority) {
            extensions.add(extension(EXTENDED_KEY_USAGE, /* critical= */ false, Der.sequence(Der.oid(SERVER_AUTH))));
        }
        if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
            var names = new ArrayList<byte[]>();
            for (String dnsName : dnsNames) {
                names.add(Der.implicitPrimitive(2, dnsName.getBytes(US_ASCII)));
            }
            for (InetAddress address : ipAddresses) {
                names.add(Der.implicitPrimitive(7, address.getAddress()));
            }
            extensions.add(extension(SUBJECT_ALT_NAME, /* critical= */ false,
                    Der.sequence(names.toArray(byte[][]::new))));
        }
        extensions.add(extension(SUBJECT_KEY_IDENTIFIER, /* critical= */ false,
                Der.octetString(keyIdentifier(subjectPublicKey))));
        extensions.add(extension(AUTHORITY_KEY_IDENTIFIER, /* critical= */ false,
                Der.sequence(Der.implicitPrimitive(0, keyIdentifier(issuerPublicKey)))));
        return extensions.toArray(byte[][]::new);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    /** A Name of one RDN, the common name, as a UTF8String. */
    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8String(commonName))));
    }

    /** RFC 5280 4.2.1.2, method (1): SHA-1 of the subjectPublicKey BIT STRING's value, without its unused-bits byte. */
    static byte[] keyIdentifier(PublicKey key) throws GeneralSecurityException {
        Der.Element spki = Der.readElement(key.getEncoded(), 0);
        Der.Element algorithm = Der.readElement(spki.contents(), 0);
        Der.Element bits = Der.readElement(spki.contents(), algorithm.end());
        byte[] contents = bits.contents();
        var digest = MessageDigest.getInstance("SHA-1");
        digest.update(contents, 1, contents.length - 1);
        return digest.digest();
    }
}
