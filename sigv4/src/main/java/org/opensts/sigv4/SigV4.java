package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.time.format.DateTimeFormatter.BASIC_ISO_DATE;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;

/**
 * Steps 2 to 4 of SigV4, named as the AWS document names them: the string to sign, the signing key and the
 * signature. Step 1 is {@link CanonicalRequest}. These are the pure functions under {@link SigV4Signer} and
 * {@link SigV4Verifier}, public so that tests and tools can check or explain each step.
 */
public final class SigV4 {

    /** The algorithm name that opens the {@code Authorization} header and the string to sign. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** The payload hash a client sends in {@code x-amz-content-sha256} when it does not sign the body. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final byte[] KEY_PREFIX = "AWS4".getBytes(UTF_8);
    private static final byte[] TERMINATOR = CredentialScope.TERMINATOR.getBytes(UTF_8);

    private SigV4() {
    }

    /**
     * Step 2: the string to sign.
     *
     * <pre>
     * AWS4-HMAC-SHA256
     * 20150830T123600Z
     * 20150830/us-east-1/sts/aws4_request
     * hex(SHA-256(canonical request))
     * </pre>
     *
     * @param requestTime the {@code X-Amz-Date} of the request, written to the second
     */
    public static String stringToSign(Instant requestTime, CredentialScope scope, CanonicalRequest canonicalRequest) {
        requireNonNull(requestTime, "requestTime");
        requireNonNull(scope, "scope");
        requireNonNull(canonicalRequest, "canonicalRequest");
        return stringToSign(AmzDate.format(requestTime), scope.toScopeString(), canonicalRequest);
    }

    static String stringToSign(String amzDate, String scope, CanonicalRequest canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + canonicalRequest.hashHex();
    }

    /**
     * Step 4 as a verifier takes it: the signature's bytes over the string to sign of a canonical request whose
     * SHA-256 is {@code canonicalRequestSha256}, the string written into {@code scratch} (cleared first) rather than
     * into a new {@code String}. Equal to {@code signatureBytes(signingKey, stringToSign(amzDate, scope, …))}.
     */
    static byte[] signatureBytes(byte[] signingKey, String amzDate, String scope, byte[] canonicalRequestSha256,
            StringBuilder scratch) {
        scratch.setLength(0);
        scratch.append(ALGORITHM).append('\n').append(amzDate).append('\n').append(scope).append('\n');
        Hex.append(canonicalRequestSha256, scratch);
        return Digests.hmacSha256(signingKey, scratch);
    }

    /**
     * Step 3: the signing key, {@code kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
     * "aws4_request")}. The result is as secret as the secret access key for the scope's day, region and service.
     *
     * @param secretAccessKey the secret access key's bytes (its UTF-8 text)
     */
    public static byte[] deriveSigningKey(byte[] secretAccessKey, CredentialScope scope) {
        requireNonNull(secretAccessKey, "secretAccessKey");
        requireNonNull(scope, "scope");
        byte[] kSecret = new byte[KEY_PREFIX.length + secretAccessKey.length];
        System.arraycopy(KEY_PREFIX, 0, kSecret, 0, KEY_PREFIX.length);
        System.arraycopy(secretAccessKey, 0, kSecret, KEY_PREFIX.length, secretAccessKey.length);
        byte[] kDate = Digests.hmacSha256(kSecret, BASIC_ISO_DATE.format(scope.date()).getBytes(UTF_8));
        Arrays.fill(kSecret, (byte) 0);
        byte[] kRegion = Digests.hmacSha256(kDate, scope.region().getBytes(UTF_8));
        byte[] kService = Digests.hmacSha256(kRegion, scope.service().getBytes(UTF_8));
        return Digests.hmacSha256(kService, TERMINATOR);
    }

    /** Step 4: the signature, {@code hex(HMAC(signingKey, stringToSign))}. */
    public static String signature(byte[] signingKey, String stringToSign) {
        requireNonNull(signingKey, "signingKey");
        requireNonNull(stringToSign, "stringToSign");
        return Hex.encode(signatureBytes(signingKey, stringToSign));
    }

    static byte[] signatureBytes(byte[] signingKey, String stringToSign) {
        return Digests.hmacSha256(signingKey, stringToSign.getBytes(UTF_8));
    }
}
