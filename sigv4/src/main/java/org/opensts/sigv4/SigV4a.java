package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * Signature Version 4A (IAM User Guide, "AWS Signature Version 4 for API requests": SigV4a): the request is signed
 * with ECDSA on P-256 and SHA-256 by a key pair derived from the access key, so one signature is valid in a set of
 * regions ({@code X-Amz-Region-Set}). The credential scope has no region: {@code date/service/aws4_request}.
 *
 * <p>Key derivation, as AWS's SDKs do it: NIST SP 800-108 HMAC-SHA256 in counter mode, keyed with
 * {@code "AWS4A" + secret}, over {@code 0x00000001 || "AWS4-ECDSA-P256-SHA256" || 0x00 || access key id || counter ||
 * 0x00000100}; the first output {@code c} with {@code c <= n - 2} (the counter counts up from 1 until one is) gives
 * the private key {@code d = c + 1}. The public key {@code d·G} is computed by the JDK's constant-time ECDH with the
 * generator as peer (which gives its x-coordinate), the sign of {@code y} by a second ECDH with {@code d + 1}; ECDSA
 * itself is the JDK's.
 */
public final class SigV4a {
    /** The algorithm name that opens the {@code Authorization} header and the string to sign. */
    public static final String ALGORITHM = "AWS4-ECDSA-P256-SHA256";
    /** The header and query parameter naming the regions a signature is valid in. */
    public static final String REGION_SET = "X-Amz-Region-Set";

    private static final byte[] KEY_PREFIX = "AWS4A".getBytes(UTF_8);
    private static final byte[] LABEL = ALGORITHM.getBytes(UTF_8);
    private static final ECParameterSpec P256 = p256();
    private static final BigInteger N_MINUS_2 = P256.getOrder().subtract(BigInteger.TWO);

    private SigV4a() {
    }

    /** The string to sign: the algorithm, the request time, the region-less scope and the canonical request's hash. */
    public static String stringToSign(String amzDate, String scope, CanonicalRequest canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + canonicalRequest.hashHex();
    }

    /** The private key derived from an access key. As secret as the secret access key. */
    public static ECPrivateKey derivePrivateKey(String accessKeyId, byte[] secretAccessKey) {
        requireNonNull(accessKeyId, "accessKeyId");
        requireNonNull(secretAccessKey, "secretAccessKey");
        byte[] key = new byte[KEY_PREFIX.length + secretAccessKey.length];
        System.arraycopy(KEY_PREFIX, 0, key, 0, KEY_PREFIX.length);
        System.arraycopy(secretAccessKey, 0, key, KEY_PREFIX.length, secretAccessKey.length);
        try {
            for (int counter = 1; counter <= 254; counter++) {
                var fixed = new ByteArrayOutputStream(64);
                fixed.writeBytes(new byte[] {0, 0, 0, 1});
                fixed.writeBytes(LABEL);
                fixed.write(0);
                fixed.writeBytes(accessKeyId.getBytes(UTF_8));
                fixed.write(counter);
                fixed.writeBytes(new byte[] {0, 0, 1, 0});
                byte[] k0 = Digests.hmacSha256(key, fixed.toByteArray());
                BigInteger c = new BigInteger(1, k0);
                Arrays.fill(k0, (byte) 0);
                // The comparison's timing tells only whether this rare retry happened (probability about 2^-32).
                if (c.compareTo(N_MINUS_2) <= 0) {
                    return privateKey(c.add(BigInteger.ONE));
                }
            }
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        throw new IllegalStateException("no SigV4a key for this access key within 254 counters");
    }

    /** The public key derived from an access key: what a verifier checks signatures with. */
    public static PublicKey derivePublicKey(String accessKeyId, byte[] secretAccessKey) {
        ECPrivateKey privateKey = derivePrivateKey(accessKeyId, secretAccessKey);
        BigInteger d = privateKey.getS();
        BigInteger p = ((java.security.spec.ECFieldFp) P256.getCurve().getField()).getP();
        BigInteger x = xOfMultiple(privateKey);
        BigInteger y = sqrt(x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p), p);
        // d·G is (x, y) or (x, p - y): the one whose sum with G has the x-coordinate of (d + 1)·G.
        BigInteger dPlusOne = d.add(BigInteger.ONE);
        if (dPlusOne.compareTo(P256.getOrder()) < 0) {
            BigInteger xNext = xOfMultiple(privateKey(dPlusOne));
            ECPoint g = P256.getGenerator();
            BigInteger lambda = y.subtract(g.getAffineY())
                    .multiply(x.subtract(g.getAffineX()).modInverse(p)).mod(p);
            BigInteger xSum = lambda.multiply(lambda).subtract(x).subtract(g.getAffineX()).mod(p);
            if (!xSum.equals(xNext)) {
                y = p.subtract(y);
            }
        } else {
            y = p.subtract(P256.getGenerator().getAffineY()); // d = n - 1: d·G = -G
        }
        return publicKey(new ECPoint(x, y));
    }

    /** A public key from its affine coordinates. */
    public static PublicKey publicKey(ECPoint point) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a P-256 point", e);
        }
    }

    /** Signs {@code stringToSign}: the DER-encoded ECDSA signature, as hex. */
    public static String sign(PrivateKey privateKey, String stringToSign) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(privateKey);
            signature.update(stringToSign.getBytes(UTF_8));
            return Hex.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform signs with SHA256withECDSA", e);
        }
    }

    /** Whether {@code derSignature} is a valid signature of {@code stringToSign} by {@code publicKey}. */
    public static boolean verify(PublicKey publicKey, String stringToSign, byte[] derSignature) {
        if (derSignature == null) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initVerify(publicKey);
            signature.update(stringToSign.getBytes(UTF_8));
            return signature.verify(derSignature);
        } catch (java.security.SignatureException e) {
            return false; // not DER, or out of range: not a signature at all
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform verifies SHA256withECDSA", e);
        }
    }

    private static ECPrivateKey privateKey(BigInteger d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, P256));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a P-256 private key in range is valid", e);
        }
    }

    /** The x-coordinate of {@code key}'s scalar times G, by ECDH with the generator as the peer. */
    private static BigInteger xOfMultiple(ECPrivateKey key) {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(key);
            agreement.doPhase(publicKey(P256.getGenerator()), true);
            byte[] x = agreement.generateSecret();
            BigInteger value = new BigInteger(1, x);
            Arrays.fill(x, (byte) 0);
            return value;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has ECDH on P-256", e);
        }
    }

    /** A square root modulo {@code p}, which for P-256 is 3 mod 4. */
    private static BigInteger sqrt(BigInteger value, BigInteger p) {
        return value.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has P-256", e);
        }
    }
}
