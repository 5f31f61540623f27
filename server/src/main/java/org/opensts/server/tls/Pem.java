package org.opensts.server.tls;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files (RFC 7468): certificate chains, and unencrypted private keys in PKCS #8 ({@code PRIVATE KEY}), PKCS #1
 * ({@code RSA PRIVATE KEY}) or SEC 1 ({@code EC PRIVATE KEY}) form, the three that common tools write.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";

    private Pem() {
    }

    /** {@code der} as a PEM block labelled {@code label}, 64 characters a line. */
    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    /**
     * The certificates of {@code file}, in their order (the server's first, then the CAs that issued it).
     *
     * @throws IOException if the file cannot be read or holds no certificate, or one that cannot be parsed
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        var certificates = new ArrayList<X509Certificate>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(Files.readString(file, US_ASCII))) {
                if (block.label().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new IOException(file + " holds a certificate that cannot be parsed", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + " holds no PEM certificate");
        }
        return List.copyOf(certificates);
    }

    /**
     * The one private key of {@code file}.
     *
     * @throws IOException if the file cannot be read, holds no unencrypted private key or several, or the key is
     *     neither RSA nor EC
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        var keys = new ArrayList<PrivateKey>();
        try {
            for (Block block : blocks(Files.readString(file, US_ASCII))) {
                switch (block.label()) {
                    case "PRIVATE KEY" -> keys.add(pkcs8(block.der()));
                    case "RSA PRIVATE KEY" -> keys.add(pkcs8(privateKeyInfo(
                            Der.sequence(Der.oid(RSA_ENCRYPTION), Der.nullValue()), block.der())));
                    case "EC PRIVATE KEY" -> keys.add(pkcs8(privateKeyInfo(
                            Der.sequence(Der.oid(EC_PUBLIC_KEY), sec1Curve(block.der())), block.der())));
                    case "ENCRYPTED PRIVATE KEY" -> throw new IOException(file + " holds an encrypted private key; "
                            + "the key file must be unencrypted (and readable by its owner only)");
                    default -> {
                        // EC PARAMETERS and the like, which some tools write before the key.
                    }
                }
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(file + " holds a private key that cannot be parsed", e);
        }
        if (keys.size() != 1) {
            throw new IOException(file + " must hold exactly one PEM private key, not " + keys.size());
        }
        return keys.get(0);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        var spec = new PKCS8EncodedKeySpec(der);
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(spec);
        } catch (GeneralSecurityException e) {
            return KeyFactory.getInstance("EC").generatePrivate(spec);
        }
    }

    /** PKCS #8 PrivateKeyInfo (RFC 5208): version 0, the algorithm, and the algorithm's own key encoding. */
    private static byte[] privateKeyInfo(byte[] algorithmIdentifier, byte[] privateKey) {
        return Der.sequence(Der.integer(0), algorithmIdentifier, Der.octetString(privateKey));
    }

    /**
     * The named curve of a SEC 1 ECPrivateKey (RFC 5915: version, privateKey, [0] parameters, [1] publicKey), as the
     * OBJECT IDENTIFIER element to put in a PKCS #8 AlgorithmIdentifier.
     */
    private static byte[] sec1Curve(byte[] der) throws GeneralSecurityException {
        Der.Element key = Der.readElement(der, 0);
        byte[] fields = key.contents();
        int offset = 0;
        while (offset < fields.length) {
            Der.Element field = Der.readElement(fields, offset);
            if (field.tag() == 0xa0) {
                Der.Element curve = Der.readElement(field.contents(), 0);
                if (curve.tag() != Der.OBJECT_IDENTIFIER) {
                    break;
                }
                return Der.element(Der.OBJECT_IDENTIFIER, curve.contents());
            }
            offset = field.end();
        }
        throw new GeneralSecurityException("the EC private key does not name its curve");
    }

    private record Block(String label, byte[] der) {
    }

    private static List<Block> blocks(String text) {
        var blocks = new ArrayList<Block>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
        }
        return blocks;
    }
}
