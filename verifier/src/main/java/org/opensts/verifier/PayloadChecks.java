package org.opensts.verifier;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.opensts.sigv4.ChecksumAlgorithm;

/** The {@link PayloadCheck}s of bodies that are not {@code aws-chunked}. */
final class PayloadChecks {
    /** The hex SHA-256 of nothing: the payload hash of a request without a body. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** A whole body is hashed at once on each Query API call: each thread keeps its digest, which digest() resets. */
    private static final ThreadLocal<MessageDigest> ONE_SHOT_SHA256 = ThreadLocal.withInitial(PayloadChecks::sha256);

    private PayloadChecks() {
    }

    /** Checks the signature once the body's hash is known; throws as the signature check does. */
    @FunctionalInterface
    interface DeferredSignature {
        void verify(String bodySha256Hex) throws VerificationException;
    }

    /** A body the service already checked whole: everything passes through. */
    static PayloadCheck alreadyChecked(long length) {
        return new PayloadCheck() {
            @Override
            public void update(ByteBuffer received, Consumer<ByteBuffer> decoded) {
                if (received.hasRemaining()) {
                    decoded.accept(received);
                }
            }

            @Override
            public Map<String, String> finish() {
                return Map.of();
            }

            @Override
            public OptionalLong decodedContentLength() {
                return OptionalLong.of(length);
            }
        };
    }

    /** An unsigned body ({@code UNSIGNED-PAYLOAD}): only its length is checked against {@code Content-Length}. */
    static PayloadCheck unsigned(OptionalLong contentLength, boolean s3) {
        return new Counting(contentLength, s3) {
            @Override
            void end(long received) {
            }
        };
    }

    /** A body whose SHA-256 the request signed: hashed as it streams, compared at the end. */
    static PayloadCheck signedHash(String expectedHex, OptionalLong contentLength, boolean s3) {
        MessageDigest digest = sha256();
        byte[] expected = HexFormat.of().parseHex(expectedHex);
        return new Counting(contentLength, s3) {
            @Override
            void consume(ByteBuffer bytes) {
                digest.update(bytes);
            }

            @Override
            void end(long received) throws VerificationException {
                if (!MessageDigest.isEqual(expected, digest.digest())) {
                    throw contentMismatch(s3);
                }
            }
        };
    }

    /**
     * A body whose hash only the signature covers (a Query service's request without {@code x-amz-content-sha256}):
     * hashed as it streams, and the signature checked with that hash at the end.
     */
    static PayloadCheck deferredSignature(OptionalLong contentLength, boolean s3, DeferredSignature signature) {
        MessageDigest digest = sha256();
        return new Counting(contentLength, s3) {
            @Override
            void consume(ByteBuffer bytes) {
                digest.update(bytes);
            }

            @Override
            void end(long received) throws VerificationException {
                signature.verify(HexFormat.of().formatHex(digest.digest()));
            }
        };
    }

    /**
     * Adds the check of {@code x-amz-checksum-…} headers to {@code check}: each checksum is computed over the decoded
     * body and compared when it ends ({@link VerificationFailure#BAD_DIGEST}). A body already known is checked now.
     */
    static PayloadCheck withChecksumHeaders(PayloadCheck check, Map<ChecksumAlgorithm, String> expected,
            String contentMd5, ByteBuffer knownBody) throws VerificationException {
        if (expected.isEmpty() && contentMd5 == null) {
            return check;
        }
        MessageDigest md5 = contentMd5 == null ? null : md5();
        if (knownBody != null) {
            for (var entry : expected.entrySet()) {
                ChecksumAlgorithm.Running running = entry.getKey().start();
                running.update(knownBody.duplicate());
                compare(entry.getKey(), running, entry.getValue());
            }
            if (md5 != null) {
                md5.update(knownBody.duplicate());
                compareMd5(md5, contentMd5);
            }
            return check;
        }
        Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> running = new EnumMap<>(ChecksumAlgorithm.class);
        expected.keySet().forEach(algorithm -> running.put(algorithm, algorithm.start()));
        return new PayloadCheck() {
            @Override
            public void update(ByteBuffer received, Consumer<ByteBuffer> decoded) throws VerificationException {
                check.update(received, data -> {
                    running.values().forEach(checksum -> checksum.update(data.duplicate()));
                    if (md5 != null) {
                        md5.update(data.duplicate());
                    }
                    decoded.accept(data);
                });
            }

            @Override
            public Map<String, String> finish() throws VerificationException {
                Map<String, String> trailers = check.finish();
                for (var entry : expected.entrySet()) {
                    compare(entry.getKey(), running.get(entry.getKey()), entry.getValue());
                }
                if (md5 != null) {
                    compareMd5(md5, contentMd5);
                }
                return trailers;
            }

            @Override
            public OptionalLong decodedContentLength() {
                return check.decodedContentLength();
            }
        };
    }

    /** S3 compares a {@code Content-MD5} with the body it received: {@code BadDigest} when they differ. */
    private static void compareMd5(MessageDigest md5, String claimed) throws VerificationException {
        if (!MessageDigest.isEqual(Base64.getEncoder().encode(md5.digest()),
                claimed.strip().getBytes(StandardCharsets.UTF_8))) {
            throw new VerificationException(VerificationFailure.BAD_DIGEST, Messages.S3_BAD_MD5);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides MD5", e);
        }
    }

    private static void compare(ChecksumAlgorithm algorithm, ChecksumAlgorithm.Running running, String claimed)
            throws VerificationException {
        if (!MessageDigest.isEqual(running.base64().getBytes(StandardCharsets.UTF_8),
                claimed.getBytes(StandardCharsets.UTF_8))) {
            throw new VerificationException(VerificationFailure.BAD_DIGEST, Messages.badDigest(algorithm.awsName()));
        }
    }

    /** Checks a whole body against the hex SHA-256 the request signed. */
    static void checkHash(String expectedHex, ByteBuffer body, boolean s3) throws VerificationException {
        if (!MessageDigest.isEqual(HexFormat.of().parseHex(expectedHex), sha256(body))) {
            throw contentMismatch(s3);
        }
    }

    static String sha256Hex(ByteBuffer body) {
        return HexFormat.of().formatHex(sha256(body));
    }

    private static byte[] sha256(ByteBuffer body) {
        MessageDigest digest = ONE_SHOT_SHA256.get();
        // Reset first: a digest left half-fed by a failure would put one body's bytes into the next one's hash.
        digest.reset();
        digest.update(body.duplicate());
        return digest.digest();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static VerificationException contentMismatch(boolean s3) {
        // Query services compute the body's hash themselves, so a lying header is a signature mismatch there.
        return s3
                ? new VerificationException(VerificationFailure.CONTENT_SHA256_MISMATCH,
                        Messages.S3_CONTENT_SHA256_MISMATCH)
                : new VerificationException(VerificationFailure.CONTENT_SHA256_MISMATCH,
                        Messages.QUERY_SIGNATURE_DOES_NOT_MATCH);
    }

    /**
     * A body handed out as received, counted against its declared length. {@code finish} may be called once; feeding
     * after it is a programming error.
     */
    private abstract static class Counting implements PayloadCheck {
        private final OptionalLong contentLength;
        private final boolean s3;
        private long received;
        private boolean finished;

        Counting(OptionalLong contentLength, boolean s3) {
            this.contentLength = contentLength;
            this.s3 = s3;
        }

        void consume(ByteBuffer bytes) {
        }

        abstract void end(long received) throws VerificationException;

        @Override
        public final void update(ByteBuffer bytes, Consumer<ByteBuffer> decoded) throws VerificationException {
            if (finished) {
                throw new IllegalStateException("the body was already finished");
            }
            int count = bytes.remaining();
            received += count;
            if (contentLength.isPresent() && received > contentLength.getAsLong()) {
                throw new VerificationException(VerificationFailure.MALFORMED_BODY, incompleteBody(s3));
            }
            consume(bytes.duplicate());
            if (count > 0) {
                decoded.accept(bytes);
            }
        }

        @Override
        public final Map<String, String> finish() throws VerificationException {
            if (finished) {
                throw new IllegalStateException("the body was already finished");
            }
            finished = true;
            if (contentLength.isPresent() && received != contentLength.getAsLong()) {
                throw new VerificationException(VerificationFailure.MALFORMED_BODY, incompleteBody(s3));
            }
            end(received);
            return Map.of();
        }

        @Override
        public final OptionalLong decodedContentLength() {
            return contentLength;
        }
    }

    static String incompleteBody(boolean s3) {
        return s3 ? Messages.S3_INCOMPLETE_BODY : "The request body does not have the length its Content-Length"
                + " declared.";
    }
}
