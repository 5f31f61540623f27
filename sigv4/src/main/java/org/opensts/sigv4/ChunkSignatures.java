package org.opensts.sigv4;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

/**
 * The chained signatures of an {@code aws-chunked} body signed with {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD} (Amazon
 * S3 API Reference, "Signature calculations for the Authorization header: Transferring payload in multiple chunks"):
 * each chunk's signature signs the previous signature (the request's own, the seed, for the first chunk) and the
 * chunk's hash, so chunks cannot be dropped, reordered or changed.
 *
 * <pre>
 * AWS4-HMAC-SHA256-PAYLOAD          AWS4-HMAC-SHA256-TRAILER
 * 20130524T000000Z                  20130524T000000Z
 * 20130524/us-east-1/s3/aws4_request  (scope)
 * previous-signature                previous-signature (the final, empty chunk's)
 * hex(SHA-256(""))                  hex(SHA-256(trailing headers, each "name:value\n"))
 * hex(SHA-256(chunk data))
 * </pre>
 *
 * <p>Holds a signing key; not thread-safe (one body at a time). {@link #toString()} shows nothing secret.
 */
public final class ChunkSignatures {
    /** The algorithm line of a chunk's string to sign. */
    public static final String CHUNK_ALGORITHM = "AWS4-HMAC-SHA256-PAYLOAD";
    /** The algorithm line of the trailer's string to sign. */
    public static final String TRAILER_ALGORITHM = "AWS4-HMAC-SHA256-TRAILER";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private final byte[] signingKey;
    private final String amzDate;
    private final String scope;
    private String previous;

    ChunkSignatures(byte[] signingKey, String amzDate, String scope, String seedSignature) {
        this.signingKey = signingKey;
        this.amzDate = amzDate;
        this.scope = scope;
        this.previous = seedSignature;
    }

    /**
     * The chain of a body a client signs: from the secret, the scope and time the request was signed with, and the
     * request's signature (the seed).
     */
    public static ChunkSignatures forSigning(byte[] secretAccessKey, CredentialScope scope, Instant time,
            String seedSignature) {
        requireNonNull(seedSignature, "seedSignature");
        return new ChunkSignatures(SigV4.deriveSigningKey(secretAccessKey, scope), AmzDate.format(time),
                scope.toScopeString(), seedSignature);
    }

    /** Signs the next chunk, given the SHA-256 of its data, and moves the chain on. */
    public String signChunk(byte[] chunkSha256) {
        previous = Hex.encode(Digests.hmacSha256(signingKey, chunkStringToSign(chunkSha256).getBytes(UTF_8)));
        return previous;
    }

    /** Signs the trailer, given the SHA-256 of its headers as {@link #trailerText} writes them. */
    public String signTrailer(byte[] trailerSha256) {
        previous = Hex.encode(Digests.hmacSha256(signingKey, trailerStringToSign(trailerSha256).getBytes(UTF_8)));
        return previous;
    }

    /**
     * Whether {@code claimedHex} is the next chunk's signature, compared in constant time; the chain moves on only if
     * it is.
     */
    public boolean verifyChunk(byte[] chunkSha256, String claimedHex) {
        return verify(chunkStringToSign(chunkSha256), claimedHex);
    }

    /** Whether {@code claimedHex} is the trailer's signature, compared in constant time. */
    public boolean verifyTrailer(byte[] trailerSha256, String claimedHex) {
        return verify(trailerStringToSign(trailerSha256), claimedHex);
    }

    /** The text the trailer's hash is taken over: each header {@code name:value\n}, in the order given. */
    public static String trailerText(Iterable<Map.Entry<String, String>> trailers) {
        StringBuilder text = new StringBuilder();
        for (var trailer : trailers) {
            text.append(trailer.getKey()).append(':').append(trailer.getValue()).append('\n');
        }
        return text.toString();
    }

    private boolean verify(String stringToSign, String claimedHex) {
        byte[] claimed = Hex.decodeLowerCase(claimedHex);
        byte[] expected = Digests.hmacSha256(signingKey, stringToSign.getBytes(UTF_8));
        if (claimed == null || !MessageDigest.isEqual(expected, claimed)) {
            return false;
        }
        previous = Hex.encode(expected);
        return true;
    }

    private String chunkStringToSign(byte[] chunkSha256) {
        return CHUNK_ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + previous + '\n' + EMPTY_SHA256 + '\n'
                + Hex.encode(chunkSha256);
    }

    private String trailerStringToSign(byte[] trailerSha256) {
        return TRAILER_ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + previous + '\n' + Hex.encode(trailerSha256);
    }

    @Override
    public String toString() {
        return "ChunkSignatures[" + scope + ']';
    }
}
