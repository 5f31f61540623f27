package org.opensts.federation.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signature half of web identity token verification: which compact JWS we parse, which algorithms we accept and
 * which published keys may verify them. Pure: no I/O, no clock.
 *
 * <p>Policy, after the STS API Reference for AssumeRoleWithWebIdentity ("Tokens must be signed using either RSA keys
 * (RS256, RS384, or RS512) or ECDSA keys (ES256, ES384, or ES512)"):
 * <ul>
 *   <li>three base64url segments in canonical form (no padding, no stray characters, no non-zero unused bits), a JWS
 *       header, a non-empty signature; anything else is not a JWS;</li>
 *   <li>only RS256/384/512 and ES256/384/512; a {@code crit} header is refused, as we understand no extension;</li>
 *   <li>keys come only from the provider's JWKS, never from the token's {@code jwk}, {@code jku}, {@code x5u} or
 *       {@code x5c} headers, which are ignored;</li>
 *   <li>a key may verify when its {@code use} is absent or {@code sig}, its {@code key_ops} (if any) include
 *       {@code verify}, its {@code alg} is absent or the header's, it holds no private part, its type and curve fit
 *       the algorithm, an RSA modulus has at least 2048 bits and its public exponent is odd and above 1.</li>
 * </ul>
 */
final class JwsSignatures {
    static final Set<JWSAlgorithm> ALLOWED = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    private static final Set<JWSAlgorithm> RSA_ALGORITHMS =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    private static final Map<Curve, JWSAlgorithm> EC_ALGORITHMS =
            Map.of(Curve.P_256, JWSAlgorithm.ES256, Curve.P_384, JWSAlgorithm.ES384, Curve.P_521, JWSAlgorithm.ES512);
    private static final int MIN_RSA_BITS = 2048;

    private JwsSignatures() {
    }

    /**
     * Parses the compact serialization; checks form only, not the algorithm or the signature.
     *
     * @throws ParseException when the text is not a compact JWS in canonical base64url
     */
    static JWSObject parseCompact(String text) throws ParseException {
        int first = text.indexOf('.');
        int second = first < 0 ? -1 : text.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || text.indexOf('.', second + 1) >= 0 || second == text.length() - 1) {
            throw new ParseException("not three segments with a header and a signature", 0);
        }
        String header = text.substring(0, first);
        String payload = text.substring(first + 1, second);
        String signature = text.substring(second + 1);
        if (!isCanonicalBase64Url(header) || !isCanonicalBase64Url(payload) || !isCanonicalBase64Url(signature)) {
            throw new ParseException("not canonical base64url", 0);
        }
        // The JWS header parser refuses "alg": "none" and JWE algorithms; the signing input stays the original text.
        return new JWSObject(new Base64URL(header), new Base64URL(payload), new Base64URL(signature));
    }

    /** Whether the header asks for an algorithm we accept, without critical extensions. */
    static boolean headerAllowed(JWSHeader header) {
        return ALLOWED.contains(header.getAlgorithm()) && header.getCriticalParams() == null;
    }

    /**
     * A published key that passed the key policy, with the algorithms it may verify and its verifier, all worked out
     * once when the key set is fetched: decoding the modulus and building the JCA key cost about as much as the
     * signature check, so they are not done per request.
     */
    record VerificationKey(JWK jwk, Set<JWSAlgorithm> algorithms, JWSVerifier verifier) {
    }

    /** The keys of a set that pass the key policy; the others are dropped, as if they were not published. */
    static List<VerificationKey> prepare(List<JWK> keys) {
        List<VerificationKey> prepared = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            Set<JWSAlgorithm> algorithms = algorithms(key);
            if (algorithms.isEmpty()) {
                continue;
            }
            try {
                JWSVerifier verifier = key instanceof RSAKey rsa
                        ? new RSASSAVerifier(rsa.toRSAPublicKey())
                        : new ECDSAVerifier(((ECKey) key).toECPublicKey());
                prepared.add(new VerificationKey(key, algorithms, verifier));
            } catch (JOSEException | RuntimeException e) {
                // Not a usable public key: as if it were not published.
            }
        }
        return List.copyOf(prepared);
    }

    /** The keys that may verify a signature under this header: by {@code kid} when it has one, else every fit key. */
    static List<VerificationKey> candidates(JWSHeader header, List<VerificationKey> keys) {
        String kid = header.getKeyID();
        List<VerificationKey> fit = new ArrayList<>(1);
        for (VerificationKey key : keys) {
            if ((kid == null || kid.equals(key.jwk().getKeyID())) && key.algorithms().contains(header.getAlgorithm())) {
                fit.add(key);
            }
        }
        return fit;
    }

    /** Whether any key of {@link #candidates} verifies the signature. Never throws for hostile input. */
    static boolean verify(JWSObject jws, List<VerificationKey> candidates) {
        if (!headerAllowed(jws.getHeader())) {
            return false;
        }
        for (VerificationKey key : candidates) {
            try {
                if (jws.verify(key.verifier())) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // A signature of the wrong shape for this key: this key did not verify it.
            }
        }
        return false;
    }

    /**
     * The whole policy in one call, for vectors: parse, algorithm, candidate keys of the set, signature.
     *
     * @param keys the JWKS as published (a JSON object with {@code keys}), parsed leniently as the fetcher does
     */
    static boolean verifyCompact(String compact, Map<String, Object> keys) {
        JWSObject jws;
        try {
            jws = parseCompact(compact);
        } catch (ParseException e) {
            return false;
        }
        return verify(jws, candidates(jws.getHeader(), prepare(Jwks.parseLeniently(keys))));
    }

    /** The algorithms of {@link #ALLOWED} that the key policy lets this key verify; empty for an unusable key. */
    static Set<JWSAlgorithm> algorithms(JWK key) {
        if (key.isPrivate()) {
            return Set.of();
        }
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return Set.of();
        }
        if (key.getKeyOperations() != null && !key.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return Set.of();
        }
        Set<JWSAlgorithm> byType;
        if (key instanceof RSAKey rsa) {
            BigInteger exponent = rsa.getPublicExponent().decodeToBigInteger();
            // An even exponent or one of 1 makes no RSA key: with e = 1 the "signature" is the padded digest itself.
            boolean sound = rsa.size() >= MIN_RSA_BITS && exponent.testBit(0) && exponent.compareTo(BigInteger.ONE) > 0;
            byType = sound ? RSA_ALGORITHMS : Set.of();
        } else if (key instanceof ECKey ec) {
            byType = Optional.ofNullable(EC_ALGORITHMS.get(ec.getCurve())).map(Set::of).orElse(Set.of());
        } else {
            byType = Set.of();
        }
        if (key.getAlgorithm() == null) {
            return byType;
        }
        JWSAlgorithm declared = JWSAlgorithm.parse(key.getAlgorithm().getName());
        return byType.contains(declared) ? Set.of(declared) : Set.of();
    }

    /**
     * RFC 7515 §2: base64url without padding; also refuses non-zero unused bits, which decoders silently drop. The
     * empty segment is canonical (an empty payload); {@link #parseCompact} requires a header and a signature.
     */
    static boolean isCanonicalBase64Url(String segment) {
        if (segment.length() % 4 == 1) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_';
            if (!ok) {
                return false;
            }
        }
        byte[] decoded = Base64.getUrlDecoder().decode(segment);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(decoded).equals(segment);
    }
}
