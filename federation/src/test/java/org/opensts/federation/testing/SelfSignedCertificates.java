package org.opensts.federation.testing;

import static org.opensts.federation.testing.Der.oid;
import static org.opensts.federation.testing.Der.sequence;
import static org.opensts.federation.testing.Der.tlv;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;

/**
 * Self-signed X.509 v3 certificates for test keys, written in DER by hand: the JDK can parse certificates but offers
 * no public API to make one, and a test IdP's certificate only has to carry its public key (IdPs' metadata
 * certificates are routinely self-signed; nothing validates a chain).
 */
final class SelfSignedCertificates {
    private static final byte[] SHA256_WITH_RSA = oid(1, 2, 840, 113549, 1, 1, 11);
    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);

    private SelfSignedCertificates() {
    }

    /** A certificate for {@code keyPair} (RSA or EC), subject and issuer {@code CN=commonName}, valid 2000–2049. */
    static X509Certificate create(KeyPair keyPair, String commonName, long serial) {
        try {
            boolean ec = keyPair.getPublic() instanceof ECKey;
            byte[] algorithm = ec ? sequence(ECDSA_WITH_SHA256) : sequence(SHA256_WITH_RSA, tlv(0x05, new byte[0]));
            byte[] cn = tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8));
            byte[] name = sequence(tlv(0x31, sequence(COMMON_NAME, cn)));
            byte[] validity = sequence(utcTime("000101000000Z"), utcTime("491231235959Z"));
            byte[] tbs = sequence(
                    tlv(0xa0, tlv(0x02, new byte[] {2})),
                    tlv(0x02, BigInteger.valueOf(serial).toByteArray()),
                    algorithm, name, validity, name,
                    keyPair.getPublic().getEncoded());
            var signer = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
            signer.initSign(keyPair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bitString = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bitString, 1, signature.length);
            byte[] der = sequence(tbs, algorithm, tlv(0x03, bitString));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static byte[] utcTime(String value) {
        return tlv(0x17, value.getBytes(StandardCharsets.US_ASCII));
    }



}
